"""The live-coding module's own record of a session: its timer and counters (``RecordKind`` in ``module_records``)."""

from __future__ import annotations

from datetime import datetime

from attrs import frozen

from interview_engine.records import RecordKind

__all__ = ["CODING_SESSIONS", "CodingSessionRecord"]


@frozen
class CodingSessionRecord:
    """The timer and counters of a live-coding session."""

    session_id: str
    problem_id: str
    time_limit_s: int
    started_at: datetime
    submitted_at: datetime | None = None
    runs: int = 0
    runs_before_first_pass: int | None = None
    late: bool = False


CODING_SESSIONS = RecordKind("live_coding", "coding_sessions", CodingSessionRecord)
