"""Fix correctness comes from random probes compared on the host (issues 12 and 19).

Each attack below scored "fixed" (fix correctness 5.0) before the probes: a symptom-only fix, fixes
hard-coded to the visible test's input or to an id like "e1", and a program that answers tests
from their stack frames.  Now the reference fix's outputs on inputs drawn for the session decide.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interview_debugging.execution import run_hidden, run_probes
from interview_debugging.pack import DebugPack, load_pack
from interview_debugging.probes import draw_cases, session_seed
from interview_engine import Engine
from tests.debugging.test_session import start


def _wrong(pack: DebugPack, scenario_id: str, fix_id: str) -> dict[str, str]:
    scenario = pack.scenarios[scenario_id]
    return scenario.equivalent_files(next(f for f in scenario.wrong_fixes if f.id == fix_id))


def _submit(engine: Engine, scenario_id: str, files: dict[str, str]) -> dict[str, Any]:
    session_id = start(engine, scenario_id)
    payload = {"files": files, "diagnosis": "fixed it", "location": ""}
    data = engine.act(session_id, "submit", payload).data
    assert data["graded"] is True
    return data


@pytest.mark.parametrize(
    ("scenario_id", "fix_id"),
    [
        ("be-mid-post-tags", "copy-in-add-tag"),  # symptom only: the shared default list stays
        ("be-mid-invoice-split", "special-cases-the-visible-test"),  # split_cents(10000, 3) hard-coded
        ("be-mid-invoice-split", "hard-codes-the-fixed-hidden-inputs"),  # every fixed hidden input: was 5.0
        ("mo-senior-offline-queue", "special-cases-e1"),  # the visible test's id hard-coded
        ("fe-mid-price-format", "special-cases-the-visible-test"),
        ("mo-mid-feed-pagination", "special-cases-page-size-4"),
        ("fe-mid-due-dates", "calendar-in-utc"),  # all-day tasks right, deadlines near midnight on their UTC day
        ("fe-senior-query-invalidation", "clears-the-whole-cache"),  # every unrelated query refetched
    ],
)
def test_symptom_only_and_hard_coded_fixes_are_not_fixed(
    sqlite_engine: Engine, pack: DebugPack, scenario_id: str, fix_id: str
) -> None:
    scenario = pack.scenarios[scenario_id]
    files = _wrong(pack, scenario_id, fix_id)
    data = _submit(sqlite_engine, scenario_id, files)
    assert data["visible"]["passed"] == data["visible"]["total"]  # the visible tests are fooled...
    # ...the probes are not: nothing of what the bug failed is repaired on inputs never seen.
    assert data["result"] == "unresolved" and data["rubric"]["fixCorrectness"] == 0.0
    random_groups = [g for g in data["hidden"] if g["random"]]
    assert {g["group"] for g in random_groups} == {c.title for c in scenario.probes.checks}
    assert any(g["passed"] < g["total"] for g in random_groups)
    assert any("drawn for this session" in e["text"] for e in data["evidence"])


def test_a_stale_write_behind_a_fresh_stock_check_is_not_fixed(sqlite_engine: Engine, pack: DebugPack) -> None:
    """be-senior-stock-oversold: re-checking the fresh quantity after a conflict passes the visible tests and
    stops the last units being sold twice, but the write is still computed from the first read, so every
    race that still fits loses the other checkout's units: partial at most, never fixed."""
    data = _submit(
        sqlite_engine,
        "be-senior-stock-oversold",
        _wrong(pack, "be-senior-stock-oversold", "checks-fresh-stock-writes-stale"),
    )
    assert data["visible"]["passed"] == data["visible"]["total"]
    assert data["result"] == "partial" and data["rubric"]["fixCorrectness"] <= 1.25
    races = next(g for g in data["hidden"] if g["group"] == "checkouts that lose random races and still fit")
    assert races["random"] and races["passed"] == 0


FRAME_READER = '''
"""The bug, plus answers read from whoever calls: the test's own frame and its expected values."""

import sys


def split_cents(total_cents, people):
    if people <= 0:
        raise ValueError("people must be positive")
    frame = sys._getframe(1)
    while frame is not None:
        names = frame.f_locals
        for key in ("expected", "want", "reference"):
            if key in names:
                return names[key]
        if frame.f_code.co_name.startswith("test_") and (total_cents, people) == (10000, 3):
            return [3334, 3333, 3333]
        frame = frame.f_back
    share = round(total_cents / people)
    return [share for _ in range(people)]


def format_cents(cents):
    return f"${cents // 100}.{cents % 100:02d}"


def invoice_lines(total_cents, names):
    shares = split_cents(total_cents, len(names))
    return [f"{name}: {format_cents(amount)}" for name, amount in zip(names, shares)]
'''


def test_a_program_that_reads_its_callers_frames_is_not_fixed(sqlite_engine: Engine, pack: DebugPack) -> None:
    data = _submit(sqlite_engine, "be-mid-invoice-split", {"billing.py": FRAME_READER})
    # Sealed test runs refuse frames (issue 12), so it no longer even fools the visible tests.
    assert data["visible"]["passed"] < data["visible"]["total"]
    assert data["result"] == "unresolved" and data["rubric"]["fixCorrectness"] == 0.0
    assert all(g["passed"] == 0 for g in data["hidden"] if g["random"])


def test_the_session_seed_is_recorded_and_reproduces_the_grading(sqlite_engine: Engine, pack: DebugPack) -> None:
    scenario = pack.scenarios["be-mid-post-tags"]
    session_id = start(sqlite_engine, scenario.id)
    session = sqlite_engine.get_session(session_id)
    assert session.state["probeSeed"] == session_seed(session_id, scenario.id)
    files = _wrong(pack, scenario.id, "copy-in-add-tag")
    sqlite_engine.act(session_id, "submit", {"files": files, "diagnosis": "", "location": ""})
    stored = sqlite_engine.store.submissions(session_id, kind="submit")[-1].summary["hidden"]
    assert stored["seed"] == session.state["probeSeed"]
    again = run_hidden(
        sqlite_engine.context.runner(), scenario, scenario.equivalent_files(scenario.wrong_fixes[0]), stored["seed"]
    )
    assert [[g.group, g.passed, g.total] for g in again.groups] == [
        [g["group"], g["passed"], g["total"]] for g in stored["groups"]
    ]


def test_sessions_draw_different_cases() -> None:
    probes = load_pack().scenarios["be-mid-invoice-split"].probes
    first, second = (draw_cases(probes, session_seed(f"session-{n}", "be-mid-invoice-split")) for n in (1, 2))
    assert [c.args for _, c in first] != [c.args for _, c in second]
    assert draw_cases(probes, 7) == draw_cases(probes, 7)  # and the same seed draws the same cases


_PACK = load_pack()


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_every_fix_gets_the_same_probe_verdicts_in_every_session(sqlite_engine: Engine, seed: int) -> None:
    """The bug (and its equivalents), the reference, each equivalent and each wrong fix: the same verdict per
    check whatever the seed."""
    runner = sqlite_engine.context.runner()
    for scenario in _PACK.scenarios.values():
        programs = {"bug": scenario.files, "reference": scenario.fixed_files()}
        programs |= {f"={f.id}": scenario.equivalent_files(f) for f in scenario.equivalent_fixes}
        programs |= {f"!{f.id}": scenario.equivalent_files(f) for f in scenario.wrong_fixes}
        programs |= {f"~{b.id}": scenario.equivalent_files(b) for b in scenario.equivalent_bugs}
        for label, program in programs.items():
            verdicts = [group.share for group in run_probes(runner, scenario, program, seed)]
            at_zero = [group.share for group in run_probes(runner, scenario, program, 0)]
            assert verdicts == at_zero, (scenario.id, label, seed)
            if label in ("reference",) or label.startswith("="):
                assert verdicts == [1.0] * len(verdicts), (scenario.id, label, seed)
            else:
                assert 0.0 in verdicts, (scenario.id, label, seed)


class ReferenceFailingRunner:
    """The real runner, except that the sandbox fails the reference fix's probe run (once or always)."""

    def __init__(self, inner: Any, reference: dict[str, str]) -> None:
        self.inner = inner
        self.reference = reference
        self.failing = True
        self.faults = 0

    def call_cases(self, source: str, entry: str, cases: Any, *, files: Any = None, **kw: Any) -> list[Any]:
        from interview_engine import CaseOutcome, CaseStatus

        if self.failing and entry == "__probe__" and dict(files or {}) == self.reference:
            self.faults += 1
            return [CaseOutcome(case.name, CaseStatus.SANDBOX_ERROR, error="wasmtime crashed") for case in cases]
        return list(self.inner.call_cases(source, entry, cases, files=files, **kw))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_a_sandbox_fault_on_the_reference_probes_is_not_graded_and_not_kept(
    sqlite_engine: Engine, pack: DebugPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    from interview_engine.module import ModuleContext

    scenario = pack.scenarios["mo-senior-offline-queue"]
    session_id = start(sqlite_engine, scenario.id)
    failing = ReferenceFailingRunner(sqlite_engine.context.runner(), scenario.fixed_files())
    monkeypatch.setattr(ModuleContext, "runner", lambda self: failing)
    payload = {"files": scenario.equivalent_files(scenario.equivalent_fixes[0]), "diagnosis": "", "location": ""}
    data = sqlite_engine.act(session_id, "submit", payload).data
    assert data["graded"] is False and failing.faults >= 1  # the reference's fault is nobody's score
    failing.failing = False
    again = sqlite_engine.act(session_id, "submit", payload).data  # the fault was not kept as the reference
    assert again["graded"] is True and again["result"] == "fixed"
