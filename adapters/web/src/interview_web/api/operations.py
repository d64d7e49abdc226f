"""The seed's operations by name: thin routes onto the engine and the modules' actions.

createSession, endSession, saveTranscript, getSessionSummary and listSessions live in
:mod:`interview_web.api.sessions`; these are the coding and debugging ones.  Code payloads are capped.
None of them sets a score: ``endSession`` has the engine evaluate the session (the spec's
saveCodingEvaluation and saveDebugEvaluation are gone: a candidate-facing "save evaluation" route
invites self-grading; embedding teams use :mod:`interview_web.api.grades`).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from interview_engine import Engine, User
from interview_web.api.acting import candidate_act, candidate_act_async
from interview_web.api.jobs import JOB_RESPONSES, prefers_async
from interview_web.api.mapping import session_out
from interview_web.api.responses import ERRORS
from interview_web.api.schemas import (
    ActionOut,
    CodeBody,
    CreateCodingSession,
    CreateDebugSession,
    FilesBody,
    SaveTranscript,
    SessionOut,
    SubmitFix,
    SubmitSolution,
)
from interview_web.deps import EngineDep, SessionId
from interview_web.kit import AnyRequest, CurrentUser
from interview_web.ratelimit import RateLimiter


def _act(
    engine: Engine,
    user: User,
    session_id: str,
    module: str,
    action: str,
    payload: dict[str, Any],
    limiter: RateLimiter,
) -> ActionOut:
    return candidate_act(engine, limiter, user, session_id, action, payload, module=module)


async def _graded(
    request: AnyRequest,
    engine: Engine,
    user: User,
    session_id: str,
    module: str,
    action: str,
    payload: dict[str, Any],
    limiter: RateLimiter,
) -> ActionOut:
    """A sandbox action: a grading job, awaited, or 202 with the job (workers, ``Prefer: respond-async``)."""
    respond_async = prefers_async(request)
    return await candidate_act_async(
        engine, limiter, user, session_id, action, payload, module=module, respond_async=respond_async
    )


Limiter = NamedDependency[RateLimiter]


class CodingController(Controller):
    path = "/api/coding/sessions"
    tags = ["live coding"]

    @post("/", operation_id="createCodingSession", responses=ERRORS, sync_to_thread=True)
    def create(
        self, request: AnyRequest, engine: EngineDep, user: CurrentUser, data: JSONBody[CreateCodingSession]
    ) -> SessionOut:
        """Start a timed live-coding session on a problem."""
        session = engine.start_session(
            user_id=user.id,
            module="live_coding",
            track=data.track,
            difficulty=data.difficulty,
            options={"problemId": data.problemId},
        )
        return session_out(session)

    @get("/{session_id:str}/prompt", operation_id="fetchCodingPrompt", responses=ERRORS, sync_to_thread=True)
    def prompt(
        self, request: AnyRequest, engine: EngineDep, user: CurrentUser, session_id: SessionId, limiter: Limiter
    ) -> ActionOut:
        """The statement, starter code, sample tests and the time left."""
        return _act(engine, user, session_id, "live_coding", "prompt", {}, limiter)

    @post("/{session_id:str}/run", operation_id="runTests", responses=JOB_RESPONSES)
    async def run(
        self,
        request: AnyRequest,
        engine: EngineDep,
        user: CurrentUser,
        session_id: SessionId,
        data: JSONBody[CodeBody],
        limiter: Limiter,
    ) -> ActionOut:
        """Run the sample tests with full output."""
        payload = {"source": data.source}
        return await _graded(request, engine, user, session_id, "live_coding", "run", payload, limiter)

    @post("/{session_id:str}/submit", operation_id="submitSolution", responses=JOB_RESPONSES)
    async def submit(
        self,
        request: AnyRequest,
        engine: EngineDep,
        user: CurrentUser,
        session_id: SessionId,
        data: JSONBody[SubmitSolution],
        limiter: Limiter,
    ) -> ActionOut:
        """Run the hidden tests: counts and group names only, never their inputs or expected outputs."""
        payload = {"source": data.source, "complexity": data.complexity, "notes": data.notes}
        return await _graded(request, engine, user, session_id, "live_coding", "submit", payload, limiter)


class DebugController(Controller):
    path = "/api/debug/sessions"
    tags = ["debugging"]

    @post("/", operation_id="createDebugSession", responses=ERRORS, sync_to_thread=True)
    def create(
        self, request: AnyRequest, engine: EngineDep, user: CurrentUser, data: JSONBody[CreateDebugSession]
    ) -> SessionOut:
        """Start a debugging session on a bug scenario."""
        session = engine.start_session(
            user_id=user.id,
            module="debugging",
            track=data.track,
            difficulty=data.difficulty,
            options={"scenarioId": data.scenarioId},
        )
        return session_out(session)

    @get("/{session_id:str}/scenario", operation_id="fetchBugScenario", responses=ERRORS, sync_to_thread=True)
    def scenario(
        self, request: AnyRequest, engine: EngineDep, user: CurrentUser, session_id: SessionId, limiter: Limiter
    ) -> ActionOut:
        """The bug report, files, failing output, logs and hints revealed so far."""
        return _act(engine, user, session_id, "debugging", "scenario", {}, limiter)

    @post("/{session_id:str}/run", operation_id="runDebugTests", responses=JOB_RESPONSES)
    async def run(
        self,
        request: AnyRequest,
        engine: EngineDep,
        user: CurrentUser,
        session_id: SessionId,
        data: JSONBody[FilesBody],
        limiter: Limiter,
    ) -> ActionOut:
        """Run the visible tests and your own tests on your working copy."""
        return await _graded(request, engine, user, session_id, "debugging", "run", {"files": data.files}, limiter)

    @post("/{session_id:str}/hint", operation_id="revealHint", responses=ERRORS, sync_to_thread=True)
    def hint(
        self, request: AnyRequest, engine: EngineDep, user: CurrentUser, session_id: SessionId, limiter: Limiter
    ) -> ActionOut:
        """Reveal the next hint (each one lowers the diagnosis score a little)."""
        return _act(engine, user, session_id, "debugging", "hint", {}, limiter)

    @post("/{session_id:str}/fix", operation_id="submitFix", responses=JOB_RESPONSES)
    async def submit(
        self,
        request: AnyRequest,
        engine: EngineDep,
        user: CurrentUser,
        session_id: SessionId,
        data: JSONBody[SubmitFix],
        limiter: Limiter,
    ) -> ActionOut:
        """Submit the diagnosis, the patch and a regression test."""
        payload = {"files": data.files, "diagnosis": data.diagnosis, "location": data.location}
        return await _graded(request, engine, user, session_id, "debugging", "submit", payload, limiter)


class TranscriptController(Controller):
    path = "/api/sessions"
    tags = ["sessions"]

    @post("/{session_id:str}/transcript", operation_id="saveTranscript", responses=ERRORS, sync_to_thread=True)
    def save(
        self,
        request: AnyRequest,
        engine: EngineDep,
        user: CurrentUser,
        session_id: SessionId,
        limiter: Limiter,
        data: JSONBody[SaveTranscript],
    ) -> ActionOut:
        """Add transcript segments sent by a client; replays never duplicate a segment."""
        segments = [{"speaker": s.speaker, "text": s.text, "timeS": s.timeS} for s in data.segments]
        return _act(engine, user, session_id, "voice_screen", "transcript", {"segments": segments}, limiter)
