"""The web kit: what every handler, ours or a plugin's, needs to serve a candidate.

Routes declare who they serve by parameter name; the app provides both dependencies:

- ``user: CurrentUser``: the signed-in candidate.  Nobody signed in is :class:`~interview_engine.Unauthenticated`
  (the API answers 401, pages redirect to sign-in).  An unsafe request (POST, PUT, PATCH, DELETE) made
  with the session cookie must carry the session's CSRF token, in ``X-CSRF-Token`` (scripts) or in the
  form's ``_csrf`` field (HTML forms), else it is :class:`~interview_engine.Forbidden`.
- ``viewer: Viewer``: the same, or ``None`` for a visitor (no CSRF check: for pages anyone may see).

:func:`page` renders a template with the candidate and the CSRF token every form needs::

    from litestar import get
    from interview_web.kit import AnyRequest, CurrentUser, page

    @get("/flashcards/{session_id:str}", sync_to_thread=True)
    def workspace(request: AnyRequest, user: CurrentUser, session_id: str) -> Template:
        return page(request, "flashcards/workspace.html", user=user, session_id=session_id)

Loading the candidate never signs anyone out by accident: only an account that no longer exists clears
the cookie; a database outage is a :class:`~interview_engine.StorageError` (HTTP 503).
"""

from __future__ import annotations

import os
from typing import Any

from anyio import to_thread
from litestar import Request
from litestar.di import NamedDependency, Provide
from litestar.response import Template

from interview_engine import Engine, ModulePages, NotFound, Unauthenticated, User
from interview_web.module_pages import style_links
from interview_web.security import CSRF_FIELD, CSRF_HEADER, UNSAFE_METHODS, check_csrf, csrf_token

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "DEPENDENCIES",
    "SESSION_ID_KEY",
    "SESSION_USER_KEY",
    "TRUSTED_HEADER_ENV",
    "AnyRequest",
    "CurrentUser",
    "Viewer",
    "csrf_token",
    "page",
    "provide_user",
    "provide_viewer",
]

AnyRequest = Request[Any, Any, Any]
CurrentUser = NamedDependency[User]
"""A handler parameter ``user: CurrentUser``: the signed-in candidate."""
Viewer = NamedDependency[User | None]
"""A handler parameter ``viewer: Viewer``: the signed-in candidate or ``None``."""
EngineParam = NamedDependency[Engine]

TRUSTED_HEADER_ENV = "INTERVIEW_TRUSTED_USER_HEADER"
SESSION_USER_KEY = "uid"
SESSION_ID_KEY = "sid"  # revoked when its owner signs out (storage keeps the revoked ids)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _cookie_session(request: AnyRequest) -> dict[str, Any]:
    found = request.scope.get("session")
    return found if isinstance(found, dict) else {}


async def _form_token(request: AnyRequest) -> str | None:
    """The ``_csrf`` field of an HTML form (Litestar keeps the parsed form for the handler's ``data``)."""
    if not request.headers.get("content-type", "").startswith(FORM_TYPES):
        return None
    value = (await request.form()).get(CSRF_FIELD)
    return value if isinstance(value, str) else None


def _load(engine: Engine, request: AnyRequest, user_id: str, sid: object) -> User:
    if isinstance(sid, str) and engine.store.is_sign_in_revoked(sid):
        request.clear_session()  # a signed-out session, or a copy of its cookie
        raise Unauthenticated("signed out: sign in again")
    try:
        return engine.store.get_user(user_id)
    except NotFound:  # the account was deleted while the cookie lived
        request.clear_session()
        raise Unauthenticated("sign in again") from None


async def _resolve(request: AnyRequest, engine: Engine, *, check: bool) -> User:
    header = os.environ.get(TRUSTED_HEADER_ENV)
    email = request.headers.get(header) if header else None
    if email:  # a trusted sign-in proxy vouches for the user: no cookie, hence no CSRF to check
        found: User = await to_thread.run_sync(engine.store.ensure_user, email)
        return found
    session = _cookie_session(request)
    user_id = session.get(SESSION_USER_KEY)
    if not user_id:
        raise Unauthenticated("sign in first")
    if check and request.method in UNSAFE_METHODS:
        check_csrf(session, request.headers.get(CSRF_HEADER) or await _form_token(request))
    user: User = await to_thread.run_sync(_load, engine, request, str(user_id), session.get(SESSION_ID_KEY))
    return user


async def provide_user(request: AnyRequest, engine: EngineParam) -> User:
    """The ``user`` dependency: the signed-in candidate, CSRF-checked on unsafe requests."""
    return await _resolve(request, engine, check=True)


async def provide_viewer(request: AnyRequest, engine: EngineParam) -> User | None:
    """The ``viewer`` dependency: the signed-in candidate or ``None``; never a CSRF check."""
    try:
        return await _resolve(request, engine, check=False)
    except Unauthenticated:
        return None


DEPENDENCIES = {"user": Provide(provide_user), "viewer": Provide(provide_viewer)}


def page(request: AnyRequest, template: str, *, user: User | None, status_code: int = 200, **context: Any) -> Template:
    """Render ``template`` with ``user`` and the session's CSRF token (``csrf``) besides ``context``.

    A module's page (``pages=`` its :class:`~interview_engine.ModulePages`) links the module's stylesheets
    (``styles``) in the head, after the app's.
    """
    pages = context.get("pages")
    if isinstance(pages, ModulePages):
        context.setdefault("styles", style_links(pages))
    session = request.scope.get("session")
    if not isinstance(session, dict):
        session = {}
        request.scope["session"] = session
    token = csrf_token(session)
    request.set_session(session)  # anonymous visitors too: their sign-in form carries the token
    return Template(template_name=template, context={"user": user, "csrf": token, **context}, status_code=status_code)
