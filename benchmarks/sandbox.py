"""HumanEval through the sandbox, through native ``python -I`` and through eryx, interleaved.

    .venv/bin/python benchmarks/sandbox.py [--limit N] [--rounds 4] [--no-eryx] [--baseline DIR]

Every program runs in a fresh isolated instance (a fresh ``Sandbox.run`` instance, a fresh
``python -I`` process, a fresh ``eryx.Sandbox()``).  The engines are interleaved program by
program: each program runs once in each, back to back, in an order that rotates from one
program to the next (A B C, B C A, ...), so that a change in the machine's load hits every
engine alike; a round is one pass over every program, and the ratios are taken within a
round.  Two-thread throughput is a phase of its own in each round.  It prints, per round,
ms per program of each engine, the ratios, and the CPU other processes used meanwhile (in
cores: the machine is shared, so read the ratios, and the absolute figures only near 0).

eryx (PyPI ``pyeryx``: CPython in Wasmtime with a pre-initialised interpreter) needs Python
>= 3.12, so the benchmark makes its own venv for it, outside the repository, from an
interpreter already on this machine (``uv python find``, then pyenv); it is never a project
dependency.  Without such an interpreter the eryx phase is skipped and the output says why.

Every engine runs in a process of its own that times each run itself: this checkout's sandbox in a
worker process of this venv (its ``sandbox_wasm/src`` and ``src`` first on the path), eryx in its
own, native in a fresh process per program.  Timed in the benchmark's own process instead, the same
sandbox sources ran 0.90x and 0.96x (medians of 4 rounds) of themselves in a worker: an A/A bias
in our favour as large as the changes it was measuring.

``--baseline DIR`` adds the sandbox of another checkout (``DIR/sandbox_wasm/src`` and ``DIR/src``
first on its path, e.g. ``git worktree add /tmp/base main``) as one more engine, in a worker
process exactly like ours, so a change is measured against its baseline program by program in
the same run.  Its runtime cache is this one's (same snapshot when the guest is unchanged).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from interview_sandbox import Limits, Sandbox
from interview_sandbox.runtime import cache_root

REPO = Path(__file__).resolve().parents[1]
_RELATIVE = Path("shared/datasets/humaneval/HumanEval.jsonl.gz")
ERYX = "pyeryx==0.11.0"
LIMITS = Limits(wall_ms=20_000)

_ERYX_WORKER = r"""
import json, sys, time
import eryx
programs = json.load(open(sys.argv[1]))
eryx.Sandbox().execute("pass")  # load and compile once, outside the timings
print("ready", flush=True)
for line in sys.stdin:
    start, passed = time.perf_counter(), True
    try:
        eryx.Sandbox().execute(programs[int(line)])
    except Exception:
        passed = False
    print(json.dumps({"wall": time.perf_counter() - start, "passed": passed}), flush=True)
"""

_SANDBOX_WORKER = r"""
import json, sys, time
import interview_sandbox
from interview_sandbox import Limits, Sandbox
programs = json.load(open(sys.argv[1]))
sandbox, limits = Sandbox(cache_size=0, threads=2), Limits(wall_ms=20_000)
for source in programs:  # load the runtime and fault in the snapshot, outside the timings, as ours does
    sandbox.run(source, limits=limits)
print("ready", interview_sandbox.__file__, flush=True)
for line in sys.stdin:
    start = time.perf_counter()
    passed = sandbox.run(programs[int(line)], limits=limits).ok
    print(json.dumps({"wall": time.perf_counter() - start, "passed": passed}), flush=True)
"""


def dataset_path() -> Path:
    """``shared/`` beside the repository (CI), or beside any parent (a worktree)."""
    for parent in REPO.parents:
        if (parent / _RELATIVE).exists():
            return parent / _RELATIVE
    return REPO.parent / _RELATIVE


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


def _python312() -> tuple[str | None, str]:
    """An interpreter >= 3.12 already on this machine, and how it was found (or why none was)."""
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    for version in ("3.12", "3.13", "3.14"):
        found = subprocess.run(
            [sys.executable, "-m", "uv", "python", "find", version], capture_output=True, text=True, env=env
        )
        if found.returncode == 0 and found.stdout.strip():
            return found.stdout.strip(), f"uv python find {version}"
    for root in sorted(Path.home().glob(".pyenv/versions/3.1[2-9]*")):
        if (root / "bin/python").exists():
            return str(root / "bin/python"), f"pyenv {root.name}"
    return None, "no Python >= 3.12 on this machine (uv python find, ~/.pyenv/versions), and none is downloaded"


class Worker:
    """An engine in a worker process that runs one program per request and times it itself."""

    def __init__(self, python: str, script: str, programs: list[str], env: dict[str, str] | None = None) -> None:
        self._tasks = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)  # noqa: SIM115
        json.dump(programs, self._tasks)
        self._tasks.close()
        self.worker = subprocess.Popen(
            [python, "-c", script, self._tasks.name], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
        )
        assert self.worker.stdout is not None
        ready = self.worker.stdout.readline().split(maxsplit=1)
        if not ready or ready[0] != "ready":
            raise RuntimeError("the worker did not start")
        self.note = ready[1].strip() if len(ready) > 1 else ""

    def one(self, index: int) -> tuple[bool, float]:
        """Program ``index`` in a fresh sandbox of the worker's engine: whether it passed, and its time there."""
        assert self.worker.stdin is not None and self.worker.stdout is not None
        self.worker.stdin.write(f"{index}\n")
        self.worker.stdin.flush()
        result = json.loads(self.worker.stdout.readline())
        return bool(result["passed"]), float(result["wall"])

    def cpu(self) -> float:
        with open(f"/proc/{self.worker.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        if self.worker.stdin is not None:
            self.worker.stdin.close()
        self.worker.wait(timeout=30)
        os.unlink(self._tasks.name)


class Eryx(Worker):
    """eryx in its own venv."""

    def __init__(self, programs: list[str]) -> None:
        python, self.found = _python312()
        if python is None:
            raise RuntimeError(self.found)
        venv = cache_root() / f"bench-eryx-{ERYX.replace('==', '-')}"
        if not (venv / "bin/python").exists():
            shutil.rmtree(venv, ignore_errors=True)
            subprocess.run([python, "-m", "venv", str(venv)], check=True)
            subprocess.run([str(venv / "bin/python"), "-m", "pip", "install", "--quiet", ERYX], check=True)
        super().__init__(str(venv / "bin/python"), _ERYX_WORKER, programs)


class SandboxWorker(Worker):
    """The sandbox of a checkout (this one, or ``--baseline``'s), in this venv, with its sources first on the path."""

    def __init__(self, checkout: Path, programs: list[str]) -> None:
        sources = [checkout / "sandbox_wasm/src", checkout / "src"]
        missing = [str(path) for path in sources if not path.is_dir()]
        if missing:
            raise RuntimeError(f"--baseline {checkout}: no {', '.join(missing)}")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(path) for path in sources)}
        super().__init__(sys.executable, _SANDBOX_WORKER, programs, env)


def _machine_cpu() -> float:
    with open("/proc/stat") as stat:
        ticks = [int(x) for x in stat.readline().split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def _own_cpu(workers: list[Worker]) -> float:
    own = sum(
        getattr(resource.getrusage(who), name)
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        for name in ("ru_utime", "ru_stime")
    )
    return own + sum(worker.cpu() for worker in workers)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None, help="only the first N tasks")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--no-eryx", action="store_true", help="skip the eryx phase")
    parser.add_argument("--baseline", type=Path, default=None, help="a checkout whose sandbox runs as one more engine")
    args = parser.parse_args()
    tasks = load(args.limit)
    solved = [program(t) for t in tasks]
    n = len(tasks)
    sandbox = Sandbox(cache_size=0, threads=2)

    def in_sandbox(source: str) -> bool:
        return sandbox.run(source, limits=LIMITS).ok

    def timed(func: Callable[[str], bool]) -> Callable[[int], tuple[bool, float]]:
        def one(index: int) -> tuple[bool, float]:
            start = time.perf_counter()
            passed = func(solved[index])
            return passed, time.perf_counter() - start

        return one

    def two_threads() -> tuple[int, float]:
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=2) as pool:
            passed = sum(pool.map(in_sandbox, solved))
        return passed, time.perf_counter() - start

    # Outside the timings: load the runtime, fault in the compiled snapshot, check prompts fail.
    prompts_passed = sum(ThreadPoolExecutor(2).map(in_sandbox, [program(t, solved=False) for t in tasks]))
    for source in solved:
        in_sandbox(source)
    ours = SandboxWorker(REPO, solved)
    workers: list[Worker] = [ours]
    engines: dict[str, Callable[[int], tuple[bool, float]]] = {"sandbox": ours.one, "native": timed(native)}
    eryx_note = "skipped (--no-eryx)"
    if not args.no_eryx:
        try:
            eryx = Eryx(solved)
            workers.append(eryx)
            engines["eryx"] = eryx.one
            eryx_note = f"{ERYX} in its own venv ({eryx.found})"
        except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
            eryx_note = f"skipped: {exc}"
    if args.baseline is not None:
        try:
            baseline = SandboxWorker(args.baseline, solved)
        except (RuntimeError, OSError) as exc:
            parser.error(str(exc))
        workers.append(baseline)
        engines["baseline"] = baseline.one
        eryx_note += f"; baseline: {baseline.note}"
    eryx_note += f"; ours: {ours.note}"
    names = list(engines)
    per_round: list[dict[str, tuple[int, float, float]]] = []
    try:
        for r in range(args.rounds):
            totals = dict.fromkeys(names, 0.0)
            passes = dict.fromkeys(names, 0)
            machine0, own0, began = _machine_cpu(), _own_cpu(workers), time.perf_counter()
            for index in range(n):
                shift = (index + r) % len(names)
                for name in names[shift:] + names[:shift]:
                    passed, wall = engines[name](index)
                    totals[name] += wall
                    passes[name] += passed
            others = max(0.0, (_machine_cpu() - machine0) - (_own_cpu(workers) - own0)) / (time.perf_counter() - began)
            row = {name: (passes[name], totals[name] / n * 1000, others) for name in names}
            machine0, own0 = _machine_cpu(), _own_cpu(workers)
            passed2, wall2 = two_threads()
            others2 = max(0.0, (_machine_cpu() - machine0) - (_own_cpu(workers) - own0)) / wall2
            row["sandbox 2 threads"] = (passed2, wall2 / n * 1000, others2)
            per_round.append(row)
            print(
                f"round {r + 1}: "
                + ", ".join(f"{k} {v[1]:.1f} ms ({v[0]}/{n} pass, others {v[2]:.2f} cores)" for k, v in row.items())
            )
    finally:
        for worker in workers:
            worker.close()
    names.append("sandbox 2 threads")

    def spread(values: list[float], unit: str = "") -> str:
        return f"{min(values):.2f}{unit} to {max(values):.2f}{unit} (median {statistics.median(values):.2f}{unit})"

    lines = [
        f"tasks: {n}, rounds: {args.rounds}, eryx: {eryx_note}",
        f"sandbox prompts-only pass: {prompts_passed}/{n}",
    ]
    for name in names:
        lines.append(f"{name} ms/program: " + spread([row[name][1] for row in per_round]))
    lines.append("ratio sandbox / native: " + spread([row["sandbox"][1] / row["native"][1] for row in per_round], "x"))
    if "eryx" in names:
        lines.append("ratio sandbox / eryx: " + spread([row["sandbox"][1] / row["eryx"][1] for row in per_round], "x"))
    if "baseline" in names:
        ratios = [row["sandbox"][1] / row["baseline"][1] for row in per_round]
        lines.append("ratio sandbox / baseline: " + spread(ratios, "x"))
        if "eryx" in names:
            lines.append(
                "ratio baseline / eryx: " + spread([row["baseline"][1] / row["eryx"][1] for row in per_round], "x")
            )
    lines.append(
        "2 threads vs 1: "
        + spread([row["sandbox"][1] / row["sandbox 2 threads"][1] for row in per_round], "x")
        + "; other processes' CPU: "
        + spread([v[2] for row in per_round for v in row.values()], " cores")
        + f"; load average {os.getloadavg()[0]:.1f}"
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
