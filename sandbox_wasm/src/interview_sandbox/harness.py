"""Host side of the case harness: orders in, records out, verdicts decided by the host.

The guest harness (``guest_harness.py``) shares its interpreter with candidate
code, so nothing it says is trusted beyond what the host can check:

* the guest reports with ``os.pwrite(kind << 24 | index, report, 0)``, a host function
  (see :mod:`interview_sandbox.instance`): the host copies the report out of guest memory
  and reads its own fuel counter at that instant;
* reports must carry this instance's random nonce, checked before anything is parsed;
  the orders (nonce included) come on stdin and live in no module's globals;
* a report is decoded only once it is accepted, and only within bounds (size, depth,
  values, digits: :mod:`interview_sandbox.report`), and one request accepts at most
  :data:`~interview_sandbox.report.RUN_REPORT_BYTES` of reports in all; past a bound the
  case is "too large to report";
* ``begin k`` is accepted only for the next case in order, once; it resets the
  fuel, wall clock and output caps for case ``k`` (so a case that loops fails
  alone), and the host notes its own fuel reading;
* ``result k`` is accepted only while ``k`` is the current case, and only the
  first one: reports written ahead of time for later cases are ignored;
* limit statuses come from the host (trap codes, its own flags), never from a record;
* expected values never enter the guest: a forged report can only claim a value
  the function could have returned itself.

When an instance ends in the middle of case ``k`` (a limit, ``os._exit``, a crash),
case ``k`` gets that outcome and a fresh instance carries on with ``k + 1``.
"""

from __future__ import annotations

import ast
import functools
import hmac
import importlib.util
import marshal
import secrets
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from types import CodeType
from typing import Any

from attrs import define, field

import interview_engine.wire as wire_module
from interview_engine.pysource import AST_LOCK as ENGINE_AST_LOCK
from interview_engine.pysource import parse_python
from interview_engine.runner import CaseOutcome, CaseStatus, Limits, RunStatus
from interview_sandbox import report, runtime
from interview_sandbox.instance import Control, RawRun, RunState

_LIMIT_TO_CASE = {
    RunStatus.TIME_LIMIT: CaseStatus.TIME_LIMIT,
    RunStatus.FUEL_LIMIT: CaseStatus.FUEL_LIMIT,
    RunStatus.MEMORY_LIMIT: CaseStatus.MEMORY_LIMIT,
    RunStatus.OUTPUT_LIMIT: CaseStatus.OUTPUT_LIMIT,
    RunStatus.SANDBOX_ERROR: CaseStatus.SANDBOX_ERROR,
}

Execute = Callable[..., RawRun]
# CPython 3.11 can fail with "SystemError: AST constructor recursion depth mismatch" when two
# threads build ASTs at once (gh-106905): every host-side parse, here and in the plugins, takes the
# engine's one process-wide lock.
AST_LOCK = ENGINE_AST_LOCK
LOAD, BEGIN, RESULT = 1, 2, 3  # the guest's kinds (guest_harness._KINDS)


# The ``-c`` program of every case instance.  stdin holds ``marshal((code, {"_orders": orders}))``:
# the harness as a code object the host compiled (compiling its 12 kB in the guest costs
# ~32 M fuel per instance) or, when the host's bytecode differs from the guest's, as source,
# and the globals it runs in; it pops its orders from them at once, so no module holds them.
LAUNCHER = "import marshal as _m, sys as _s\nexec(*_m.loads(_s.stdin.buffer.read()))\n"
_TOO_LARGE = {"status": "too_large"}


def guest_program() -> str:
    """The harness source: the wire module's source, then the guest harness."""
    wire_source = resources.files(wire_module.__package__ or "interview_engine").joinpath("wire.py")
    harness = resources.files(__package__ or "interview_sandbox").joinpath("guest_harness.py")
    return wire_source.read_text(encoding="utf-8") + "\n" + harness.read_text(encoding="utf-8")


@functools.cache
def guest_code(guest_magic: bytes) -> CodeType | str:
    """The harness compiled by the host when its bytecode is the guest's (same magic number)."""
    source = guest_program()
    if guest_magic != importlib.util.MAGIC_NUMBER:
        return source
    return compile(source, "<sandbox-harness>", "exec", dont_inherit=True, optimize=0)


@define
class _Instance:
    """What one instance reported, as accepted by the host."""

    nonce: bytes
    start: int
    count: int
    budget: report.ReportBudget = field(factory=report.ReportBudget)
    refused: int = 0  # reports without this instance's nonce, or out of order: forged or stray
    current: int = -1
    next_index: int = 0
    load_error: dict[str, Any] | None = None
    begun: dict[int, Control] = field(factory=dict)
    results: dict[int, tuple[dict[str, Any], Control]] = field(factory=dict)

    def __attrs_post_init__(self) -> None:
        self.next_index = self.start

    def on_control(self, state: RunState, caller: Any, control: Control) -> None:
        try:
            nonce, body_text = report.split(control.data)
        except report.ReportRefused:
            self.refused += 1
            return
        if not hmac.compare_digest(nonce, self.nonce):
            self.refused += 1
            return
        kind, index = control.kind, control.index
        if kind == LOAD and self.current < 0 and self.load_error is None:
            body = self._body(control, body_text)
            self.load_error = body if isinstance(body, dict) else _TOO_LARGE
        elif kind == BEGIN and index == self.next_index and index < self.count:
            self.begun[index] = control
            self.current = index
            self.next_index = index + 1
            state.new_segment(caller)
        elif kind == RESULT and index == self.current and index not in self.results:
            body = self._body(control, body_text)
            self.results[index] = (body if isinstance(body, dict) else _TOO_LARGE, control)
        else:
            self.refused += 1

    def _body(self, control: Control, body_text: bytes) -> Any:
        """The decoded report once it is accepted; "too large" past any bound."""
        if control.oversize or not self.budget.take(len(body_text)):
            return _TOO_LARGE
        try:
            return report.decode(body_text)
        except report.ReportRefused:
            return _TOO_LARGE


def _case_from_report(name: str, body: dict[str, Any], begin: Control, end: Control, log: str) -> CaseOutcome:
    fuel = max(0, end.fuel_used - begin.fuel_used)
    status = body.get("status")
    error = str(body.get("error", ""))
    if status == "returned" and "value" in body:
        return CaseOutcome(name, CaseStatus.RETURNED, actual=body["value"], fuel_used=fuel, stdout=log)
    if status == "returned":
        return CaseOutcome(name, CaseStatus.RETURNED, fuel_used=fuel, stdout=log)
    if status == "too_large":
        too_large = "the result is too large to report"
        return CaseOutcome(name, CaseStatus.OUTPUT_LIMIT, error=too_large, fuel_used=fuel, stdout=log)
    if status == "not_run":
        return CaseOutcome(name, CaseStatus.NOT_RUN, error=error, fuel_used=fuel, stdout=log)
    if body.get("type") == "MemoryError":
        return CaseOutcome(name, CaseStatus.MEMORY_LIMIT, error=error, fuel_used=fuel, stdout=log)
    return CaseOutcome(name, CaseStatus.RAISED, error=error, fuel_used=fuel, stdout=log)


def run_cases(
    execute: Execute,
    names: Sequence[str],
    orders: Mapping[str, Any],
    files: Mapping[str, str],
    limits: Limits,
) -> list[CaseOutcome]:
    """Run every case, restarting a fresh instance after one that ended mid-case."""
    outcomes: dict[int, CaseOutcome] = {}
    code = guest_code(runtime.guest_magic())
    start = 0
    count = len(names)
    budget = report.ReportBudget()
    while start < count:
        nonce = secrets.token_hex(16).encode()
        inst = _Instance(nonce=nonce, start=start, count=count, budget=budget)
        # marshal: the guest reads it with a built-in module; it only ever flows host -> guest.
        guest_orders = {**orders, "nonce": nonce.decode(), "start": start, "limit": report.REPORT_BYTES - 64}
        payload = marshal.dumps((code, {"_orders": guest_orders}))
        raw = execute(
            LAUNCHER,
            limits=limits,
            stdin=payload,
            files=files,
            on_control=inst.on_control,
        )
        log = raw.state.log
        for index in range(start, count):
            if index in inst.results:
                body, end = inst.results[index]
                begin = inst.begun[index]
                text = log[begin.log_offset : end.log_offset].decode("utf-8", "replace")
                outcomes[index] = _case_from_report(names[index], body, begin, end, text)
            elif index in inst.begun:  # the instance ended during this case
                begin = inst.begun[index]
                text = log[begin.log_offset :].decode("utf-8", "replace")
                fuel = max(0, raw.fuel_used - begin.fuel_used)
                status = _LIMIT_TO_CASE.get(raw.status, CaseStatus.RAISED)
                error = raw.detail or f"the program ended during the call (exit code {raw.exit_code})"
                outcomes[index] = CaseOutcome(names[index], status, error=error, fuel_used=fuel, stdout=text)
                break
            else:
                break
        if inst.current < start:  # not even the first case began: the program itself failed
            if raw.status is RunStatus.SANDBOX_ERROR:
                status, error = CaseStatus.SANDBOX_ERROR, raw.detail
            elif inst.load_error is not None:
                status, error = CaseStatus.NOT_RUN, str(inst.load_error.get("error", ""))
            else:
                status = CaseStatus.NOT_RUN
                error = f"the program ended before the first call: {raw.status.value}"
                tail = raw.state.stderr[-2000:].decode("utf-8", "replace").strip()
                error = f"{error}\n{tail}".strip()
            for index in range(start, count):
                outcomes[index] = CaseOutcome(names[index], status, error=error)
            break
        start = max(outcomes) + 1
    return [outcomes[i] for i in range(count)]


def collect_tests(files: Mapping[str, str], test_files: Sequence[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """Find ``test_*`` functions by parsing on the host (the candidate cannot hide a test).

    Returns the tests and the names of files that could not be parsed.
    """
    tests: list[tuple[str, str]] = []
    broken: list[str] = []
    for path in test_files:
        try:
            tree = parse_python(files[path], filename=path)  # any source: a SyntaxError at worst
        except (SyntaxError, KeyError):
            broken.append(path)
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
                tests.append((path, node.name))
    return tests, broken
