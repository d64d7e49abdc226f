"""A live-coding session's state, read from and written to ``Session.state`` through the engine's converter.

The timer and the counters of runs live in the module's own record (:mod:`interview_live_coding.records`);
the state holds what the session is about and how many times the candidate submitted::

    state = CodingState.of(session)
    session = evolve(session, state=state.submitted().dump())
"""

from __future__ import annotations

from typing import Any

from attrs import evolve, frozen

from interview_engine.domain import Session
from interview_engine.state import dump_state, load_state

__all__ = ["CodingState"]


@frozen
class CodingState:
    """What a live-coding session remembers between two actions (the stored keys' own names)."""

    problemId: str
    submissions: int = 0
    """Every submit counts, a not-graded one too (the last one is graded when the session ends)."""

    @classmethod
    def of(cls, session: Session) -> CodingState:
        """The session's state; one stored before a key existed reads with its default (the session's item)."""
        return load_state(cls, session.state, problemId=session.item_id)

    def submitted(self) -> CodingState:
        return evolve(self, submissions=self.submissions + 1)

    def dump(self) -> dict[str, Any]:
        return dump_state(self)
