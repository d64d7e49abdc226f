"""Grading jobs: a run, submit or fix of a session as data, executed by a worker or the in-process pool.

States: queued -> running -> done | failed (input or infrastructure) | cancelled.
``Engine.grading`` is the entry point; see :class:`~interview_engine.jobs.service.Grading`.
"""

from interview_engine.jobs.model import FINAL_STATES, MAX_ATTEMPTS, NOT_GRADED, Fault, GradingJob, JobState, Recovered
from interview_engine.jobs.queues import GradingQueue, InlineQueue
from interview_engine.jobs.service import GRADING_ENV, Grading, RetryJob

__all__ = [
    "FINAL_STATES",
    "GRADING_ENV",
    "MAX_ATTEMPTS",
    "NOT_GRADED",
    "Fault",
    "Grading",
    "GradingJob",
    "GradingQueue",
    "InlineQueue",
    "JobState",
    "Recovered",
    "RetryJob",
]
