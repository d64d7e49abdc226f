"""The contract between the engine and whatever runs candidate code.

Modules that execute code (live coding, debugging) never import a sandbox:
they receive a :class:`CodeRunner` from the plugin manager's ``code_runner``
hook.  ``interview_sandbox`` provides the default one (CPython on WASI inside
Wasmtime); a team can plug in a remote runner or a queue instead.

Everything here is plain data so that a runner living in another process or
on another machine can produce it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from attrs import evolve, field, frozen

from interview_engine._convert import as_tuple

__all__ = [
    "COMPLEXITY_CLASSES",
    "CallCase",
    "CaseOutcome",
    "CaseStatus",
    "CodeRunner",
    "GrowthPoint",
    "GrowthReport",
    "Limits",
    "RunResult",
    "RunStatus",
]

MIB = 1024 * 1024


class RunStatus(enum.StrEnum):
    """How a run ended: exactly one of these, always.

    ``sandbox_error`` is reserved for faults of the infrastructure; it is never
    used for something the candidate's code did.
    """

    OK = "ok"
    RUNTIME_ERROR = "runtime_error"
    TIME_LIMIT = "time_limit"
    FUEL_LIMIT = "fuel_limit"
    MEMORY_LIMIT = "memory_limit"
    OUTPUT_LIMIT = "output_limit"
    SANDBOX_ERROR = "sandbox_error"


def _positive(instance: object, attribute: Any, value: int) -> None:
    if value <= 0:
        raise ValueError(f"{type(instance).__name__}.{attribute.name} must be positive, got {value}")


@frozen
class Limits:
    """Caps for one run.  Every field has a sane default.

    Attributes:
        fuel: deterministic instruction budget (Wasmtime fuel units).
        wall_ms: wall-clock deadline in milliseconds.
        memory_bytes: cap on the guest's linear memory.
        stdout_bytes: bytes of standard output kept; more ends the run.
        stderr_bytes: bytes of standard error kept; more ends the run.
        source_bytes: largest source accepted.
    """

    fuel: int = field(default=20_000_000_000, validator=_positive)
    wall_ms: int = field(default=10_000, validator=_positive)
    memory_bytes: int = field(default=256 * MIB, validator=_positive)
    stdout_bytes: int = field(default=64 * 1024, validator=_positive)
    stderr_bytes: int = field(default=64 * 1024, validator=_positive)
    source_bytes: int = field(default=256 * 1024, validator=_positive)

    def tightened(self, requested: Limits | None) -> Limits:
        """Return these limits narrowed by ``requested``.

        A request can only tighten what is configured, never widen it.
        """
        if requested is None:
            return self
        return evolve(
            self,
            fuel=min(self.fuel, requested.fuel),
            wall_ms=min(self.wall_ms, requested.wall_ms),
            memory_bytes=min(self.memory_bytes, requested.memory_bytes),
            stdout_bytes=min(self.stdout_bytes, requested.stdout_bytes),
            stderr_bytes=min(self.stderr_bytes, requested.stderr_bytes),
            source_bytes=min(self.source_bytes, requested.source_bytes),
        )


@frozen
class RunResult:
    """What one run of a program produced."""

    status: RunStatus
    exit_code: int | None
    stdout: str
    stderr: str
    fuel_used: int
    wall_ms: float
    peak_memory_bytes: int
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status is RunStatus.OK


@frozen
class CallCase:
    """One call of the candidate's function: a name and JSON arguments.

    The expected value is deliberately absent: it never enters a runner.
    """

    name: str
    args: tuple[Any, ...] = field(converter=as_tuple)


class CaseStatus(enum.StrEnum):
    """How one call ended inside the harness."""

    RETURNED = "returned"  # the function returned; ``actual`` holds the value
    RAISED = "raised"  # the function raised; ``error`` holds the message
    TIME_LIMIT = "time_limit"
    FUEL_LIMIT = "fuel_limit"
    MEMORY_LIMIT = "memory_limit"
    OUTPUT_LIMIT = "output_limit"
    NOT_RUN = "not_run"  # the program failed before the call (syntax error, missing entry)
    SANDBOX_ERROR = "sandbox_error"


@frozen
class CaseOutcome:
    """What a call returned, in the wire encoding of :mod:`interview_engine.wire`."""

    name: str
    status: CaseStatus
    actual: Any = None
    error: str = ""
    fuel_used: int = 0
    stdout: str = ""


@frozen
class GrowthPoint:
    n: int
    fuel: int


COMPLEXITY_CLASSES: tuple[str, ...] = (
    "O(1)",
    "O(log n)",
    "O(n)",
    "O(n log n)",
    "O(n^2)",
    "O(n^3)",
    "O(2^n)",
)


@frozen
class GrowthReport:
    """The measured growth of a function's cost with its input size.

    ``complexity`` is None when it could not be measured (too few sizes finished); ``detail``
    then says why.  It is never a guess.
    """

    complexity: str | None
    points: tuple[GrowthPoint, ...] = field(converter=as_tuple)
    confidence: float
    detail: str = ""


@runtime_checkable
class CodeRunner(Protocol):
    """Runs untrusted Python under hard limits.

    Implementations must be thread-safe.  ``interview_sandbox.Sandbox`` is the
    default implementation.
    """

    def run(
        self,
        source: str,
        *,
        stdin: str = "",
        files: Mapping[str, str] | None = None,
        limits: Limits | None = None,
    ) -> RunResult:
        """Run ``source`` as ``__main__`` with ``files`` in its working directory."""
        ...

    def call_cases(
        self,
        source: str,
        entry: str,
        cases: Sequence[CallCase],
        *,
        files: Mapping[str, str] | None = None,
        limits: Limits | None = None,
        own_fuel: bool = True,
    ) -> list[CaseOutcome]:
        """Call ``entry`` defined by ``source`` once per case; one outcome per case, in order.

        ``limits`` apply to each case.  A case that loops forever fails that
        case only.  The host compares each ``actual`` with its expected value.
        ``own_fuel``: each ``fuel_used`` is the code's own (the runner's overhead measured and taken
        off); a caller that never reads the fuel passes ``False`` and saves that measurement.
        """
        ...

    def measure_growth(
        self,
        source: str,
        entry: str,
        generator_source: str,
        sizes: Sequence[int],
        *,
        limits: Limits | None = None,
    ) -> GrowthReport:
        """Call ``entry(*make_input(n))`` for each size in a fresh instance and fit the fuel curve.

        ``generator_source`` defines ``make_input(n)`` returning the argument tuple.
        """
        ...

    def run_test_functions(
        self,
        files: Mapping[str, str],
        test_files: Sequence[str],
        *,
        limits: Limits | None = None,
    ) -> list[CaseOutcome]:
        """Collect ``test_*`` functions of ``test_files`` and run each; one outcome per test.

        A test passes when its outcome is ``RETURNED``; ``RAISED`` carries the
        assertion message.  Outcome names are ``file::function``.
        """
        ...
