"""Growth measurement: the sandbox's own series (old) against live coding's checked one (new), A B A B.

The new measurement sends each size through ``call_cases`` (the hidden tests' harness, one fresh
instance per size) and checks the answer against the reference; the old one called the function
from a separate growth mode with an empty call subtracted.  Run: ``.venv/bin/python
benchmarks/growth_measurement.py``.
"""

import time

from interview_live_coding import grading
from interview_live_coding.plugin import module
from interview_sandbox import Sandbox

m = module()
ids = ["backend-maintenance-windows", "backend-lru-cache", "frontend-markup-validator"]
lim = grading.growth_limits(m.heuristics.limits)
res = {"old": [], "new": []}
for _round in range(2):
    for label in ("old", "new"):
        sb = Sandbox(cache_size=0)
        t = time.perf_counter()
        for pid in ids:
            p = m.pack.problems[pid]
            if label == "old":
                sb.measure_growth(p.reference, p.entry, p.generator, p.growth_sizes, limits=lim)
            else:
                grading.measure(sb, p, p.reference, m.heuristics.limits)
        res[label].append(time.perf_counter() - t)
ratio = round(sum(res["new"]) / sum(res["old"]), 2)
print({k: [round(x, 2) for x in v] for k, v in res.items()}, "ratio new/old", ratio)
