"""The one way a candidate's request reaches an action, whichever route it came through.

The action's declaration decides: who may call it (service-only actions have no candidate door), whether
it is rate-limited (sandbox actions are), and the engine checks its payload caps.  The generic route
and the seed's typed routes therefore apply the same limits to the same action.

A sandbox action is a grading job: :func:`run_action` queues it and, when this process grades for itself,
waits for it without holding a thread (the engine's sandbox pool is the only bound on runs).
"""

from __future__ import annotations

from typing import Any, cast

from anyio import to_thread

from interview_engine import Caller, Engine, InvalidInput, NotFound, User
from interview_engine.actions import validate_payload
from interview_engine.jobs import GradingJob
from interview_web.api.jobs import act_or_enqueue, job_ended, prefers_async, queued_answer
from interview_web.api.mapping import session_out
from interview_web.api.schemas import ActionOut
from interview_web.kit import AnyRequest
from interview_web.ratelimit import RateLimiter

__all__ = ["candidate_act", "run_action"]


def _admit(
    engine: Engine,
    limiter: RateLimiter,
    user: User,
    session_id: str,
    action: str,
    payload: dict[str, Any],
    module: str | None,
) -> str:
    """Check that the candidate may carry out ``action`` with ``payload``; the session's module.

    A module's own route knows the declaration before the session is read, so a payload over its caps is
    refused first (the same 400 the generic route gives once it has read the session).
    """
    # Every action declared Cost.SANDBOX (here or by another module under the same name) is counted,
    # before anything else is checked: probing a code-running action costs the same as running it.
    counted = False
    if module is not None:
        declared = engine.action(module, action)
        if engine.runs_code(action):
            limiter.hit(user.id)
            counted = True
        validate_payload(declared, payload)
    session = engine.get_session(session_id, user_id=user.id)
    if module is not None and session.module != module:
        raise InvalidInput(f"session {session_id} is not a {module} session", field="session_id")
    if engine.runs_code(action) and not counted:
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
    _admit(engine, limiter, user, session_id, action, payload, module)
    return act_or_enqueue(engine, user, session_id, action, payload)  # type: ignore[return-value]


async def run_action(
    request: AnyRequest,
    engine: Engine,
    limiter: RateLimiter,
    user: User,
    session_id: str,
    action: str,
    payload: dict[str, Any],
    *,
    module: str | None = None,
) -> ActionOut:
    """:func:`candidate_act` for a route of the event loop.

    An action that runs no code runs on a page thread.  One that does is a grading job, queued on a page
    thread and then awaited here, so a waiting run holds no thread.  It answers 202 with the job at once
    when workers grade it, or when the client asked to follow the job itself (``Prefer: respond-async``,
    RFC 7240, which the pages send to show the queue position and each step as they happen).
    Annotated as the action's answer for the routes' OpenAPI; the 202 is declared by ``JOB_RESPONSES``.
    """
    if not engine.runs_code(action):
        return await to_thread.run_sync(
            lambda: candidate_act(engine, limiter, user, session_id, action, payload, module=module)
        )

    def start() -> ActionOut | GradingJob:
        owner = _admit(engine, limiter, user, session_id, action, payload, module)
        if engine.grading.is_job(owner, action):
            return engine.grading.enqueue(session_id, action, payload, user_id=user.id)
        result = engine.act(session_id, action, payload, user_id=user.id)
        return ActionOut(session=session_out(result.session), data=result.data)

    started = await to_thread.run_sync(start)
    if not isinstance(started, GradingJob):
        return started
    if prefers_async(request) or engine.grading.mode == "queue":
        accepted = await to_thread.run_sync(queued_answer, engine, started)
        return cast(ActionOut, accepted)  # a 202 Response, declared by JOB_RESPONSES
    final = await job_ended(engine, started.id)

    def answer() -> ActionOut:
        result = engine.grading.outcome(final)
        return ActionOut(session=session_out(result.session), data=result.data)

    return await to_thread.run_sync(answer)
