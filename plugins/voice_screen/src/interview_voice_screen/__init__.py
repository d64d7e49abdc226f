"""The phone screen: question bank, ElevenLabs voice agent, offline interviewer and voice rubric.

For the web adapter (framework-free)::

    from interview_voice_screen import create_signed_url, handle_post_call_webhook, Unauthorized

    create_signed_url(engine, session_id, user_id=user.id)  # {"signedUrl", "conversationId", ...}
    fetch_analysis(engine, session_id, user_id=user.id)     # the latest call's analysis, any time
    handle_post_call_webhook(engine, raw_body, request.headers.get("ElevenLabs-Signature"),
                             secret=os.environ["ELEVENLABS_WEBHOOK_SECRET"], now=time.time())
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from interview_engine import Engine
    from interview_voice_screen.bank import MODULE_NAME, KnowledgeBase, knowledge_base, load_knowledge_base
    from interview_voice_screen.errors import Unauthorized
    from interview_voice_screen.module import VoiceScreenModule
    from interview_voice_screen.voice.fetch import fetch_analysis
    from interview_voice_screen.voice.webhook import handle_post_call_webhook, sign, verify_signature

# Imported on first use (PEP 562): the plugin's CLI group is imported by every ``interview`` command,
# and the bank, the module and the webhook pull in the store.
_WHERE = {
    "MODULE_NAME": "interview_voice_screen.bank",
    "KnowledgeBase": "interview_voice_screen.bank",
    "knowledge_base": "interview_voice_screen.bank",
    "load_knowledge_base": "interview_voice_screen.bank",
    "Unauthorized": "interview_voice_screen.errors",
    "VoiceScreenModule": "interview_voice_screen.module",
    "handle_post_call_webhook": "interview_voice_screen.voice.webhook",
    "fetch_analysis": "interview_voice_screen.voice.fetch",
    "sign": "interview_voice_screen.voice.webhook",
    "verify_signature": "interview_voice_screen.voice.webhook",
}

__all__ = [
    "MODULE_NAME",
    "KnowledgeBase",
    "Unauthorized",
    "VoiceScreenModule",
    "create_signed_url",
    "fetch_analysis",
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
    """After the call: end the session (our scores, from the answers the engine recorded), then
    fetch the agent's analysis of the latest call to put beside them.

    The one end-and-fetch path of every way a call ends. Safe to call again, and when the webhook
    already delivered everything.
    """
    from interview_voice_screen.voice.fetch import fetch_analysis

    engine.end_session(session_id, user_id=user_id)
    return fetch_analysis(engine, session_id, user_id=user_id, deadline_s=deadline_s)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'interview_voice_screen' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
