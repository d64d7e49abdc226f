"""A grading job: one run, submit or fix of a session, described as data.

The description (module, session, action, payload, the submission id it will
write) is all a worker needs: the expected values of hidden tests are computed
inside the job from the content pack, never sent by the web process.
"""

from __future__ import annotations

import enum
import hashlib
import json
from datetime import datetime
from typing import Any, Literal

from attrs import field, frozen

from interview_engine.domain import utcnow

__all__ = [
    "FINAL_STATES",
    "MAX_ATTEMPTS",
    "NOT_GRADED",
    "Fault",
    "GradingJob",
    "JobState",
    "Recovered",
    "payload_digest",
]

#: Attempts (first run, retries after an infrastructure fault or a killed worker) before a job ends failed.
MAX_ATTEMPTS = 3
NOT_GRADED = "not graded: the grading infrastructure failed, try again"


class JobState(enum.StrEnum):
    """queued -> running -> done | failed | cancelled."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINAL_STATES = frozenset({JobState.DONE, JobState.FAILED, JobState.CANCELLED})


class Fault(enum.StrEnum):
    """Why a job failed: the input (the candidate's request was refused) or the infrastructure (never scored)."""

    NONE = ""
    INPUT = "input"
    INFRASTRUCTURE = "infrastructure"


def payload_digest(module: str, session_id: str, action: str, payload: dict[str, Any]) -> str:
    """A stable hash of what a job would do: two identical requests of one session share it.

    Empty fields count as absent (the typed route sends ``"notes": ""`` where the generic one sends nothing).
    """
    given = {key: value for key, value in payload.items() if value not in (None, "")}
    text = json.dumps([module, session_id, action, given], sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


@frozen
class Recovered:
    """A job's result when an attempt finds its submission stored by an older version, which did not keep
    the action's result with it: that submission's summary, never graded twice.  Any sandbox-cost action
    may answer with it instead of its declared result."""

    submissionId: str
    recovered: Literal[True]
    summary: dict[str, Any]
    """The stored submission's summary, as its module wrote it."""


@frozen
class GradingJob:
    """One sandbox-cost action of a session, and how far it got.

    Attributes:
        id: the job's id (also the key clients poll and stream).
        session_id, user_id, module, action, payload: what to run; ``payload`` is the action's JSON payload.
        submission_id: the id the job's submission is written under, fixed at enqueue time so a retried
            job can tell that an earlier attempt already graded it.
        digest: :func:`payload_digest` of the request (duplicate submits of one session meet here).
        state: see :class:`JobState`.
        attempts: how many times a worker started it.
        step: what it is doing now ("hidden tests: basic, edge", "measuring complexity").
        result: the action's response data once ``done``.
        error: why it failed or was cancelled.
        fault: :class:`Fault` of a failed job.
    """

    id: str
    session_id: str
    user_id: str
    module: str
    action: str
    payload: dict[str, Any]
    submission_id: str
    digest: str
    state: JobState = JobState.QUEUED
    attempts: int = 0
    step: str = ""
    result: dict[str, Any] | None = None
    error: str = ""
    fault: Fault = Fault.NONE
    created_at: datetime = field(factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def final(self) -> bool:
        return self.state in FINAL_STATES
