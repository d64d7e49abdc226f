"""Grading jobs and shared run results in the database: the state every process reads.

The queue engine (procrastinate) only carries job ids to workers; what a job is
and how far it got lives here, on SQLite and PostgreSQL alike, so a page, the
JSON API and the CLI read one truth whichever process ran the job.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session as OrmSession

from interview_engine.domain import utcnow
from interview_engine.errors import NotFound
from interview_engine.jobs.model import FINAL_STATES, Fault, GradingJob, JobState
from interview_engine.storage import models as m

__all__ = ["JobTable", "RunResultTable"]

Tx = Callable[[], AbstractContextManager[OrmSession]]
_ACTIVE = (JobState.QUEUED.value, JobState.RUNNING.value)
_FINAL = tuple(state.value for state in FINAL_STATES)


def _utc(value: Any) -> Any:
    from interview_engine.storage.store import _utc as utc

    return utc(value)


def _twin_query(session_id: str, digest: str) -> Any:
    return (
        select(m.GradingJobRow)
        .where(m.GradingJobRow.session_id == session_id, m.GradingJobRow.digest == digest)
        .where(m.GradingJobRow.state.in_(_ACTIVE))
        .order_by(m.GradingJobRow.created_at)
        .limit(1)
    )


def _row(job: GradingJob) -> m.GradingJobRow:
    return m.GradingJobRow(
        id=job.id,
        session_id=job.session_id,
        user_id=job.user_id,
        module=job.module,
        action=job.action,
        payload=job.payload,
        submission_id=job.submission_id,
        digest=job.digest,
        state=job.state.value,
        attempts=job.attempts,
        step=job.step,
        result=job.result,
        error=job.error,
        fault=job.fault.value,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    )


def _job(row: m.GradingJobRow) -> GradingJob:
    return GradingJob(
        id=row.id,
        session_id=row.session_id,
        user_id=row.user_id,
        module=row.module,
        action=row.action,
        payload=dict(row.payload or {}),
        submission_id=row.submission_id,
        digest=row.digest,
        state=JobState(row.state),
        attempts=row.attempts,
        step=row.step,
        result=dict(row.result) if row.result is not None else None,
        error=row.error,
        fault=Fault(row.fault),
        created_at=_utc(row.created_at),
        started_at=_utc(row.started_at),
        finished_at=_utc(row.finished_at),
    )


class JobTable:
    """The ``grading_jobs`` table.  Every state change is one conditional UPDATE, so two processes
    racing on one job (a retried job and a cancel, two workers after a stall) cannot both win."""

    def __init__(self, tx: Tx, dialect: str, *, unit_tx: Callable[..., AbstractContextManager[OrmSession]]) -> None:
        self._tx = tx
        self._unit_tx = unit_tx
        self._dialect = dialect

    def add(self, job: GradingJob) -> GradingJob:
        with self._tx() as tx:
            tx.add(_row(job))
        return job

    def add_unless_twin(self, job: GradingJob, *, limit: int) -> GradingJob | None:
        """Store ``job`` unless the same request of its session is still queued or running (that twin is
        returned instead) or its user already has ``limit`` unfinished jobs (``None``).

        Check and insert are one transaction that first writes the user's row, so concurrent requests of
        one user take turns: PostgreSQL holds that row's lock and SQLite its write lock until the commit.
        """
        with self._tx() as tx:
            tx.execute(update(m.UserRow).where(m.UserRow.id == job.user_id).values(display_name=m.UserRow.display_name))
            twin = tx.scalars(_twin_query(job.session_id, job.digest)).first()
            if twin is not None:
                return _job(twin)
            if self._count_active(tx, job.user_id) >= limit:
                return None
            tx.add(_row(job))
        return job

    def get(self, job_id: str) -> GradingJob:
        with self._tx() as tx:
            row = tx.get(m.GradingJobRow, job_id)
            if row is None:
                raise NotFound(f"no grading job {job_id}", field="job_id")
            return _job(row)

    def active_twin(self, session_id: str, digest: str) -> GradingJob | None:
        """A queued or running job of the same session doing exactly the same thing (a double submit)."""
        with self._tx() as tx:
            row = tx.scalars(_twin_query(session_id, digest)).first()
            return _job(row) if row is not None else None

    def count_active(self, user_id: str) -> int:
        with self._tx() as tx:
            return self._count_active(tx, user_id)

    @staticmethod
    def _count_active(tx: OrmSession, user_id: str) -> int:
        query: Any = (
            select(func.count())
            .select_from(m.GradingJobRow)
            .where(m.GradingJobRow.user_id == user_id, m.GradingJobRow.state.in_(_ACTIVE))
        )
        return int(tx.scalar(query) or 0)

    def position(self, job: GradingJob) -> int:
        """1 for the next job a worker will take; 0 once it is no longer queued."""
        if job.state is not JobState.QUEUED:
            return 0
        query: Any = (
            select(func.count())
            .select_from(m.GradingJobRow)
            .where(m.GradingJobRow.state == JobState.QUEUED.value, m.GradingJobRow.created_at < job.created_at)
        )
        with self._tx() as tx:
            return int(tx.scalar(query) or 0) + 1

    def for_session(self, session_id: str) -> list[GradingJob]:
        query = select(m.GradingJobRow).where(m.GradingJobRow.session_id == session_id)
        with self._tx() as tx:
            return [_job(row) for row in tx.scalars(query.order_by(m.GradingJobRow.created_at))]

    def claim(self, job_id: str) -> GradingJob | None:
        """Mark a job running and count the attempt; ``None`` when it is already final (done, failed,
        cancelled): a redelivered job is then never run again."""
        with self._tx() as tx:
            changed = tx.execute(
                update(m.GradingJobRow)
                .where(m.GradingJobRow.id == job_id, m.GradingJobRow.state.in_(_ACTIVE))
                .values(state=JobState.RUNNING.value, attempts=m.GradingJobRow.attempts + 1, started_at=utcnow())
            )
            if changed.rowcount != 1:  # type: ignore[attr-defined]
                return None
            row = tx.get(m.GradingJobRow, job_id)
            assert row is not None
            tx.refresh(row)
            return _job(row)

    def set_step(self, job_id: str, step: str, *, notify: tuple[str, dict[str, Any]] | None = None) -> None:
        """Record a running job's step; ``notify``: (channel, message) announced in the same transaction."""
        with self._tx() as tx:
            tx.execute(
                update(m.GradingJobRow)
                .where(m.GradingJobRow.id == job_id, m.GradingJobRow.state == JobState.RUNNING.value)
                .values(step=step[:200])
            )
            if notify is not None:
                self._notify(tx, *notify)

    def keep_result(self, job_id: str, result: dict[str, Any]) -> None:
        """Write an unfinished job's result inside the caller's unit of work, so it commits with what the job
        stored (its submission): an attempt that dies after that commit leaves its retry the very result."""
        with self._unit_tx(write=True) as tx:
            tx.execute(
                update(m.GradingJobRow)
                .where(m.GradingJobRow.id == job_id, m.GradingJobRow.state.in_(_ACTIVE))
                .values(result=result)
            )

    def release(self, job_id: str, error: str) -> bool:
        """Put a running job back in the queue after an infrastructure fault (it will be retried)."""
        with self._tx() as tx:
            changed = tx.execute(
                update(m.GradingJobRow)
                .where(m.GradingJobRow.id == job_id, m.GradingJobRow.state == JobState.RUNNING.value)
                .values(state=JobState.QUEUED.value, step="", error=error[:2000])
            )
            return bool(changed.rowcount == 1)  # type: ignore[attr-defined]

    def finish(
        self,
        job_id: str,
        state: JobState,
        *,
        result: dict[str, Any] | None = None,
        error: str = "",
        fault: Fault = Fault.NONE,
        from_states: tuple[JobState, ...] = (JobState.RUNNING,),
    ) -> bool:
        """Move a job to a final state, only from ``from_states``; ``False`` when another process got there first."""
        with self._tx() as tx:
            changed = tx.execute(
                update(m.GradingJobRow)
                .where(m.GradingJobRow.id == job_id, m.GradingJobRow.state.in_([s.value for s in from_states]))
                .values(
                    state=state.value,
                    result=result,
                    error=error[:2000],
                    fault=fault.value,
                    finished_at=utcnow(),
                    step="",
                )
            )
            return bool(changed.rowcount == 1)  # type: ignore[attr-defined]

    def notify(self, channel: str, message: dict[str, Any]) -> None:
        """Tell every listening process (PostgreSQL LISTEN/NOTIFY) that a job changed; a no-op on SQLite."""
        if self._dialect != "postgresql":
            return
        with self._tx() as tx:
            self._notify(tx, channel, message)

    def _notify(self, tx: OrmSession, channel: str, message: dict[str, Any]) -> None:
        if self._dialect == "postgresql":  # delivered at the commit, with what it announces
            tx.execute(
                text("SELECT pg_notify(:channel, :payload)"), {"channel": channel, "payload": json.dumps(message)}
            )

    def current_schema(self) -> str:
        if self._dialect != "postgresql":
            return "main"
        with self._tx() as tx:
            return str(tx.scalar(text("SELECT current_schema()")))


class RunResultTable:
    """The ``run_results`` table: a bounded cache of sandbox results shared by every worker.

    PostgreSQL only: on SQLite there is one process, whose sandbox keeps its own cache, and a write from a
    sandbox thread would wait for the write lock of the unit of work that started the run.
    """

    def __init__(self, tx: Tx, dialect: str, *, max_rows: int = 20_000, max_bytes: int = 256 * 1024) -> None:
        self._tx = tx
        self._dialect = dialect
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        self._puts = 0

    @property
    def enabled(self) -> bool:
        return self._dialect == "postgresql"

    def get(self, key: str) -> Any:
        if not self.enabled:
            return None
        with self._tx() as tx:
            row = tx.get(m.RunResultRow, key)
            return row.value["v"] if row is not None else None

    def put(self, key: str, value: Any) -> bool:
        """Keep ``value`` under ``key`` unless it is larger than ``max_bytes``; ``True`` when stored."""
        if not self.enabled:  # before measuring it: a large result costs a pass of json.dumps
            return False
        size = len(json.dumps(value))
        if size > self.max_bytes:
            return False
        insert = (postgresql_insert if self._dialect == "postgresql" else sqlite_insert)(m.RunResultRow)
        row = {"key": key, "value": {"v": value}, "size": size, "created_at": utcnow()}
        with self._tx() as tx:  # another process storing the same key meanwhile stored the same value
            tx.execute(insert.values(row).on_conflict_do_nothing(index_elements=["key"]))
        self._puts += 1
        if self._puts % 200 == 0:
            self.prune()
        return True

    def prune(self) -> int:
        """Drop the oldest rows beyond ``max_rows`` and rows older than 30 days."""
        with self._tx() as tx:
            count = int(tx.scalar(select(func.count()).select_from(m.RunResultRow)) or 0)
            removed = 0
            if count > self.max_rows:
                cutoff = (
                    select(m.RunResultRow.created_at)
                    .order_by(m.RunResultRow.created_at.desc())
                    .offset(self.max_rows)
                    .limit(1)
                    .scalar_subquery()
                )
                removed += tx.execute(delete(m.RunResultRow).where(m.RunResultRow.created_at <= cutoff)).rowcount  # type: ignore[attr-defined]
            old = utcnow() - timedelta(days=30)
            removed += tx.execute(delete(m.RunResultRow).where(m.RunResultRow.created_at < old)).rowcount  # type: ignore[attr-defined]
            return int(removed)

    def __iter__(self) -> Iterator[str]:
        with self._tx() as tx:
            return iter(list(tx.scalars(select(m.RunResultRow.key))))
