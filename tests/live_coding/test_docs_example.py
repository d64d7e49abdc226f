"""The worked example of docs/live_coding.md is computed by the code, so the doc cannot go stale."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from attrs import evolve

from interview_engine import Difficulty, Engine
from interview_engine.domain import Evaluation
from interview_live_coding.grading import slope
from interview_live_coding.plugin import module

DOC = Path(__file__).resolve().parents[2] / "docs" / "live_coding.md"
PROBLEM = "backend-maintenance-windows"
START = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


def _section() -> str:
    text = DOC.read_text()
    return text[text.index("### Worked example") : text.index("## Not graded")]


def _solution() -> str:
    section = _section()
    block = re.search(r"<!-- worked example: solution -->\n```python\n(.*?)```", section, re.S)
    assert block, "no solution block after the marker"
    return block.group(1)


def _rows() -> dict[str, tuple[str, str]]:
    """The score table, by dimension: (how, score)."""
    section = _section()
    lines = section[section.index("<!-- worked example: scores -->") :].splitlines()[1:]
    rows = {}
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        dimension, how, score = (cell.strip() for cell in line.strip().strip("|").split("|"))
        rows[dimension] = (how, score)
    return rows


def _number(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+) ?([MG]?)", text.strip()).groups()  # type: ignore[union-attr]
    return float(value) * {"": 1, "M": 1e6, "G": 1e9}[unit]


@pytest.fixture
def graded(sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Grade the doc's solution at a difficulty with a claim: (evaluation, submitted summary)."""
    now = [START]
    monkeypatch.setattr(sqlite_engine, "context", evolve(sqlite_engine.context, clock=lambda: now[0]))
    user = sqlite_engine.store.ensure_user("worked-example@example.com")

    def _graded(difficulty: str, claim: str) -> tuple[Evaluation, dict[str, Any]]:
        now[0] = START
        session = sqlite_engine.start_session(
            user_id=user.id,
            module="live_coding",
            track="backend",
            difficulty=difficulty,
            options={"problemId": PROBLEM},
        )
        now[0] = START + timedelta(minutes=1)  # "at once": well inside the 25 minutes
        sqlite_engine.act(session.id, "submit", {"source": _solution(), "complexity": claim})
        [submission] = sqlite_engine.store.submissions(session.id, kind="submit")
        sqlite_engine.end_session(session.id)
        evaluation = sqlite_engine.summary(session.id).evaluation
        assert evaluation is not None
        return evaluation, submission.summary

    yield _graded


def test_the_worked_example_is_what_the_engine_gives(graded: Any) -> None:
    problem = module().pack.problems[PROBLEM]
    assert problem.difficulty.value == "mid" and problem.complexity == "O(n log n)"
    assert problem.time_limit_minutes == 25 and "25 minutes" in _section()
    mid, summary = graded("mid", "O(n log n)")
    rows = _rows()
    assert set(rows) == {"correctness", "complexity", "claim (apart)", "code_quality", "clarity", "time_management"}

    # correctness: each group's tally and weight, the share and the score
    how, score = rows["correctness"]
    groups = {g["group"]: g for g in summary["groups"]}
    quoted = re.findall(r"(\w+) (\d+)/(\d+)(?: \((\d\.\d\d))?", how)
    assert {q[0] for q in quoted} == set(groups)
    for group, passed, total, weight in quoted:
        g = groups[group]
        assert (int(passed), int(total)) == (g["passed"], g["total"]), group
        assert g["reportedOnly"] == (weight == ""), group
        if weight:
            assert float(weight) == pytest.approx(g["weight"]), group
    assert groups["scale"]["verdicts"] == {"passed": 4, "time_limit": 1}
    assert groups["scale"]["firstFailure"]["case"] == "scale-5"  # the largest of the scale sizes
    assert "the largest case hit the time limit" in how
    parts = re.search(r": \(([\d.]+) \+ ([\d.]+) \+ ([\d.]+)\) / ([\d.]+) = ([\d.]+)%", how)
    assert parts
    scored = [groups[name] for name in ("basic", "edge", "scale")]
    for part, g in zip(parts.groups()[:3], scored, strict=True):
        assert float(part) == pytest.approx(g["weight"] * g["passed"] / g["total"])
    assert float(parts.group(4)) == pytest.approx(sum(g["weight"] for g in scored))
    assert float(parts.group(5)) == round(100 * mid.metrics["correctness"], 1)
    assert float(score) == mid.scores["correctness"]

    # complexity: the measured class, the first and last points, the skipped size, both slopes
    how, score = rows["complexity"]
    growth = summary["growth"]
    figures = re.fullmatch(
        r"measured (\S+) \(n=(\d+): ([\d.]+ [MG]) fuel … n=(\d+): ([\d.]+ [MG]); n=(\d+) skipped, it would pass "
        r"the fuel limit\); slope ([\d.]+) against the reference's ([\d.]+): (\d) class worse",
        how,
    )
    assert figures, how
    measured, first_n, first_fuel, last_n, last_fuel, skipped, mine, theirs, worse = figures.groups()
    points = growth["points"]
    assert measured == growth["complexity"] == "O(n^2)"
    assert (int(first_n), int(last_n)) == (points[0]["n"], points[-1]["n"])
    for quoted_fuel, point in ((first_fuel, points[0]), (last_fuel, points[-1])):
        unit = 1e6 if quoted_fuel.endswith("M") else 1e9
        digits = len(quoted_fuel.split()[0].split(".")[1])
        assert _number(quoted_fuel) == pytest.approx(round(point["fuel"] / unit, digits) * unit)
    assert f"n={skipped} and above skipped: the fuel would pass the limit" in growth["detail"]
    assert int(skipped) not in {p["n"] for p in points} and int(skipped) in problem.growth_sizes
    assert float(mine) == round(slope(points), 2)  # type: ignore[arg-type]
    reference = {p["n"]: p for p in growth["reference"]}  # the reference's curve at the same sizes
    assert float(theirs) == round(slope([reference[p["n"]] for p in points]), 2)  # type: ignore[arg-type]
    assert f"{worse} class worse than expected" in mid.details["complexity"]
    assert f"fuel slope {mine} against the reference's {theirs}" in mid.details["complexity"]
    assert float(score) == mid.scores["complexity"] == module().heuristics.complexity.measured[int(worse)]

    # the claim, apart
    how, score = rows["claim (apart)"]
    claim = re.fullmatch(r'"([^"]+)" is (\d) class from the measured (\S+): honesty ([\d.]+)', how)
    assert claim, how
    assert claim.group(1) == summary["claim"] == "O(n log n)" and claim.group(3) == measured
    assert f"is {claim.group(2)} class from the measurement" in mid.details["claim"]
    assert float(claim.group(4)) == mid.metrics["claimHonesty"] == mid.details["claimHonesty"]
    assert "claimHonesty" not in mid.scores and score == "–"

    # code quality, clarity, time management
    how, score = rows["code_quality"]
    [finding] = summary["quality"]["findings"]
    assert finding["code"] == "naming" and "`w`" in finding["message"]
    assert how == f"one naming finding (`w`, line {finding['line']}): 5 − {module().heuristics.quality.naming_penalty}"
    assert float(score) == mid.scores["code_quality"] == 5 - module().heuristics.quality.naming_penalty
    how, score = rows["clarity"]
    assert how == "no notes" and float(score) == mid.scores["clarity"]
    how, score = rows["time_management"]
    timing = mid.details["timing"]
    assert not timing["late"] and timing["runs"] == 0 and timing["runsBeforeFirstPass"] is None
    assert timing["usedSeconds"] == 60.0
    assert how == "on time, but no run ever passed every sample: 5 − 0.5"
    assert float(score) == mid.scores["time_management"] == 5 - module().heuristics.time_management.never_ran

    # the weighted average and the decisions
    section = " ".join(_section().split())
    weighted = re.search(r"Weighted: (.*?) = \*\*([\d.]+)\*\* ≥ ([\d.]+)", section)
    assert weighted
    mid_spec, senior_spec = (module().pack.rubric(d) for d in (Difficulty.MID, Difficulty.SENIOR))
    terms = re.findall(r"([\d.]+) × ([\d.]+)", weighted.group(1))
    order = ["correctness", "complexity", "code_quality", "clarity", "time_management"]
    assert len(terms) == len(order)
    weights = {d.name: d.weight for d in mid_spec.dimensions}
    for (weight, value), dimension in zip(terms, order, strict=True):
        assert float(weight) == weights[dimension], dimension
        assert float(value) == mid.scores[dimension], dimension
    assert float(weighted.group(2)) == mid.weighted_average == mid.metrics["weightedAverage"]
    assert float(weighted.group(3)) == mid_spec.pass_threshold
    assert f"below the bar ({senior_spec.pass_threshold})" in section
    share = f"{100 * mid.metrics['correctness']:.1f}%"
    [mid_rule] = [r for r in mid_spec.pass_rules if r.id == "correctness.share"]
    [senior_rule] = [r for r in senior_spec.pass_rules if r.id == "correctness.share"]
    assert f"every mid rule holds ({share} ≥ {mid_rule.value:.0%})" in section
    assert f"`correctness.share` holds too ({share} ≥ {senior_rule.value:.0%})" in section
    said = re.findall(r"\*\*(advance|review|hold)\*\*", section)
    assert mid.decision.value == "advance" and not mid.failed_rules
    senior, _ = graded("senior", "O(n log n)")
    assert said == [mid.decision.value, senior.decision.value] == ["advance", "review"]
    assert senior.scores == mid.scores and senior.weighted_average == mid.weighted_average
    assert set(senior.failed_rules) == {"weightedAverage", "complexity.matches"}
    assert "fails `complexityMatches`" in section


def test_claiming_the_measured_class_changes_only_the_honesty(graded: Any) -> None:
    claimed, _ = graded("mid", "O(n log n)")
    honest, _ = graded("mid", "O(n^2)")
    assert honest.scores == claimed.scores and honest.decision == claimed.decision
    assert claimed.metrics["claimHonesty"] == 2.5 and honest.metrics["claimHonesty"] == 5.0
    assert "claiming O(n^2) instead changes nothing but the honesty (5)" in " ".join(_section().split())
