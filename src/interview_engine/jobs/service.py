"""``Grading``: enqueue, run, watch and cancel grading jobs, whichever queue carries them.

The web process and the CLI call :meth:`Grading.enqueue` (and :meth:`Grading.wait`
when they want the result now); a worker, or the in-process pool, calls
:meth:`Grading.execute`.  Every state change is written to ``grading_jobs`` first
and announced after, so a watcher that reads the stored state and then listens
can never miss the end.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from attrs import evolve

from interview_engine.actions import Cost, check_result, validate_payload
from interview_engine.converter import unstructure
from interview_engine.domain import SessionStatus, new_id
from interview_engine.errors import (
    ClientError,
    Conflict,
    EngineError,
    Forbidden,
    InvalidInput,
    LimitExceeded,
    NotFound,
    NotGraded,
    SandboxBusy,
)
from interview_engine.jobs.model import (
    MAX_ATTEMPTS,
    NOT_GRADED,
    Fault,
    GradingJob,
    JobState,
    Recovered,
    payload_digest,
)
from interview_engine.jobs.queues import AbortCheck, GradingQueue, InlineQueue, default_workers
from interview_engine.module import ActionResult

if TYPE_CHECKING:
    from interview_engine.engine import Engine

__all__ = ["CANCELLING", "GRADING_ENV", "QUEUED_LIMIT_ENV", "Grading", "JobCancelled", "JobListener"]

log = logging.getLogger(__name__)

GRADING_ENV = "INTERVIEW_GRADING"
QUEUED_LIMIT_ENV = "INTERVIEW_QUEUED_JOBS_PER_USER"
WORKERS_ENV = "INTERVIEW_SANDBOX_WORKERS"
WAITING_ENV = "INTERVIEW_SANDBOX_QUEUE"
DEFAULT_QUEUED_LIMIT = 4
DEFAULT_WAITING = 16
#: Marks the result of a job ended from a submission that an older version stored without its result.
RECOVERED = "recovered"
#: The step a running job shows once its cancellation was asked for.
CANCELLING = "cancelling"

#: Called with every job whose state or step changed (in the process that changed it).
JobListener = Callable[[GradingJob], None]

_CLIENT_ERRORS: dict[int, type[ClientError]] = {
    400: InvalidInput,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    429: LimitExceeded,
}


def _int_env(name: str, default: int, *, least: int = 1) -> int:
    raw = os.environ.get(name, "")
    try:
        value = int(raw) if raw else default
    except ValueError:
        raise InvalidInput(f"must be a whole number, got {raw!r}", field=name) from None
    if value < least:
        raise InvalidInput(f"must be at least {least}, got {value}", field=name)
    return value


class Grading:
    """The grading-job layer of one engine.

    Args:
        engine: the engine whose modules run the jobs.
        queue: builds the queue from :meth:`execute`; default: ``INTERVIEW_GRADING=queue`` on PostgreSQL
            gives procrastinate, anything else the in-process sandbox pool (``INTERVIEW_SANDBOX_WORKERS``
            jobs at once, one per core by default; ``INTERVIEW_SANDBOX_QUEUE`` (16) more waiting).
        queued_limit: queued or running jobs one user may have (``INTERVIEW_QUEUED_JOBS_PER_USER``, 4).
    """

    def __init__(
        self,
        engine: Engine,
        *,
        queue: Callable[[Grading], GradingQueue] | None = None,
        queued_limit: int | None = None,
    ) -> None:
        self.engine = engine
        self.store = engine.store
        self.queued_limit = queued_limit or _int_env(QUEUED_LIMIT_ENV, DEFAULT_QUEUED_LIMIT)
        self._listeners: list[JobListener] = []
        self._session_locks: weakref.WeakValueDictionary[str, threading.Lock] = weakref.WeakValueDictionary()
        self._locks_lock = threading.Lock()
        self._channel: str | None = None
        self._queue_factory = queue or _default_queue
        self._queue: GradingQueue | None = None
        self._queue_lock = threading.Lock()

    # -- configuration ----------------------------------------------------------------------

    @property
    def queue(self) -> GradingQueue:
        with self._queue_lock:
            if self._queue is None:
                self._queue = self._queue_factory(self)
            return self._queue

    @property
    def mode(self) -> str:
        """``inline`` (jobs run in this process) or ``queue`` (workers run them)."""
        return "inline" if isinstance(self.queue, InlineQueue) else "queue"

    @property
    def channel(self) -> str:
        """The LISTEN/NOTIFY channel of this database's job events (one per PostgreSQL schema)."""
        if self._channel is None:
            schema = re.sub(r"[^a-z0-9_]", "_", self.store.jobs.current_schema().lower())[:40]
            self._channel = f"interview_jobs_{schema}"
        return self._channel

    def is_job(self, module: str, action: str) -> bool:
        """Whether ``action`` of ``module`` is declared ``Cost.SANDBOX``, and so runs as a grading job."""
        try:
            declared = self.engine.action(module, action)
        except EngineError:
            return False  # an unknown action: the engine's own path says so
        return declared.cost is Cost.SANDBOX

    def listen(self, listener: JobListener) -> Callable[[], None]:
        """Be told of every job change made in this process; returns the function that stops it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def close(self) -> None:
        with self._queue_lock:
            if self._queue is not None:
                self._queue.close()
                self._queue = None

    # -- the web process's side ---------------------------------------------------------------

    def enqueue(
        self, session_id: str, action: str, payload: Mapping[str, Any] | None = None, *, user_id: str | None = None
    ) -> GradingJob:
        """Queue a sandbox-cost action.  A second identical request of a session still queued or running
        gets the first job back; more than ``queued_limit`` unfinished jobs of one user are refused (429)."""
        session = self.engine.get_session(session_id, user_id=user_id)
        module = self.engine.module(session.module)
        declared = self.engine.action(module.name, action)  # NotFound/InvalidInput for an unknown action
        body = validate_payload(declared, payload)  # caps and types before anything is queued
        if session.status is not SessionStatus.ACTIVE:
            raise Conflict(f"session {session_id} is {session.status.value}, not active")
        digest = payload_digest(module.name, session.id, action, body)
        job = GradingJob(
            id=new_id(),
            session_id=session.id,
            user_id=session.user_id,
            module=module.name,
            action=action,
            payload=body,
            submission_id=new_id(),
            digest=digest,
        )
        # The twin check, the limit and the insert are one step (a lock on the user's row): two requests at
        # once can neither both queue the same submit nor both take the last place.
        stored = self.store.jobs.add_unless_twin(job, limit=self.queued_limit)
        if stored is None:
            raise LimitExceeded(
                f"{self.queued_limit} of your gradings are already queued or running; wait for one to finish",
                field="job",
            )
        if stored.id != job.id:
            return stored  # the same request of this session is already queued or running
        self._announce(job)
        try:
            self.queue.dispatch(job)
        except SandboxBusy:  # nothing more may wait in this process: refused, never left queued
            self.store.jobs.finish(
                job.id, JobState.CANCELLED, error="not queued: the sandbox is busy", from_states=(JobState.QUEUED,)
            )
            self._announce(self.get(job.id))
            raise
        except Exception as exc:
            if type(exc).__name__ == "DuplicateJob":  # another web process queued the same request first
                self.store.jobs.finish(
                    job.id, JobState.CANCELLED, error="a duplicate of a queued job", from_states=(JobState.QUEUED,)
                )
                twin = self.store.jobs.active_twin(session.id, digest)
                if twin is not None:
                    return twin
            self.store.jobs.finish(
                job.id, JobState.FAILED, error=NOT_GRADED, fault=Fault.INFRASTRUCTURE, from_states=(JobState.QUEUED,)
            )
            raise NotGraded(f"{NOT_GRADED} (the queue refused the job)") from exc
        return job

    def get(self, job_id: str, *, user_id: str | None = None) -> GradingJob:
        job = self.store.jobs.get(job_id)
        if user_id is not None and job.user_id != user_id:
            raise NotFound(f"no grading job {job_id}", field="job_id")
        return job

    def for_session(self, session_id: str) -> list[GradingJob]:
        return self.store.jobs.for_session(session_id)

    def position(self, job: GradingJob) -> int:
        return self.store.jobs.position(job)

    def cancel(self, job_id: str, *, user_id: str | None = None) -> GradingJob:
        """Cancel a job.  A queued one ends cancelled at once and is withdrawn from its queue; a running one
        is asked to stop (its step says ``cancelling``): it ends cancelled at its next step with nothing
        stored, or done if it finished first.  409 once it ended."""
        job = self.get(job_id, user_id=user_id)
        for _ in range(3):  # a running job may go back to the queue (a retry) while we look: look again
            if self.store.jobs.finish(
                job.id, JobState.CANCELLED, error="cancelled by the candidate", from_states=(JobState.QUEUED,)
            ):
                self.queue.cancel(job)
                cancelled = self.get(job_id)
                self._announce(cancelled)
                return cancelled
            current = self.get(job_id)
            if current.final:
                break
            if current.state is JobState.RUNNING:
                if not self.queue.abort(current):
                    break
                self.store.jobs.set_step(job.id, CANCELLING)
                stopping = self.get(job_id)
                self._announce(stopping)
                return stopping
        raise Conflict(f"grading job {job_id} is {self.get(job_id).state.value}; it can no longer be cancelled")

    def wait(
        self, job_id: str, *, timeout: float = 600.0, on_change: Callable[[GradingJob], None] | None = None
    ) -> GradingJob:
        """Block until the job is final and return it; ``on_change`` sees each new state or step."""
        deadline = time.monotonic() + timeout
        seen: tuple[str, str, int] | None = None
        while True:
            job = self.get(job_id)
            marker = (job.state.value, job.step, self.position(job))
            if on_change is not None and marker != seen:
                on_change(job)
            seen = marker
            if job.final:
                return job
            left = deadline - time.monotonic()
            if left <= 0:
                raise NotGraded(
                    f"grading job {job_id} did not finish in {timeout:.0f} s; it is still {job.state.value}"
                )
            try:
                waited = self.queue.wait(job_id, timeout=min(left, 0.25) if on_change else left)
            except TimeoutError:
                waited = True
            if not waited:
                time.sleep(min(0.05 if self.mode == "inline" else 0.2, max(left, 0)))

    def outcome(self, job: GradingJob) -> ActionResult:
        """The action's result of a final job (checked against its declared result type), or the error it
        ended with."""
        if job.state is JobState.DONE:
            data = dict(job.result or {})
            declared = self.engine.action(job.module, job.action)
            if data.get(RECOVERED) is True:
                # Ended from a submission stored by a version that did not keep the result with it: its summary.
                declared = evolve(declared, result=Recovered)
            data = check_result(job.module, declared, data)
            return ActionResult(self.engine.store.get_session(job.session_id), data)
        if job.state is JobState.CANCELLED:
            raise Conflict(f"grading job {job.id} was cancelled")
        if job.fault is Fault.INFRASTRUCTURE and (job.result or {}).get("graded") is False:
            # The module said so itself (its submission is kept as not graded): its own answer stands.
            data = check_result(job.module, self.engine.action(job.module, job.action), dict(job.result or {}))
            return ActionResult(self.engine.store.get_session(job.session_id), data)
        if job.fault is Fault.INPUT:
            detail = (job.result or {}).get("error", {})
            kind = _CLIENT_ERRORS.get(int(detail.get("status", 400)), InvalidInput)
            raise kind(str(detail.get("message", job.error)), field=detail.get("field"))
        raise NotGraded(job.error or NOT_GRADED)

    # -- the worker's side ------------------------------------------------------------------

    def execute(self, job_id: str, should_abort: AbortCheck | None = None) -> GradingJob:
        """Run one job to a final state.  Raises :class:`RetryJob` after an infrastructure fault with
        attempts left (the job is queued again); a job that is already final is left as it is.
        ``should_abort`` is asked before the job starts and between its steps: once it says so, the job's
        unit of work is rolled back and it ends cancelled."""
        job = self.store.jobs.claim(job_id)
        if job is None:
            return self.get(job_id)
        self._announce(job)
        if job.attempts > MAX_ATTEMPTS:
            return self._end(job, JobState.FAILED, error=NOT_GRADED, fault=Fault.INFRASTRUCTURE)
        try:
            with self._session_lock(job.session_id):
                # Looked up under the lock: another delivery of this job in this process may have just
                # stored it (a stalled-job retry while the first attempt was still alive).
                recovered = self._recovered(job)
                if recovered is not None:
                    return recovered
                if should_abort is not None and should_abort():
                    raise JobCancelled(job.id)
                data = self._run(job, should_abort)
        except JobCancelled:
            return self._end(job, JobState.CANCELLED, error="cancelled by the candidate while it ran")
        except ClientError as exc:
            recovered = self._recovered(job)  # another attempt's commit beat ours (its submission is kept)
            if recovered is not None:
                return recovered
            error = {"status": exc.http_status, "field": exc.field, "message": exc.message}
            return self._end(job, JobState.FAILED, result={"error": error}, error=str(exc), fault=Fault.INPUT)
        except Exception as exc:
            log.warning("grading job %s attempt %d failed: %s", job.id, job.attempts, exc, exc_info=True)
            recovered = self._recovered(job)
            if recovered is not None:
                return recovered
            if job.attempts >= MAX_ATTEMPTS:
                return self._end(job, JobState.FAILED, error=NOT_GRADED, fault=Fault.INFRASTRUCTURE)
            if self.store.jobs.release(job.id, f"attempt {job.attempts} failed: {type(exc).__name__}"):
                self._announce(self.get(job.id))
            raise RetryJob(job.id, job.attempts) from exc
        return self._finish(job, data)

    def execute_with_retries(self, job_id: str, should_abort: AbortCheck | None = None) -> None:
        """The in-process pool's loop: retry at once after an infrastructure fault, up to the bound."""
        for _ in range(MAX_ATTEMPTS + 1):
            try:
                self.execute(job_id, should_abort)
                return
            except RetryJob:
                continue

    def _recovered(self, job: GradingJob) -> GradingJob | None:
        """The job ended from what an attempt already stored, if one did: never graded twice.

        That attempt's result committed with its submission (:meth:`_run`), so the job ends with that very
        result, as if the attempt had finished: done, or failed when the module said "not graded"."""
        earlier = self.store.get_submission(job.submission_id)
        if earlier is None:
            return None
        kept = self.get(job.id).result
        log.info(
            "grading job %s: attempt %d finds submission %s stored, ends from it", job.id, job.attempts, earlier.id
        )
        if kept is None:  # stored by a version that did not keep the result with it
            legacy = Recovered(submissionId=earlier.id, recovered=True, summary=dict(earlier.summary))
            return self._end(job, JobState.DONE, result=unstructure(legacy))
        return self._finish(job, kept)

    def _finish(self, job: GradingJob, data: dict[str, Any]) -> GradingJob:
        if data.get("graded") is False:  # the last attempt's fault too: kept as not graded, nothing scored
            message = str(data.get("message") or NOT_GRADED)
            return self._end(job, JobState.FAILED, result=data, error=message, fault=Fault.INFRASTRUCTURE)
        return self._end(job, JobState.DONE, result=data)

    def _run(self, job: GradingJob, should_abort: AbortCheck | None = None) -> dict[str, Any]:
        """The action itself, as one unit of work: its submission, test runs and session change commit together."""
        module = self.engine.module(job.module)

        shown = [""]

        def progress(step: str) -> None:
            if should_abort is not None and should_abort():
                raise JobCancelled(job.id)  # not an Exception: no module mistakes it for a sandbox fault
            if step == shown[0]:
                return  # the same step again (one growth size after another): nothing new to show
            shown[0] = step
            stepped = evolve(job, step=step)
            try:  # the step and its announcement in one transaction
                self.store.jobs.set_step(job.id, step, notify=(self.channel, _message(stepped)))
            except EngineError:  # progress is a courtesy: a busy database never stops grading
                log.warning("could not record the step of job %s", job.id, exc_info=True)
            self._tell(stepped)

        ctx = evolve(self.engine.context, submission_id=job.submission_id, progress=progress)
        with self.store.unit_of_work():
            session = self.store.get_session(job.session_id)
            if session.status is not SessionStatus.ACTIVE:
                raise Conflict(f"session {session.id} ended before it was graded")
            result = module.act(ctx, session, job.action, dict(job.payload))
            # Checked before anything commits: a result its declaration refuses stores nothing.
            data = check_result(module.name, self.engine.action(module.name, job.action), result.data)
            if data.get("graded") is False and job.attempts < MAX_ATTEMPTS:
                raise SandboxFaulted(str(data.get("message", NOT_GRADED)))  # rolls the unit back: retry
            if result.session != session or self.store.unit_wrote():
                self.store.save_session(result.session)
            self.store.jobs.keep_result(job.id, data)  # commits with the submission, or not at all
        return data

    def _end(
        self,
        job: GradingJob,
        state: JobState,
        *,
        result: dict[str, Any] | None = None,
        error: str = "",
        fault: Fault = Fault.NONE,
    ) -> GradingJob:
        self.store.jobs.finish(job.id, state, result=result, error=error, fault=fault)
        final = self.get(job.id)
        self._announce(final)
        return final

    def _session_lock(self, session_id: str) -> threading.Lock:
        """One job of a session at a time in this process (procrastinate's ``lock`` does it across workers)."""
        with self._locks_lock:
            lock = self._session_locks.get(session_id)
            if lock is None:
                lock = threading.Lock()
                self._session_locks[session_id] = lock
            return lock

    def _announce(self, job: GradingJob) -> None:
        self._tell(job)
        try:
            self.store.jobs.notify(self.channel, _message(job))
        except EngineError:
            log.warning("could not announce job %s", job.id, exc_info=True)

    def _tell(self, job: GradingJob) -> None:
        """This process's listeners (other processes hear the NOTIFY)."""
        for listener in list(self._listeners):
            try:
                listener(job)
            except Exception:  # a watcher's failure never stops grading
                log.exception("job listener failed")


def _message(job: GradingJob) -> dict[str, str]:
    """What a job's announcement says: enough for a listener to tell whether it concerns it."""
    return {"id": job.id, "state": job.state.value, "step": job.step}


class JobCancelled(BaseException):
    """A running job's cancellation was asked for: raised at its next step, it rolls the unit of work back.

    A ``BaseException`` so that no ``except Exception`` on the way (a module that turns a failed run into
    "not graded") can take it for a fault and grade on.
    """


class SandboxFaulted(Exception):
    """The module reported an infrastructure fault (``graded: false``) on an attempt that can be retried."""


class RetryJob(Exception):
    """An infrastructure fault ended an attempt; the job is queued again."""

    def __init__(self, job_id: str, attempt: int) -> None:
        super().__init__(f"grading job {job_id}: attempt {attempt} failed, retrying")
        self.job_id = job_id
        self.attempt = attempt


def _default_queue(grading: Grading) -> GradingQueue:
    wanted = os.environ.get(GRADING_ENV, "inline").strip().lower() or "inline"
    if wanted not in ("inline", "queue"):
        raise InvalidInput(f"must be inline or queue, got {wanted!r}", field=GRADING_ENV)
    if wanted == "queue":
        if grading.store.dialect != "postgresql":
            raise InvalidInput(
                "queue needs PostgreSQL (INTERVIEW_DATABASE_URL=postgresql+psycopg://...)", field=GRADING_ENV
            )
        from interview_engine.jobs.procrastinate_queue import ProcrastinateQueue

        return ProcrastinateQueue(grading.store.url)
    return InlineQueue(
        grading.execute_with_retries,
        workers=_int_env(WORKERS_ENV, default_workers()),
        waiting=_int_env(WAITING_ENV, DEFAULT_WAITING, least=0),
    )
