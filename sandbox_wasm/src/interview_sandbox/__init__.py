"""Runs untrusted candidate Python as CPython on WASI inside Wasmtime.

from interview_sandbox import Sandbox, Limits
result = Sandbox().run("print(sum(range(10)))", limits=Limits(wall_ms=2000))

Wasmtime loads when :class:`Sandbox` is first named, not with the package: the plugin and the
``sandbox`` CLI group are imported by every ``interview`` command.
"""

from typing import TYPE_CHECKING, Any

from interview_engine.runner import (
    CallCase,
    CaseOutcome,
    CaseStatus,
    GrowthPoint,
    GrowthReport,
    Limits,
    RunResult,
    RunStatus,
)
from interview_sandbox.errors import RuntimeUnavailable, SandboxError

if TYPE_CHECKING:
    from interview_sandbox.sandbox import Sandbox

__all__ = [
    "CallCase",
    "CaseOutcome",
    "CaseStatus",
    "GrowthPoint",
    "GrowthReport",
    "Limits",
    "RunResult",
    "RunStatus",
    "RuntimeUnavailable",
    "Sandbox",
    "SandboxError",
]


def __getattr__(name: str) -> Any:
    if name == "Sandbox":
        from interview_sandbox.sandbox import Sandbox

        return Sandbox
    raise AttributeError(f"module 'interview_sandbox' has no attribute {name!r}")
