"""Debugging grading integrity (issue 12): infrastructure faults are never the candidate's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interview_debugging.pack import DebugPack
from interview_engine import CaseOutcome, CaseStatus, Engine, NotGraded, SessionStatus
from interview_engine.module import ModuleContext
from tests.debugging.test_session import GOOD_DIAGNOSIS, SCENARIO, start


class FailingRunner:
    """A real runner whose test and call runs can be made to fail as the sandbox (not the code) would."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.failing = True

    def _fault(self, names: Sequence[str]) -> list[CaseOutcome]:
        return [CaseOutcome(name, CaseStatus.SANDBOX_ERROR, error="wasmtime crashed") for name in names]

    def call_cases(self, source: str, entry: str, cases: Sequence[Any], **kw: Any) -> list[CaseOutcome]:
        if self.failing:
            return self._fault([c.name for c in cases])
        return list(self.inner.call_cases(source, entry, cases, **kw))

    def run_test_functions(self, files: Any, test_files: Sequence[str], **kw: Any) -> list[CaseOutcome]:
        if self.failing:
            return self._fault([f"{path}::test" for path in test_files])
        return list(self.inner.run_test_functions(files, test_files, **kw))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_a_sandbox_fault_on_the_reference_fix_is_not_graded_and_can_be_retried(
    sqlite_engine: Engine, pack: DebugPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = pack.scenarios[SCENARIO]
    session_id = start(sqlite_engine)  # the baseline runs on the real sandbox
    failing = FailingRunner(sqlite_engine.context.runner())
    monkeypatch.setattr(ModuleContext, "runner", lambda self: failing)
    files = {**scenario.fixed_files(), scenario.regression.file: scenario.regression.source}
    payload = {"files": files, "diagnosis": GOOD_DIAGNOSIS, "location": "billing.py:19"}
    data = sqlite_engine.act(session_id, "submit", payload).data
    assert data == {"graded": False, "message": "not graded: the sandbox failed, try again", "retryable": True}
    assert sqlite_engine.store.get_evaluation(session_id) is None
    assert sqlite_engine.get_session(session_id).status is SessionStatus.ACTIVE
    with pytest.raises(NotGraded):
        sqlite_engine.end_session(session_id)
    assert sqlite_engine.store.get_evaluation(session_id) is None
    failing.failing = False
    sqlite_engine.end_session(session_id)
    evaluation = sqlite_engine.store.get_evaluation(session_id)
    assert evaluation is not None and evaluation.result == "fixed"  # was "unresolved" before the fix
    assert sqlite_engine.get_session(session_id).status is SessionStatus.EVALUATED


HASH_TEST = """
import hashlib
import pathlib

REFERENCE = "{digest}"


def test_billing_is_the_fixed_version():
    text = pathlib.Path("billing.py").read_bytes()
    assert hashlib.sha256(text).hexdigest() == REFERENCE
"""

GREP_TEST = """
import pathlib


def test_the_rounding_line_is_gone():
    assert "round(total_cents / people)" not in pathlib.Path("billing.py").read_text()
"""

COPIED_TEST = """
from billing import split_cents


def test_regression():
    shares = split_cents(10000, 3)
    assert sum(shares) == 10000, f"shares {shares} add up to {sum(shares)}"
"""

IMPORTED_TEST = """
from test_billing import test_shares_add_up_to_the_total


def test_again():
    test_shares_add_up_to_the_total()
"""


def _rigor(engine: Engine, scenario: Any, tests: dict[str, str]) -> dict[str, Any]:
    session_id = start(engine)
    files = {**scenario.fixed_files(), **tests}
    payload = {"files": files, "diagnosis": GOOD_DIAGNOSIS, "location": "billing.py:19"}
    return engine.act(session_id, "submit", payload).data


def test_a_test_of_the_fixed_files_hash_earns_almost_nothing(sqlite_engine: Engine, pack: DebugPack) -> None:
    import hashlib

    scenario = pack.scenarios[SCENARIO]
    digest = hashlib.sha256(scenario.fixed_files()["billing.py"].encode()).hexdigest()
    data = _rigor(sqlite_engine, scenario, {"test_hash.py": HASH_TEST.format(digest=digest)})
    # Before the equivalent fixes it scored 5.0, before sealed test runs 1 because it failed on
    # the equivalent fixes; now the program's file is gone once it is imported, so the test fails
    # on every program, the reference fix included: it cannot check bytes it cannot read.
    assert data["regression"]["onBug"] == "failed" and data["regression"]["onReferenceFix"] == "failed"
    assert data["rubric"]["testingRigor"] == pack.scoring.rigor_detects_bug
    assert any("fails on a correct fix" in e["text"] for e in data["evidence"])


def test_a_test_that_greps_for_the_faulty_line_earns_almost_nothing(sqlite_engine: Engine, pack: DebugPack) -> None:
    scenario = pack.scenarios[SCENARIO]
    data = _rigor(sqlite_engine, scenario, {"test_grep.py": GREP_TEST})
    # It scored 3.0 before the equivalent bugs, 1 before sealed runs (it passed on the bug written
    # otherwise); now the file it greps is not there to read on any program.
    assert data["regression"]["onBug"] == "failed" and data["regression"]["onReferenceFix"] == "failed"
    assert data["rubric"]["testingRigor"] == pack.scoring.rigor_detects_bug
    assert data["metrics"]["regressionValid"] == 0.0


@pytest.mark.parametrize("tests", [{"test_regression.py": COPIED_TEST}, {"test_again.py": IMPORTED_TEST}])
def test_a_copy_of_the_visible_failing_test_earns_part_credit_at_most(
    sqlite_engine: Engine, pack: DebugPack, tests: dict[str, str]
) -> None:
    scenario = pack.scenarios[SCENARIO]
    data = _rigor(sqlite_engine, scenario, tests)
    assert data["rubric"]["testingRigor"] <= pack.scoring.rigor_copy_cap < 5.0
    if "test_regression.py" in tests:  # the import of a visible test already fails on the fix (not collected)
        assert any("repeats the visible failing test" in e["text"] for e in data["evidence"])


def test_the_reference_regression_test_still_earns_full_rigor(sqlite_engine: Engine, pack: DebugPack) -> None:
    scenario = pack.scenarios[SCENARIO]
    data = _rigor(sqlite_engine, scenario, {scenario.regression.file: scenario.regression.source})
    assert data["rubric"]["testingRigor"] == 5.0


def test_every_scenario_holds_byte_different_equivalent_fixes(pack: DebugPack) -> None:
    from interview_debugging.validation import MIN_EQUIVALENT_FIXES

    for scenario in pack.scenarios.values():
        reference = scenario.fixed_files()
        variants = [scenario.equivalent_files(fix) for fix in scenario.equivalent_fixes]
        assert len(variants) >= MIN_EQUIVALENT_FIXES, scenario.id
        assert all(v != reference for v in variants) and len({str(sorted(v.items())) for v in variants}) == len(
            variants
        )


@given(st.text(max_size=400), st.text(max_size=400))
def test_copy_detection_never_raises(mine: str, visible: str) -> None:
    from interview_debugging.copies import copies_visible_tests

    assert copies_visible_tests({"test_mine.py": mine}, {"test_visible.py": visible}) in (True, False)
