"""Reference-solution submits end to end: live coding per problem, and debugging per scenario.

    .venv/bin/python benchmarks/submit.py [--runs 5] [--top 3]

Each submit is ``engine.act(session, "submit", ...)`` on a fresh session (SQLite in a temp
dir, the sandbox's result cache off), exactly as the web app and the CLI call it: hidden
tests, growth measurement, quality checks, evaluation and storage.  One untimed submit per
problem first; then rounds visit every problem in turn (interleaved, so load hits them
alike).  Prints the p50 and max per problem for the slowest ``--top`` problems and
scenarios, the p50 of the process CPU each submit cost (every thread of this process: on a
loaded machine the wall is mostly a wait for a core, the CPU is what the submit itself costs),
and the CPU other processes used meanwhile.  ``--rank cpu`` picks the slowest by CPU.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from collections.abc import Callable

from interview_engine import Engine
from interview_sandbox import Sandbox


def _cpu() -> tuple[float, float]:
    with open("/proc/stat") as stat:
        ticks = [int(x) for x in stat.readline().split()[1:]]
    machine = (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return machine, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--top", type=int, default=3)
    parser.add_argument("--only", nargs="*", default=None, help="problem or scenario ids to time")
    parser.add_argument("--rank", choices=("wall", "cpu"), default="wall", help="which p50 picks the slowest")
    args = parser.parse_args()
    import interview_sandbox.plugin as sandbox_plugin

    sandbox_plugin._shared = Sandbox(cache_size=0, threads=2)  # the engine's runner, its result cache off
    folder = tempfile.mkdtemp(prefix="bench-submit-")
    engine = Engine.create(f"sqlite:///{folder}/bench.db", migrate=True)
    user = engine.store.ensure_user("bench@example.com")
    coding = engine.modules["live_coding"]
    debugging = engine.modules["debugging"]
    jobs: dict[str, Callable[[], None]] = {}
    for problem in coding.pack.problems.values():  # type: ignore[attr-defined]

        def submit_problem(problem=problem) -> None:  # type: ignore[no-untyped-def]
            session = engine.start_session(
                user_id=user.id,
                module="live_coding",
                track=problem.track,
                difficulty=problem.difficulty,
                options={"problemId": problem.id},
            )
            engine.act(session.id, "submit", {"source": problem.reference, "complexity": problem.complexity})

        jobs[f"coding {problem.id}"] = submit_problem
    for scenario in debugging.pack.scenarios.values():  # type: ignore[attr-defined]

        def submit_fix(scenario=scenario) -> None:  # type: ignore[no-untyped-def]
            session = engine.start_session(
                user_id=user.id,
                module="debugging",
                track=scenario.track,
                difficulty=scenario.difficulty,
                options={"scenarioId": scenario.id},
            )
            files = {**scenario.fixed_files(), scenario.regression.file: scenario.regression.source}
            engine.act(session.id, "submit", {"files": files, "diagnosis": scenario.root_cause.explanation})

        jobs[f"debug {scenario.id}"] = submit_fix
    if args.only:
        jobs = {name: job for name, job in jobs.items() if name.split(" ", 1)[1] in args.only}
    for job in jobs.values():
        job()  # untimed: content, compiled sandbox, first-use costs
    times: dict[str, list[float]] = {name: [] for name in jobs}
    cpus: dict[str, list[float]] = {name: [] for name in jobs}
    machine0, own0, start = *_cpu(), time.perf_counter()
    for _ in range(args.runs):
        for name, job in jobs.items():
            cpu, began = _cpu()[1], time.perf_counter()
            job()
            times[name].append(time.perf_counter() - began)
            cpus[name].append(_cpu()[1] - cpu)
    machine1, own1 = _cpu()
    others = max(0.0, (machine1 - machine0) - (own1 - own0)) / (time.perf_counter() - start)
    engine.close()
    for kind in ("coding", "debug"):
        ranked = sorted(
            (
                (statistics.median(cpus[name] if args.rank == "cpu" else v), statistics.median(v), max(v), name)
                for name, v in times.items()
                if name.startswith(kind)
            ),
            reverse=True,
        )
        for _, p50, worst, name in ranked[: args.top]:
            cpu_p50 = statistics.median(cpus[name])
            print(
                f"{name}: p50 {p50 * 1000:.0f} ms, max {worst * 1000:.0f} ms, "
                f"CPU p50 {cpu_p50 * 1000:.0f} ms over {args.runs} submits"
            )
    print(f"other processes' CPU while timing: {others:.2f} cores; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
