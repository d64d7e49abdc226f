"""Wall-clock deadlines under load: N concurrent looping runs, each with its own deadline.

    .venv/bin/python benchmarks/deadlines.py [--runs 12] [--wall-ms 2000]

Every run is ``while True: pass`` with fuel far above what the wall clock allows, so only the
deadline stops it.  Prints each run's wall time over its limit (the issue asks <= 1.2x).
A second phase adds a run that fills its scratch dir with 5000 files and 1500-deep dirs, so
the scratch police has work while the clocks tick (they run on separate threads).
"""

from __future__ import annotations

import argparse

from interview_engine.runner import Limits
from interview_sandbox import Sandbox

LOOP = "while True:\n    pass\n"
SCRATCH = (
    "import os\nfor i in range(5000):\n    open('f%d' % i, 'w').close()\n"
    "while True:\n    os.makedirs('d/' * 40, exist_ok=True)\n"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=12)
    parser.add_argument("--wall-ms", type=int, default=2000)
    args = parser.parse_args()
    limits = Limits(wall_ms=args.wall_ms, fuel=10**13)
    for label, programs in (("loops", [LOOP] * args.runs), ("loops + scratch", [LOOP] * (args.runs - 1) + [SCRATCH])):
        box = Sandbox(cache_size=0, threads=args.runs)
        results = box.run_many(programs, limits=limits)
        ratios = sorted(r.wall_ms / args.wall_ms for r in results)
        statuses = sorted({r.status.value for r in results})
        print(f"{label}: {args.runs} runs, statuses {statuses}, wall/limit min {ratios[0]:.3f} max {ratios[-1]:.3f}")


if __name__ == "__main__":
    main()
