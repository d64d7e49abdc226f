"""The one way a candidate's request reaches an action, whichever route it came through.

The action's declaration decides: who may call it (service-only actions have no candidate door), whether
it is rate-limited (sandbox actions are), and the engine checks its payload caps.  The generic route
and the seed's typed routes therefore apply the same limits to the same action.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import anyio.to_thread

from interview_engine import Caller, Engine, InvalidInput, NotFound, User
from interview_engine.actions import validate_payload
from interview_web.api.jobs import act_or_enqueue
from interview_web.api.schemas import ActionOut
from interview_web.pool import SandboxPool
from interview_web.ratelimit import RateLimiter

__all__ = ["candidate_act", "run_action"]

T = TypeVar("T")


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
    """Carry out ``action`` for ``user`` on their session (of ``module``, when the route is a module's).

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
    return act_or_enqueue(engine, user, session_id, action, payload)  # type: ignore[return-value]


async def run_action(engine: Engine, pool: SandboxPool, action: str, carry_out: Callable[[], T]) -> T:
    """Run a code-running action on the sandbox pool, any other on the page threads."""
    if engine.runs_code(action):
        return await pool.run(carry_out)
    return await anyio.to_thread.run_sync(carry_out)
