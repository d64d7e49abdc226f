"""Who is asking: a signed-in candidate (session cookie) or a trusted proxy's identity header."""

from __future__ import annotations

import os
from typing import Any

from litestar import Request
from litestar.middleware.session.client_side import CookieBackendConfig

from interview_engine import Engine, Unauthenticated, User
from interview_web.security import CSRF_FIELD, CSRF_HEADER, UNSAFE_METHODS, check_csrf, secret_key

AnyRequest = Request[Any, Any, Any]

TRUSTED_HEADER_ENV = "INTERVIEW_TRUSTED_USER_HEADER"
SESSION_USER_KEY = "uid"


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


def trusted_user(request: AnyRequest, engine: Engine) -> User | None:
    header = os.environ.get(TRUSTED_HEADER_ENV)
    if not header:
        return None
    email = request.headers.get(header)
    return engine.store.ensure_user(email) if email else None


def current_user(request: AnyRequest, engine: Engine, *, form_token: str | None = None) -> User:
    """The candidate behind the request; :class:`Unauthenticated` when nobody is signed in.

    Unsafe requests authenticated by the session cookie must carry the session's CSRF token: in the
    ``X-CSRF-Token`` header (scripts) or, for HTML forms, as ``form_token`` from the ``_csrf`` field.
    """
    proxied = trusted_user(request, engine)
    if proxied is not None:
        return proxied
    found = request.scope.get("session")
    session: dict[str, Any] = found if isinstance(found, dict) else {}
    user_id = session.get(SESSION_USER_KEY)
    if not user_id:
        raise Unauthenticated("sign in first")
    if request.method in UNSAFE_METHODS:
        check_csrf(session, form_token or request.headers.get(CSRF_HEADER))
    try:
        return engine.store.get_user(user_id)
    except Exception as exc:  # the account was deleted while the cookie lived
        request.clear_session()
        raise Unauthenticated("sign in again") from exc


def optional_user(request: AnyRequest, engine: Engine) -> User | None:
    try:
        return current_user(request, engine)
    except Unauthenticated:
        return None


__all__ = ["CSRF_FIELD", "AnyRequest", "current_user", "optional_user", "session_config", "trusted_user"]
