"""Running candidate code: samples with full output, hidden tests with verdicts only.

Only inputs enter the runner.  Each call's actual value comes back wire-encoded
and the host compares it with the expected value it computed itself, so
nothing the code prints, patches or exits with can fake a pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from attrs import frozen

from interview_engine import wire
from interview_engine.runner import CallCase, CaseOutcome, CaseStatus, CodeRunner, GrowthReport, Limits
from interview_live_coding.heuristics import RunLimits
from interview_live_coding.pack import HiddenTest, run_reference
from interview_live_coding.problems import Problem

__all__ = ["GroupTally", "HiddenResult", "measure", "run_hidden", "run_samples", "tally"]

#: The status of a hidden call that returned the wrong value.
WRONG_ANSWER = "wrong_answer"
PASSED = "passed"


@frozen
class HiddenResult:
    """How one hidden test went; deliberately without input, expected value, output or error."""

    name: str
    group: str
    weight: float
    passed: bool
    status: str
    fuel_used: int


@frozen
class GroupTally:
    group: str
    passed: int
    total: int
    weight: float

    @property
    def failed(self) -> int:
        return self.total - self.passed


def case_limits(limits: RunLimits) -> Limits:
    return Limits(fuel=limits.case_fuel, wall_ms=limits.case_wall_ms)


def _verdict(outcome: CaseOutcome, expected: Any) -> tuple[bool, str]:
    if outcome.status is CaseStatus.RETURNED:
        if wire.same(expected, outcome.actual):
            return True, PASSED
        return False, WRONG_ANSWER
    return False, outcome.status.value


def run_samples(runner: CodeRunner, problem: Problem, source: str, limits: RunLimits) -> list[dict[str, Any]]:
    """Every sample with its input, expected and actual value, verdict, stdout and error."""
    cases = [CallCase(f"sample-{i + 1}", problem.sample_args(i)) for i in range(len(problem.samples))]
    outcomes = runner.call_cases(source, problem.entry, cases, limits=case_limits(limits))
    results = []
    for index, (case, outcome) in enumerate(zip(cases, outcomes, strict=True)):
        expected = run_reference(problem, problem.sample_args(index))
        passed, status = _verdict(outcome, expected)
        results.append(
            {
                "name": case.name,
                "input": list(case.args),
                "expected": expected,
                "actual": outcome.actual if outcome.status is CaseStatus.RETURNED else None,
                "passed": passed,
                "status": status,
                "stdout": outcome.stdout,
                "error": outcome.error,
            }
        )
    return results


def run_hidden(
    runner: CodeRunner, problem: Problem, source: str, tests: Sequence[HiddenTest], limits: RunLimits
) -> list[HiddenResult]:
    cases = [CallCase(test.name, test.args) for test in tests]
    outcomes = runner.call_cases(source, problem.entry, cases, limits=case_limits(limits))
    results = []
    for test, outcome in zip(tests, outcomes, strict=True):
        passed, status = _verdict(outcome, test.expected)
        results.append(HiddenResult(test.name, test.group, test.weight, passed, status, outcome.fuel_used))
    return results


def tally(results: Sequence[HiddenResult]) -> list[GroupTally]:
    groups: dict[str, list[HiddenResult]] = {}
    for result in results:
        groups.setdefault(result.group, []).append(result)
    return [
        GroupTally(group, sum(r.passed for r in rows), len(rows), sum(r.weight for r in rows))
        for group, rows in groups.items()
    ]


def correctness(results: Sequence[HiddenResult]) -> float:
    """Weighted share of hidden tests passed, 0..1 (group weights renormalised to the groups present)."""
    total = sum(r.weight for r in results)
    if total <= 0:
        return 0.0
    return round(sum(r.weight for r in results if r.passed) / total, 4)


def measure(runner: CodeRunner, problem: Problem, source: str, limits: RunLimits) -> GrowthReport:
    return runner.measure_growth(
        source,
        problem.entry,
        problem.generator,
        problem.growth_sizes,
        limits=Limits(fuel=limits.growth_fuel, wall_ms=max(limits.case_wall_ms, 10_000)),
    )
