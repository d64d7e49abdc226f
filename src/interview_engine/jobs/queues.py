"""Where grading jobs run: the interface, and the in-process pool (the laptop default).

:class:`InlineQueue` runs jobs on a bounded thread pool inside the process that
enqueued them (SQLite, ``make run``); ``interview_engine.jobs.procrastinate_queue``
hands them to ``interview worker`` processes through PostgreSQL.  Both carry only
the job's id: what to run is in the ``grading_jobs`` row.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol, runtime_checkable

from interview_engine.jobs.model import GradingJob

__all__ = ["GradingQueue", "InlineQueue"]


@runtime_checkable
class GradingQueue(Protocol):
    """Delivers enqueued jobs to whatever executes them.

    ``execute`` (given by the engine) runs one job to a final state or raises to ask for a retry.
    """

    name: str

    def dispatch(self, job: GradingJob) -> None:
        """Hand a queued job over; returns at once."""
        ...

    def wait(self, job_id: str, timeout: float) -> bool:
        """Block until this process's execution of ``job_id`` ended; ``False`` when the queue cannot tell
        (the job runs elsewhere) and the caller must read the stored state instead."""
        ...

    def cancel(self, job: GradingJob) -> None:
        """Withdraw a job that no worker has started."""
        ...

    def close(self) -> None: ...


class InlineQueue:
    """A bounded pool of threads in this process.  Sandbox runs release the GIL, so N threads grade N jobs."""

    name = "inline"

    def __init__(self, execute: Callable[[str], None], *, threads: int = 2) -> None:
        self._execute = execute
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="grading")
        self._futures: dict[str, Future[None]] = {}
        self._lock = threading.Lock()
        self.threads = threads

    def dispatch(self, job: GradingJob) -> None:
        future = self._pool.submit(self._execute, job.id)
        with self._lock:
            self._futures[job.id] = future
        future.add_done_callback(lambda _: self._forget(job.id))

    def _forget(self, job_id: str) -> None:
        with self._lock:
            self._futures.pop(job_id, None)

    def wait(self, job_id: str, timeout: float) -> bool:
        with self._lock:
            future = self._futures.get(job_id)
        if future is None:
            return False
        future.result(timeout=timeout)  # the job records its own outcome; this only waits
        return True

    def cancel(self, job: GradingJob) -> None:
        with self._lock:
            future = self._futures.get(job.id)
        if future is not None:
            future.cancel()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
