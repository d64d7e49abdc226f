"""Host side of the case harness: orders in, inputs at each case's begin, records out, verdicts by the host.

The guest harness (``guest_harness.py``) shares its interpreter with candidate code, and
candidate code can read everything the harness holds (``sys._getframe``, ``f_locals``,
closures, ``gc``) and call everything it can call.  So the guest is given nothing worth
reading, and nothing it reports is trusted beyond what the host can check:

* the orders (stdin, marshal) hold the mode, the entry point, the first case's index and the
  nonce: no input of any case, no size, nothing that says whether a call is a hidden test or a
  growth measurement (growth sizes are ordinary cases, see :mod:`interview_sandbox.growth`);
* case ``k``'s input is handed out by the host only when the guest asks for it with
  ``os.pread(2 << 24 | k, ...)`` (a host function, see :mod:`interview_sandbox.instance`);
  offset 0 is case ``k``'s begin: the host takes its own fuel reading at that instant, and
  resets the fuel, wall clock and output caps for case ``k`` (so a case that loops fails
  alone).  Begin ``k`` is served only for the next case in order, and only once case
  ``k - 1`` reported: a later case's input is never in the guest's memory, so no case
  can be answered ahead of its turn, and what is computed for case ``k`` is counted in
  case ``k``'s fuel whoever runs it;
* the guest reports with ``os.pwrite(kind << 24 | index, report, 0)``; the host copies the
  report out of guest memory and reads its fuel counter at that instant;
* reports must carry this instance's random nonce, checked before anything is parsed.  The
  nonce is readable by candidate code, so it only keeps stray writes out: a report "for the
  harness" can claim only what the function could have returned itself, since expected
  values never enter the guest and the host compares;
* ``result k`` is accepted only while ``k`` is the current case.  Exactly one result per
  case: a second one (the code under test reported for the harness, then the harness did)
  voids the case;
* a report is decoded only once it is accepted, and only within bounds (size, depth,
  values, digits: :mod:`interview_sandbox.report`), and one request accepts at most
  :data:`~interview_sandbox.report.RUN_REPORT_BYTES` of reports in all; past a bound the
  case is "too large to report";
* limit statuses come from the host (trap codes, its own flags), never from a record.

Test functions (``run_test_functions``) run sealed (``guest_harness._run_tests``): before any
candidate code runs, the harness installs an audit hook that refuses frames (``sys._getframe``,
``tb_frame``, ``gi_frame``, ``f_code``...), the code objects of functions under /work, ``gc``'s
object walks, tracing and further audit hooks; then it imports the program, removes the program's
files, and runs each test module from the text it read first, with builtins of its own and
outside ``sys.modules``.  So the nonce cannot be read and no report can be forged; the program
cannot rewrite, replace or patch the tests, nor jump over their assertions; and a test cannot
read the program's text or code, only call it.  "The test returned" still counts only when the
harness went on afterwards, and a second report voids the test.  What no seal can stop is a
program that returns a value that lies about itself (an ``__eq__`` that always agrees): values
the grade rests on are therefore compared on the host, as cases.

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
LOAD, BEGIN, RESULT, CALL, WARM = 1, 2, 3, 4, 5  # the guest's kinds (guest_harness._KINDS)
TESTS = "tests"


# The ``-c`` program of every case instance.  stdin holds ``marshal((code, {"_orders": orders}))``:
# the harness as a code object the host compiled (compiling its 12 kB in the guest costs
# ~32 M fuel per instance) or, when the host's bytecode differs from the guest's, as source,
# and the globals it runs in; it pops its orders from them at once, so no module holds them.
LAUNCHER = "import marshal as _m, sys as _s\nexec(*_m.loads(_s.stdin.buffer.read()))\n"
_TOO_LARGE = {"status": "too_large"}
_BALLAST = 256  # at most this many objects of a random ballast before a sealed test run imports the program


_TESTS_BRANCH = '    if mode == "tests":\n'
_CALL_BRANCH = '    namespace = {"__name__": "solution"'
_SEALED_BRANCH = '    if mode == "tests":\n        _run_tests(orders, index, begin, called, send)\n\n'


def guest_program(tests: bool = False) -> str:
    """The harness source: the wire module's source, then the guest harness.

    For mode "tests", the sealed test runs' part (``guest_tests.py``) comes before the harness, and
    the harness's own test loop is replaced by a call to it.  The harness of every other mode is
    the file as it is, byte for byte: its bytes move the fuel of small growth curves by hundreds.
    """
    wire_source = resources.files(wire_module.__package__ or "interview_engine").joinpath("wire.py")
    package = resources.files(__package__ or "interview_sandbox")
    harness = package.joinpath("guest_harness.py").read_text(encoding="utf-8")
    parts = [wire_source.read_text(encoding="utf-8")]
    if tests:
        start, end = harness.index(_TESTS_BRANCH), harness.index(_CALL_BRANCH)
        harness = harness[:start] + _SEALED_BRANCH + harness[end:]
        parts.append(package.joinpath("guest_tests.py").read_text(encoding="utf-8"))
    return "\n".join([*parts, harness])


@functools.cache
def guest_code(guest_magic: bytes, tests: bool = False) -> CodeType | str:
    """The harness compiled by the host when its bytecode is the guest's (same magic number)."""
    source = guest_program(tests)
    if guest_magic != importlib.util.MAGIC_NUMBER:
        return source
    return compile(source, "<sandbox-harness>", "exec", dont_inherit=True, optimize=0)


@define
class _Instance:
    """What one instance asked for and reported, as accepted by the host."""

    nonce: bytes
    start: int
    inputs: Sequence[bytes]
    budget: report.ReportBudget = field(factory=report.ReportBudget)
    refused: int = 0  # reports without this instance's nonce, or out of order: forged or stray
    current: int = -1
    next_index: int = 0
    load_error: dict[str, Any] | None = None
    begun: dict[int, Control] = field(factory=dict)
    results: dict[int, tuple[dict[str, Any], Control]] = field(factory=dict)
    calls: dict[int, Control] = field(factory=dict)  # the first "call" mark of each case: its input decoded
    voided: set[int] = field(factory=set)  # cases reported more than once
    went_on: set[int] = field(factory=set)  # cases after whose result the guest asked for the next

    def __attrs_post_init__(self) -> None:
        self.next_index = self.start

    def on_input(self, state: RunState, caller: Any, control: Control, offset: int, size: int) -> bytes | None:
        """Case ``index``'s input from ``offset``; at offset 0 the case begins.  None refuses."""
        index = control.index
        if control.kind == WARM:
            return b""  # the harness warming up its own steps: nothing to hand out
        if control.kind != BEGIN:
            self.refused += 1
            return None
        if offset > 0:
            if index != self.current or index in self.results or index in self.voided:
                self.refused += 1
                return None
            return self.inputs[index][offset : offset + size]
        reported = index == self.start or index - 1 in self.results or index - 1 in self.voided
        if index != self.next_index or not reported:
            self.refused += 1
            return None
        if index > self.start:
            self.went_on.add(index - 1)
        if index >= len(self.inputs):
            self.next_index = index + 1
            return b""  # no case is left
        self.begun[index] = control
        self.current = index
        self.next_index = index + 1
        state.new_segment(caller)
        return self.inputs[index][:size]

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
        if kind == WARM:
            pass
        elif kind == CALL and index == self.current and index not in self.calls and index not in self.results:
            self.calls[index] = control
        elif kind == LOAD and self.current < 0 and self.load_error is None:
            body = self._body(control, body_text)
            self.load_error = body if isinstance(body, dict) else _TOO_LARGE
        elif kind == RESULT and index == self.current and index in self.voided:
            self.refused += 1
        elif kind == RESULT and index == self.current and index in self.results:
            del self.results[index]  # someone besides the harness reported for this case
            self.voided.add(index)
            self.refused += 1
        elif kind == RESULT and index == self.current:
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


_VOIDED = "the case reported more than once: the code under test wrote to the harness's channel"
_NOT_ON = "the test's report does not count: the program ended before the harness went on to the next test"


def run_cases(
    execute: Execute,
    names: Sequence[str],
    orders: Mapping[str, Any],
    files: Mapping[str, str],
    limits: Limits,
    inputs: Sequence[bytes],
) -> tuple[list[CaseOutcome], list[int | None], list[bool]]:
    """Run every case, restarting a fresh instance after one that ended mid-case.

    ``inputs`` holds each case's marshalled input, handed to the guest at the case's begin.
    Returns each case's outcome, whose ``fuel_used`` runs from its begin to its result as the
    host read them; the fuel from its begin to its first "call" mark (None: no mark); and whether
    the harness went on after it (asked for the next case, or for the end).
    """
    went_on: set[int] = set()
    decoding: dict[int, int] = {}
    outcomes: dict[int, CaseOutcome] = {}
    tests = orders.get("mode") == TESTS
    code = guest_code(runtime.guest_magic(), tests)
    start = 0
    count = len(names)
    budget = report.ReportBudget()
    while start < count:
        nonce = secrets.token_hex(16).encode()
        inst = _Instance(nonce=nonce, start=start, inputs=inputs, budget=budget)
        # marshal: the guest reads it with a built-in module; it only ever flows host -> guest.
        guest_orders = {**orders, "nonce": nonce.decode(), "start": start, "limit": report.REPORT_BYTES - 64}
        if tests:
            guest_orders["ballast"] = secrets.randbelow(_BALLAST)
        payload = marshal.dumps((code, {"_orders": guest_orders}))
        raw = execute(
            LAUNCHER,
            limits=limits,
            stdin=payload,
            files=files,
            on_control=inst.on_control,
            on_input=inst.on_input,
            work_check=True,  # _harness_main's chdir comes before any candidate code
        )
        log = raw.state.log
        for index in range(start, count):
            begin = inst.begun.get(index)
            if begin is not None and index in inst.calls:
                decoding[index] = max(0, inst.calls[index].fuel_used - begin.fuel_used)
            if index in inst.voided and begin is not None:
                outcomes[index] = CaseOutcome(names[index], CaseStatus.RAISED, error=_VOIDED)
            elif index in inst.results and begin is not None:
                body, end = inst.results[index]
                text = log[begin.log_offset : end.log_offset].decode("utf-8", "replace")
                outcome = _case_from_report(names[index], body, begin, end, text)
                if tests and outcome.status is CaseStatus.RETURNED and index not in inst.went_on:
                    outcome = CaseOutcome(names[index], CaseStatus.RAISED, error=_NOT_ON, stdout=text)
                outcomes[index] = outcome
            elif begin is not None:  # the instance ended during this case
                text = log[begin.log_offset :].decode("utf-8", "replace")
                fuel = max(0, raw.fuel_used - begin.fuel_used)
                status = _LIMIT_TO_CASE.get(raw.status, CaseStatus.RAISED)
                error = raw.detail or f"the program ended during the call (exit code {raw.exit_code})"
                outcomes[index] = CaseOutcome(names[index], status, error=error, fuel_used=fuel, stdout=text)
                break
            else:
                break
            if index not in inst.went_on:  # the instance did not go on past this case
                break
            went_on.add(index)
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
    return (
        [outcomes[i] for i in range(count)],
        [decoding.get(i) for i in range(count)],
        [i in went_on for i in range(count)],
    )


def marshalled(values: Sequence[Any]) -> list[bytes]:
    """Each case's input as the guest harness reads it (``marshal``, built into the guest)."""
    return [marshal.dumps(value) for value in values]


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
