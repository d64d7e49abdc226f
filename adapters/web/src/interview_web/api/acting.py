"""The one way a candidate's request reaches an action, whichever route it came through.

The action's declaration decides: who may call it (service-only actions have no candidate door), whether
it is rate-limited (sandbox actions are), and the engine checks its payload caps.  The generic route
and the seed's typed routes therefore apply the same limits to the same action.

A sandbox action is a grading job: :func:`candidate_act_async` queues it and, when this process grades
for itself, waits for it without holding a thread (the engine's sandbox pool is the only bound on runs).
"""

from __future__ import annotations

from typing import Any, cast

from anyio import to_thread

from interview_engine import Caller, Engine, InvalidInput, NotFound, User
from interview_engine.jobs import GradingJob
from interview_web.api.jobs import act_or_enqueue, job_ended, queued_answer
from interview_web.api.mapping import session_out
from interview_web.api.schemas import ActionOut
from interview_web.ratelimit import RateLimiter

__all__ = ["candidate_act", "candidate_act_async"]


def _admit(engine: Engine, limiter: RateLimiter, user: User, session_id: str, action: str, module: str | None) -> str:
    """Check the candidate may call ``action`` on their session; the session's module."""
    session = engine.get_session(session_id, user_id=user.id)
    if module is not None and session.module != module:
        raise InvalidInput(f"session {session_id} is not a {module} session", field="session_id")
    # Every action declared Cost.SANDBOX (here or by another module under the same name) is counted,
    # before anything else is checked: probing a code-running action costs the same as running it.
    if engine.runs_code(action):
        limiter.hit(user.id)
    declared = engine.action(session.module, action)
    if declared.callers is not Caller.CANDIDATE:
        raise NotFound(f"{session.module} has no action {action!r} for candidates", field="action")
    return session.module


def candidate_act(
    engine: Engine,
    limiter: RateLimiter,
    user: User,
    session_id: str,
    action: str,
    payload: dict[str, Any],
    *,
    module: str | None = None,
) -> ActionOut:
    """Carry out ``action`` for ``user`` on their session (of ``module``, when the route is a module's)."""
    _admit(engine, limiter, user, session_id, action, module)
    return act_or_enqueue(engine, user, session_id, action, payload)  # type: ignore[return-value]


async def candidate_act_async(
    engine: Engine,
    limiter: RateLimiter,
    user: User,
    session_id: str,
    action: str,
    payload: dict[str, Any],
    *,
    module: str | None = None,
    respond_async: bool = False,
) -> ActionOut:
    """:func:`candidate_act` for a route of the event loop: a grading job is queued on a page thread, then
    awaited here, so a waiting run holds no thread.  It answers 202 with the job at once when workers grade
    it, or when the client asked to follow the job itself (``respond_async``: ``Prefer: respond-async``,
    RFC 7240, which the pages send to show the queue position and each step as they happen).

    Annotated as the action's answer for the routes' OpenAPI; the 202 is declared by ``JOB_RESPONSES``."""

    def start() -> ActionOut | GradingJob:
        owner = _admit(engine, limiter, user, session_id, action, module)
        if engine.grading.is_job(owner, action):
            return engine.grading.enqueue(session_id, action, payload, user_id=user.id)
        result = engine.act(session_id, action, payload, user_id=user.id)
        return ActionOut(session=session_out(result.session), data=result.data)

    started = await to_thread.run_sync(start)
    if not isinstance(started, GradingJob):
        return started
    if respond_async or engine.grading.mode == "queue":
        accepted = await to_thread.run_sync(queued_answer, engine, started)
        return cast(ActionOut, accepted)  # a 202 Response, declared by JOB_RESPONSES
    final = await job_ended(engine, started.id)

    def answer() -> ActionOut:
        result = engine.grading.outcome(final)
        return ActionOut(session=session_out(result.session), data=result.data)

    return await to_thread.run_sync(answer)
