"""Validation of a scenario's random probes (part of ``interview content validate``).

Over :data:`VALIDATION_SEEDS`: the probes draw, the reference fix returns on every case, the bug
fails them, every equivalent fix passes them, every wrong fix fails them, and the verdict of each
check on the bug and on each wrong fix is the same for every seed (a session's draw never decides
whether a fix counts).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from interview_debugging.execution import SandboxFault, parallel, run_probes
from interview_debugging.pack import MODULE
from interview_debugging.scenario import BugScenario
from interview_engine import CodeRunner, ContentCheck

__all__ = ["MIN_WRONG_FIXES", "VALIDATION_SEEDS", "probe_checks"]

#: Seeds the probes are validated with (sessions use others: the verdicts must not depend on it).
VALIDATION_SEEDS = tuple(range(8))
#: Wrong fixes a scenario must hold (at least the one hard-coded to the visible test).
MIN_WRONG_FIXES = 1


def _check(scenario: BugScenario, name: str, passed: bool, detail: str = "") -> ContentCheck:
    return ContentCheck(module=MODULE, check=name, passed=passed, detail=detail, item=scenario.id)


Verdicts = tuple[tuple[str, bool], ...]


def _verdicts(runner: CodeRunner, scenario: BugScenario, program: Mapping[str, str], seed: int) -> Verdicts | str:
    """Each check's verdict (title, counts) on ``program`` for ``seed``, or why the probes could not run."""
    try:
        groups = run_probes(runner, scenario, program, seed)
    except (SandboxFault, ValueError) as exc:
        return str(exc)
    except Exception as exc:  # the pack's draw code raised: name it, never crash validation
        return f"the draw raised {type(exc).__name__}: {exc}"
    return tuple((group.group, group.share == 1.0) for group in groups)


def probe_checks(runner: CodeRunner, scenario: BugScenario) -> list[ContentCheck]:
    """Run the probes on the bug, the reference, every equivalent and every wrong fix, over several seeds."""
    checks = [
        _check(
            scenario,
            "holds enough wrong fixes",
            len(scenario.wrong_fixes) >= MIN_WRONG_FIXES,
            f"{len(scenario.wrong_fixes)} (at least {MIN_WRONG_FIXES}: hard-coded to the visible test, symptom-only)",
        ),
    ]
    programs: dict[str, Mapping[str, str]] = {"bug": scenario.files, "reference fix": scenario.fixed_files()}
    programs |= {f"equivalent fix {fix.id}": scenario.equivalent_files(fix) for fix in scenario.equivalent_fixes}
    programs |= {f"wrong fix {fix.id}": scenario.equivalent_files(fix) for fix in scenario.wrong_fixes}
    programs |= {f"equivalent bug {bug.id}": scenario.equivalent_files(bug) for bug in scenario.equivalent_bugs}
    jobs = [
        functools.partial(_verdicts, runner, scenario, program, seed)
        for program in programs.values()
        for seed in VALIDATION_SEEDS
    ]
    results = parallel(jobs)
    per_seed = len(VALIDATION_SEEDS)
    for number, label in enumerate(programs):
        runs = results[number * per_seed : (number + 1) * per_seed]
        errors = [run for run in runs if isinstance(run, str)]
        if errors:
            checks.append(_check(scenario, f"probes run on the {label}", False, errors[0]))
            continue
        passes = [all(ok for _, ok in run) for run in runs]
        failing = sorted({title for run in runs for title, ok in run if not ok})
        if label.startswith(("bug", "wrong fix", "equivalent bug")):
            checks.append(
                _check(
                    scenario,
                    f"the random probes fail the {label}",
                    not any(passes),
                    f"fails {', '.join(failing)}" if not any(passes) else "passes the probes for some seed",
                )
            )
            checks.append(
                _check(
                    scenario,
                    f"the probes' verdicts on the {label} do not depend on the seed",
                    len(set(runs)) == 1,
                    f"seeds {', '.join(map(str, VALIDATION_SEEDS))}",
                )
            )
        else:
            checks.append(
                _check(
                    scenario,
                    f"the random probes pass the {label}",
                    all(passes),
                    "every check agrees" if all(passes) else f"disagrees on {', '.join(failing)}",
                )
            )
    return checks
