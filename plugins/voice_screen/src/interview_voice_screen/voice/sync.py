"""``interview agent sync``: make the ElevenLabs agent and its documents match the code, in place.

The order keeps a live agent working at every step:

1. Documents: each fact sheet is found by its name (the state file first, then the account's
   knowledge base by name), updated in place when its text changed, and created only when no
   document of that name exists. Remote content is compared by hash, so a lost state file costs
   reads, not uploads.
2. The agent: found by id (settings, state file), then by name and tag in the account; created
   only when none exists, updated otherwise.
3. Superseded documents (our name prefix, no longer in the pack, or duplicates of a name) are
   deleted once the agent no longer points at them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from interview_voice_screen.bank import KnowledgeBase
from interview_voice_screen.voice.agent import (
    AGENT_NAME,
    AGENT_TAG,
    agent_config_version,
    api_fields,
    build_agent_config,
    documents,
)
from interview_voice_screen.voice.ingest import as_dict
from interview_voice_screen.voice.settings import AgentState, VoiceSettings

__all__ = ["find_agent", "sync_agent"]

PAGE_SIZE = 100
MAX_PAGES = 50  # 5,000 documents or agents: far past any real account; a runaway cursor stops here


def _pages(fetch: Any, key: str, **query: Any) -> Iterator[dict[str, Any]]:
    cursor = None
    for _ in range(MAX_PAGES):
        page = as_dict(fetch(page_size=PAGE_SIZE, cursor=cursor, **query))
        yield from (as_dict(item) for item in page.get(key) or [])
        cursor = page.get("next_cursor")
        if not page.get("has_more") or not cursor:
            return


def find_agent(client: Any) -> str | None:
    """The id of our agent in the account (by name and tag), or None."""
    for agent in _pages(client.conversational_ai.agents.list, "agents", search=AGENT_NAME):
        if agent.get("name") == AGENT_NAME and AGENT_TAG in (agent.get("tags") or []):
            return str(agent["agent_id"])
    return None


def _remote_documents(client: Any, prefix: str) -> dict[str, list[str]]:
    """Our documents in the account: name -> ids (names start with the pack's name)."""
    found: dict[str, list[str]] = {}
    for doc in _pages(client.conversational_ai.knowledge_base.list, "documents", search=prefix):
        name = str(doc.get("name") or "")
        if name.startswith(prefix):
            found.setdefault(name, []).append(str(doc["id"]))
    return found


def _sync_documents(
    client: Any, kb: KnowledgeBase, state: AgentState
) -> tuple[dict[str, dict[str, str]], list[str], dict[str, int]]:
    """Create or update every fact sheet; returns the documents, the superseded ids and counts."""
    docs_api = client.conversational_ai.knowledge_base.documents
    remote = _remote_documents(client, f"{kb.pack.name} ")
    known_ids = {doc_id for ids in remote.values() for doc_id in ids}
    result: dict[str, dict[str, str]] = {}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for doc in documents(kb):
        name, sha = doc["name"], doc["sha256"]
        recorded = state.documents.get(name) or {}
        candidates = remote.get(name, [])
        doc_id = recorded.get("id") if recorded.get("id") in known_ids else (candidates[0] if candidates else None)
        if doc_id is None:
            doc_id = str(docs_api.create_from_text(text=doc["text"], name=name).id)
            counts["created"] += 1
        else:
            remote_sha = recorded.get("sha256") if recorded.get("id") == doc_id else None
            if remote_sha is None:
                remote_sha = hashlib.sha256(str(docs_api.get_content(doc_id)).encode()).hexdigest()
            if remote_sha != sha:
                docs_api.update(doc_id, name=name, content=doc["text"])
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
        result[name] = {"id": doc_id, "sha256": sha}
    in_use = {value["id"] for value in result.values()}
    # Everything else under our prefix is a duplicate of a name or a sheet the pack no longer has.
    return result, sorted(known_ids - in_use), counts


def sync_agent(kb: KnowledgeBase, settings: VoiceSettings) -> dict[str, Any]:
    """Make the remote agent and documents match ``kb``; record ids and version in the state file."""
    client = settings.client()
    state = settings.state()
    version = agent_config_version(build_agent_config(kb))
    docs, superseded, counts = _sync_documents(client, kb, state)
    config = build_agent_config(kb, {name: value["id"] for name, value in docs.items()})
    body = api_fields(config)
    agent_id = settings.agent_id or state.agent_id or find_agent(client)
    changed_docs = counts["created"] + counts["updated"] > 0
    if agent_id and state.agent_id == agent_id and state.config_version == version and not changed_docs:
        status = "unchanged"
    elif agent_id:
        client.conversational_ai.agents.update(agent_id, **body)
        status = "updated"
    else:
        agent_id = str(client.conversational_ai.agents.create(**body).agent_id)
        status = "created"
    # The agent no longer points at superseded documents, so deleting them breaks nothing.
    for doc_id in superseded:
        client.conversational_ai.knowledge_base.documents.delete(doc_id, force=True)
    AgentState(agent_id=agent_id, config_version=version, documents=docs).save(settings.state_file)
    return {
        "status": status,
        "agentId": agent_id,
        "agentConfigVersion": version,
        "documentsUploaded": counts["created"],
        "documentsUpdated": counts["updated"],
        "documentsDeleted": len(superseded),
        "stateFile": str(settings.state_file),
    }
