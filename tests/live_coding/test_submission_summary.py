"""A submit's stored summary as a typed class: what is written keeps its keys, older summaries still grade."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from interview_engine import Engine, Submission
from interview_engine.domain import Session
from interview_live_coding.results import FirstFailure, HiddenGroup
from interview_live_coding.submission import SubmitSummary

#: A summary as the first live-coding version stored it: no ``graded``, no verdicts, growth without sizes.
FIRST_SHAPE: dict[str, Any] = {
    "correctness": 0.75,
    "passed": 3,
    "failed": 1,
    "groups": [
        {"group": "basic", "passed": 2, "failed": 0, "total": 2, "weight": 0.5},
        {"group": "edge", "passed": 1, "failed": 1, "total": 2, "weight": 0.5},
    ],
    "growth": {"complexity": "O(n)", "points": [{"n": 10, "fuel": 100}], "confidence": 0.9, "detail": ""},
    "claim": "O(n)",
    "quality": {"findings": [], "metrics": {"lintFindings": 0.0}, "lintAvailable": True, "score": 4.0},
}


def test_a_summary_in_the_first_shape_reads_with_defaults() -> None:
    summary = SubmitSummary.load(FIRST_SHAPE)
    assert summary.graded and summary.correctness == 0.75 and summary.claim == "O(n)"
    assert [(g.group, g.verdicts, g.reportedOnly, g.firstFailure) for g in summary.groups] == [
        ("basic", {}, False, None),
        ("edge", {}, False, None),
    ]
    assert summary.growth is not None and summary.growth.sizes == [] and summary.growth.reference == []


def test_a_session_whose_last_submit_is_in_the_first_shape_is_evaluated(
    sqlite_engine: Engine, start: Callable[..., Session]
) -> None:
    session = start()
    stored = Submission(
        "old-submit",
        session.id,
        "submit",
        {"solution.py": "def run_cache(capacity, operations):\n    return []\n"},
        created_at=session.started_at + timedelta(minutes=5),  # type: ignore[operator]
        claim="O(n)",
        summary=FIRST_SHAPE,
    )
    sqlite_engine.store.add_submission(stored)
    sqlite_engine.end_session(session.id)
    evaluation = sqlite_engine.store.get_evaluation(session.id)
    assert evaluation is not None
    assert evaluation.scores["correctness"] == 3.75 and evaluation.result == "partial"
    said = [e.text for e in evaluation.evidence if e.dimension == "correctness"]
    assert said[0] == "hidden tests passed: 3/4 (basic 2/2, edge 1/2); weighted share 75%"
    view = sqlite_engine.summary(session.id).view
    # The view shows the old groups with this version's defaults (no verdicts recorded, every group scored).
    assert view["tests"]["groups"] == [{**g, "verdicts": {}, "reportedOnly": False} for g in FIRST_SHAPE["groups"]]
    assert view["graded"] is True and view["complexity"]["measured"] == "O(n)"


def test_a_not_graded_submit_stores_only_its_message() -> None:
    assert SubmitSummary.not_graded("not graded: try again") == {"graded": False, "notGraded": "not graded: try again"}
    assert not SubmitSummary.load(SubmitSummary.not_graded("later")).graded


failures = st.builds(
    FirstFailure,
    case=st.text(max_size=5),
    verdict=st.sampled_from(["wrong_answer", "runtime_error"]),
    input=st.text(max_size=5),
    expected=st.text(max_size=5),
    got=st.none() | st.text(max_size=5),
    errorType=st.none() | st.text(max_size=5),
    error=st.none() | st.text(max_size=5),
)
groups = st.builds(
    HiddenGroup,
    group=st.text(max_size=5),
    passed=st.integers(0, 9),
    failed=st.integers(0, 9),
    total=st.integers(0, 9),
    weight=st.floats(0, 1),
    verdicts=st.dictionaries(st.sampled_from(["passed", "wrong_answer"]), st.integers(0, 9)),
    reportedOnly=st.booleans(),
    firstFailure=st.none() | failures,
)


@given(st.lists(groups, max_size=4))
def test_what_is_written_reads_back_and_has_optional_keys_only_when_set(written: list[HiddenGroup]) -> None:
    stored = SubmitSummary(groups=written).dump()
    assert SubmitSummary.load(stored).groups == written
    for group, row in zip(written, stored["groups"], strict=True):
        assert ("firstFailure" in row) is (group.firstFailure is not None)
        if group.firstFailure is not None:
            assert ("errorType" in row["firstFailure"]) is (group.firstFailure.errorType is not None)
    assert "notGraded" not in stored
