"""A candidate's sessions with their outcomes: the data every analytics view starts from.

:func:`load_history` reads a user's sessions in one query and their evaluations
in one batched query; everything else (trends, mastery, the study plan) is
computed from the :class:`History` in memory, so a page with thousands of
sessions costs two round trips.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from attrs import field, frozen

from interview_engine._convert import as_tuple
from interview_engine.domain import Evaluation, Session
from interview_engine.storage import Store

__all__ = ["History", "HistoryEntry", "load_history", "scored_at"]


def scored_at(session: Session) -> datetime:
    """When a session's scores were earned: its end, or its creation when it never ended."""
    return session.ended_at or session.created_at


@frozen
class HistoryEntry:
    """One row of the history: a session and how it went.

    Attributes:
        date: when the session was created.
        duration_s: from start to end, ``None`` while it runs.
        weighted_score: the rubric's weighted average 0..5, ``None`` until evaluated.
        decision: ``advance | review | hold``, ``None`` until evaluated.
        result: a module's own verdict where it has one (debugging: ``fixed | partial | unresolved``).
    """

    session_id: str
    date: datetime
    module: str
    module_title: str
    track: str
    difficulty: str
    status: str
    kb_version: str
    item_id: str | None = None
    duration_s: float | None = None
    weighted_score: float | None = None
    decision: str | None = None
    result: str | None = None

    @property
    def outcome(self) -> str | None:
        """The module's result when it has one, else the rubric's decision."""
        return self.result or self.decision


@frozen
class History:
    """A user's sessions, newest first, with the evaluations of those that were evaluated."""

    user_id: str
    sessions: tuple[Session, ...] = field(converter=as_tuple, default=())
    evaluations: Mapping[str, Evaluation] = field(factory=dict)
    titles: Mapping[str, str] = field(factory=dict)

    def until(self, at: datetime | None) -> History:
        """The history as it stood at ``at`` (sessions scored later are left out)."""
        if at is None:
            return self
        kept = tuple(s for s in self.sessions if scored_at(s) <= at)
        ids = {s.id for s in kept}
        evaluations = {key: value for key, value in self.evaluations.items() if key in ids}
        return History(self.user_id, kept, evaluations, self.titles)

    @property
    def latest(self) -> datetime | None:
        """When the newest score was earned: the default reference time of every analysis."""
        return max((scored_at(s) for s in self.sessions), default=None)

    def evaluated(self) -> list[tuple[Session, Evaluation]]:
        """Evaluated sessions, oldest first (ties by id, so the order is deterministic)."""
        pairs = [(s, self.evaluations[s.id]) for s in self.sessions if s.id in self.evaluations]
        pairs.sort(key=lambda pair: (scored_at(pair[0]), pair[0].id))
        return pairs

    def entries(self) -> list[HistoryEntry]:
        """One :class:`HistoryEntry` per session, newest first."""
        rows = []
        for session in self.sessions:
            evaluation = self.evaluations.get(session.id)
            rows.append(
                HistoryEntry(
                    session_id=session.id,
                    date=session.created_at,
                    module=session.module,
                    module_title=self.titles.get(session.module, session.module),
                    track=session.track.value,
                    difficulty=session.difficulty.value,
                    status=session.status.value,
                    kb_version=session.kb_version,
                    item_id=session.item_id,
                    duration_s=session.duration_s,
                    weighted_score=evaluation.weighted_average if evaluation else None,
                    decision=evaluation.decision.value if evaluation else None,
                    result=evaluation.result if evaluation else None,
                )
            )
        return rows


def load_history(store: Store, user_id: str, *, titles: Mapping[str, str] | None = None) -> History:
    """Every session of ``user_id`` (newest first) with its evaluation: one query each.

    Args:
        titles: module name to the title shown for it (modules no longer installed show their name).
    """
    sessions = store.list_sessions(user_id=user_id)
    evaluations = store.evaluations_for([s.id for s in sessions])
    return History(user_id=user_id, sessions=sessions, evaluations=evaluations, titles=dict(titles or {}))
