"""Sessions of any module: create, act, end (which evaluates), summarise, list, delete.

No route here sets a score: the engine evaluates a session from what ran and what was said when it
ends.  Embedding teams post their own grades through :mod:`interview_web.api.grades`.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter

from interview_web.api.acting import run_action
from interview_web.api.jobs import JOB_RESPONSES
from interview_web.api.mapping import session_out, summary_out
from interview_web.api.responses import ERRORS
from interview_web.api.schemas import (
    ActionOut,
    ActionRequest,
    CreateSession,
    MeOut,
    SessionOut,
    SummaryOut,
)
from interview_web.deps import EngineDep, PathName, SessionId
from interview_web.kit import AnyRequest, CurrentUser
from interview_web.ratelimit import RateLimiter
from interview_web.security import csrf_token


class SessionController(Controller):
    path = "/api/sessions"
    tags = ["sessions"]

    @post("/", operation_id="createSession", responses=ERRORS, sync_to_thread=True)
    def create_session(
        self, request: AnyRequest, engine: EngineDep, user: CurrentUser, data: JSONBody[CreateSession]
    ) -> SessionOut:
        """Create a session of a module and start it; without ``module``, of the installation's default module
        (``INTERVIEW_DEFAULT_MODULE``, else the one a plugin's ``default_module`` hook names)."""
        session = engine.start_session(
            user_id=user.id,
            module=data.module or engine.default_module(),
            track=data.track,
            difficulty=data.difficulty,
            options=data.options,
        )
        return session_out(session)

    @get("/", operation_id="listSessions", responses=ERRORS, sync_to_thread=True)
    def list_sessions(
        self,
        request: AnyRequest,
        engine: EngineDep,
        user: CurrentUser,
        limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 100,
    ) -> list[SessionOut]:
        """Your sessions, newest first."""
        return [session_out(s) for s in engine.list_sessions(user_id=user.id, limit=limit)]

    @get("/{session_id:str}", operation_id="getSessionSummary", responses=ERRORS, sync_to_thread=True)
    def get_summary(
        self, request: AnyRequest, engine: EngineDep, user: CurrentUser, session_id: SessionId
    ) -> SummaryOut:
        """A session with its evaluation and the module's own view of it."""
        return summary_out(engine.summary(session_id, user_id=user.id))

    @post("/{session_id:str}/actions/{action:str}", operation_id="actOnSession", responses=JOB_RESPONSES)
    async def act(
        self,
        request: AnyRequest,
        engine: EngineDep,
        user: CurrentUser,
        session_id: SessionId,
        action: PathName,
        data: JSONBody[ActionRequest],
        limiter: NamedDependency[RateLimiter],
    ) -> ActionOut:
        """Carry out one of the module's actions (answer, hint, run, submit, ...), as its declaration says.

        Actions declared to run code are grading jobs on the sandbox pool (awaited holding no thread, or
        202 with the job), the others run on the page threads.
        """
        return await run_action(request, engine, limiter, user, session_id, action, data.payload)

    @post("/{session_id:str}/end", operation_id="endSession", responses=ERRORS, sync_to_thread=True)
    def end(self, request: AnyRequest, engine: EngineDep, user: CurrentUser, session_id: SessionId) -> SummaryOut:
        """End the session, evaluate it, and return its summary."""
        engine.end_session(session_id, user_id=user.id)
        return summary_out(engine.summary(session_id, user_id=user.id))

    @delete("/{session_id:str}", operation_id="deleteSession", responses=ERRORS, sync_to_thread=True)
    def delete_session(self, request: AnyRequest, engine: EngineDep, user: CurrentUser, session_id: SessionId) -> None:
        """Delete the session and everything stored with it."""
        engine.delete_session(session_id, user_id=user.id)


class MeController(Controller):
    path = "/api/me"
    tags = ["account"]

    @get("/", operation_id="getMe", responses=ERRORS, sync_to_thread=True)
    def me(self, request: AnyRequest, engine: EngineDep, user: CurrentUser) -> MeOut:
        """Who is signed in, and the CSRF token scripts send in ``X-CSRF-Token``."""
        found = request.scope.get("session")
        token = csrf_token(found) if isinstance(found, dict) else ""
        return MeOut(id=user.id, email=user.email, displayName=user.display_name, csrfToken=token)
