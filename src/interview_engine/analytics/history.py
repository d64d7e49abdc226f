"""A candidate's sessions with their outcomes: the data every analytics view starts from.

:func:`load_history` reads a user's sessions joined with their evaluations in
one query (only the columns analytics needs), so a page with thousands of
sessions costs one round trip; trends, mastery and the study plan are then
computed from the :class:`History` in memory.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from attrs import field, frozen

from interview_engine._convert import as_tuple
from interview_engine.domain import Evaluation, Session, TopicScore

if TYPE_CHECKING:  # annotations only: analytics must not import storage (SQLAlchemy) on its own
    from interview_engine.storage import Store

__all__ = ["History", "HistoryEntry", "Outcome", "entry_of", "load_history"]


@frozen
class Outcome:
    """What analytics needs of a session's evaluation: the score, the verdict, topic scores and metrics."""

    session_id: str
    weighted_average: float
    decision: str
    result: str | None = None
    topics: tuple[TopicScore, ...] = field(converter=as_tuple, default=())
    metrics: Mapping[str, float] = field(factory=dict)

    @classmethod
    def of(cls, evaluation: Evaluation) -> Outcome:
        return cls(
            session_id=evaluation.session_id,
            weighted_average=evaluation.weighted_average,
            decision=evaluation.decision.value,
            result=evaluation.result,
            topics=evaluation.topics,
            metrics=evaluation.metrics,
        )


@frozen
class HistoryEntry:
    """One row of the history: a session and how it went.

    Attributes:
        date: when the session was created.
        scored_at: when its scores were earned (its end; its creation while it has not ended).
        duration_s: from start to end, ``None`` while it runs.
        weighted_score: the rubric's weighted average 0..5, ``None`` until evaluated.
        decision: ``advance | review | hold``, ``None`` until evaluated.
        result: a module's own verdict where it has one (debugging: ``fixed | partial | unresolved``).
    """

    session_id: str
    date: datetime
    scored_at: datetime
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
    def verdict(self) -> str | None:
        """The module's result when it has one, else the rubric's decision."""
        return self.result or self.decision


def entry_of(session: Session, outcome: Outcome | None = None, title: str | None = None) -> HistoryEntry:
    """The history row of a session (and its outcome, when evaluated)."""
    return HistoryEntry(
        session_id=session.id,
        date=session.created_at,
        scored_at=session.ended_at or session.created_at,
        module=session.module,
        module_title=title or session.module,
        track=session.track.value,
        difficulty=session.difficulty.value,
        status=session.status.value,
        kb_version=session.kb_version,
        item_id=session.item_id,
        duration_s=session.duration_s,
        weighted_score=outcome.weighted_average if outcome else None,
        decision=outcome.decision if outcome else None,
        result=outcome.result if outcome else None,
    )


@frozen
class History:
    """A user's sessions, newest first, with the outcomes of those that were evaluated."""

    user_id: str
    entries: tuple[HistoryEntry, ...] = field(converter=as_tuple, default=())
    outcomes: Mapping[str, Outcome] = field(factory=dict)
    titles: Mapping[str, str] = field(factory=dict)

    def until(self, at: datetime | None) -> History:
        """The history as it stood at ``at`` (sessions scored later are left out)."""
        if at is None:
            return self
        kept = tuple(e for e in self.entries if e.scored_at <= at)
        if len(kept) == len(self.entries):
            return self
        ids = {e.session_id for e in kept}
        outcomes = {key: value for key, value in self.outcomes.items() if key in ids}
        return History(self.user_id, kept, outcomes, self.titles)

    @property
    def latest(self) -> datetime | None:
        """When the newest score was earned: the default reference time of every analysis."""
        return max((e.scored_at for e in self.entries), default=None)

    def evaluated(self) -> list[tuple[HistoryEntry, Outcome]]:
        """Evaluated sessions, oldest first (ties by id, so the order is deterministic)."""
        pairs = [(e, self.outcomes[e.session_id]) for e in self.entries if e.session_id in self.outcomes]
        pairs.sort(key=lambda pair: (pair[0].scored_at, pair[0].session_id))
        return pairs


def load_history(store: Store, user_id: str, *, titles: Mapping[str, str] | None = None) -> History:
    """Every session of ``user_id`` (newest first) with its outcome, in one query.

    Args:
        titles: module name to the title shown for it (modules no longer installed show their name).
    """
    from interview_engine.analytics._rows import history_rows

    names = dict(titles or {})
    entries, outcomes = history_rows(store, user_id, names)
    return History(user_id=user_id, entries=entries, outcomes=outcomes, titles=names)
