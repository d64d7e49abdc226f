"""How a candidate has done on each item of a module: what the pickers mark as solved or attempted.

A module says which of its evaluation results mean the item was solved with an optional
``solved_results`` attribute (live coding: ``("solved",)``; debugging: ``("fixed",)``).  A module
without one has attempted items only, never solved ones.
"""

from __future__ import annotations

from collections.abc import Iterable

from attrs import evolve, frozen

from interview_engine.domain import HistoryRow
from interview_engine.module import InterviewModule

__all__ = ["ItemProgress", "item_progress"]


@frozen
class ItemProgress:
    """One item's record for one candidate.

    Attributes:
        attempts: sessions started on the item (active ones included).
        best: the best weighted score of its evaluated sessions, or None when none was evaluated.
        solved: some evaluated session's result is one of the module's ``solved_results``.
        result: the module's word for the best session's result ("partial", "unsolved"...).
    """

    item_id: str
    attempts: int = 0
    best: float | None = None
    solved: bool = False
    result: str | None = None

    @property
    def status(self) -> str:
        """``solved`` or ``attempted``: the word a picker shows."""
        return "solved" if self.solved else "attempted"


def item_progress(rows: Iterable[HistoryRow], module: InterviewModule) -> dict[str, ItemProgress]:
    """Per item id of ``module``, from the candidate's history rows (any order)."""
    solved_results = frozenset(getattr(module, "solved_results", ()))
    found: dict[str, ItemProgress] = {}
    for row in rows:
        if row.module != module.name or not row.item_id:
            continue
        item = found.get(row.item_id) or ItemProgress(item_id=row.item_id)
        item = evolve(item, attempts=item.attempts + 1, solved=item.solved or row.result in solved_results)
        if row.weighted_average is not None and (item.best is None or row.weighted_average > item.best):
            item = evolve(item, best=row.weighted_average, result=row.result)
        found[row.item_id] = item
    return found
