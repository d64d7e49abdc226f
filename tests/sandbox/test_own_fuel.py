"""``own_fuel=False``: a caller that never reads the fuel (debugging's checks) skips measuring the harness."""

from __future__ import annotations

from typing import Any

import pytest

from interview_engine import CallCase, CaseStatus
from interview_engine.jobs.runner import GradingRunner
from interview_sandbox import Sandbox

SOURCE = "def double(n):\n    return [n * 2] * 50\n"


def _counted(monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox) -> list[int]:
    instances = [0]
    execute = sandbox._execute

    def counting(*args: Any, **kwargs: Any) -> Any:
        instances[0] += 1
        return execute(*args, **kwargs)

    monkeypatch.setattr(sandbox, "_execute", counting)
    return instances


def test_the_same_outcomes_without_the_harness_measurement(monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox = Sandbox(cache_size=0)
    instances = _counted(monkeypatch, sandbox)
    cases = [CallCase(f"n={n}", (n,)) for n in range(3)]
    own = sandbox.call_cases(SOURCE, "double", cases)
    assert instances[0] == 2  # the cases, then the harness's own cost where no candidate code runs
    gross = sandbox.call_cases(SOURCE, "double", cases, own_fuel=False)
    assert instances[0] == 3
    assert [(o.name, o.status, o.actual) for o in gross] == [(o.name, o.status, o.actual) for o in own]
    assert all(o.status is CaseStatus.RETURNED for o in gross)
    assert all(g.fuel_used > o.fuel_used for g, o in zip(gross, own, strict=True))


def test_shared_results_keep_the_two_kinds_of_fuel_apart(sqlite_engine: Any) -> None:
    inner = Sandbox(cache_size=0)
    runner = GradingRunner(inner, sqlite_engine.store.run_results)
    cases = [CallCase("n=4", (4,))]
    gross = runner.call_cases(SOURCE, "double", cases, own_fuel=False)
    own = runner.call_cases(SOURCE, "double", cases)
    assert own[0].fuel_used < gross[0].fuel_used
    assert runner.call_cases(SOURCE, "double", cases, own_fuel=False) == gross
