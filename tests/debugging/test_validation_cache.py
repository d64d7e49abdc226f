"""Scenarios are validated once per content, validator and sandbox: a kept result is not run again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from attrs import evolve

from interview_debugging.pack import DebugPack
from interview_debugging.validation import scenario_key, validate_pack
from interview_engine import Engine
from interview_engine.validation_cache import ValidationCache


class _NoRuns:
    """A runner with the sandbox's identity that fails the test if anything runs."""

    def __init__(self, identity: str) -> None:
        self.identity = identity

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"{name} ran although the scenario's checks were kept")


def test_a_kept_scenario_is_not_run_again_and_a_changed_one_is(
    sqlite_engine: Engine, pack: DebugPack, tmp_path: Path
) -> None:
    runner = sqlite_engine.context.runner()
    scenario = pack.scenarios["be-mid-invoice-split"]
    one = evolve(pack, scenarios={scenario.id: scenario})
    cache = ValidationCache(tmp_path)
    first = validate_pack(runner, one, cache=cache)
    assert all(c.passed for c in first)
    again = validate_pack(_NoRuns(runner.identity), one, cache=cache)  # type: ignore[arg-type]
    assert again == first and cache.hits == 1

    edited = evolve(scenario, hints=[*scenario.hints, "Look at the remainder."])
    assert scenario_key(edited, runner) != scenario_key(scenario, runner)
    other_sandbox = _NoRuns(runner.identity + " (another harness)")
    assert scenario_key(scenario, other_sandbox) != scenario_key(scenario, runner)  # type: ignore[arg-type]
    assert scenario_key(scenario, _NoRuns("")) is None  # type: ignore[arg-type]


def test_validation_reports_an_infrastructure_fault_as_a_failed_check(pack: DebugPack) -> None:
    """A run that meets a sandbox fault (a wall-clock limit on a loaded machine) fails that scenario's
    check and names why; the other scenarios are still validated."""
    from interview_engine import CaseOutcome, CaseStatus

    class FaultyRunner:
        identity = ""

        def run(self, *args: Any, **kwargs: Any) -> Any:
            raise AssertionError("not reached")

        def run_test_functions(self, files: Any, test_files: Any, **kwargs: Any) -> list[CaseOutcome]:
            return [CaseOutcome("test_x.py::test_x", CaseStatus.SANDBOX_ERROR, error="the sandbox is damaged")]

        def call_cases(self, source: str, entry: str, cases: Any, **kwargs: Any) -> list[CaseOutcome]:
            return [CaseOutcome(c.name, CaseStatus.SANDBOX_ERROR, error="the sandbox is damaged") for c in cases]

    two = evolve(pack, scenarios={k: pack.scenarios[k] for k in ("be-mid-invoice-split", "be-mid-post-tags")})
    checks = validate_pack(FaultyRunner(), two)  # type: ignore[arg-type]
    faults = [c for c in checks if c.check == "the sandbox ran every program"]
    assert [c.item for c in faults] == ["be-mid-invoice-split", "be-mid-post-tags"]
    assert all(not c.passed and "the sandbox is damaged" in c.detail for c in faults)
