"""HumanEval through the sandbox and through native ``python -I``, in one run.

    .venv/bin/python benchmarks/sandbox.py [--limit N]

Prints pass counts (canonical programs and prompts alone), ms per program for
both, their ratio, sandbox throughput with 1 and 2 threads, and how much CPU other
processes used during each timed phase (figures are only comparable near 0).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from interview_sandbox import Limits, Sandbox

REPO = Path(__file__).resolve().parents[1]
_RELATIVE = Path("shared/datasets/humaneval/HumanEval.jsonl.gz")


def dataset_path() -> Path:
    """``shared/`` beside the repository (CI), or beside any parent (a worktree)."""
    for parent in REPO.parents:
        if (parent / _RELATIVE).exists():
            return parent / _RELATIVE
    return REPO.parent / _RELATIVE


LIMITS = Limits(wall_ms=20_000)


def load(limit: int | None = None) -> list[dict[str, str]]:
    with gzip.open(dataset_path(), "rt", encoding="utf-8") as handle:
        tasks = [json.loads(line) for line in handle if line.strip()]
    return tasks[:limit] if limit else tasks


def program(task: dict[str, str], *, solved: bool = True) -> str:
    body = task["canonical_solution"] if solved else ""
    return task["prompt"] + body + "\n" + task["test"] + f"\ncheck({task['entry_point']})\n"


def native(source: str) -> bool:
    done = subprocess.run([sys.executable, "-I", "-c", source], capture_output=True, timeout=60, check=False)
    return done.returncode == 0


def _cpu_seconds() -> tuple[float, float]:
    """CPU time of the whole machine and of this process (with its children)."""
    with open("/proc/stat") as stat:
        ticks = [int(x) for x in stat.readline().split()[1:]]
    machine = (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")
    own = sum(
        getattr(resource.getrusage(who), field)
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        for field in ("ru_utime", "ru_stime")
    )
    return machine, own


OTHER_LOAD: dict[str, float] = {}


def timed(func, items, threads: int, label: str = "") -> tuple[list, float]:  # type: ignore[no-untyped-def]
    machine0, own0 = _cpu_seconds()
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(func, items))
    wall = time.perf_counter() - start
    machine1, own1 = _cpu_seconds()
    if label:
        OTHER_LOAD[label] = max(0.0, (machine1 - machine0) - (own1 - own0)) / wall
    return results, wall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None, help="only the first N tasks")
    args = parser.parse_args()
    tasks = load(args.limit)
    solved = [program(t) for t in tasks]
    prompts = [program(t, solved=False) for t in tasks]
    sandbox = Sandbox(cache_size=0)
    sandbox.run("pass")  # load the runtime once, outside the timings

    def in_sandbox(source: str) -> bool:
        return sandbox.run(source, limits=LIMITS).ok

    results1, wall1 = timed(in_sandbox, solved, 1, "sandbox 1 thread")
    results2, wall2 = timed(in_sandbox, solved, 2, "sandbox 2 threads")
    prompt_results, _ = timed(in_sandbox, prompts, 2)
    native_results, native_wall = timed(native, solved, 1, "native")
    n = len(tasks)
    per_sandbox, per_native = wall1 / n * 1000, native_wall / n * 1000
    lines = [
        f"tasks: {n}",
        f"sandbox canonical pass: {sum(results1)}/{n} (2 threads: {sum(results2)}/{n})",
        f"sandbox prompts-only pass: {sum(prompt_results)}/{n}",
        f"native canonical pass: {sum(native_results)}/{n}",
        f"sandbox ms/program (1 thread): {per_sandbox:.1f}",
        f"native python -I ms/program: {per_native:.1f}",
        f"ratio sandbox/native: {per_sandbox / per_native:.2f}x",
        f"sandbox throughput 1 thread: {n / wall1:.1f} programs/s",
        f"sandbox throughput 2 threads: {n / wall2:.1f} programs/s ({wall1 / wall2:.2f}x)",
        "other processes' CPU (cores) while timing: "
        + ", ".join(f"{label} {load:.2f}" for label, load in OTHER_LOAD.items()),
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
