"""Rendering pages with what every page needs: the candidate and the session's CSRF token."""

from __future__ import annotations

from typing import Any

from litestar.response import Template

from interview_engine import User
from interview_web.identity import AnyRequest
from interview_web.security import csrf_token


def page(request: AnyRequest, template: str, *, user: User | None, status_code: int = 200, **context: Any) -> Template:
    session = request.scope.get("session")
    if not isinstance(session, dict):
        session = {}
        request.scope["session"] = session
    token = csrf_token(session)
    request.set_session(session)  # anonymous visitors too: their sign-in form carries the token
    return Template(template_name=template, context={"user": user, "csrf": token, **context}, status_code=status_code)
