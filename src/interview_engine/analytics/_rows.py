"""Stored history rows (:meth:`Store.history_rows`, one query) as analytics' entries and outcomes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from interview_engine.analytics.history import HistoryEntry, Outcome

if TYPE_CHECKING:  # annotations only: analytics must not import storage (SQLAlchemy) on its own
    from interview_engine.storage import Store

__all__ = ["history_rows"]


def history_rows(
    store: Store, user_id: str, titles: Mapping[str, str]
) -> tuple[list[HistoryEntry], dict[str, Outcome]]:
    """The sessions of ``user_id``, newest first, and the outcomes of the evaluated ones."""
    entries: list[HistoryEntry] = []
    outcomes: dict[str, Outcome] = {}
    for row in store.history_rows(user_id):
        entries.append(
            HistoryEntry(
                session_id=row.session_id,
                date=row.created_at,
                scored_at=row.ended_at or row.created_at,
                module=row.module,
                module_title=titles.get(row.module, row.module),
                track=row.track,
                difficulty=row.difficulty,
                status=row.status,
                kb_version=row.kb_version,
                item_id=row.item_id,
                duration_s=(row.ended_at - row.started_at).total_seconds() if row.started_at and row.ended_at else None,
                weighted_score=row.weighted_average,
                decision=row.decision,
                result=row.result,
            )
        )
        if row.decision is not None and row.weighted_average is not None:
            outcomes[row.session_id] = Outcome(
                session_id=row.session_id,
                weighted_average=float(row.weighted_average),
                decision=row.decision,
                result=row.result,
                topics=row.topics,
                metrics=row.metrics,
            )
    return entries, outcomes
