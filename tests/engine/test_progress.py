"""What a picker marks: per item, attempts, the best score and whether any session solved it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from interview_engine import HistoryRow, utcnow
from interview_engine.progress import item_progress

CODING = SimpleNamespace(name="live_coding", solved_results=("solved",))
NO_SOLVED_WORD = SimpleNamespace(name="flashcards")

rows = st.lists(
    st.builds(
        lambda i, module, item, score, result: HistoryRow(
            session_id=str(i),
            module=module,
            track="backend",
            difficulty="mid",
            status="evaluated" if score is not None else "active",
            kb_version="1",
            item_id=item,
            created_at=utcnow(),
            started_at=None,
            ended_at=None,
            weighted_average=score,
            result=result if score is not None else None,
        ),
        st.integers(),
        st.sampled_from(["live_coding", "debugging"]),
        st.sampled_from(["a", "b", "c", None]),
        st.none() | st.floats(0, 5, allow_nan=False),
        st.sampled_from(["solved", "partial", "unsolved", "fixed"]),
    ),
    max_size=30,
)


@given(rows)
def test_progress_counts_every_session_of_the_module_and_keeps_the_best(found: list[HistoryRow]) -> None:
    progress = item_progress(found, CODING)  # type: ignore[arg-type]
    mine = [r for r in found if r.module == "live_coding" and r.item_id]
    assert set(progress) == {r.item_id for r in mine}
    for item_id, item in progress.items():
        rows_of: list[Any] = [r for r in mine if r.item_id == item_id]
        assert item.attempts == len(rows_of)
        assert item.solved == any(r.result == "solved" for r in rows_of)
        assert item.status == ("solved" if item.solved else "attempted")
        scores = [r.weighted_average for r in rows_of if r.weighted_average is not None]
        assert item.best == (max(scores) if scores else None)
        if scores:
            assert item.result in {r.result for r in rows_of if r.weighted_average == item.best}


@given(rows)
def test_a_module_without_solved_results_marks_items_attempted_only(found: list[HistoryRow]) -> None:
    flashcards = [evolve(r, module="flashcards") for r in found]
    progress = item_progress(flashcards, NO_SOLVED_WORD)  # type: ignore[arg-type]
    assert {i for i, p in progress.items() if p.attempts} == {r.item_id for r in found if r.item_id}
    assert not any(p.solved for p in progress.values())
