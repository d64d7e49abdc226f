"""Running candidate code: samples with full output, hidden tests with a verdict per case, growth.

Only inputs enter the runner.  Each call's actual value comes back wire-encoded
and the host compares it with the expected value it computed itself, so
nothing the code prints, patches or exits with can fake a pass.

Growth is measured the same way: the inputs at each growth size go through the
same ``call_cases`` harness as the hidden tests (so the code cannot tell a
measurement from a test), the host counts the fuel around each call, and a size
counts only if its answer is the reference's (so returning early, or special-
casing large inputs, ends the measurement instead of reading as ``O(1)``).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from attrs import frozen

from interview_engine import wire
from interview_engine.growth import MIN_POINTS, above_the_least, report, too_costly
from interview_engine.runner import (
    CallCase,
    CaseOutcome,
    CaseStatus,
    CodeRunner,
    GrowthPoint,
    GrowthReport,
    Limits,
)
from interview_live_coding.heuristics import RunLimits
from interview_live_coding.pack import HiddenTest, expected_text, growth_case, run_reference
from interview_live_coding.problems import Problem
from interview_live_coding.results import SampleRun

__all__ = [
    "SCORED_GROUPS_EXCLUDE",
    "VERDICTS",
    "GroupTally",
    "HiddenResult",
    "Measurement",
    "agrees",
    "correctness",
    "measure",
    "run_hidden",
    "run_samples",
    "sandbox_failed",
    "tally",
]

# The closed set of verdicts of one case (plus "not_run": the program did not load).
PASSED = "passed"
WRONG_ANSWER = "wrong_answer"
TIME_LIMIT = "time_limit"
RUNTIME_ERROR = "runtime_error"
MEMORY_LIMIT = "memory_limit"
OUTPUT_LIMIT = "output_limit"
NOT_RUN = "not_run"
SANDBOX_ERROR = "sandbox_error"
VERDICTS = (PASSED, WRONG_ANSWER, TIME_LIMIT, RUNTIME_ERROR, MEMORY_LIMIT, OUTPUT_LIMIT, NOT_RUN)
_BY_STATUS = {
    CaseStatus.RAISED: RUNTIME_ERROR,
    CaseStatus.TIME_LIMIT: TIME_LIMIT,
    CaseStatus.FUEL_LIMIT: TIME_LIMIT,  # the deterministic budget is the time limit
    CaseStatus.MEMORY_LIMIT: MEMORY_LIMIT,
    CaseStatus.OUTPUT_LIMIT: OUTPUT_LIMIT,
    CaseStatus.NOT_RUN: NOT_RUN,
    CaseStatus.SANDBOX_ERROR: SANDBOX_ERROR,
}
#: Random cases are drawn per session: they are reported, never scored, so that the same code gets
#: the same decision in every session (a lucky draw cannot cross a rule).
SCORED_GROUPS_EXCLUDE = frozenset({"random"})
_EXCEPTION = re.compile(r"^([A-Za-z_][\w.]*)(?::|$)")


@frozen
class HiddenResult:
    """How one hidden test went.  ``actual`` and ``error`` stay on the host unless practice mode shows them."""

    name: str
    group: str
    weight: float
    passed: bool
    status: str
    fuel_used: int
    error_type: str = ""
    actual: Any = None
    error: str = ""


@frozen
class GroupTally:
    group: str
    passed: int
    total: int
    weight: float
    verdicts: dict[str, int] | None = None

    @property
    def failed(self) -> int:
        return self.total - self.passed


def case_limits(limits: RunLimits) -> Limits:
    return Limits(fuel=limits.case_fuel, wall_ms=limits.case_wall_ms)


def exception_type(error: str) -> str:
    """The exception's name from the last line of a traceback (``ValueError: ...``)."""
    lines = [line.strip() for line in error.strip().splitlines() if line.strip()]
    found = _EXCEPTION.match(lines[-1]) if lines else None
    return found.group(1).rsplit(".", 1)[-1] if found else ""


def agrees(expected: Any, actual: Any, text: str | None = None) -> bool:
    """``wire.same(expected, actual)``, through one C-speed comparison of JSON text when they are alike.

    ``expected`` is what ``wire.encode`` made (``text`` its :func:`expected_text`, when kept), so it
    holds no NaN nor infinity, and ``actual`` is a report the host decoded within its bounds.  Equal
    text is equal structure, keys in the same order, every bool a bool and every float the same
    float, so ``same`` holds; any other text (``1`` against ``1.0``, keys in another order, floats
    a rounding apart, a forged value) is decided by ``same`` itself.  A 30 000-answer value: ~20 ms
    against ~230 ms for ``same`` alone.
    """
    try:
        if (text if text is not None else expected_text(expected)) == json.dumps(actual, separators=(",", ":")):
            return True
    except (TypeError, ValueError, RecursionError):  # not JSON-able: only ``same`` can say
        pass
    return wire.same(expected, actual)


def _verdict(outcome: CaseOutcome, expected: Any, text: str | None = None) -> tuple[bool, str]:
    if outcome.status is CaseStatus.RETURNED:
        if agrees(expected, outcome.actual, text):
            return True, PASSED
        return False, WRONG_ANSWER
    return False, _BY_STATUS.get(outcome.status, RUNTIME_ERROR)


def run_samples(runner: CodeRunner, problem: Problem, source: str, limits: RunLimits) -> list[SampleRun]:
    """Every sample with its input, expected and actual value, verdict, stdout and error."""
    cases = [CallCase(f"sample-{i + 1}", problem.sample_args(i)) for i in range(len(problem.samples))]
    outcomes = runner.call_cases(source, problem.entry, cases, limits=case_limits(limits))
    results = []
    for index, (case, outcome) in enumerate(zip(cases, outcomes, strict=True)):
        expected = run_reference(problem, problem.sample_args(index))
        passed, status = _verdict(outcome, expected)
        results.append(
            SampleRun(
                name=case.name,
                input=list(case.args),
                expected=expected,
                actual=outcome.actual if outcome.status is CaseStatus.RETURNED else None,
                passed=passed,
                status=status,
                stdout=outcome.stdout,
                error=outcome.error,
            )
        )
    return results


def run_hidden(
    runner: CodeRunner, problem: Problem, source: str, tests: Sequence[HiddenTest], limits: RunLimits
) -> list[HiddenResult]:
    """Every test's verdict.  Its ``fuel_used`` is the case's fuel as the host counted it, input decoding
    and answer encoding included (what the per-call fuel limit caps); nothing is graded on it, so the
    harness's own cost is not measured apart (growth measures it, see :func:`measure`)."""
    cases = [CallCase(test.name, test.args) for test in tests]
    outcomes = runner.call_cases(source, problem.entry, cases, limits=case_limits(limits), own_fuel=False)
    results = []
    for test, outcome in zip(tests, outcomes, strict=True):
        passed, status = _verdict(outcome, test.expected, test.expected_text or None)
        kind = exception_type(outcome.error) if status == RUNTIME_ERROR else ""
        actual = outcome.actual if outcome.status is CaseStatus.RETURNED else None
        results.append(
            HiddenResult(
                test.name, test.group, test.weight, passed, status, outcome.fuel_used, kind, actual, outcome.error
            )
        )
    return results


def sandbox_failed(results: Sequence[HiddenResult]) -> bool:
    """Whether any case met an infrastructure fault: then nothing of the run may be graded."""
    return any(r.status == SANDBOX_ERROR for r in results)


def tally(results: Sequence[HiddenResult]) -> list[GroupTally]:
    """Per group: passed, total, weight and how many cases ended with each verdict."""
    groups: dict[str, list[HiddenResult]] = {}
    for result in results:
        groups.setdefault(result.group, []).append(result)
    tallies = []
    for group, rows in groups.items():
        verdicts: dict[str, int] = {}
        for row in rows:
            verdicts[row.status] = verdicts.get(row.status, 0) + 1
        tallies.append(GroupTally(group, sum(r.passed for r in rows), len(rows), sum(r.weight for r in rows), verdicts))
    return tallies


def scored(results: Sequence[HiddenResult]) -> list[HiddenResult]:
    """The results that count for correctness: the fixed hidden set (random cases are reported apart)."""
    return [r for r in results if r.group not in SCORED_GROUPS_EXCLUDE]


def correctness(results: Sequence[HiddenResult]) -> float:
    """Weighted share of hidden tests passed, 0..1 (group weights renormalised to the groups present)."""
    total = sum(r.weight for r in results)
    if total <= 0:
        return 0.0
    return round(sum(r.weight for r in results if r.passed) / total, 4)


# -- growth ------------------------------------------------------------------------------------


@frozen
class Measurement:
    """The growth as measured: the report, whether the sandbox failed, and each size's verdict."""

    report: GrowthReport
    fault: bool
    verdicts: tuple[tuple[int, str], ...] = ()


def growth_limits(limits: RunLimits) -> Limits:
    return Limits(fuel=limits.growth_fuel, wall_ms=max(limits.case_wall_ms, 10_000))


def _one_size(
    runner: CodeRunner, problem: Problem, source: str, n: int, seed: int, limits: Limits
) -> tuple[int, CaseOutcome, Any]:
    args, expected, text = growth_case(problem, n, seed)
    # One case per instance: nothing one size computed is left for the next to reuse.
    outcome = runner.call_cases(source, problem.entry, [CallCase(f"growth-{n}", args)], limits=limits)[0]
    return n, outcome, (expected, text)


def measure(runner: CodeRunner, problem: Problem, source: str, limits: RunLimits, seed: int = 0) -> Measurement:
    """Measure the fuel of the candidate's call at each growth size, through the hidden tests' harness.

    The inputs are the generator's at ``seed`` (0, like the scale tests: the same inputs in every
    session keep the decision stable, and they never leave the host but as arguments).  A size counts
    only if the call returned the reference's answer; the series stops at the first size that did not
    (its verdict says why), or before a size sure to pass the fuel limit.  Fuel that falls as the
    input grows means work was moved between calls: the growth is then not measured.
    """
    run_limits = growth_limits(limits)
    sizes = sorted(set(problem.growth_sizes))
    points: list[GrowthPoint] = []
    notes: list[str] = []
    verdicts: list[tuple[int, str]] = []
    first, rest = sizes[:MIN_POINTS], sizes[MIN_POINTS:]
    with ThreadPoolExecutor(max_workers=len(first), thread_name_prefix="growth") as pool:
        batch = list(pool.map(lambda n: _one_size(runner, problem, source, n, seed, run_limits), first))
    pending = iter(rest)
    while batch:
        n, outcome, (expected, text) = batch.pop(0)
        passed, verdict = _verdict(outcome, expected, text)
        verdicts.append((n, verdict))
        if verdict == SANDBOX_ERROR:
            return Measurement(report([], ["the sandbox failed"]), True, tuple(verdicts))
        if not passed:
            notes.append(f"n={n}: {verdict.replace('_', ' ')}")
            break
        points.append(GrowthPoint(n=n, fuel=outcome.fuel_used))
        if not batch:
            following = next(pending, None)
            if following is None:
                break
            if too_costly(points, following, run_limits.fuel):
                notes.append(f"n={following} and above skipped: the fuel would pass the limit of {run_limits.fuel:,}")
                break
            batch.append(_one_size(runner, problem, source, following, seed, run_limits))
    fell = next(
        ((a, b) for i, a in enumerate(points) for b in points[i + 1 :] if b.fuel * 2 < a.fuel),
        None,
    )
    if fell is not None:
        a, b = fell
        reason = f"not measured: the fuel fell as the input grew (n={a.n}: {a.fuel:,}, n={b.n}: {b.fuel:,})"
        return Measurement(GrowthReport(None, points, 0.0, detail=reason), False, tuple(verdicts))
    return Measurement(report(points, notes), False, tuple(verdicts))


_reference_lock = threading.Lock()
_reference_growth: dict[tuple[str, str], tuple[GrowthPoint, ...]] = {}


def reference_growth(runner: CodeRunner, problem: Problem, limits: RunLimits) -> tuple[GrowthPoint, ...] | None:
    """The reference solution's fuel at the growth sizes, measured once per process and problem.

    Candidates are compared with it on the same inputs, so what the inputs themselves do to the
    curve (early exits, duplicates, resizes) bends both alike.  None when the sandbox failed.
    """
    key = (problem.id, hashlib.sha256(f"{problem.reference}\n{problem.generator}".encode()).hexdigest())
    with _reference_lock:
        found = _reference_growth.get(key)
    if found is None:
        measured = measure(runner, problem, problem.reference, limits)
        if measured.fault:
            return None
        found = tuple(measured.report.points)
        with _reference_lock:
            _reference_growth[key] = found
    return found


def slope(points: Sequence[dict[str, int]] | Sequence[GrowthPoint]) -> float | None:
    """The log-log slope of fuel against size over the top three points (where the asymptote shows).

    Of the rise above the least point when constant work outweighs the rise (as :func:`classify` reads
    it): a second of padding makes any curve's slope 0.
    """
    growth = [GrowthPoint(n=p["n"], fuel=p["fuel"]) if isinstance(p, dict) else p for p in points]
    rise = above_the_least(growth)
    pairs = [(p.n, p.fuel) for p in (growth if rise is None else [p for p in rise if p.fuel > 0])]
    top = [(math.log(n), math.log(max(fuel, 1))) for n, fuel in pairs[-MIN_POINTS:]]
    if len(top) < 2:
        return None
    mean_x = sum(x for x, _ in top) / len(top)
    mean_y = sum(y for _, y in top) / len(top)
    spread = sum((x - mean_x) ** 2 for x, _ in top)
    return sum((x - mean_x) * (y - mean_y) for x, y in top) / spread if spread else None
