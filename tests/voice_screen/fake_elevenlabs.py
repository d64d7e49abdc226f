"""A local stand-in for the ElevenLabs API that refuses what the real one would refuse.

Only what the phone screen calls: agents (create, update, list), knowledge-base documents (from
text, update, delete, content, list), signed URLs and conversations (get, delete). Every request
is checked against the SDK-derived request schema (``data/elevenlabs_requests.json``, see
:mod:`tests.voice_screen.elevenlabs_schema`): an unknown route, an unknown query parameter or a
body that does not validate gets the 422 the real API sends, and is kept in ``rejected`` so a test
can assert there were none. The ``xi-api-key`` header is checked and every request recorded.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import jsonschema_rs

from tests.voice_screen.elevenlabs_schema import load_request_schemas

API_KEY = "test-key"
_ACCESS = {"is_creator": True, "creator_name": "test", "creator_email": "test@example.com", "role": "admin"}


def conversation_payload(
    conversation_id: str,
    session_id: str,
    *,
    status: str = "done",
    data: dict[str, Any] | None = None,
    agent_id: str = "agent_1",
) -> dict[str, Any]:
    """A GetConversationResponseModel / post_call_transcription ``data`` object."""
    values = data or {
        "correctness_score": 5,
        "depth_score": 4,
        "practicality_score": 4,
        "clarity_score": 5,
        "autonomy_score": 5,
        "weak_topics": "messaging",
        "strong_topics": "databases, caching",
        "topics_asked": "databases=4, caching=4, transactions=4, api-design=4, concurrency=3, messaging=3",
        "misconceptions": 0,
        "hints_used": 1,
        "questions_attempted": 22,
        "kb_version": "phone-screen-kb@2026.11.1",
        "dq_fabricated_facts_after_correction": False,
        "dq_refusal_to_engage": False,
        "dq_security_red_flags": False,
        "dq_cannot_discuss_tradeoffs": False,
    }
    final = status in ("done", "failed")
    return {
        "agent_id": agent_id,
        "conversation_id": conversation_id,
        "status": status,
        "transcript": [
            {"role": "agent", "message": "Hi, thanks for joining. Ready?", "time_in_call_secs": 0},
            {"role": "user", "message": "Yes, ready.", "time_in_call_secs": 3},
            {"role": "agent", "message": "How does a B-tree index speed up a query?", "time_in_call_secs": 5},
            {
                "role": "user",
                "message": "It keeps keys sorted in a balanced tree so lookups are logarithmic instead of a scan.",
                "time_in_call_secs": 9,
            },
            {"role": "agent", "message": None, "time_in_call_secs": 12, "tool_calls": []},
        ],
        "metadata": {"start_time_unix_secs": 1_700_000_000, "call_duration_secs": 1500},
        "analysis": (
            {
                "evaluation_criteria_results": {
                    "followed_the_engine": {
                        "criteria_id": "followed_the_engine",
                        "result": "success",
                        "rationale": "ok",
                    }
                },
                "data_collection_results": {
                    key: {"data_collection_id": key, "value": value, "rationale": f"because {key}"}
                    for key, value in values.items()
                },
                "call_successful": "success",
                "transcript_summary": "A solid backend screen.",
            }
            if final
            else None
        ),
        "conversation_initiation_client_data": {"dynamic_variables": {"session_id": session_id}},
        "has_audio": True,
        "has_user_audio": True,
        "has_response_audio": True,
        "has_auxiliary_audio": False,
    }


def _short(message: str, keep: int = 160) -> str:
    """Long schema messages quote the whole instance; keep its start and the verdict at the end."""
    return message if len(message) <= 2 * keep else f"{message[:keep]} … {message[-keep:]}"


def _route_pattern(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\{[a-z_]+\}", "[^/]+", template) + "$")


class RequestSchemas:
    """The operations of the schema file, matched by method and path, with compiled body validators."""

    def __init__(self) -> None:
        data = load_request_schemas()
        self.sdk = data["sdk"]
        self.operations: list[tuple[str, re.Pattern[str], str, dict[str, Any], Any]] = []
        for key, operation in data["operations"].items():
            verb, template = key.split(" ", 1)
            body = operation.get("body")
            validator = jsonschema_rs.validator_for({**body, "$defs": data["$defs"]}) if body else None
            self.operations.append((verb, _route_pattern(template), template, operation, validator))
        # Literal routes first: /knowledge-base/text is not /knowledge-base/{documentation_id}.
        self.operations.sort(key=lambda item: item[2].count("{"))

    def check(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> list[str]:
        """What is wrong with this request, by the schema (empty when it is valid)."""
        for verb, pattern, template, operation, validator in self.operations:
            if verb != method or not pattern.match(path):
                continue
            problems = [f"query: unknown parameter {name!r}" for name in query if name not in operation["query"]]
            if validator is None:
                if body is not None:
                    problems.append(f"{template} takes no body")
            elif body is None:
                problems.append(f"{template} needs a JSON body")
            else:
                problems += [
                    f"body{''.join(f'/{part}' for part in error.instance_path)}: {_short(error.message)}"
                    for error in validator.iter_errors(body)
                ]
            return problems
        return [f"no operation {method} {path} in {self.sdk}"]


_SCHEMAS: RequestSchemas | None = None


def request_schemas() -> RequestSchemas:
    global _SCHEMAS
    if _SCHEMAS is None:
        _SCHEMAS = RequestSchemas()
    return _SCHEMAS


class FakeElevenLabs:
    def __init__(self) -> None:
        self.schemas = request_schemas()
        self.requests: list[tuple[str, str, dict[str, Any] | None]] = []
        self.rejected: list[tuple[str, str, list[str]]] = []
        self.documents: dict[str, dict[str, Any]] = {}
        self.agents: dict[str, dict[str, Any]] = {}
        self.conversations: dict[str, dict[str, Any]] = {}
        self.pending_polls: dict[str, int] = {}
        self.deleted: list[str] = []
        self.conversation_counter = 0
        self._ids: dict[str, int] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeElevenLabs:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def paths(self, method: str | None = None) -> list[str]:
        return [path for verb, path, _ in self.requests if method is None or verb == method]

    def _new_id(self, prefix: str) -> str:
        self._ids[prefix] = self._ids.get(prefix, 0) + 1
        return f"{prefix}_{self._ids[prefix]}"

    def add_document(self, name: str, text: str) -> str:
        """A document already in the account (made by an earlier sync, or by hand)."""
        doc_id = self._new_id("doc")
        self.documents[doc_id] = {"name": name, "text": text}
        return doc_id

    def _document(self, doc_id: str) -> dict[str, Any]:
        doc = self.documents[doc_id]
        return {
            "type": "text",
            "id": doc_id,
            "name": doc["name"],
            "metadata": {"created_at_unix_secs": 0, "last_updated_at_unix_secs": 0, "size_bytes": len(doc["text"])},
            "supported_usages": ["auto", "prompt"],
            "access_info": {
                "is_creator": True,
                "creator_name": "test",
                "creator_email": "t@example.com",
                "role": "admin",
            },
            "dependent_agents": [],
        }

    def _route(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> tuple[int, Any]:
        parts = path.strip("/").split("/")
        first = {name: values[0] for name, values in query.items()}
        if method == "POST" and path == "/v1/convai/knowledge-base/text":
            doc_id = self.add_document(body.get("name") or "", body["text"])
            return 200, {"id": doc_id, "name": self.documents[doc_id]["name"]}
        if method == "GET" and path == "/v1/convai/knowledge-base":
            prefix = first.get("search", "")
            docs = [self._document(i) for i, d in self.documents.items() if d["name"].startswith(prefix)]
            return 200, self._page(docs, "documents", first)
        if parts[:3] == ["v1", "convai", "knowledge-base"] and len(parts) >= 4:
            doc_id = parts[3]
            if doc_id not in self.documents:
                return 404, {"detail": "document not found"}
            if method == "GET" and parts[4:] == ["content"]:
                return 200, self.documents[doc_id]["text"]
            if method == "PATCH":
                self.documents[doc_id] = {
                    "name": body.get("name", self.documents[doc_id]["name"]),
                    "text": body.get("content", self.documents[doc_id]["text"]),
                }
                return 200, self._document(doc_id)
            if method == "DELETE":
                del self.documents[doc_id]
                return 200, {}
        if method == "POST" and path == "/v1/convai/agents/create":
            agent_id = self._new_id("agent")
            self.agents[agent_id] = body
            return 200, {"agent_id": agent_id}
        if method == "GET" and path == "/v1/convai/agents":
            search = first.get("search", "")
            agents = [
                {
                    "agent_id": agent_id,
                    "name": agent.get("name", ""),
                    "tags": agent.get("tags", []),
                    "voice_id": "v",
                    "created_at_unix_secs": 0,
                    "updated_at_unix_secs": 0,
                    "access_info": _ACCESS,
                }
                for agent_id, agent in self.agents.items()
                if search.lower() in agent.get("name", "").lower()
            ]
            return 200, self._page(agents, "agents", first)
        if method == "PATCH" and parts[:3] == ["v1", "convai", "agents"] and len(parts) == 4:
            if parts[3] not in self.agents:
                return 404, {"detail": "agent not found"}
            self.agents[parts[3]] = {**self.agents[parts[3]], **body}
            return 200, {"agent_id": parts[3], **self.agents[parts[3]]}
        if method == "GET" and path == "/v1/convai/conversation/get-signed-url":
            agent_id = first.get("agent_id", "")
            if agent_id not in self.agents:
                return 404, {"detail": "agent not found"}
            url = f"wss://api.elevenlabs.io/v1/convai/conversation?agent_id={agent_id}&conversation_signature=sig"
            if first.get("include_conversation_id") == "true":
                self.conversation_counter += 1
                url += f"&conversation_id=conv_{self.conversation_counter}"
            return 200, {"signed_url": url}
        if parts[:3] == ["v1", "convai", "conversations"] and len(parts) == 4:
            conversation = self.conversations.get(parts[3])
            if conversation is None:
                return 404, {"detail": "conversation not found"}
            if method == "DELETE":
                self.deleted.append(parts[3])
                del self.conversations[parts[3]]
                return 200, {}
            if method == "GET":
                if self.pending_polls.get(parts[3], 0) > 0:
                    self.pending_polls[parts[3]] -= 1
                    return 200, {**conversation, "status": "processing", "analysis": None}
                return 200, conversation
        return 404, {"detail": f"no route {method} {path}"}

    @staticmethod
    def _page(items: list[dict[str, Any]], key: str, query: dict[str, str]) -> dict[str, Any]:
        size = int(query.get("page_size") or 30)
        start = int(query.get("cursor") or 0)
        chunk = items[start : start + size]
        more = start + size < len(items)
        return {key: chunk, "has_more": more, "next_cursor": str(start + size) if more else None}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self, method: str) -> None:
                url = urlparse(self.path)
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                query = parse_qs(url.query)
                with fake._lock:
                    fake.requests.append((method, url.path, body))
                    problems = fake.schemas.check(method, url.path, query, body)
                    if self.headers.get("xi-api-key") != API_KEY:
                        status, payload = 401, {"detail": "invalid api key"}
                    elif problems:
                        fake.rejected.append((method, url.path, problems))
                        status, payload = 422, {"detail": problems}
                    else:
                        status, payload = fake._route(method, url.path, query, body)
                data = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "text/plain" if isinstance(payload, str) else "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def do_PATCH(self) -> None:
                self._serve("PATCH")

            def do_DELETE(self) -> None:
                self._serve("DELETE")

            def log_message(self, *args: Any) -> None:
                pass

        return Handler
