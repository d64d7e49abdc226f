"""The conversations of a voice session: every one minted or connected, the latest one first in line.

A retried or double-clicked "Start the call" mints a new ElevenLabs conversation each time, and
only the one the browser actually connected to (``getId()``) carries the call. So a session keeps
all of them in ``state["voice"]["conversations"]`` — minted by ``signed_url``, confirmed by
``conversation`` — fetches the latest connected one, and deletes every one with the session.
``Session.external_ref`` is the latest, so the webhook finds the session by conversation id.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from attrs import evolve

from interview_engine import Session
from interview_engine.errors import InvalidInput

__all__ = [
    "CONVERSATION_ID",
    "MAX_CONVERSATIONS",
    "check_conversation_id",
    "conversation_ids",
    "latest_conversation",
    "record_connected",
    "record_minted",
]

# A session that asks for more call links than this is not retrying, it is looping.
MAX_CONVERSATIONS = 20
CONVERSATION_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


def check_conversation_id(value: Any, field: str = "conversationId") -> str:
    if not isinstance(value, str) or not CONVERSATION_ID.match(value):
        raise InvalidInput("must be an ElevenLabs conversation id (letters, digits, _ and -)", field=field)
    return value


def _calls(session: Session) -> list[dict[str, Any]]:
    return [dict(call) for call in (session.state.get("voice") or {}).get("conversations") or []]


def conversation_ids(session: Session) -> list[str]:
    """Every conversation of the session, oldest first."""
    return [str(call["id"]) for call in _calls(session)]


def latest_conversation(session: Session) -> str | None:
    """The conversation to fetch: the latest one the browser connected to, else the latest minted."""
    calls = _calls(session)
    connected = [call for call in calls if call.get("connected")]
    chosen = (connected or calls)[-1:]
    return str(chosen[0]["id"]) if chosen and chosen[0] else None


def _with_calls(session: Session, calls: list[dict[str, Any]], **changes: Any) -> Session:
    voice = {**(session.state.get("voice") or {}), "conversations": calls}
    return evolve(session, state={**session.state, "voice": voice}, **changes)


def record_minted(session: Session, conversation_id: str | None, agent_id: str) -> Session:
    calls = _calls(session)
    if len(calls) >= MAX_CONVERSATIONS:
        raise InvalidInput(f"this session already started {MAX_CONVERSATIONS} calls; start a new session", field="call")
    voice = {**(session.state.get("voice") or {}), "agentId": agent_id}
    session = evolve(session, state={**session.state, "voice": voice})
    if conversation_id is None or conversation_id in conversation_ids(session):
        return session
    return _with_calls(session, [*calls, {"id": conversation_id, "connected": False}])


def record_connected(session: Session, conversation_id: str, now: datetime) -> Session:
    """The browser's call is live on ``conversation_id``; the session clock starts at the first call."""
    calls = [call for call in _calls(session) if call["id"] != conversation_id]
    if len(calls) >= MAX_CONVERSATIONS:
        raise InvalidInput(f"this session already has {MAX_CONVERSATIONS} calls", field="conversationId")
    calls.append({"id": conversation_id, "connected": True})
    first_call = not any(call.get("connected") for call in _calls(session))
    changes: dict[str, Any] = {"external_ref": conversation_id}
    if first_call:
        changes["started_at"] = now
    return _with_calls(session, calls, **changes)
