"""Secrets, security headers and CSRF protection."""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path
from typing import Any

import platformdirs
from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

from interview_engine import Forbidden

SECRET_ENV = "INTERVIEW_SECRET_KEY"  # noqa: S105 - the variable's name, not a secret
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "_csrf"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # CodeMirror and Swagger UI inject their styles at run time.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        # The voice interviewer talks to ElevenLabs (websocket or WebRTC) straight from the browser.
        "connect-src 'self' https://api.elevenlabs.io wss://api.elevenlabs.io wss://*.elevenlabs.io "
        "https://*.livekit.cloud wss://*.livekit.cloud",
        "media-src 'self' blob:",
        "worker-src 'self' blob: data:",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)

HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "permissions-policy": "microphone=(self), camera=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
}


def secret_key() -> bytes:
    """``INTERVIEW_SECRET_KEY`` (hex), else a key kept in the user data dir (created once, mode 0600).

    Several web processes behind a load balancer must share ``INTERVIEW_SECRET_KEY``.
    """
    configured = os.environ.get(SECRET_ENV)
    if configured:
        try:
            key = bytes.fromhex(configured)
        except ValueError:
            key = configured.encode()
        if len(key) < 16:
            raise ValueError(f"{SECRET_ENV} must be at least 16 bytes (32 hex characters)")
        return key[:32].ljust(32, b"\0")
    path = Path(platformdirs.user_data_dir("interview-engine")) / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


async def add_security_headers(message: Message, scope: Scope) -> None:
    if message["type"] == "http.response.start":
        headers = MutableScopeHeaders.from_message(message=message)
        for name, value in HEADERS.items():
            if name not in headers:
                headers[name] = value
        if scope.get("scheme") == "https":
            headers["strict-transport-security"] = "max-age=31536000; includeSubDomains"


def csrf_token(session: dict[str, Any]) -> str:
    """The session's CSRF token, created on first use."""
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def check_csrf(session: dict[str, Any], supplied: str | None) -> None:
    expected = session.get("csrf")
    if not isinstance(expected, str) or not supplied or not hmac.compare_digest(expected, supplied):
        raise Forbidden("missing or wrong CSRF token; reload the page and try again", field=CSRF_HEADER)
