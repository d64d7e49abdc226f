"""The phone screen's own web route: ``POST /webhooks/elevenlabs``, mounted through ``web_routes(engine)``.

Litestar is imported here, when the web app is built, never by the engine or the CLI.

The route has its own body limit: a post-call transcription (transcript and analysis of a
30-minute call) is a few hundred kB, far above the app-wide limit for forms and JSON, and audio
webhooks are switched off in the agent's settings (``send_audio`` false) — but one that is still
switched on in the dashboard carries the whole call as base64 audio, so the route accepts up to
``MAX_WEBHOOK_BYTES``, verifies it and acknowledges it with 200 without storing the audio.
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Any

from interview_engine.errors import Unauthenticated

if TYPE_CHECKING:
    from interview_engine import Engine

__all__ = ["MAX_WEBHOOK_BYTES", "SECRET_ENV", "webhook_routes"]

SECRET_ENV = "ELEVENLABS_WEBHOOK_SECRET"  # noqa: S105 - the variable's name
# A 30-minute call's audio as base64 MP3 at 128 kbit/s is about 38 MB.
MAX_WEBHOOK_BYTES = 64 * 1024 * 1024


def webhook_routes(engine: Engine) -> list[Any]:
    from anyio import to_thread
    from litestar import Request, post

    from interview_voice_screen.voice.webhook import handle_post_call_webhook

    @post(
        "/webhooks/elevenlabs",
        operation_id="elevenLabsWebhook",
        include_in_schema=False,
        status_code=200,
        request_max_body_size=MAX_WEBHOOK_BYTES,
    )
    async def elevenlabs_webhook(request: Request[Any, Any, Any]) -> dict[str, Any]:
        """Verify ``ElevenLabs-Signature`` over the raw body, then ingest the transcript and analysis once."""
        secret = os.environ.get(SECRET_ENV)
        if not secret:
            raise Unauthenticated(f"webhooks are not configured: set {SECRET_ENV}")
        raw = await request.body()
        header = request.headers.get("elevenlabs-signature")

        def ingest() -> dict[str, Any]:
            result: dict[str, Any] = handle_post_call_webhook(engine, raw, header, secret=secret, now=time.time())
            return result

        return await to_thread.run_sync(ingest)

    return [elevenlabs_webhook]
