"""Bringing a finished ElevenLabs conversation in: transcript segments and the analysis.

Both paths — polling the conversations API and the post-call webhook — hand
the same conversation payload (``GetConversationResponseModel`` shape) to
:func:`ingest_conversation`.  It is idempotent: segments are keyed by
conversation, position and content (``store.add_transcript`` skips known
keys), and the analysis is stored once per conversation; a replay changes
nothing.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qs, urlparse

from attrs import evolve

from interview_engine import Session, TranscriptSegment
from interview_engine.errors import InternalError
from interview_engine.storage import Store
from interview_voice_screen.voice.calls import latest_conversation

__all__ = [
    "FINAL_STATUSES",
    "analysis_record",
    "as_dict",
    "conversation_id_from_url",
    "ingest_conversation",
    "poll_conversation",
    "session_of",
    "transcript_segments",
]

FINAL_STATUSES = frozenset({"done", "failed"})
_SPEAKERS = {"agent": "interviewer", "user": "candidate"}


def as_dict(model: Any) -> dict[str, Any]:
    """An SDK response model (pydantic v1 or v2) or a mapping, as plain JSON data."""
    if isinstance(model, Mapping):
        return dict(model)
    if hasattr(model, "model_dump"):
        data: dict[str, Any] = model.model_dump(mode="json")
        return data
    legacy: dict[str, Any] = model.dict()
    return legacy


def conversation_id_from_url(url: str) -> str | None:
    values = parse_qs(urlparse(url).query).get("conversation_id")
    return values[0] if values else None


def _segment_key(conversation_id: str, index: int, role: str, text: str) -> str:
    digest = hashlib.sha256(f"{role}\n{text}".encode()).hexdigest()[:16]
    return f"el:{conversation_id}:{index}:{digest}"


def transcript_segments(session_id: str, conversation: Mapping[str, Any]) -> list[TranscriptSegment]:
    conversation_id = str(conversation.get("conversation_id") or "")
    segments = []
    for index, turn in enumerate(conversation.get("transcript") or []):
        text = (turn.get("message") or "").strip()
        if not text:
            continue  # tool calls and silent turns carry no words
        role = str(turn.get("role") or "")
        seconds = turn.get("time_in_call_secs")
        segments.append(
            TranscriptSegment(
                session_id=session_id,
                seq=index,
                speaker=_SPEAKERS.get(role, role or "unknown"),
                text=text,
                key=_segment_key(conversation_id, index, role, text),
                time_s=float(seconds) if isinstance(seconds, int | float) else None,
                source="elevenlabs",
            )
        )
    return segments


def analysis_record(conversation: Mapping[str, Any]) -> dict[str, Any]:
    """The parts of the analysis the evaluation reads, as stored in ``Session.state``."""
    analysis = conversation.get("analysis") or {}
    collected = analysis.get("data_collection_results") or {}
    values = {key: (item or {}).get("value") for key, item in collected.items()}
    rationales = {key: (item or {}).get("rationale") or "" for key, item in collected.items()}
    criteria = {
        key: (item or {}).get("result") for key, item in (analysis.get("evaluation_criteria_results") or {}).items()
    }
    quotes = [
        (turn.get("message") or "").strip()
        for turn in conversation.get("transcript") or []
        if turn.get("role") == "user" and len((turn.get("message") or "").split()) >= 8
    ]
    metadata = conversation.get("metadata") or {}
    return {
        "conversationId": conversation.get("conversation_id"),
        "status": conversation.get("status"),
        "dataCollection": values,
        "rationales": rationales,
        "criteria": criteria,
        "callSuccessful": analysis.get("call_successful"),
        "summary": analysis.get("transcript_summary") or "",
        "durationS": metadata.get("call_duration_secs"),
        "candidateQuotes": quotes[:5],
    }


def session_of(conversation: Mapping[str, Any]) -> str | None:
    """The session a call was made for: the ``session_id`` dynamic variable our server handed its browser."""
    client_data = conversation.get("conversation_initiation_client_data") or {}
    value = (client_data.get("dynamic_variables") or {}).get("session_id")
    return str(value) if value else None


def ingest_conversation(
    store: Store, session: Session, conversation: Mapping[str, Any]
) -> tuple[Session, dict[str, Any]]:
    """Store the conversation's transcript and analysis on ``session`` (idempotent).

    The caller has checked that the conversation is one of the session's. Returns the session as
    saved and a report: ``segmentsAdded`` and ``status`` — ``ingested``; ``duplicate`` (this
    conversation's analysis is stored already); ``not_ready`` (the analysis is not final yet);
    ``superseded`` (an earlier call of the session, replaced by a later one: its words are kept,
    its analysis is not the session's) — only the transcript is stored in those two cases; and
    ``foreign`` (the call was made for another session): nothing is stored.
    """
    conversation_id = conversation.get("conversation_id")
    if not conversation_id:
        raise InternalError("the conversation payload has no conversation_id")
    if session_of(conversation) != session.id:
        # Ids come from the browser: a call made for another session (someone else's) is never ours to read.
        return session, {"status": "foreign", "segmentsAdded": 0, "conversationId": conversation_id}
    added = store.add_transcript(transcript_segments(session.id, conversation))
    voice = dict(session.state.get("voice") or {})
    final = conversation.get("status") in FINAL_STATUSES and conversation.get("analysis") is not None
    if (voice.get("analysis") or {}).get("conversationId") == conversation_id:
        status = "duplicate"
    elif conversation_id != latest_conversation(session):
        status = "superseded"
    elif final:
        voice["analysis"] = analysis_record(conversation)
        status = "ingested"
    else:
        status = "not_ready"
    updated = evolve(session, state={**session.state, "voice": voice})
    if updated != session:
        updated = store.save_session(updated)
    return updated, {"status": status, "segmentsAdded": added, "conversationId": conversation_id}


def poll_conversation(
    client: Any,
    conversation_id: str,
    *,
    deadline_s: float = 120.0,
    first_delay_s: float = 0.5,
    max_delay_s: float = 8.0,
    sleep: Callable[[float], None] = time.sleep,
    monotonic: Callable[[], float] = time.monotonic,
) -> dict[str, Any]:
    """Fetch the conversation until its analysis is final or the deadline passes (exponential back-off).

    Returns the last payload seen; its ``status`` says whether it is final.
    """
    start = monotonic()
    delay = first_delay_s
    while True:
        conversation = as_dict(client.conversational_ai.conversations.get(conversation_id))
        if conversation.get("status") in FINAL_STATUSES:
            return conversation
        remaining = deadline_s - (monotonic() - start)
        if remaining <= 0:
            return conversation
        sleep(min(delay, remaining))
        delay = min(delay * 2, max_delay_s)
