"""Who is asking: the candidate behind a request."""

from __future__ import annotations

import os
from typing import Any

from litestar import Request

from interview_engine import User
from interview_engine.commands import DEFAULT_USER
from interview_web.deps import EngineDep

AnyRequest = Request[Any, Any, Any]

TRUSTED_HEADER_ENV = "INTERVIEW_TRUSTED_USER_HEADER"


def current_user(request: AnyRequest, engine: EngineDep) -> User:
    """The trusted proxy's identity header when configured, else the local candidate."""
    header = os.environ.get(TRUSTED_HEADER_ENV)
    if header:
        email = request.headers.get(header)
        if email:
            return engine.store.ensure_user(email)
    return engine.store.ensure_user(os.environ.get("INTERVIEW_USER") or DEFAULT_USER)
