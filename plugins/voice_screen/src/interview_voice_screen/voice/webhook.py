"""The post-call webhook: verify the ``ElevenLabs-Signature`` header, then ingest.

The header reads ``t=<unix seconds>,v0=<hex>`` where the hex is the
HMAC-SHA256 of ``"{t}.{raw body}"`` keyed with ELEVENLABS_WEBHOOK_SECRET.  A
missing, malformed or wrong signature, a timestamp older than 30 minutes or
more than 30 seconds in the future raises :class:`Unauthorized` (HTTP 401)
before anything is read or stored.  The comparison is constant-time.

Framework-free; :mod:`interview_voice_screen.voice.routes` mounts it at ``POST /webhooks/elevenlabs``
through the ``web_routes(engine)`` hook::

    result = handle_post_call_webhook(engine, await request.body(),
                                      request.headers.get("ElevenLabs-Signature"),
                                      secret=os.environ["ELEVENLABS_WEBHOOK_SECRET"], now=time.time())
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from interview_engine import Session, SessionStatus
from interview_engine.errors import InternalError, InvalidInput, NotFound
from interview_voice_screen.bank import MODULE_NAME
from interview_voice_screen.errors import Unauthorized
from interview_voice_screen.voice.calls import conversation_ids
from interview_voice_screen.voice.ingest import ingest_conversation

if TYPE_CHECKING:
    from interview_engine import Engine

__all__ = ["MAX_AGE_S", "MAX_SKEW_S", "handle_post_call_webhook", "sign", "verify_signature"]

MAX_AGE_S = 30 * 60
MAX_SKEW_S = 30


def sign(raw_body: bytes, secret: str, timestamp: int) -> str:
    """The header value ElevenLabs would send for ``raw_body`` at ``timestamp``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + raw_body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v0={digest}"


def _epoch(now: datetime | float | None) -> float:
    if now is None:
        return time.time()
    if isinstance(now, datetime):
        return now.timestamp()
    return float(now)


def verify_signature(raw_body: bytes, header: str | None, *, secret: str, now: datetime | float | None = None) -> None:
    """Raise :class:`Unauthorized` unless ``header`` signs ``raw_body`` recently with ``secret``."""
    if not secret:
        raise InternalError("ELEVENLABS_WEBHOOK_SECRET is not configured")
    if not header:
        raise Unauthorized("missing ElevenLabs-Signature header")
    timestamp: str | None = None
    signatures: list[str] = []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t":
            timestamp = value
        elif name == "v0":
            signatures.append(value)
    if timestamp is None or not timestamp.isdigit() or not signatures:
        raise Unauthorized("malformed ElevenLabs-Signature header")
    age = _epoch(now) - int(timestamp)
    if age > MAX_AGE_S:
        raise Unauthorized("stale webhook signature")
    if age < -MAX_SKEW_S:
        raise Unauthorized("webhook signature timestamp is in the future")
    expected = sign(raw_body, secret, int(timestamp)).split("v0=", 1)[1]
    if not any(hmac.compare_digest(expected.encode(), candidate.encode()) for candidate in signatures):
        raise Unauthorized("invalid webhook signature")


def _session_for(engine: Engine, data: dict[str, Any]) -> tuple[Session | None, str]:
    """The phone-screen session a post-call event belongs to, or None and why not.

    By conversation id first (the latest call of a session is its ``external_ref``), then by the
    ``session_id`` dynamic variable — but only if that session minted or connected this very
    conversation, so a browser-supplied variable cannot point an event at someone else's session.
    The agent id must be the one the session's call was made with.
    """
    conversation_id = str(data.get("conversation_id") or "")
    if not conversation_id:
        return None, "no conversation_id"
    session = engine.store.find_session_by_ref(conversation_id)
    if session is None:
        client_data = data.get("conversation_initiation_client_data") or {}
        session_id = (client_data.get("dynamic_variables") or {}).get("session_id")
        if not session_id:
            return None, f"no session has conversation {conversation_id}"
        try:
            session = engine.store.get_session(str(session_id))
        except NotFound:
            return None, f"no session {session_id}"
    if session.module != MODULE_NAME or session.state.get("mode") != "voice":
        return None, f"session {session.id} is not a voice phone screen"
    if conversation_id not in conversation_ids(session):
        return None, f"conversation {conversation_id} is not a call of session {session.id}"
    expected_agent = (session.state.get("voice") or {}).get("agentId")
    if expected_agent and data.get("agent_id") != expected_agent:
        return None, f"conversation {conversation_id} is not with this session's agent"
    return session, ""


def handle_post_call_webhook(
    engine: Engine,
    raw_body: bytes,
    signature_header: str | None,
    *,
    secret: str,
    now: datetime | float | None = None,
) -> dict[str, Any]:
    """Verify and ingest one post-call webhook; returns a small JSON report (always HTTP 200).

    ``post_call_transcription`` events are ingested into the session found by conversation and
    agent id (see :func:`_session_for`); the session is ended (and evaluated) if still active,
    or re-evaluated with the agent's opinion attached. Every other event type
    (``post_call_audio``, ``call_initiation_failure``, ...) and every event that belongs to no
    session of ours is acknowledged as ``ignored``: ElevenLabs retries, and eventually disables,
    a webhook that answers anything but 200. A replay changes nothing.
    """
    verify_signature(raw_body, signature_header, secret=secret, now=now)
    try:
        event = json.loads(raw_body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"body is not JSON: {exc}", field="body") from exc
    if not isinstance(event, dict) or not isinstance(event.get("data"), dict):
        raise InvalidInput("expected an object with a data object", field="body")
    kind = event.get("type")
    if kind != "post_call_transcription":
        return {"status": "ignored", "reason": f"event type {kind!r} is not handled"}
    data = event["data"]
    session, why = _session_for(engine, data)
    if session is None:
        return {"status": "ignored", "reason": why}
    session, report = ingest_conversation(engine.store, session, data)
    return {**report, "sessionId": session.id, **settle(engine, session.id, changed=report["status"] == "ingested")}


def settle(engine: Engine, session_id: str, *, changed: bool = True) -> dict[str, Any]:
    """After an analysis arrived: end an active session, or re-evaluate an ended one to attach it.

    The analysis changes none of our numbers; re-evaluating puts it beside them.
    """
    session = engine.store.get_session(session_id)
    if session.status is SessionStatus.ACTIVE:
        if not (session.state.get("voice") or {}).get("analysis"):
            return {}
        engine.end_session(session.id)
    elif changed or engine.store.get_evaluation(session.id) is None:
        engine.evaluate(session.id)
    evaluation = engine.store.get_evaluation(session.id)
    return {"decision": evaluation.decision.value if evaluation else None}
