"""Fetching a call's analysis at any time: during the call, after it, or days later.

The webhook cannot reach a laptop, and a tab closed mid-call never asks; so the summary's
"fetch the analysis" button, the browser's end-of-call path and ``interview screen fetch ID`` all
come here. It works on ended and evaluated sessions too (``engine.act`` only serves active
ones), polls the latest connected call, ingests it idempotently and re-evaluates so the agent's
opinion appears beside our scores.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from interview_engine.errors import InvalidInput, Unavailable
from interview_voice_screen.bank import MODULE_NAME
from interview_voice_screen.voice.calls import latest_conversation
from interview_voice_screen.voice.ingest import ingest_conversation, poll_conversation
from interview_voice_screen.voice.webhook import settle

if TYPE_CHECKING:
    from interview_engine import Engine

__all__ = ["MAX_FETCH_DEADLINE_S", "fetch_analysis"]

MAX_FETCH_DEADLINE_S = 600.0

_log = logging.getLogger(__name__)


def fetch_analysis(
    engine: Engine, session_id: str, *, user_id: str | None = None, deadline_s: float = 20.0
) -> dict[str, Any]:
    """Poll the session's latest call until its analysis is final (or the deadline), ingest, settle.

    Returns ``{"status", "segmentsAdded", "conversationId", "decision"?}``; ``status`` is
    ``ingested``, ``duplicate`` or ``not_ready`` (the analysis is still being made: try later).
    """
    if isinstance(deadline_s, bool) or not isinstance(deadline_s, int | float) or not 0 <= deadline_s <= 600:
        raise InvalidInput(f"must be between 0 and {MAX_FETCH_DEADLINE_S:g} seconds", field="deadlineS")
    session = engine.get_session(session_id, user_id=user_id)
    if session.module != MODULE_NAME or session.state.get("mode") != "voice":
        raise InvalidInput(f"session {session_id} is not a voice phone screen", field="session_id")
    conversation_id = latest_conversation(session)
    if conversation_id is None:
        raise InvalidInput("this session never started a call, so there is no analysis", field="session_id")
    if ((session.state.get("voice") or {}).get("analysis") or {}).get("conversationId") == conversation_id:
        return {"status": "duplicate", "segmentsAdded": 0, "conversationId": conversation_id}
    module: Any = engine.module(MODULE_NAME)
    client = module.settings().client()
    try:
        conversation = poll_conversation(client, conversation_id, deadline_s=float(deadline_s), sleep=module.sleep)
    except Exception as exc:  # the SDK raises ApiError or httpx errors: ElevenLabs' fault, not the candidate's
        # A service we depend on failed: 503, try again later; nothing was changed. How it failed is logged.
        _log.warning("ElevenLabs did not return conversation %s: %r", conversation_id, exc)
        raise Unavailable(
            f"ElevenLabs did not return conversation {conversation_id}; nothing was changed, try again later"
        ) from exc
    session, report = ingest_conversation(engine.store, session, conversation)
    if report["status"] != "ingested":
        return report
    return {**report, **settle(engine, session.id)}
