"""``interview content validate`` for live coding: the machine checks every problem.

Per problem: the samples' written expected values and the statement's worked examples agree with
the reference;
the reference passes every hidden test inside the runner (so host and runner
agree); the starter code does not pass everything; each deliberately wrong
solution fails at least one hidden test, and one marked ``at_scale`` fails a scale
test or grows worse than the reference; the reference's measured growth is
within one class of the declared complexity; the reference scores 5 for code
quality; and an answer failing every scale test stays under the correctness pass bar.
"""

from __future__ import annotations

import importlib.metadata

from interview_engine import wire
from interview_engine.content import ContentCheck
from interview_engine.converter import converter
from interview_engine.runner import CodeRunner, GrowthReport
from interview_engine.validation_cache import ValidationCache, content_key, validate_items
from interview_live_coding import grading
from interview_live_coding.complexity import class_rank
from interview_live_coding.heuristics import Heuristics, RunLimits
from interview_live_coding.pack import MODULE_NAME, HiddenTest, ProblemPack, hidden_tests, run_reference
from interview_live_coding.problems import Problem, WrongSolution
from interview_live_coding.quality import inspect_quality, quality_score
from interview_live_coding.statement_examples import mismatched_examples

__all__ = ["VALIDATION_SEED", "problem_key", "validate_pack", "validate_problem", "wrong_solutions_check"]

VALIDATION_SEED = 20_240_601
#: Wrong solutions every problem carries, one of them right on small inputs and too slow at scale (issue 19).
MIN_WRONG = 3


def _check(name: str, passed: bool, detail: str, item: str) -> ContentCheck:
    return ContentCheck(module=MODULE_NAME, check=name, passed=passed, detail=detail, item=item)


def validate_problem(
    pack: ProblemPack, problem: Problem, runner: CodeRunner, heuristics: Heuristics
) -> list[ContentCheck]:
    checks = []
    limits = heuristics.limits
    mismatched = [
        i + 1
        for i, sample in enumerate(problem.samples)
        if not wire.same(wire.encode(sample.expected), run_reference(problem, problem.sample_args(i)))
    ]
    checks.append(
        _check(
            "samples match the reference",
            not mismatched,
            f"samples {mismatched} disagree with the reference" if mismatched else f"{len(problem.samples)} samples",
            problem.id,
        )
    )
    shown, wrong_examples = mismatched_examples(problem)
    checks.append(
        _check(
            "statement examples match the reference",
            not wrong_examples,
            "; ".join(wrong_examples) or f"{shown} examples",
            problem.id,
        )
    )
    tests = hidden_tests(pack, problem, VALIDATION_SEED)
    groups = {t.group for t in tests}
    reference = grading.run_hidden(runner, problem, problem.reference, tests, limits)
    failing = [r.name for r in reference if not r.passed]
    worst = max((r.fuel_used for r in reference), default=0)
    checks.append(
        _check(
            "reference passes every hidden test",
            not failing,
            f"failed: {', '.join(failing)}"
            if failing
            else f"{len(tests)} tests in {', '.join(sorted(groups))}; most fuel {worst:,}",
            problem.id,
        )
    )
    # "Does not pass" needs one failing test: found as for a wrong solution (the small tests together,
    # then the scale tests one by one until one fails), not by running the starter on every scale input.
    starter = _first_failures(runner, problem, problem.starter, tests, limits)
    checks.append(
        _check(
            "starter code does not pass",
            bool(starter),
            f"fails {', '.join(r.name for r in starter[:3])}{', ...' if len(starter) > 3 else ''}"
            if starter
            else f"starter passes all {len(tests)} tests",
            problem.id,
        )
    )
    report = grading.measure(runner, problem, problem.reference, limits, VALIDATION_SEED).report
    checks.append(wrong_solutions_check(problem))
    for wrong in problem.wrong:
        failed = _first_failures(runner, problem, wrong.source, tests, limits)
        caught = [r.name for r in failed]
        checks.append(
            _check(
                f"hidden tests catch: {wrong.name}",
                bool(caught),
                f"caught by {', '.join(caught[:4])}{', ...' if len(caught) > 4 else ''}"
                if caught
                else "no hidden test fails it",
                problem.id,
            )
        )
        if wrong.at_scale:
            checks.append(_caught_at_scale(runner, problem, wrong, failed, report, heuristics))
    # Within one class: the fit cannot always tell O(n) from O(n log n) at these sizes, which is why
    # candidates are also compared with the reference's own curve (see evaluation.complexity_verdict).
    near = report.complexity is not None and abs(class_rank(report.complexity) - class_rank(problem.complexity)) <= 1
    points = ", ".join(f"{p.n}:{p.fuel:,}" for p in report.points)
    checks.append(
        _check(
            "reference growth matches the declared complexity",
            near,
            f"declared {problem.complexity}, measured {report.complexity} ({points})",
            problem.id,
        )
    )
    checks.append(_quality_check(problem, heuristics))
    checks.append(_scale_weight_check(pack, problem, tests))
    return checks


def wrong_solutions_check(problem: Problem) -> ContentCheck:
    """At least ``MIN_WRONG`` wrong solutions, one right on small inputs and too slow at scale: without
    one, nothing shows the scale tests catch an answer of the wrong complexity."""
    plausible = [w.name for w in problem.wrong if w.at_scale]
    return _check(
        "has a plausible wrong-at-scale solution",
        bool(plausible) and len(problem.wrong) >= MIN_WRONG,
        f"{len(problem.wrong)} wrong solutions, at scale: {plausible[0] if plausible else 'none'}",
        problem.id,
    )


def _first_failures(
    runner: CodeRunner, problem: Problem, source: str, tests: list[HiddenTest], limits: RunLimits
) -> list[grading.HiddenResult]:
    """The hidden tests ``source`` fails, found cheaply: the small tests together, then the scale tests
    one at a time, largest first, stopping at the first that fails (a too-slow solution burns the
    whole per-call fuel on every scale test it fails, and one is enough to show it is caught; from
    the largest, it burns nothing first on the smaller ones it passes)."""
    small = [t for t in tests if t.group != "scale"]
    failed = [r for r in grading.run_hidden(runner, problem, source, small, limits) if not r.passed]
    if failed:
        return failed
    for test in reversed([t for t in tests if t.group == "scale"]):
        result = grading.run_hidden(runner, problem, source, [test], limits)[0]
        if not result.passed:
            return [result]
    return []


def _caught_at_scale(
    runner: CodeRunner,
    problem: Problem,
    wrong: WrongSolution,
    failed: list[grading.HiddenResult],
    reference: GrowthReport,
    heuristics: Heuristics,
) -> ContentCheck:
    """A wrong-at-scale solution gives right answers on the small tests and fails a scale test, or its
    measured growth is worse than the reference's."""
    small_failed = [r.name for r in failed if r.group != "scale"]
    at_scale = [f"{r.name} ({r.status})" for r in failed if r.group == "scale"]
    measured = None
    if not at_scale and not small_failed:
        measured = grading.measure(runner, problem, wrong.source, heuristics.limits, VALIDATION_SEED).report.complexity
    worse = (
        measured is not None
        and reference.complexity is not None
        and class_rank(measured) > class_rank(reference.complexity)
    )
    if small_failed:
        detail = f"not right on small inputs ({', '.join(small_failed[:3])}): not a wrong-at-scale solution"
    elif at_scale:
        detail = f"right on every small test; fails {at_scale[0]}"
    else:
        found = measured or "not measured"
        detail = f"passes every scale test; measured {found} against the reference's {reference.complexity}"
    return _check(f"caught at scale: {wrong.name}", not small_failed and (bool(at_scale) or worse), detail, problem.id)


def _quality_check(problem: Problem, heuristics: Heuristics) -> ContentCheck:
    """The reference is what good code looks like: the code-quality rules must give it full marks."""
    report = inspect_quality(problem.reference, heuristics.quality)
    score = quality_score(report, heuristics.quality)
    found = "; ".join(f"line {f.line}: {f.code} {f.message}" for f in report.findings[:3])
    return _check(
        "reference code quality scores 5",
        score == heuristics.quality.start and report.lint_available,
        f"{score:.2f}" + (f" ({found})" if found else "") + ("" if report.lint_available else " (ruff unavailable)"),
        problem.id,
    )


def _scale_weight_check(pack: ProblemPack, problem: Problem, tests: list[HiddenTest]) -> ContentCheck:
    """An answer right on everything but the scale tests must stay under the correctness pass bar."""
    counted = [t for t in tests if t.group not in grading.SCORED_GROUPS_EXCLUDE]
    total = sum(t.weight for t in counted)
    share = sum(t.weight for t in counted if t.group != "scale") / total if total else 1.0
    bars = [r.value for r in pack.rubric(problem.difficulty).pass_rules if r.metric == "correctness"]
    bar = min(bars, default=0.0)
    return _check(
        "failing every scale test stays under the pass bar",
        bool(bars) and share < bar,
        f"{share:.1%} without the scale tests; pass bar {bar:.0%} ({problem.difficulty.value})",
        problem.id,
    )


#: The code that decides a problem's checks (its kept checks are dropped when any of it changes).
VALIDATING_PACKAGES = ("interview_live_coding", "interview_engine")


def problem_key(pack: ProblemPack, problem: Problem, runner: CodeRunner, heuristics: Heuristics) -> str | None:
    """What decides a problem's checks: the problem, what of the pack it reads (group weights, random
    sizes, rubrics), the heuristics, ruff's version (the quality check), the validating code and the
    runner's identity; ``None`` for a runner without one (its results are not promised to repeat)."""
    return content_key(runner, _content(pack, problem, heuristics), VALIDATING_PACKAGES)


def _content(pack: ProblemPack, problem: Problem, heuristics: Heuristics) -> object:
    try:
        ruff = importlib.metadata.version("ruff")
    except importlib.metadata.PackageNotFoundError:
        ruff = ""
    return [
        MODULE_NAME,
        converter.unstructure(problem),
        pack.group_weights,
        list(pack.random_sizes),
        converter.unstructure(pack.rubrics),
        converter.unstructure(heuristics),
        ruff,
    ]


def validate_pack(
    pack: ProblemPack,
    runner: CodeRunner,
    heuristics: Heuristics,
    *,
    cache: ValidationCache | None = None,
    timings: dict[str, float] | None = None,
) -> list[ContentCheck]:
    """Every problem's checks, problems validated side by side (one per core), each kept in ``cache``
    by content hash once all its checks pass."""
    cells = {(p.track, p.difficulty) for p in pack.problems.values()}
    checks = [
        _check(
            "problems in every track and difficulty",
            len(cells) == 6,
            f"{len(pack.problems)} problems in {len(cells)} of 6 cells",
            "",
        )
    ]
    checks += validate_items(
        pack.listed(),
        lambda bounded, problem: validate_problem(pack, problem, bounded, heuristics),
        runner=runner,
        content=lambda problem: _content(pack, problem, heuristics),
        packages=VALIDATING_PACKAGES,
        cache=cache,
        timings=timings,
        cost=_work,
    )
    return checks


def _work(problem: Problem) -> float:
    """About how much running validating ``problem`` takes: the hidden tests of the reference, the
    starter and each wrong solution (their scale tests the heaviest), and the growth measured."""
    wrong_at_scale = sum(w.at_scale for w in problem.wrong)
    return (2 + len(problem.wrong)) * (1 + sum(problem.scale_sizes) / 1000) + (1 + wrong_at_scale) * sum(
        problem.growth_sizes
    ) / 1000
