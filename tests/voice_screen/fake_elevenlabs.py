"""A local stand-in for the ElevenLabs API, shaped as the SDK's types document it.

Only what the phone screen calls: knowledge-base documents from text, agents
create/update, signed URLs, conversations get/delete.  It checks the
``xi-api-key`` header and records every request for assertions.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

API_KEY = "test-key"


def conversation_payload(
    conversation_id: str, session_id: str, *, status: str = "done", data: dict[str, Any] | None = None
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
        "agent_id": "agent_1",
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
                    "screen_completed": {"criteria_id": "screen_completed", "result": "success", "rationale": "ok"}
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


class FakeElevenLabs:
    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict[str, Any] | None]] = []
        self.documents: dict[str, dict[str, Any]] = {}
        self.agents: dict[str, dict[str, Any]] = {}
        self.conversations: dict[str, dict[str, Any]] = {}
        self.pending_polls: dict[str, int] = {}
        self.deleted: list[str] = []
        self.next_conversation = "conv_1"
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

    def _route(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> tuple[int, Any]:
        parts = path.strip("/").split("/")
        if method == "POST" and path == "/v1/convai/knowledge-base/text":
            doc_id = f"doc_{len(self.documents) + 1}"
            self.documents[doc_id] = body
            return 200, {"id": doc_id, "name": body.get("name") or doc_id}
        if method == "POST" and path == "/v1/convai/agents/create":
            agent_id = f"agent_{len(self.agents) + 1}"
            self.agents[agent_id] = body
            return 200, {"agent_id": agent_id}
        if method == "PATCH" and parts[:3] == ["v1", "convai", "agents"] and len(parts) == 4:
            if parts[3] not in self.agents:
                return 404, {"detail": "agent not found"}
            self.agents[parts[3]] = {**self.agents[parts[3]], **body}
            return 200, {"agent_id": parts[3], "name": body.get("name", ""), **body}
        if method == "GET" and path == "/v1/convai/conversation/get-signed-url":
            agent_id = query.get("agent_id", [""])[0]
            if agent_id not in self.agents:
                return 404, {"detail": "agent not found"}
            url = f"wss://api.elevenlabs.io/v1/convai/conversation?agent_id={agent_id}&conversation_signature=sig"
            if query.get("include_conversation_id") == ["true"]:
                url += f"&conversation_id={self.next_conversation}"
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

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self, method: str) -> None:
                url = urlparse(self.path)
                length = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                fake.requests.append((method, url.path, body))
                if self.headers.get("xi-api-key") != API_KEY:
                    status, payload = 401, {"detail": "invalid api key"}
                else:
                    status, payload = fake._route(method, url.path, parse_qs(url.query), body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
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
