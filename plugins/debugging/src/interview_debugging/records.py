"""The debugging module's own records of a session (``RecordKind`` in ``module_records``): its counters and
its verdict per dimension."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from attrs import field, frozen

from interview_engine.domain import utcnow
from interview_engine.records import RecordKind

__all__ = ["DEBUG_EVALUATIONS", "DEBUG_SESSIONS", "DebugEvaluation", "DebugSessionRecord"]


@frozen
class DebugSessionRecord:
    """The counters of a debugging session."""

    session_id: str
    scenario_id: str
    started_at: datetime
    hints_revealed: int = 0
    runs: int = 0
    submitted_at: datetime | None = None


@frozen
class DebugEvaluation:
    """The debugging module's own verdict per dimension."""

    session_id: str
    result: str
    diagnosis: dict[str, Any] = field(factory=dict)
    fix: dict[str, Any] = field(factory=dict)
    testing: dict[str, Any] = field(factory=dict)
    communication: dict[str, Any] = field(factory=dict)
    hints_used: int = 0
    created_at: datetime = field(factory=utcnow)


DEBUG_SESSIONS = RecordKind("debugging", "debug_sessions", DebugSessionRecord)
DEBUG_EVALUATIONS = RecordKind("debugging", "debug_evaluations", DebugEvaluation)
