"""``interview content validate`` for the debugging pack: every scenario is checked by running it.

Per scenario: the edits apply and every version compiles, the root-cause lines exist and are
exactly the lines the reference fix changes in the root-cause function, the buggy program
fails its visible tests, the reference fix passes the visible and hidden tests
(and the bug does not), the reference regression test fails on the bug and
passes on the fix, every mutant is caught by the regression test or a hidden
check (and the reference regression test catches them all, so full testing
rigor is reachable), every equivalent fix (at least :data:`MIN_EQUIVALENT_FIXES`) differs from the
reference fix in bytes yet passes the visible tests, the hidden tests and the reference regression
test, every equivalent bug (the bug in other bytes, at least :data:`MIN_EQUIVALENT_BUGS`) fails the
visible tests and the reference regression test, the random probes pass the reference and every
equivalent fix and fail the bug, every equivalent bug and every wrong fix (symptom-only, hard-coded)
whatever the seed (:mod:`interview_debugging.probe_checks`), every program a regression test is
judged on is sealed in a test run (each of its files imports on its own, so none is left for a test
to read), and the log script produces output.
"""

from __future__ import annotations

import functools

from interview_debugging.execution import (
    SandboxFault,
    TestVerdict,
    parallel,
    run_hidden,
    run_logs,
    run_regression,
    run_tests,
)
from interview_debugging.fix_span import fix_span
from interview_debugging.pack import MODULE, DebugPack
from interview_debugging.probe_checks import VALIDATION_SEEDS, probe_checks
from interview_debugging.scenario import BugScenario
from interview_engine import CaseStatus, CodeRunner, ContentCheck
from interview_engine.converter import converter
from interview_engine.validation_cache import ValidationCache, content_key, validate_items

__all__ = ["MIN_EQUIVALENT_BUGS", "MIN_EQUIVALENT_FIXES", "scenario_key", "validate_pack", "validate_scenario"]

#: Correct fixes that differ in bytes a scenario must hold, so that a test of the text fails one.
MIN_EQUIVALENT_FIXES = 3
#: Versions of the bug in other bytes a scenario must hold, so that a test of the bug's text passes one.
MIN_EQUIVALENT_BUGS = 1


def _check(scenario: BugScenario, name: str, passed: bool, detail: str = "") -> ContentCheck:
    return ContentCheck(module=MODULE, check=name, passed=passed, detail=detail, item=scenario.id)


def _static_checks(scenario: BugScenario) -> list[ContentCheck]:
    checks = []
    try:
        versions = {"bug": scenario.files, "fix": scenario.fixed_files()}
        for fix in scenario.equivalent_fixes:
            versions[f"equivalent fix {fix.id}"] = scenario.equivalent_files(fix)
            if versions[f"equivalent fix {fix.id}"] == versions["fix"]:
                raise ValueError(f"equivalent fix {fix.id} is byte for byte the reference fix")
        for wrong in scenario.wrong_fixes:
            versions[f"wrong fix {wrong.id}"] = scenario.equivalent_files(wrong)
        for same_bug in scenario.equivalent_bugs:
            versions[f"equivalent bug {same_bug.id}"] = scenario.equivalent_files(same_bug)
            if versions[f"equivalent bug {same_bug.id}"] == scenario.files:
                raise ValueError(f"equivalent bug {same_bug.id} is byte for byte the bug")
        for mutant in scenario.mutants:
            versions[f"mutant {mutant.id}"] = scenario.mutant_files(mutant)
            if versions[f"mutant {mutant.id}"] == versions["fix"]:
                raise ValueError(f"mutant {mutant.id} changes nothing")
        tests = {**scenario.visible_tests, scenario.regression.file: scenario.regression.source}
        for label, files in [*versions.items(), ("tests", tests)]:
            for path, text in files.items():
                try:
                    compile(text, path, "exec")
                except SyntaxError as exc:
                    raise ValueError(f"{label}: {path}:{exc.lineno}: {exc.msg}") from exc
        checks.append(_check(scenario, "edits apply and compile", True))
    except ValueError as exc:
        checks.append(_check(scenario, "edits apply and compile", False, str(exc)))
    cause = scenario.root_cause
    lines = scenario.files[cause.file].splitlines()
    first, last = cause.lines
    exists = last <= len(lines) and all(lines[n - 1].strip() for n in (first, last))
    checks.append(
        _check(
            scenario,
            "root-cause lines exist",
            exists,
            f"{cause.file}:{first}-{last} of {len(lines)} lines" + ("" if exists else " (out of range or blank)"),
        )
    )
    try:
        span = fix_span(scenario)
    except (SyntaxError, ValueError) as exc:
        span, why = None, str(exc)
    else:
        why = f"the fix changes {cause.file}:{span[0]}-{span[1]}" if span else f"the fix leaves {cause.function} alone"
    checks.append(
        _check(
            scenario,
            "root-cause lines match the fix",
            span == (first, last),
            f"annotated {cause.file}:{first}-{last}; {why}",
        )
    )
    return checks


def validate_scenario(runner: CodeRunner, scenario: BugScenario) -> list[ContentCheck]:
    """Check one scenario by running it; never raises for a bad scenario."""
    checks = _static_checks(scenario)
    if not all(c.passed for c in checks):
        return checks
    fixed = scenario.fixed_files()
    regression = {scenario.regression.file: scenario.regression.source}
    visible_bug, visible_fix, hidden_fix, hidden_bug, report, logs = parallel(
        [
            lambda: run_tests(runner, scenario.files, scenario.visible_tests),
            lambda: run_tests(runner, fixed, scenario.visible_tests),
            lambda: run_hidden(runner, scenario, fixed),
            lambda: run_hidden(runner, scenario, scenario.files),
            lambda: run_regression(runner, scenario, regression, fixed),
            lambda: run_logs(runner, scenario, scenario.files),
        ],
        workers=6,
    )
    raised = [o.name for o in visible_bug if o.status is CaseStatus.RAISED]
    checks.append(
        _check(scenario, "bug fails its visible tests", bool(raised), ", ".join(raised) or "every test passed")
    )
    fix_verdict = TestVerdict.of(visible_fix)
    checks.append(_check(scenario, "fix passes the visible tests", fix_verdict.verdict == "passed", fix_verdict.detail))
    failed = [f"{g.group}: {', '.join(g.failed_checks)}" for g in hidden_fix.groups if g.failed_checks]
    checks.append(
        _check(scenario, "fix passes the hidden tests", hidden_fix.all_passed, "; ".join(failed) or "all passed")
    )
    checks.append(
        _check(
            scenario,
            "bug fails a hidden test",
            not hidden_bug.all_passed,
            f"the bug passes {hidden_bug.share:.0%} of the hidden weight",
        )
    )
    checks.append(
        _check(
            scenario,
            "regression test fails on the bug and passes on the fix",
            report.valid,
            f"bug: {report.on_bug.verdict}, fix: {report.on_reference_fix.verdict}",
        )
    )
    hidden_mutants = parallel(
        [functools.partial(run_hidden, runner, scenario, scenario.mutant_files(m)) for m in scenario.mutants]
    )
    for mutant, hidden in zip(scenario.mutants, hidden_mutants, strict=True):
        by_regression = mutant.id in report.mutants_caught
        by_hidden = not hidden.all_passed
        how = [name for name, yes in (("regression test", by_regression), ("hidden tests", by_hidden)) if yes]
        checks.append(
            _check(
                scenario,
                f"mutant {mutant.id} is caught",
                bool(how),
                " and ".join(how) if how else "neither the regression test nor a hidden test fails",
            )
        )
    checks.append(
        _check(
            scenario,
            "holds the bug written another way",
            len(scenario.equivalent_bugs) >= MIN_EQUIVALENT_BUGS,
            f"{len(scenario.equivalent_bugs)} (at least {MIN_EQUIVALENT_BUGS}: renamed, reformatted, restructured)",
        )
    )
    bug_visible = parallel(
        [
            functools.partial(run_tests, runner, scenario.equivalent_files(same_bug), scenario.visible_tests)
            for same_bug in scenario.equivalent_bugs
        ]
    )
    verdicts = dict(report.on_equivalent_bugs)
    for same_bug, outcomes in zip(scenario.equivalent_bugs, bug_visible, strict=True):
        visible = TestVerdict.of(outcomes)
        regression_verdict = verdicts[same_bug.id]
        checks.append(
            _check(
                scenario,
                f"equivalent bug {same_bug.id} fails like the bug",
                visible.verdict == "failed" and regression_verdict.verdict == "failed",
                f"visible tests: {visible.verdict}; reference regression test: {regression_verdict.verdict}",
            )
        )
    missed = [m.id for m in scenario.mutants if m.id not in report.mutants_caught]
    checks.append(
        _check(
            scenario,
            "reference regression test catches every mutant",
            not missed,
            f"misses {', '.join(missed)}" if missed else f"{len(scenario.mutants)} caught",
        )
    )
    checks.extend(_equivalent_checks(runner, scenario, regression))
    checks.append(_sealed_check(runner, scenario))
    checks.extend(probe_checks(runner, scenario))
    checks.append(_check(scenario, "log script produces output", bool(logs.strip()), f"{len(logs)} characters"))
    return checks


#: Passes only where a sealed test run left no program file to read (every one imported on its own).
SEALED_PROBE = {
    "test_sealed_probe.py": """
import os


def test_no_program_file_is_left_to_read():
    left = [os.path.join(d, n) for d, _, names in os.walk(".") for n in names if n != "test_sealed_probe.py"]
    assert not left, left
"""
}


def _sealed_check(runner: CodeRunner, scenario: BugScenario) -> ContentCheck:
    """Every program the regression test is judged on leaves no file a test could read."""
    report = run_regression(runner, scenario, SEALED_PROBE, scenario.fixed_files())
    verdicts = [
        ("bug", report.on_bug),
        ("reference fix", report.on_reference_fix),
        *report.on_equivalent_fixes,
        *report.on_equivalent_bugs,
    ]
    open_ = [f"{name}: {v.detail}" for name, v in verdicts if v.verdict != "passed"]
    mutants_open = len(report.mutants_caught)
    if mutants_open:
        open_.append(f"{mutants_open} of {report.mutants_total} mutants")
    detail = "; ".join(open_) or f"{len(verdicts) + report.mutants_total} programs sealed"
    return _check(scenario, "every program is sealed in test runs", not open_, detail)


def _equivalent_checks(runner: CodeRunner, scenario: BugScenario, regression: dict[str, str]) -> list[ContentCheck]:
    """Each equivalent fix behaves as the reference fix: visible, hidden and reference regression tests pass."""
    count = len(scenario.equivalent_fixes)
    checks = [
        _check(
            scenario,
            "holds enough equivalent fixes",
            count >= MIN_EQUIVALENT_FIXES,
            f"{count} (at least {MIN_EQUIVALENT_FIXES}: renamed, reformatted, restructured)",
        )
    ]
    programs = [scenario.equivalent_files(fix) for fix in scenario.equivalent_fixes]
    results = parallel(
        [
            functools.partial(
                lambda program: (
                    TestVerdict.of(run_tests(runner, program, scenario.visible_tests)),
                    run_hidden(runner, scenario, program),
                    TestVerdict.of(run_tests(runner, program, regression)),
                ),
                program,
            )
            for program in programs
        ]
    )
    for fix, (visible, hidden, reference_test) in zip(scenario.equivalent_fixes, results, strict=True):
        problems = []
        if visible.verdict != "passed":
            problems.append(f"visible tests: {visible.detail}")
        if not hidden.all_passed:
            problems.append(
                "hidden: "
                + "; ".join(f"{g.group}: {', '.join(g.failed_checks)}" for g in hidden.groups if g.failed_checks)
            )
        if reference_test.verdict != "passed":
            problems.append(f"reference regression test: {reference_test.detail}")
        checks.append(
            _check(
                scenario,
                f"equivalent fix {fix.id} passes like the reference",
                not problems,
                "; ".join(problems) or fix.description,
            )
        )
    return checks


#: The code that decides a scenario's checks (its kept checks are dropped when any of it changes).
VALIDATING_PACKAGES = ("interview_debugging", "interview_engine")


def scenario_key(scenario: BugScenario, runner: CodeRunner) -> str | None:
    """What decides a scenario's checks: its content, the validating code and the runner's identity
    (``None`` for a runner without one: its results are not promised to repeat)."""
    return content_key(runner, _content(scenario), VALIDATING_PACKAGES)


def _content(scenario: BugScenario) -> object:
    return [MODULE, converter.unstructure(scenario)]


def validate_pack(
    runner: CodeRunner,
    pack: DebugPack,
    *,
    cache: ValidationCache | None = None,
    timings: dict[str, float] | None = None,
) -> list[ContentCheck]:
    """Every scenario's checks, scenarios validated side by side (one per core), each kept in ``cache``
    by content hash once all its checks pass."""
    checks = [
        ContentCheck(module=MODULE, check="pack loads", passed=True, detail=pack.info.kb_version),
    ]
    checks += validate_items(
        list(pack.scenarios.values()),
        _validate_or_fault,
        runner=runner,
        content=_content,
        packages=VALIDATING_PACKAGES,
        cache=cache,
        timings=timings,
        cost=_runs,
    )
    return checks


def _runs(scenario: BugScenario) -> float:
    """About how many instances validating ``scenario`` starts: the probes over every seed on each of its
    programs, hidden tests on the fixes, the bug and the mutants, and two regression runs per program."""
    fixes, bugs, mutants = len(scenario.equivalent_fixes), len(scenario.equivalent_bugs), len(scenario.mutants)
    probed = 2 + fixes + len(scenario.wrong_fixes) + bugs
    hidden = (2 + fixes + mutants) * (len(scenario.hidden) + 1)
    return probed * len(VALIDATION_SEEDS) + hidden + 2 * (3 + fixes + bugs + mutants)


def _validate_or_fault(runner: CodeRunner, scenario: BugScenario) -> list[ContentCheck]:
    """:func:`validate_scenario`, with an infrastructure fault (a run out of wall-clock time on a loaded
    machine, a sandbox error) reported as the scenario's failed check instead of ending validation."""
    try:
        return validate_scenario(runner, scenario)
    except SandboxFault as exc:
        return [_check(scenario, "the sandbox ran every program", False, str(exc))]
