"""Everything that runs code: visible tests, hidden checks, regression-test verdicts, logs.

All runs go through the engine's :class:`~interview_engine.CodeRunner`.  Hidden
checks run as ``call_cases`` that *return* what they observed; the expected
values stay on the host and are compared with :func:`interview_engine.wire.same`.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from attrs import field, frozen

from interview_debugging.probes import ReferenceOutputs, draw_cases, probe_call
from interview_debugging.scenario import BugScenario, is_test_file
from interview_engine import CallCase, CaseOutcome, CaseStatus, CodeRunner, InvalidInput, Limits
from interview_engine.wire import encode, same

__all__ = [
    "HiddenGroupResult",
    "HiddenReport",
    "RegressionReport",
    "SandboxFault",
    "TestVerdict",
    "candidate_tests",
    "format_outcomes",
    "parallel",
    "run_hidden",
    "run_logs",
    "run_probes",
    "run_regression",
    "run_tests",
    "working_copy",
]


LIMITS = Limits(wall_ms=10_000)
MAX_FILES = 20
MAX_FILE_BYTES = 64 * 1024
_PROBE_ENTRY = "__hidden_check__"
_RESERVED = {"conftest.py", "sitecustomize.py", "usercustomize.py", "__main__.py"}
_NOT_A_VERDICT = (CaseStatus.NOT_RUN, CaseStatus.SANDBOX_ERROR)


class SandboxFault(Exception):
    """A run met an infrastructure fault (``SANDBOX_ERROR``): nothing of this grading may be scored."""


def _no_fault(outcomes: Sequence[CaseOutcome]) -> list[CaseOutcome]:
    if any(o.status is CaseStatus.SANDBOX_ERROR for o in outcomes):
        raise SandboxFault(next(o.error for o in outcomes if o.status is CaseStatus.SANDBOX_ERROR))
    return list(outcomes)


def parallel(jobs: Sequence[Callable[[], Any]], workers: int = 4) -> list[Any]:
    """Run independent sandbox jobs on threads (runs release the GIL); results in order."""
    if len(jobs) <= 1:
        return [job() for job in jobs]
    with ThreadPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        return list(pool.map(lambda job: job(), jobs))


def _check_path(path: Any) -> str:
    if not isinstance(path, str) or not path:
        raise InvalidInput("file names must be non-empty strings", field="files")
    parts = path.split("/")
    if path.startswith("/") or "\\" in path or any(p in ("", ".", "..") for p in parts):
        raise InvalidInput(f"{path!r} must be a relative path inside the project", field="files")
    if not path.endswith(".py"):
        raise InvalidInput(f"{path!r}: only Python files (.py) can be submitted", field="files")
    name = parts[-1]
    if name in _RESERVED or (len(parts) == 1 and name[:-3] in sys.stdlib_module_names):
        raise InvalidInput(f"{path!r} would shadow a module the tests rely on; rename it", field="files")
    return path


def checked_files(files: Any) -> dict[str, str]:
    """The candidate's files, validated: relative ``.py`` paths to text, within size limits."""
    if files is None:
        return {}
    if not isinstance(files, Mapping):
        raise InvalidInput("must be an object of file name to text", field="files")
    if len(files) > MAX_FILES:
        raise InvalidInput(f"at most {MAX_FILES} files", field="files")
    result = {}
    for path, text in files.items():
        _check_path(path)
        if not isinstance(text, str):
            raise InvalidInput(f"{path!r}: the file's text must be a string", field="files")
        if len(text.encode("utf-8")) > MAX_FILE_BYTES:
            raise InvalidInput(f"{path!r} is larger than {MAX_FILE_BYTES // 1024} KiB", field="files")
        result[path] = text
    return result


def working_copy(scenario: BugScenario, files: Mapping[str, str]) -> dict[str, str]:
    """The program as the candidate has it: the scenario's files overlaid with theirs.

    Test files are never taken from here: the scenario's own tests come from the
    content pack, and the candidate's regression tests are added separately.
    """
    program = dict(scenario.files)
    for path, text in files.items():
        if not is_test_file(path):
            program[path] = text
    return program


def candidate_tests(scenario: BugScenario, files: Mapping[str, str]) -> dict[str, str]:
    """The candidate's own test files: any ``test_*.py`` that is not one of the scenario's."""
    return {
        path: text for path, text in sorted(files.items()) if is_test_file(path) and path not in scenario.visible_tests
    }


def run_tests(runner: CodeRunner, program: Mapping[str, str], tests: Mapping[str, str]) -> list[CaseOutcome]:
    """Run the ``test_*`` functions of ``tests`` against ``program``."""
    if not tests:
        return []
    files = {**program, **tests}
    return _no_fault(runner.run_test_functions(files, list(tests), limits=LIMITS))


def format_outcomes(outcomes: Iterable[CaseOutcome]) -> str:
    """A pytest-like report of test outcomes, with failure messages and captured output."""
    lines: list[str] = []
    counts = {"passed": 0, "failed": 0, "errors": 0}
    for outcome in outcomes:
        if outcome.status is CaseStatus.RETURNED:
            counts["passed"] += 1
            lines.append(f"{outcome.name} PASSED")
        elif outcome.status is CaseStatus.RAISED:
            counts["failed"] += 1
            lines.append(f"{outcome.name} FAILED")
        else:
            counts["errors"] += 1
            lines.append(f"{outcome.name} ERROR ({outcome.status.value})")
        if outcome.error:
            lines.extend(f"    {line}" for line in outcome.error.strip().splitlines())
        if outcome.stdout.strip():
            lines.append("    --- captured output ---")
            lines.extend(f"    {line}" for line in outcome.stdout.rstrip().splitlines())
    summary = ", ".join(f"{n} {label}" for label, n in counts.items() if n) or "no tests ran"
    lines.append(f"== {summary} ==")
    return "\n".join(lines) + "\n"


def run_logs(runner: CodeRunner, scenario: BugScenario, program: Mapping[str, str]) -> str:
    """The program's log: the scenario's log script run against ``program``."""
    result = runner.run(scenario.log_script, files=dict(program), limits=LIMITS)
    text = result.stdout
    if result.stderr:
        text += result.stderr
    if not result.ok:
        text += f"[exit: {result.status.value}{f', code {result.exit_code}' if result.exit_code else ''}]\n"
    return text


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@frozen
class HiddenGroupResult:
    """One group's result.  A ``random`` group (a probe) counts only when every drawn case agrees."""

    group: str
    weight: float
    passed: int
    total: int
    failed_checks: tuple[str, ...] = field(converter=_strings, default=())
    random: bool = False

    @property
    def share(self) -> float:
        if self.random:
            return 1.0 if self.total and self.passed == self.total else 0.0
        return self.passed / self.total if self.total else 0.0


def _weighted(groups: Sequence[HiddenGroupResult]) -> float:
    total = sum(g.weight for g in groups)
    return sum(g.weight * g.share for g in groups) / total if total else 0.0


@frozen
class HiddenReport:
    groups: tuple[HiddenGroupResult, ...] = field(converter=tuple)

    @property
    def share(self) -> float:
        """Weighted share of hidden checks passed, by group (0..1)."""
        return _weighted(self.groups)

    @property
    def random_share(self) -> float | None:
        """Weighted share of the random probes' groups passed (0..1), None without probes."""
        groups = [g for g in self.groups if g.random]
        return _weighted(groups) if groups else None

    @property
    def all_passed(self) -> bool:
        return all(g.passed == g.total for g in self.groups)


def _agrees(expected: CaseOutcome | None, actual: CaseOutcome | None) -> bool:
    return (
        expected is not None
        and actual is not None
        and actual.status is CaseStatus.RETURNED
        and same(expected.actual, actual.actual)
    )


_REFERENCE = ReferenceOutputs()
#: The fixed hidden groups' outcomes on the pack's own programs (the bug every submit is compared with).
_PACK_PROGRAMS = ReferenceOutputs(size=256)


def run_probes(
    runner: CodeRunner, scenario: BugScenario, program: Mapping[str, str], seed: int
) -> list[HiddenGroupResult]:
    """The scenario's random checks for ``seed`` on ``program``, compared on the host with the reference fix.

    The reference fix's outcomes are computed in the sandbox (kept by content hash); a check whose
    reference does not return is the content's fault, never the candidate's: :class:`SandboxFault`.
    """
    probes = scenario.probes
    drawn = draw_cases(probes, seed)
    source, entry = probe_call(probes)
    cases = [case for _, case in drawn]
    reference_program = scenario.fixed_files()

    def reference() -> list[CaseOutcome]:
        return list(runner.call_cases(source, entry, cases, files=reference_program, limits=LIMITS, own_fuel=False))

    key = ReferenceOutputs.key(reference_program, source, cases)
    if dict(program) == reference_program:
        # The reference fix itself, byte for byte: its outcomes are the reference's, run once.
        expected_outcomes = actual_outcomes = _no_fault(_REFERENCE.get(key, reference))
    else:
        expected_outcomes, actual_outcomes = parallel(
            [
                lambda: _no_fault(_REFERENCE.get(key, reference)),
                lambda: _no_fault(
                    runner.call_cases(source, entry, cases, files=dict(program), limits=LIMITS, own_fuel=False)
                ),
            ],
            workers=2,
        )
    expected = {o.name: o for o in expected_outcomes}
    broken = [name for name, o in expected.items() if o.status is not CaseStatus.RETURNED]
    if broken:
        raise SandboxFault(f"the reference fix of {scenario.id} did not return on probe {broken[0]}")
    actual = {o.name: o for o in actual_outcomes}
    results = []
    for check in probes.checks:
        names = [case.name for owner, case in drawn if owner is check]
        failed = [name for name in names if not _agrees(expected.get(name), actual.get(name))]
        results.append(
            HiddenGroupResult(check.title, check.weight, len(names) - len(failed), len(names), failed, random=True)
        )
    return results


def run_hidden(runner: CodeRunner, scenario: BugScenario, program: Mapping[str, str], seed: int = 0) -> HiddenReport:
    """Every hidden group and random probe against ``program``; the host compares the values.

    ``seed`` draws the probes' cases (the session's, see :func:`interview_debugging.probes.session_seed`).
    """

    files = dict(program)
    # The pack's own programs (the bug, the reference fix) meet the same fixed groups in every session.
    own = files in (scenario.files, scenario.fixed_files())

    def one(index: int) -> list[HiddenGroupResult]:
        group = scenario.hidden[index]
        source = f"{group.source}\n\ndef {_PROBE_ENTRY}(name):\n    return globals()[name]()\n"
        cases = [CallCase(name=name, args=(name,)) for name in group.expected]

        def run() -> list[CaseOutcome]:
            return list(runner.call_cases(source, _PROBE_ENTRY, cases, files=files, limits=LIMITS, own_fuel=False))

        outcomes = _no_fault(_PACK_PROGRAMS.get(ReferenceOutputs.key(files, source, cases), run) if own else run())
        by_name = {outcome.name: outcome for outcome in outcomes}
        failed = []
        for name, expected in group.expected.items():
            outcome = by_name.get(name)
            ok = (
                outcome is not None and outcome.status is CaseStatus.RETURNED and same(encode(expected), outcome.actual)
            )
            if not ok:
                failed.append(name)
        return [
            HiddenGroupResult(group.group, group.weight, len(group.expected) - len(failed), len(group.expected), failed)
        ]

    jobs: list[Callable[[], Any]] = [functools.partial(one, i) for i in range(len(scenario.hidden))]
    jobs.append(functools.partial(run_probes, runner, scenario, program, seed))
    return HiddenReport([group for groups in parallel(jobs) for group in groups])


@frozen
class TestVerdict:
    """How a set of tests went on one program: ``passed``, ``failed`` or ``error``."""

    __test__ = False

    verdict: str
    detail: str = ""

    @classmethod
    def of(cls, outcomes: Sequence[CaseOutcome]) -> TestVerdict:
        if not outcomes:
            return cls("error", "no test functions were collected")
        if all(o.status is CaseStatus.RETURNED for o in outcomes):
            return cls("passed", f"{len(outcomes)} passed")
        failing = [o for o in outcomes if o.status not in (CaseStatus.RETURNED, *_NOT_A_VERDICT)]
        if failing:
            first = failing[0]
            return cls("failed", f"{first.name}: {first.error or first.status.value}"[:300])
        broken = next(o for o in outcomes if o.status is not CaseStatus.RETURNED)
        return cls("error", f"{broken.name}: {broken.error or broken.status.value}"[:300])


def _pairs(value: Iterable[tuple[str, TestVerdict]]) -> tuple[tuple[str, TestVerdict], ...]:
    return tuple(value)


@frozen
class RegressionReport:
    """The verdicts of a regression test on the bug, the fixes (the reference and its equivalents) and the mutants."""

    on_bug: TestVerdict
    on_candidate_fix: TestVerdict
    on_reference_fix: TestVerdict
    mutants_caught: tuple[str, ...] = field(converter=_strings)
    mutants_total: int
    on_equivalent_fixes: tuple[tuple[str, TestVerdict], ...] = field(converter=_pairs, default=())
    on_equivalent_bugs: tuple[tuple[str, TestVerdict], ...] = field(converter=_pairs, default=())

    @property
    def failed_equivalents(self) -> list[str]:
        """The equivalent correct fixes the test does not pass (it checks how code is written)."""
        return [name for name, verdict in self.on_equivalent_fixes if verdict.verdict != "passed"]

    @property
    def missed_equivalent_bugs(self) -> list[str]:
        """The bug written otherwise, where the test does not fail (it checks the bug's text)."""
        return [name for name, verdict in self.on_equivalent_bugs if verdict.verdict != "failed"]

    @property
    def valid(self) -> bool:
        return (
            self.on_bug.verdict == "failed"
            and self.on_candidate_fix.verdict == "passed"
            and self.on_reference_fix.verdict == "passed"
            and not self.failed_equivalents
            and not self.missed_equivalent_bugs
        )


def _verdict(runner: CodeRunner, program: Mapping[str, str], tests: Mapping[str, str]) -> TestVerdict:
    return TestVerdict.of(run_tests(runner, program, tests))


def run_regression(
    runner: CodeRunner, scenario: BugScenario, tests: Mapping[str, str], candidate_program: Mapping[str, str]
) -> RegressionReport:
    """Run ``tests`` on the bug, the candidate's fix, the reference fix, every equivalent fix, every
    equivalent bug and every mutant."""
    programs = [scenario.files, candidate_program, scenario.fixed_files()]
    programs += [scenario.equivalent_files(f) for f in scenario.equivalent_fixes]
    programs += [scenario.equivalent_files(b) for b in scenario.equivalent_bugs]
    programs += [scenario.mutant_files(m) for m in scenario.mutants]
    # A program byte for byte another of the list (the candidate's fix that is the reference's) runs once.
    distinct: list[Mapping[str, str]] = []
    for program in programs:
        if all(dict(program) != dict(seen) for seen in distinct):
            distinct.append(program)
    ran = parallel([functools.partial(_verdict, runner, p, tests) for p in distinct])
    verdicts = [next(v for seen, v in zip(distinct, ran, strict=True) if dict(seen) == dict(p)) for p in programs]
    fixes_end = 3 + len(scenario.equivalent_fixes)
    bugs_end = fixes_end + len(scenario.equivalent_bugs)
    equivalents = [(f.id, v) for f, v in zip(scenario.equivalent_fixes, verdicts[3:fixes_end], strict=True)]
    bugs = [(b.id, v) for b, v in zip(scenario.equivalent_bugs, verdicts[fixes_end:bugs_end], strict=True)]
    caught = [m.id for m, v in zip(scenario.mutants, verdicts[bugs_end:], strict=True) if v.verdict == "failed"]
    return RegressionReport(verdicts[0], verdicts[1], verdicts[2], caught, len(scenario.mutants), equivalents, bugs)
