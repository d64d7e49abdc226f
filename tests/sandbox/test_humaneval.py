"""HumanEval's canonical solutions pass in the sandbox; prompts alone fail (2 threads)."""

import importlib.util
from pathlib import Path

from interview_sandbox import Limits, Sandbox

_spec = importlib.util.spec_from_file_location(
    "bench_sandbox", Path(__file__).resolve().parents[2] / "benchmarks" / "sandbox.py"
)
assert _spec and _spec.loader
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def test_humaneval_canonical_pass_and_prompts_fail():
    tasks = bench.load()
    assert len(tasks) == 164
    sandbox = Sandbox(cache_size=0, threads=2)
    limits = Limits(wall_ms=20_000)
    solved = sandbox.map(lambda t: sandbox.run(bench.program(t), limits=limits).ok, tasks)
    prompts = sandbox.map(lambda t: sandbox.run(bench.program(t, solved=False), limits=limits).ok, tasks)
    assert sum(solved) == 164
    assert sum(prompts) == 0
