"""The scoring rules, as properties (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from interview_engine.runner import COMPLEXITY_CLASSES
from interview_engine.scoring import AnswerScoringRequest
from interview_live_coding.complexity import class_rank, parse_claim
from interview_live_coding.evaluation import claim_honesty, complexity_verdict, time_score, timing
from interview_live_coding.grading import HiddenResult, correctness
from interview_live_coding.heuristics import gate
from interview_live_coding.narration import score_narration
from interview_live_coding.plugin import module
from interview_live_coding.quality import inspect_quality, quality_score
from interview_live_coding.records import CodingSessionRecord

HEURISTICS = module().heuristics
PROBLEM = module().pack.problems["backend-maintenance-windows"]  # expected O(n log n)
START = datetime(2026, 1, 1, tzinfo=UTC)

results = st.lists(
    st.builds(
        HiddenResult,
        name=st.just("t"),
        group=st.sampled_from(["basic", "edge", "scale", "random"]),
        weight=st.floats(0.01, 1.0),
        passed=st.booleans(),
        status=st.just("x"),
        fuel_used=st.just(0),
    ),
    min_size=1,
    max_size=30,
)


@given(results)
def test_correctness_is_a_share_and_passing_more_never_lowers_it(rows: list[HiddenResult]) -> None:
    share = correctness(rows)
    assert 0.0 <= share <= 1.0
    better = [HiddenResult(r.name, r.group, r.weight, True, r.status, 0) if i == 0 else r for i, r in enumerate(rows)]
    assert correctness(better) >= share
    assert correctness([HiddenResult(r.name, r.group, r.weight, True, "p", 0) for r in rows]) == 1.0
    assert correctness([HiddenResult(r.name, r.group, r.weight, False, "p", 0) for r in rows]) == 0.0


@given(st.floats(0, 5 * 3600), st.floats(0, 5 * 3600), st.integers(0, 30), st.one_of(st.none(), st.integers(1, 30)))
def test_time_score_is_bounded_and_never_rewards_lateness(
    first: float, second: float, runs: int, first_pass: int | None
) -> None:
    record = CodingSessionRecord("s", "p", 1800, START, runs_before_first_pass=first_pass)
    early, late = sorted([first, second])
    early_score = time_score(timing(record, START + timedelta(seconds=early), runs), HEURISTICS)
    late_score = time_score(timing(record, START + timedelta(seconds=late), runs), HEURISTICS)
    assert 0.0 <= late_score <= early_score <= 5.0
    if first_pass is not None and first_pass <= HEURISTICS.time_management.free_runs and early <= 1800:
        assert early_score == HEURISTICS.time_management.on_time


@given(
    st.sampled_from(COMPLEXITY_CLASSES),
    st.sampled_from(COMPLEXITY_CLASSES),
    st.sampled_from([*COMPLEXITY_CLASSES, "", "fast"]),
)
def test_complexity_score_never_rewards_slower_code_and_a_claim_never_costs(
    measured: str, slower: str, claim: str
) -> None:
    if class_rank(slower) < class_rank(measured):
        measured, slower = slower, measured
    fast, _, _ = complexity_verdict(PROBLEM, {"complexity": measured, "points": []}, "", HEURISTICS)
    slow, sentence, _ = complexity_verdict(PROBLEM, {"complexity": slower, "points": []}, "", HEURISTICS)
    claimed, _, _ = complexity_verdict(PROBLEM, {"complexity": slower, "points": []}, claim, HEURISTICS)
    assert 0.0 <= slow <= fast <= 5.0
    assert slow <= claimed <= 5.0
    assert PROBLEM.complexity in sentence


def test_the_claim_never_changes_the_complexity_score() -> None:
    # Issue 12: the right claim used to add 1.5 whatever was measured; now the dimension is the
    # measurement's and the claim is scored apart, for honesty.
    growth = {"complexity": "O(n log n)", "points": [{"n": 10, "fuel": 100}]}
    right, sentence, matches = complexity_verdict(PROBLEM, growth, "O(N log N)", HEURISTICS)
    silent, _, _ = complexity_verdict(PROBLEM, growth, "", HEURISTICS)
    assert right == silent == 5.0 and matches
    assert sentence == "measured O(n log n) (n=10: 100 fuel); expected O(n log n): as expected"
    honest, said = claim_honesty(PROBLEM, growth, "O(N log N)", HEURISTICS)
    assert honest == 5.0 and "matches the measurement" in said
    assert claim_honesty(PROBLEM, growth, "", HEURISTICS)[0] is None


@given(st.sampled_from(COMPLEXITY_CLASSES))
def test_every_class_reads_back_as_itself(name: str) -> None:
    assert parse_claim(name) == name
    assert parse_claim(name.upper().replace("O(", "o( ")) == name


@given(st.floats(-1, 2), st.floats(0, 1))
def test_gate_is_zero_for_code_that_passes_nothing(share: float, threshold: float) -> None:
    value = gate(share, threshold)
    assert 0.0 <= value <= 1.0
    if share <= 0 and threshold > 0:
        assert value == 0.0


@settings(max_examples=30, deadline=None)
@given(st.text(max_size=400))
def test_narration_score_is_bounded_and_evidence_quotes_the_text(text: str) -> None:
    found = score_narration(AnswerScoringRequest(kind="coding_narration", text=text), HEURISTICS.clarity)
    assert 0.0 <= found.score <= 5.0
    assert len(found.matched) + len(found.missed) == 6
    assert len(found.evidence) == len(found.matched)


def test_narration_covering_every_aspect_scores_five_and_a_one_liner_is_capped() -> None:
    full = (
        "My approach uses a heap because it keeps the earliest deadline on top, so the invariant holds. "
        "It runs in O(n log n) time. Edge cases: empty input and ties. I tested the samples. "
        "The trade-off is memory instead of a sorted list."
    )
    assert score_narration(AnswerScoringRequest(kind="coding_narration", text=full), HEURISTICS.clarity).score == 5
    short = score_narration(
        AnswerScoringRequest(kind="coding_narration", text="heap, O(n), tested"), HEURISTICS.clarity
    )
    assert short.score <= HEURISTICS.clarity.short_cap


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 6), st.integers(0, 3))
def test_quality_findings_point_at_lines_and_lower_the_score(depth: int, unused: int) -> None:
    lines = [f"import module_{i}" for i in range(unused)] + ["def solve(items):", "    total = 0"]
    for level in range(depth):
        lines.append("    " * (level + 1) + f"for item_{level} in items:")
    lines.append("    " * (depth + 1) + "total += " + " + ".join(f"item_{level}" for level in range(depth)))
    lines.append("    return total")
    report = inspect_quality("\n".join(lines) + "\n", HEURISTICS.quality)
    score = quality_score(report, HEURISTICS.quality)
    assert 0.0 <= score <= 5.0
    assert all(f.line is not None and f.line >= 1 for f in report.findings)
    assert sum(f.code == "F401" for f in report.findings) == unused
    assert any(f.code == "nesting" for f in report.findings) == (depth > HEURISTICS.quality.max_nesting)
    if unused == 0 and depth <= HEURISTICS.quality.max_nesting:
        assert score == 5.0
    else:
        assert score < 5.0
