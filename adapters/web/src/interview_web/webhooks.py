"""``POST /webhooks/elevenlabs``: ElevenLabs' post-call webhook, signature-checked by the phone screen."""

from __future__ import annotations

import os
import time
from typing import Any

from litestar import post

from interview_engine import Unauthenticated
from interview_web.deps import EngineDep
from interview_web.identity import AnyRequest

SECRET_ENV = "ELEVENLABS_WEBHOOK_SECRET"  # noqa: S105 - the variable's name


@post("/webhooks/elevenlabs", operation_id="elevenLabsWebhook", include_in_schema=False)
async def elevenlabs_webhook(request: AnyRequest, engine: EngineDep) -> dict[str, Any]:
    """Verify ``ElevenLabs-Signature`` over the raw body, then ingest the transcript and analysis once."""
    from anyio import to_thread

    from interview_voice_screen import handle_post_call_webhook

    secret = os.environ.get(SECRET_ENV)
    if not secret:
        raise Unauthenticated(f"webhooks are not configured: set {SECRET_ENV}")
    raw = await request.body()
    header = request.headers.get("elevenlabs-signature")

    def ingest() -> dict[str, Any]:
        result: dict[str, Any] = handle_post_call_webhook(engine, raw, header, secret=secret, now=time.time())
        return result

    return await to_thread.run_sync(ingest)
