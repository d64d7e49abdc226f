"""``interview --help`` wall and CPU time, two installs interleaved A B A B.

    .venv/bin/python benchmarks/cli_startup.py [--runs 10] [--before /work/main/.venv/bin/interview]

Each round runs every command once per install, alternating, and reports the median wall
time and the median CPU time (user + system of the child) per install, their ratio, and the
CPU other processes used meanwhile (figures are only comparable when that is low).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _machine_cpu() -> float:
    with open("/proc/stat") as stat:
        ticks = [int(x) for x in stat.readline().split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def once(command: list[str]) -> tuple[float, float]:
    cpu0, start = _child_cpu(), time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start, _child_cpu() - cpu0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--before", default="/work/main/.venv/bin/interview", help="the install to compare with")
    parser.add_argument("--after", default=str(REPO / ".venv/bin/interview"))
    parser.add_argument("args", nargs="*", default=["--help"])
    args = parser.parse_args()
    installs = {"before": [args.before, *args.args], "after": [args.after, *args.args]}
    for command in installs.values():
        once(command)  # warm the page cache
    walls: dict[str, list[float]] = {name: [] for name in installs}
    cpus: dict[str, list[float]] = {name: [] for name in installs}
    machine0, own0, start = _machine_cpu(), _child_cpu(), time.perf_counter()
    for _ in range(args.runs):
        for name, command in installs.items():
            wall, cpu = once(command)
            walls[name].append(wall)
            cpus[name].append(cpu)
    elapsed = time.perf_counter() - start
    others = max(0.0, (_machine_cpu() - machine0) - (_child_cpu() - own0)) / elapsed
    for name in installs:
        wall, cpu = statistics.median(walls[name]) * 1000, statistics.median(cpus[name]) * 1000
        print(f"{name}: wall {wall:.0f} ms (min {min(walls[name]) * 1000:.0f}), CPU {cpu:.0f} ms")
    ratio_wall = statistics.median(walls["after"]) / statistics.median(walls["before"])
    ratio_cpu = statistics.median(cpus["after"]) / statistics.median(cpus["before"])
    print(f"after/before: wall {ratio_wall:.2f}x, CPU {ratio_cpu:.2f}x")
    print(f"other processes' CPU while timing: {others:.2f} cores; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
