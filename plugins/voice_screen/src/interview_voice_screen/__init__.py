"""The phone screen: question bank, ElevenLabs voice agent, offline interviewer and voice rubric.

For the web adapter (framework-free)::

    from interview_voice_screen import create_signed_url, handle_post_call_webhook, Unauthorized

    create_signed_url(engine, session_id, user_id=user.id)  # {"signedUrl", "conversationId", ...}
    handle_post_call_webhook(engine, raw_body, request.headers.get("ElevenLabs-Signature"),
                             secret=os.environ["ELEVENLABS_WEBHOOK_SECRET"], now=time.time())
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from interview_voice_screen.bank import MODULE_NAME, KnowledgeBase, knowledge_base, load_knowledge_base
from interview_voice_screen.errors import Unauthorized
from interview_voice_screen.module import VoiceScreenModule
from interview_voice_screen.voice.webhook import handle_post_call_webhook, settle, sign, verify_signature

if TYPE_CHECKING:
    from interview_engine import Engine

__all__ = [
    "MODULE_NAME",
    "KnowledgeBase",
    "Unauthorized",
    "VoiceScreenModule",
    "create_signed_url",
    "finish_voice_session",
    "handle_post_call_webhook",
    "knowledge_base",
    "load_knowledge_base",
    "sign",
    "verify_signature",
]


def create_signed_url(engine: Engine, session_id: str, *, user_id: str | None = None) -> dict[str, Any]:
    """A signed conversation URL for the browser, plus the dynamic variables it must pass."""
    return engine.act(session_id, "signed_url", {}, user_id=user_id).data


def finish_voice_session(
    engine: Engine, session_id: str, *, user_id: str | None = None, deadline_s: float = 120.0
) -> dict[str, Any]:
    """After the call: pull transcript and analysis (polling), then end and evaluate the session.

    Safe to call when the webhook already delivered everything.
    """
    session = engine.get_session(session_id, user_id=user_id)
    from interview_engine import SessionStatus

    report: dict[str, Any] = {"status": "duplicate"}
    if session.status is SessionStatus.ACTIVE:
        report = engine.act(session_id, "ingest", {"deadlineS": deadline_s}, user_id=user_id).data
    return {**report, **settle(engine, session_id)}
