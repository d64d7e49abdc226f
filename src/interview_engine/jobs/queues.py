"""Where grading jobs run: the interface, and the in-process sandbox pool (the laptop default).

:class:`InlineQueue` is the one bounded pool that sandbox work has in a process
that grades for itself (SQLite, ``make run``, the CLI): ``workers`` jobs run at
once, ``waiting`` more wait their turn (queued, with a position), and past that a
job is refused at once (:class:`~interview_engine.errors.SandboxBusy`, HTTP 429
with ``Retry-After``), never left to pile up.
``interview_engine.jobs.procrastinate_queue`` hands jobs to ``interview worker``
processes through PostgreSQL instead.  Both carry only the job's id: what to run
is in the ``grading_jobs`` row.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from typing import Protocol, runtime_checkable

from interview_engine.errors import SandboxBusy
from interview_engine.jobs.model import GradingJob

__all__ = ["AbortCheck", "GradingQueue", "InlineQueue", "default_workers"]

#: Asked between the steps of a running job: ``True`` once its cancellation was requested.
AbortCheck = Callable[[], bool]


def default_workers() -> int:
    """One sandbox job per core (a run releases the GIL), at least 1 and at most 8."""
    return max(1, min(8, os.cpu_count() or 2))


@runtime_checkable
class GradingQueue(Protocol):
    """Delivers enqueued jobs to whatever executes them.

    ``execute`` (given by the engine) runs one job to a final state or raises to ask for a retry.
    """

    name: str

    def dispatch(self, job: GradingJob) -> None:
        """Hand a queued job over; returns at once.  Raises ``SandboxBusy`` when nothing more can wait."""
        ...

    def wait(self, job_id: str, timeout: float) -> bool:
        """Block until this process's execution of ``job_id`` ended; ``False`` when the queue cannot tell
        (the job runs elsewhere) and the caller must read the stored state instead."""
        ...

    def cancel(self, job: GradingJob) -> None:
        """Withdraw a job that no worker has started (its row already says cancelled)."""
        ...

    def abort(self, job: GradingJob) -> bool:
        """Ask whoever runs ``job`` to stop it at its next step; ``False`` when the queue cannot reach it."""
        ...

    def close(self) -> None: ...


class InlineQueue:
    """The bounded sandbox pool of this process.  Sandbox runs release the GIL, so N threads grade N jobs.

    Args:
        execute: runs one job by id, asking the :data:`AbortCheck` it is given between steps.
        workers: jobs at once (``INTERVIEW_SANDBOX_WORKERS``).
        waiting: jobs that may wait for a thread (``INTERVIEW_SANDBOX_QUEUE``); more are refused.
        retry_after_s: what a refusal tells the caller to wait.
    """

    name = "inline"

    def __init__(
        self,
        execute: Callable[[str, AbortCheck], object],
        *,
        workers: int = 2,
        waiting: int = 16,
        retry_after_s: int = 5,
    ) -> None:
        if workers < 1 or waiting < 0:
            raise ValueError("InlineQueue.workers must be >= 1 and waiting >= 0")
        self._execute = execute
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sandbox")
        self._futures: dict[str, Future[object]] = {}
        self._aborting: set[str] = set()
        self._lock = threading.Lock()
        self.workers = workers
        self.waiting = waiting
        self.retry_after_s = retry_after_s

    @property
    def admitted(self) -> int:
        """Jobs running or waiting in this pool now."""
        with self._lock:
            return len(self._futures)

    def dispatch(self, job: GradingJob) -> None:
        with self._lock:
            if len(self._futures) >= self.workers + self.waiting:
                raise SandboxBusy(
                    f"the sandbox is busy ({len(self._futures)} gradings running or waiting); "
                    f"retry in {self.retry_after_s} s",
                    retry_after_s=self.retry_after_s,
                    field="job",
                )
            future = self._pool.submit(self._execute, job.id, lambda: job.id in self._aborting)
            self._futures[job.id] = future
        future.add_done_callback(lambda _: self._forget(job.id))

    def _forget(self, job_id: str) -> None:
        with self._lock:
            self._futures.pop(job_id, None)
            self._aborting.discard(job_id)

    def wait(self, job_id: str, timeout: float) -> bool:
        with self._lock:
            future = self._futures.get(job_id)
        if future is None:
            return False
        with contextlib.suppress(CancelledError):  # withdrawn before it started: its row says cancelled
            future.result(timeout=timeout)  # the job records its own outcome; this only waits
        return True

    def cancel(self, job: GradingJob) -> None:
        with self._lock:
            future = self._futures.get(job.id)
        if future is not None and future.cancel():
            self._forget(job.id)  # a cancelled future's callback may not have run yet: free its place now

    def abort(self, job: GradingJob) -> bool:
        with self._lock:
            if job.id not in self._futures:
                return False
            self._aborting.add(job.id)
            return True

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
