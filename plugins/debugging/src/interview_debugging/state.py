"""A debugging session's state, read from and written to ``Session.state`` through the engine's converter.

The counters the evaluation reads live in the module's own record (:mod:`interview_debugging.records`);
the state holds the scenario, the hints revealed, the probes' seed and the bug as the candidate first saw
it (failing output and logs)::

    state = DebugState.of(session)
    session = evolve(session, state=state.with_hint().dump())

Sessions stored before the probes had a seed of their own read with ``probeSeed`` unset: the seed is then
derived from the session and the scenario (:meth:`DebugState.seed`), as it always was.
"""

from __future__ import annotations

from typing import Any

from attrs import evolve, frozen

from interview_debugging.probes import session_seed
from interview_engine.domain import Session
from interview_engine.state import dump_state, load_state

__all__ = ["DebugState"]


@frozen
class DebugState:
    """What a debugging session remembers between two actions (the stored keys' own names)."""

    scenarioId: str
    hintsRevealed: int = 0
    probeSeed: int | None = None
    failingOutput: str = ""
    """The visible tests' report on the original bug."""
    logs: str = ""
    """The program's log on the original bug."""

    @classmethod
    def of(cls, session: Session) -> DebugState:
        """The session's state; one stored before a key existed reads with its default (the session's item)."""
        return load_state(cls, session.state, scenarioId=session.item_id)

    def seed(self, session_id: str) -> int:
        """The random probes' seed: the stored one, else the session's own."""
        return self.probeSeed if self.probeSeed is not None else session_seed(session_id, self.scenarioId)

    def with_hint(self) -> DebugState:
        return evolve(self, hintsRevealed=self.hintsRevealed + 1)

    def dump(self) -> dict[str, Any]:
        return dump_state(self, omit_empty=("probeSeed",))
