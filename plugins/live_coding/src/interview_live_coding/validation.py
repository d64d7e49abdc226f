"""``interview content validate`` for live coding: the machine checks every problem.

Per problem: the samples' written expected values and the statement's worked examples agree with
the reference;
the reference passes every hidden test inside the runner (so host and runner
agree); the starter code does not pass everything; each deliberately wrong
solution fails at least one hidden test; and the reference's measured growth is
within one class of the declared complexity.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from interview_engine import wire
from interview_engine.content import ContentCheck
from interview_engine.runner import CodeRunner
from interview_live_coding import grading
from interview_live_coding.complexity import class_rank
from interview_live_coding.heuristics import Heuristics
from interview_live_coding.pack import MODULE_NAME, ProblemPack, hidden_tests, run_reference
from interview_live_coding.problems import Problem
from interview_live_coding.statement_examples import mismatched_examples

__all__ = ["VALIDATION_SEED", "validate_pack", "validate_problem"]

VALIDATION_SEED = 20_240_601


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
    starter = grading.run_hidden(runner, problem, problem.starter, tests, limits)
    passed = sum(r.passed for r in starter)
    checks.append(
        _check("starter code does not pass", passed < len(tests), f"starter passes {passed}/{len(tests)}", problem.id)
    )
    for wrong in problem.wrong:
        results = grading.run_hidden(runner, problem, wrong.source, tests, limits)
        caught = [r.name for r in results if not r.passed]
        checks.append(
            _check(
                f"hidden tests catch: {wrong.name}",
                bool(caught),
                f"caught by {len(caught)} tests ({', '.join(caught[:4])}{', ...' if len(caught) > 4 else ''})"
                if caught
                else "no hidden test fails it",
                problem.id,
            )
        )
    report = grading.measure(runner, problem, problem.reference, limits, VALIDATION_SEED).report
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
    return checks


def validate_pack(pack: ProblemPack, runner: CodeRunner, heuristics: Heuristics) -> list[ContentCheck]:
    cells = {(p.track, p.difficulty) for p in pack.problems.values()}
    checks = [
        _check(
            "problems in every track and difficulty",
            len(cells) == 6,
            f"{len(pack.problems)} problems in {len(cells)} of 6 cells",
            "",
        )
    ]
    problems = pack.listed()
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="validate") as pool:
        for rows in pool.map(lambda p: validate_problem(pack, p, runner, heuristics), problems):
            checks.extend(rows)
    return checks
