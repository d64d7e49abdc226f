"""The session cookie.  Who is asking is the web kit's ``user``/``viewer`` dependency (:mod:`interview_web.kit`)."""

from __future__ import annotations

import os

from litestar.middleware.session.client_side import CookieBackendConfig

from interview_web.kit import CSRF_FIELD, SESSION_USER_KEY, TRUSTED_HEADER_ENV, AnyRequest
from interview_web.security import secret_key


def session_config() -> CookieBackendConfig:
    """An encrypted session cookie: HttpOnly, SameSite=Lax, and Secure when the app is served over HTTPS.

    Set ``INTERVIEW_PUBLIC_URL=https://...`` (or ``INTERVIEW_SECURE_COOKIES=1``) in production; a laptop
    serving http://127.0.0.1 keeps the cookie usable over plain HTTP.
    """
    public_url = os.environ.get("INTERVIEW_PUBLIC_URL", "")
    secure = public_url.startswith("https://") or os.environ.get("INTERVIEW_SECURE_COOKIES") == "1"
    return CookieBackendConfig(
        secret=secret_key(),
        key="interview_session",
        httponly=True,
        samesite="lax",
        secure=secure,
        max_age=14 * 24 * 3600,
        exclude=["/static", "/health"],
    )


__all__ = ["CSRF_FIELD", "SESSION_USER_KEY", "TRUSTED_HEADER_ENV", "AnyRequest", "session_config"]
