"""Grading integrity (issue 12): each gaming attempt as a test, with the real sandbox where it matters.

Every test here failed on the main branch before the fix: the claim set the complexity credit, two
finished sizes read as O(1), special-casing large inputs read as O(1), a sandbox fault was scored
as the candidate's, and random cases moved the decision between sessions.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pytest

from interview_engine import Engine
from interview_engine.domain import Session, SessionStatus
from interview_engine.errors import NotGraded
from interview_engine.growth import report
from interview_engine.module import ModuleContext
from interview_engine.runner import CallCase, CaseOutcome, CaseStatus, GrowthPoint
from interview_live_coding.plugin import module

WINDOWS = "backend-maintenance-windows"  # expected O(n log n)

#: Correct, and quadratic: every window is compared with every merged one.
QUADRATIC = """
def merge_windows(windows):
    items = sorted(w for w in windows if w[0] != w[1])
    merged = []
    for start, end in items:
        for window in merged:
            if start <= window[1] and end >= window[0]:
                window[0] = min(window[0], start)
                window[1] = max(window[1], end)
                break
        else:
            merged.append([start, end])
    return merged
"""

#: Right on small inputs, and "instant" on large ones (the growth sizes).
SPECIAL_CASES_LARGE = """
def merge_windows(windows):
    if len(windows) > 400:
        return []
    merged = []
    for start, end in sorted(windows):
        if start == end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged
"""

#: Looks for the measurement in its caller's frame (and in __main__) and returns at once.
DETECTS_GROWTH = """
import sys


def merge_windows(windows):
    frame = sys._getframe(1)
    orders = frame.f_locals.get("orders") or getattr(sys.modules["__main__"], "_orders", {}) or {}
    if frame.f_locals.get("mode") == "growth" or orders.get("mode") == "growth":
        return None
""" + QUADRATIC.split("def merge_windows(windows):\n", 1)[1]


def _submit(engine: Engine, start: Callable[..., Session], source: str, claim: str = "") -> dict[str, Any]:
    session = start(WINDOWS, engine)
    return engine.act(session.id, "submit", {"source": source, "complexity": claim}).data


def _evidence(data: Mapping[str, Any], dimension: str) -> list[str]:
    return [e["text"] for e in data["evaluation"]["evidence"] if e["dimension"] == dimension]


def test_a_quadratic_solution_claiming_n_log_n_is_scored_on_what_was_measured(
    sqlite_engine: Engine, start: Callable[..., Session]
) -> None:
    honest = _submit(sqlite_engine, start, QUADRATIC, "O(n^2)")
    claiming = _submit(sqlite_engine, start, QUADRATIC, "O(n log n)")
    assert claiming["evaluation"]["scores"]["complexity"] == honest["evaluation"]["scores"]["complexity"]
    assert claiming["evaluation"]["scores"]["complexity"] <= 3.0  # was 4.5 with the claim's +1.5
    measured = _evidence(claiming, "complexity")
    assert any(text.startswith("measured O(n^2)") and "worse than expected" in text for text in measured), measured
    assert claiming["evaluation"]["metrics"]["claimHonesty"] < honest["evaluation"]["metrics"]["claimHonesty"] == 5.0
    assert claiming["evaluation"]["metrics"]["complexityMatches"] == 0.0


@pytest.mark.parametrize("source", [SPECIAL_CASES_LARGE, DETECTS_GROWTH], ids=["special-cases-large", "detects"])
def test_growth_cannot_be_faked_by_the_code_under_test(
    sqlite_engine: Engine, start: Callable[..., Session], source: str
) -> None:
    data = _submit(sqlite_engine, start, source, "O(1)")
    measured = " ".join(_evidence(data, "complexity"))
    assert "O(1)" not in measured.split("claim:")[0], measured
    assert data["evaluation"]["scores"]["complexity"] <= 3.0, measured
    if source is SPECIAL_CASES_LARGE:  # the growth inputs are checked like hidden tests
        assert measured.startswith("not measured") and "wrong answer" in measured


def test_two_finished_sizes_are_not_measured_never_o1() -> None:
    two = report([GrowthPoint(100, 10_000_000), GrowthPoint(200, 40_000_000)], ["n=400: fuel_limit"])
    assert two.complexity is None and "not measured" in two.detail and "n=400" in two.detail
    assert report([], []).complexity is None


def test_a_slow_quadratic_that_finishes_two_sizes_says_not_measured_and_scores_no_complexity() -> None:
    from interview_live_coding.evaluation import complexity_verdict

    lc = module()
    problem = lc.pack.problems[WINDOWS]
    growth = {"complexity": None, "points": [{"n": 500, "fuel": 10**9}], "detail": "not measured: only 1 size"}
    score, sentence, matches = complexity_verdict(problem, growth, "O(1)", lc.heuristics)
    assert score == lc.heuristics.complexity.not_measured == 0.0 and not matches
    assert sentence.startswith("not measured") and "O(1)" not in sentence


def test_constant_work_padding_a_quadratic_does_not_read_as_the_expected_class() -> None:
    """A quadratic padded with a constant second of work per call (on inputs the size of the growth
    measurement's).  The points are QUADRATIC's as the sandbox measured them at the problem's sizes
    plus 2.5e9 fuel each; the reference's are an O(n log n) curve.  Before, every point was within a
    few percent of the others: "measured O(1)", and its fuel slope, 0.07 against the reference's
    1.01, passed the slope rule too: complexity 5.0.  Now the rise above the least point is what
    is classified (slope 2.24)."""
    from interview_live_coding.evaluation import complexity_verdict

    lc = module()
    problem = lc.pack.problems[WINDOWS]
    quadratic = {500: 20_499_364, 1000: 74_060_600, 2000: 274_072_391}
    points = [GrowthPoint(n, fuel + 2_500_000_000) for n, fuel in quadratic.items()]
    measured = report(points, ["n=4000: time limit"])
    assert measured.complexity == "O(n^2)", measured.detail
    reference = [{"n": n, "fuel": 40_000 * n + 300 * n * int(math.log2(n))} for n in quadratic]
    growth = {
        "complexity": measured.complexity,
        "points": [{"n": p.n, "fuel": p.fuel} for p in points],
        "reference": reference,
    }
    score, sentence, matches = complexity_verdict(problem, growth, "O(n log n)", lc.heuristics)
    assert not matches and score <= 3.0, sentence
    assert "measured O(n^2)" in sentence


# -- infrastructure faults --------------------------------------------------------------------


class FailingRunner:
    """Delegates to a real runner, but every case of ``call_cases`` can be made a sandbox fault."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.failing = True

    def call_cases(self, source: str, entry: str, cases: Sequence[CallCase], **kw: Any) -> list[CaseOutcome]:
        if self.failing:
            return [CaseOutcome(c.name, CaseStatus.SANDBOX_ERROR, error="wasmtime crashed") for c in cases]
        return list(self.inner.call_cases(source, entry, cases, **kw))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_a_sandbox_fault_is_never_scored_and_the_submit_can_be_retried(
    sqlite_engine: Engine, start: Callable[..., Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    lc = module()
    problem = lc.pack.problems[WINDOWS]
    failing = FailingRunner(sqlite_engine.context.runner())
    monkeypatch.setattr(ModuleContext, "runner", lambda self: failing)
    session = start(WINDOWS)
    data = sqlite_engine.act(session.id, "submit", {"source": problem.reference}).data
    assert data == {
        "graded": False,
        "message": "not graded: the sandbox failed, try again",
        "retryable": True,
        "late": False,
    }
    assert sqlite_engine.store.get_evaluation(session.id) is None
    assert sqlite_engine.get_session(session.id).status is SessionStatus.ACTIVE
    # Ending while the sandbox still fails: a clear, retryable error, and still no evaluation.
    with pytest.raises(NotGraded, match="sandbox failed"):
        sqlite_engine.end_session(session.id)
    assert sqlite_engine.store.get_evaluation(session.id) is None
    # The sandbox is back: ending again grades the kept submission (the reference: solved).
    failing.failing = False
    sqlite_engine.end_session(session.id)
    evaluation = sqlite_engine.store.get_evaluation(session.id)
    assert evaluation is not None and evaluation.result == "solved", evaluation
    assert sqlite_engine.get_session(session.id).status is SessionStatus.EVALUATED


def test_a_retried_submit_after_a_fault_is_graded_normally(
    sqlite_engine: Engine, start: Callable[..., Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    problem = module().pack.problems[WINDOWS]
    failing = FailingRunner(sqlite_engine.context.runner())
    monkeypatch.setattr(ModuleContext, "runner", lambda self: failing)
    session = start(WINDOWS)
    assert sqlite_engine.act(session.id, "submit", {"source": problem.reference}).data["graded"] is False
    failing.failing = False
    again = sqlite_engine.act(session.id, "submit", {"source": problem.reference}).data
    assert again["graded"] is True and again["correctness"] == 1.0


# -- verdicts, first failing case, assessment mode --------------------------------------------

VERDICT_KINDS = """
def merge_windows(windows):
    if not windows:
        raise KeyError("empty")
    if len(windows) == 1:
        while True:
            pass
    if len(windows) == 3 and windows[0] == [3, 9]:
        return [[0, 0]] * 3
    merged = []
    for start, end in sorted(windows):
        if start == end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged
"""


def _group(data: Mapping[str, Any], name: str) -> dict[str, Any]:
    return next(g for g in data["groups"] if g["group"] == name)


def test_each_case_has_a_verdict_and_practice_shows_the_first_failing_case(
    sqlite_engine: Engine, start: Callable[..., Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INTERVIEW_ASSESSMENT_MODE", raising=False)
    edge = _group(_submit(sqlite_engine, start, VERDICT_KINDS), "edge")
    assert edge["verdicts"] == {"runtime_error": 1, "passed": 3, "wrong_answer": 1, "time_limit": 1}, edge
    shown = edge["firstFailure"]
    assert shown["verdict"] == "runtime_error" and shown["errorType"] == "KeyError"
    assert shown["input"] == "[[]]" and shown["expected"] == "[]" and shown["got"] is None


def test_assessment_mode_hides_hidden_cases(
    sqlite_engine: Engine, start: Callable[..., Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INTERVIEW_ASSESSMENT_MODE", "1")
    data = _submit(sqlite_engine, start, VERDICT_KINDS)
    assert all("firstFailure" not in g for g in data["groups"])
    assert _group(data, "edge")["verdicts"]["wrong_answer"] == 1  # verdict counts are still shown


def test_a_linear_solution_failing_scale_by_wrong_answers_is_not_told_to_improve_its_complexity() -> None:
    from interview_live_coding.evaluation import _next_steps
    from interview_live_coding.submission import SubmitSummary

    problem = module().pack.problems[WINDOWS]
    groups = [{"group": "scale", "passed": 0, "failed": 5, "total": 5, "weight": 1.0, "verdicts": {"wrong_answer": 5}}]
    summary = SubmitSummary.load({"groups": groups})
    steps = _next_steps([], summary.groups, summary, problem)
    assert "complexity" not in steps[0] and "wrong answer" in steps[0], steps
