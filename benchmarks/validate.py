"""``interview content validate`` uncached: where its time goes, per item and per kind of check.

    .venv/bin/python benchmarks/validate.py [--only ITEM ...] [--workers N] [--json FILE]

Validates the live-coding and debugging packs the way the command does (items on a pool of
``INTERVIEW_VALIDATE_WORKERS`` threads, default the cores; one shared sandbox bounded to as many
runs at once), with no validation cache and the sandbox's result cache on, as the command has it.
Every sandbox request is timed where it runs: its wall time and the CPU of the thread that ran it
(Wasmtime runs the guest on the calling thread), under the item it belongs to and the kind of check
that asked for it (the validator's function on the stack).  Prints the process's wall and CPU, the
CPU per kind of check, and the items by CPU; CPU is what a loaded machine moves least, and on two
idle cores the wall is about the CPU over two when the pool keeps both busy.
"""

from __future__ import annotations

import argparse
import contextvars
import json
import os
import resource
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import attrs

_ITEM: contextvars.ContextVar[str] = contextvars.ContextVar("item", default="-")
_original_submit = ThreadPoolExecutor.submit


def _submit_in_context(self: ThreadPoolExecutor, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """Nested pools carry the item they work for (a thread pool does not copy context by itself)."""
    return _original_submit(self, contextvars.copy_context().run, fn, *args, **kwargs)


_KIND: contextvars.ContextVar[str] = contextvars.ContextVar("kind", default="other")


def _labelled(function: Callable[..., Any], label: Callable[..., str]) -> Callable[..., Any]:
    """``function`` with its runs counted under ``label(*args)``, unless an outer check already named them."""

    def call(*args: Any, **kwargs: Any) -> Any:
        if _KIND.get() != "other":
            return function(*args, **kwargs)
        token = _KIND.set(label(*args))
        try:
            return function(*args, **kwargs)
        finally:
            _KIND.reset(token)

    return call


def _label_checks() -> None:
    from interview_debugging import validation as debug
    from interview_live_coding import grading
    from interview_live_coding import validation as coding

    def coding_hidden(runner: Any, problem: Any, source: str, *rest: Any) -> str:
        return "coding: reference hidden tests" if source == problem.reference else "coding: starter hidden tests"

    def debug_hidden(runner: Any, scenario: Any, program: Any, *rest: Any) -> str:
        if program == scenario.files:
            return "debug: hidden tests on the bug"
        fixed = program == scenario.fixed_files()
        return "debug: hidden tests on the fix" if fixed else "debug: hidden tests on mutants"

    def first_failures(runner: Any, problem: Any, source: str, *rest: Any) -> str:
        return "coding: starter hidden tests" if source == problem.starter else "coding: wrong solutions caught"

    coding._first_failures = _labelled(coding._first_failures, first_failures)
    coding._caught_at_scale = _labelled(coding._caught_at_scale, lambda *a: "coding: wrong at scale (growth)")
    grading.measure = _labelled(grading.measure, lambda *a: "coding: reference growth")
    grading.run_hidden = _labelled(grading.run_hidden, coding_hidden)
    for name, kind in [
        ("_sealed_check", "debug: sealed programs"),
        ("probe_checks", "debug: random probes over seeds"),
        ("_equivalent_checks", "debug: equivalent fixes (visible, hidden, regression)"),
        ("run_regression", "debug: reference regression test (bug, fixes, mutants)"),
        ("run_logs", "debug: logs"),
        ("run_tests", "debug: visible tests (bug, fix, equivalent bugs)"),
    ]:
        setattr(debug, name, _labelled(getattr(debug, name), lambda *a, kind=kind: kind))
    debug.run_hidden = _labelled(debug.run_hidden, debug_hidden)


class _Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_item: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])  # type: ignore[arg-type]
        self.by_kind: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])  # type: ignore[arg-type]

    def timed(self, call: Callable[[], Any], kind: str) -> Any:
        cpu, wall = time.thread_time(), time.perf_counter()
        try:
            return call()
        finally:
            cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
            with self.lock:
                for row in (self.by_item[_ITEM.get()], self.by_kind[kind]):
                    row[0] += cpu
                    row[1] += wall
                    row[2] += 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", default=None, help="problem or scenario ids to validate")
    parser.add_argument("--workers", type=int, default=None, help="INTERVIEW_VALIDATE_WORKERS")
    parser.add_argument("--json", default=None, help="write the figures here too")
    args = parser.parse_args()
    if args.workers:
        os.environ["INTERVIEW_VALIDATE_WORKERS"] = str(args.workers)
    ThreadPoolExecutor.submit = _submit_in_context  # type: ignore[method-assign]
    _label_checks()

    from interview_debugging import validation as debug_validation
    from interview_engine import Engine
    from interview_live_coding import validation as coding_validation

    folder = tempfile.mkdtemp(prefix="bench-validate-")
    engine = Engine.create(f"sqlite:///{folder}/bench.db", migrate=True)
    coding = engine.modules["live_coding"]
    debugging = engine.modules["debugging"]
    runner = engine.context.runner()
    recorder = _Recorder()
    for name in ("run", "call_cases", "measure_growth", "run_test_functions"):
        inner = getattr(runner, name)

        def wrapped(*a: Any, _inner: Callable[..., Any] = inner, **k: Any) -> Any:
            return recorder.timed(lambda: _inner(*a, **k), _KIND.get())

        setattr(runner, name, wrapped)
    wanted = set(args.only or [])
    coding_pack = coding.pack  # type: ignore[attr-defined]
    debug_pack = debugging.pack  # type: ignore[attr-defined]
    problems = {k: p for k, p in coding_pack.problems.items() if not wanted or k in wanted}
    scenarios = {k: s for k, s in debug_pack.scenarios.items() if not wanted or k in wanted}
    validate_problem, validate_scenario = coding_validation.validate_problem, debug_validation._validate_or_fault

    def check_problem(pack: Any, problem: Any, bounded: Any, heuristics: Any) -> Any:
        _ITEM.set(f"coding {problem.id}")
        return validate_problem(pack, problem, bounded, heuristics)

    def check_scenario(bounded: Any, scenario: Any) -> Any:
        _ITEM.set(f"debug {scenario.id}")
        return validate_scenario(bounded, scenario)

    # The packs' own validate_pack, as the command runs them (their pool, order and bounded runner).
    coding_validation.validate_problem = check_problem
    debug_validation._validate_or_fault = check_scenario
    timings: dict[str, float] = {}
    usage0, wall0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    load0 = os.getloadavg()[0]
    checks = debug_validation.validate_pack(runner, attrs.evolve(debug_pack, scenarios=scenarios), timings=timings)
    checks += coding_validation.validate_pack(
        attrs.evolve(coding_pack, problems=problems),
        runner,
        coding.heuristics,  # type: ignore[attr-defined]
        timings=timings,
    )
    usage1, wall = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter() - wall0
    cpu = usage1.ru_utime + usage1.ru_stime - usage0.ru_utime - usage0.ru_stime
    engine.close()
    failed = [c for c in checks if not c.passed]
    passed = len(checks) - len(failed)
    print(f"{len(problems)} problems, {len(scenarios)} scenarios: {passed}/{len(checks)} checks pass")
    for check in failed[:20]:
        print(f"  FAIL {check.item}: {check.check}: {check.detail[:160]}")
    load1 = os.getloadavg()[0]
    print(f"wall {wall:.1f} s, process CPU {cpu:.1f} s (CPU/2 {cpu / 2:.1f} s); load {load0:.1f} -> {load1:.1f}")
    print("by kind of check (thread CPU, wall summed over runs, runs):")
    for kind, (k_cpu, k_wall, runs) in sorted(recorder.by_kind.items(), key=lambda kv: -kv[1][0]):
        print(f"  {k_cpu:8.1f} s cpu {k_wall:8.1f} s wall {int(runs):6d}  {kind}")
    print("items by thread CPU (top 25; item wall with its pool neighbours):")
    ranked = sorted(recorder.by_item.items(), key=lambda kv: -kv[1][0])
    for item, (i_cpu, _, runs) in ranked[:25]:
        name = item.split(" ", 1)[-1]
        print(f"  {i_cpu:7.1f} s cpu {timings.get(name, 0.0):7.1f} s wall {int(runs):5d} runs  {item}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(
                {
                    "wall": wall,
                    "cpu": cpu,
                    "checks": len(checks),
                    "failed": [[c.item, c.check, c.detail] for c in failed],
                    "kinds": recorder.by_kind,
                    "items": recorder.by_item,
                    "item_wall": timings,
                },
                out,
                indent=1,
            )


if __name__ == "__main__":
    main()
