"""Debugging grading integrity (issue 12): infrastructure faults are never the candidate's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

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
