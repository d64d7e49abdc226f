"""Grading jobs through procrastinate on PostgreSQL: web processes defer, ``interview worker`` runs.

The queue carries only the job id; the job's description and state are in
``grading_jobs``.  procrastinate gives us what a home-made queue would get
wrong: ``FOR UPDATE SKIP LOCKED`` fetching, a ``lock`` per session (one job of a
session runs at a time, across every worker), a ``queueing_lock`` per request
digest (a double submit from two web processes at once is refused by the
database), worker heartbeats and a periodic task that puts the jobs of a
worker that stopped beating (SIGKILL, a lost machine) back in the queue.
Its schema is applied by our Alembic revision 0005 (``interview db upgrade``).
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

import procrastinate
from procrastinate import exceptions as queue_errors
from procrastinate.job_context import AbortReason

from interview_engine.errors import InvalidInput
from interview_engine.jobs.model import MAX_ATTEMPTS, NOT_GRADED, Fault, GradingJob, JobState

if TYPE_CHECKING:
    from interview_engine.jobs.service import Grading

__all__ = ["GRADE_TASK", "DuplicateJob", "ProcrastinateQueue", "WorkerTiming", "run_worker", "worker_app"]

log = logging.getLogger(__name__)

GRADE_TASK = "interview_engine.grade"
STALLED_TASK = "interview_engine.retry_stalled_jobs"
QUEUE = "grading"


def libpq_url(database_url: str) -> str:
    """``postgresql+psycopg://…`` (SQLAlchemy's spelling) as libpq wants it."""
    for prefix in ("postgresql+psycopg://", "postgres://"):
        if database_url.startswith(prefix):
            return "postgresql://" + database_url[len(prefix) :]
    return database_url


class DuplicateJob(Exception):
    """The same request of the same session is already queued (procrastinate's queueing lock)."""


class WorkerTiming:
    """How fast a dead worker is noticed (seconds); ``INTERVIEW_WORKER_HEARTBEAT`` and
    ``INTERVIEW_WORKER_STALLED_AFTER`` tune it (tests shorten both)."""

    def __init__(self, heartbeat: float | None = None, stalled_after: float | None = None) -> None:
        self.heartbeat = heartbeat or _seconds("INTERVIEW_WORKER_HEARTBEAT", 10.0)
        self.stalled_after = stalled_after or _seconds("INTERVIEW_WORKER_STALLED_AFTER", 30.0)
        if self.stalled_after <= self.heartbeat:
            raise InvalidInput("must be longer than the heartbeat", field="INTERVIEW_WORKER_STALLED_AFTER")

    @property
    def check_every(self) -> int:
        """Seconds between stalled-job checks (a cron seconds field: 1..30)."""
        return max(1, min(30, int(self.stalled_after / 2)))


def _seconds(name: str, default: float) -> float:
    raw = os.environ.get(name, "")
    try:
        value = float(raw) if raw else default
    except ValueError:
        raise InvalidInput(f"must be a number of seconds, got {raw!r}", field=name) from None
    if value <= 0:
        raise InvalidInput("must be positive", field=name)
    return value


class ProcrastinateQueue:
    """The web process's side: defer job ids (a synchronous psycopg pool, opened on first use)."""

    name = "procrastinate"

    def __init__(self, database_url: str) -> None:
        self._app = procrastinate.App(
            connector=procrastinate.SyncPsycopgConnector(conninfo=libpq_url(database_url), min_size=1, max_size=4)
        )
        self._open = False

    def _opened(self) -> procrastinate.App:
        if not self._open:
            self._app.open()
            self._open = True
        return self._app

    def dispatch(self, job: GradingJob) -> None:
        deferrer = self._opened().configure_task(
            GRADE_TASK, queue=QUEUE, lock=f"session:{job.session_id}", queueing_lock=f"grade:{job.digest}"
        )
        try:
            deferrer.defer(job_id=job.id)
        except queue_errors.AlreadyEnqueued as exc:
            raise DuplicateJob(job.id) from exc

    def wait(self, job_id: str, timeout: float) -> bool:
        return False  # the job runs in a worker: the caller reads grading_jobs

    def _queued_ids(self, job: GradingJob, status: str) -> list[int]:
        """procrastinate's ids of ``job`` in ``status`` (found by the session's lock, then by our job id)."""
        found = self._opened().job_manager.list_jobs(task=GRADE_TASK, lock=f"session:{job.session_id}", status=status)
        return [int(one.id) for one in found if one.id is not None and one.task_kwargs.get("job_id") == job.id]

    def cancel(self, job: GradingJob) -> None:
        """Withdraw the job from procrastinate's queue (``todo`` -> ``cancelled``): no worker fetches it.

        Should a worker have fetched it meanwhile, it finds our row final and does nothing."""
        for queued in self._queued_ids(job, "todo"):
            self._app.job_manager.cancel_job_by_id(queued)

    def abort(self, job: GradingJob) -> bool:
        """Ask the worker running ``job`` to stop (procrastinate's abort request, which reaches the worker
        by LISTEN/NOTIFY); the job stops at its next step."""
        running = self._queued_ids(job, "doing")
        for queued in running:
            self._app.job_manager.cancel_job_by_id(queued, abort=True)
        return bool(running)

    def close(self) -> None:
        if self._open:
            self._app.close()
            self._open = False


def worker_app(grading: Grading, timing: WorkerTiming | None = None) -> procrastinate.App:
    """The worker's procrastinate app: the grading task and the stalled-job sweep."""
    timing = timing or WorkerTiming()
    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=libpq_url(grading.store.url), min_size=1, max_size=8)
    )
    from interview_engine.jobs.service import RetryJob

    @app.task(
        name=GRADE_TASK,
        queue=QUEUE,
        pass_context=True,
        retry=procrastinate.RetryStrategy(max_attempts=MAX_ATTEMPTS + 1, wait=1, retry_exceptions={RetryJob}),
    )
    def grade(context: procrastinate.JobContext, job_id: str) -> None:
        try:
            final = grading.execute(job_id, should_abort=lambda: _cancelled(context))
        except RetryJob:
            raise
        except Exception:
            # Not even the claim or the final write worked: say so rather than leave the row running.
            log.exception("grading job %s could not be run", job_id)
            grading.store.jobs.finish(
                job_id,
                JobState.FAILED,
                error=NOT_GRADED,
                fault=Fault.INFRASTRUCTURE,
                from_states=(JobState.QUEUED, JobState.RUNNING),
            )
            raise
        if final.state is JobState.CANCELLED and _cancelled(context):
            raise queue_errors.JobAborted(job_id)  # procrastinate records it as aborted, not succeeded

    @app.periodic(cron=f"*/{timing.check_every} * * * * *")
    @app.task(name=STALLED_TASK, queue=QUEUE, queueing_lock=STALLED_TASK, lock=STALLED_TASK)
    async def retry_stalled_jobs(timestamp: int) -> None:
        stalled = await app.job_manager.get_stalled_jobs(
            task_name=GRADE_TASK, seconds_since_heartbeat=timing.stalled_after
        )
        for job in stalled:
            log.warning("job %s of a stalled worker goes back to the queue", job.id)
            await app.job_manager.retry_job(job)

    return app


def _cancelled(context: procrastinate.JobContext) -> bool:
    """The candidate asked to stop it.  A worker shutting down also aborts its jobs, but a sync job cannot be
    stopped from outside: those are left to finish (or, after SIGKILL, retried elsewhere), never cancelled."""
    return context.abort_reason() is AbortReason.USER_REQUEST


def run_worker(grading: Grading, *, concurrency: int = 2, timing: WorkerTiming | None = None, **options: Any) -> None:
    """Run grading jobs until SIGINT/SIGTERM (a second signal stops at once; the jobs then stall and
    another worker retries them)."""
    timing = timing or WorkerTiming()
    app = worker_app(grading, timing)
    app.run_worker(
        queues=[QUEUE],
        concurrency=concurrency,
        update_heartbeat_interval=timing.heartbeat,
        stalled_worker_timeout=timing.stalled_after,
        **options,
    )
