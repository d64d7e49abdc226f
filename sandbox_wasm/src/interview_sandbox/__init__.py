"""Runs untrusted candidate Python as CPython on WASI inside Wasmtime.

from interview_sandbox import Sandbox, Limits
result = Sandbox().run("print(sum(range(10)))", limits=Limits(wall_ms=2000))
"""

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
