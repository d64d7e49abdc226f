"""The queue on PostgreSQL: procrastinate carries job ids from web processes to workers."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from interview_engine import Engine, NotGraded
from interview_engine.jobs import MAX_ATTEMPTS, NOT_GRADED, Fault, Grading, JobState
from interview_engine.jobs.procrastinate_queue import ProcrastinateQueue, WorkerTiming, libpq_url, worker_app
from interview_live_coding.plugin import module

from .gates import BrokenRunner, install_broken_runner, install_gated_runner

pytestmark = pytest.mark.postgres
PROBLEM = "backend-lru-cache"


@pytest.fixture
def pg_engine(postgres_url: str) -> Iterator[Engine]:
    engine = Engine.create(postgres_url, migrate=True)
    engine.grading = Grading(engine, queue=lambda g: ProcrastinateQueue(g.store.url))
    yield engine
    engine.close()


def test_the_migration_applies_the_queue_schema(pg_engine: Engine) -> None:
    import procrastinate

    app = procrastinate.App(connector=procrastinate.SyncPsycopgConnector(conninfo=libpq_url(pg_engine.store.url)))
    with app.open():
        assert app.check_connection()  # procrastinate_jobs exists in this schema: our db upgrade made it


def test_a_worker_runs_what_the_web_process_queued(pg_engine: Engine) -> None:
    user = pg_engine.store.ensure_user("candidate@example.com")
    session = pg_engine.start_session(
        user_id=user.id, module="live_coding", track="backend", difficulty="mid", options={"problemId": PROBLEM}
    )
    source = module().pack.problems[PROBLEM].reference
    job = pg_engine.grading.enqueue(session.id, "submit", {"source": source})
    twin = pg_engine.grading.enqueue(session.id, "submit", {"source": source})
    assert twin.id == job.id and pg_engine.grading.get(job.id).state is JobState.QUEUED

    worker = worker_app(pg_engine.grading, WorkerTiming(heartbeat=1, stalled_after=3))
    worker.run_worker(queues=["grading"], wait=False, install_signal_handlers=False, concurrency=2)

    done = pg_engine.grading.get(job.id)
    assert done.state is JobState.DONE and done.attempts == 1
    assert pg_engine.grading.outcome(done).data["correctness"] == 1.0
    assert [s.id for s in pg_engine.store.submissions(session.id, kind="submit")] == [job.submission_id]


def _queue_status(engine: Engine, job_id: str) -> list[str]:
    """procrastinate's own status of the grading job (its ``procrastinate_jobs`` rows)."""
    import procrastinate

    app = procrastinate.App(connector=procrastinate.SyncPsycopgConnector(conninfo=libpq_url(engine.store.url)))
    with app.open():
        found = app.job_manager.list_jobs(task="interview_engine.grade")
    return [job.status for job in found if job.task_kwargs.get("job_id") == job_id]


def _coding_session(engine: Engine, email: str = "candidate@example.com") -> Any:
    user = engine.store.ensure_user(email)
    return engine.start_session(
        user_id=user.id, module="live_coding", track="backend", difficulty="mid", options={"problemId": PROBLEM}
    )


def test_a_queued_job_cancelled_leaves_procrastinates_queue_too(pg_engine: Engine) -> None:
    session = _coding_session(pg_engine)
    job = pg_engine.grading.enqueue(session.id, "run", {"source": "x = 1"})
    assert _queue_status(pg_engine, job.id) == ["todo"]
    assert pg_engine.grading.cancel(job.id).state is JobState.CANCELLED
    assert _queue_status(pg_engine, job.id) == ["cancelled"]  # no worker will ever fetch it
    worker = worker_app(pg_engine.grading, WorkerTiming(heartbeat=1, stalled_after=3))
    worker.run_worker(queues=["grading"], wait=False, install_signal_handlers=False, concurrency=1)
    assert pg_engine.grading.get(job.id).attempts == 0


def test_a_running_job_cancelled_is_aborted_by_its_worker(pg_engine: Engine) -> None:
    runner = install_gated_runner(pg_engine)
    session = _coding_session(pg_engine)
    job = pg_engine.grading.enqueue(session.id, "submit", {"source": module().pack.problems[PROBLEM].reference})
    worker = worker_app(pg_engine.grading, WorkerTiming(heartbeat=1, stalled_after=3))
    options = {"queues": ["grading"], "wait": False, "install_signal_handlers": False, "concurrency": 1}
    working = threading.Thread(target=worker.run_worker, kwargs={**options, "abort_job_polling_interval": 0.2})
    working.start()
    try:
        assert runner.entered.wait(120)  # the worker is inside the job's first sandbox call
        stopping = pg_engine.grading.cancel(job.id)
        assert stopping.state is JobState.RUNNING and stopping.step == "cancelling"
        time.sleep(1.0)  # the worker hears of the abort (by NOTIFY, or its 0.2 s poll)
    finally:
        runner.gate.set()
        working.join(120)
    final = pg_engine.grading.get(job.id)
    assert final.state is JobState.CANCELLED and final.attempts == 1
    assert _queue_status(pg_engine, job.id) == ["aborted"]  # procrastinate's record agrees
    assert pg_engine.store.submissions(session.id) == []


def test_three_infrastructure_faults_through_the_queue_end_not_graded(pg_engine: Engine) -> None:
    """Each fault sends the job back to procrastinate (a retry); the third ends it: not graded, nothing scored."""
    install_broken_runner(pg_engine)
    session = _coding_session(pg_engine)
    job = pg_engine.grading.enqueue(session.id, "submit", {"source": module().pack.problems[PROBLEM].reference})
    worker = worker_app(pg_engine.grading, WorkerTiming(heartbeat=1, stalled_after=3))
    deadline = time.monotonic() + 120
    while not pg_engine.grading.get(job.id).final and time.monotonic() < deadline:
        # Until the queue is empty; a retry is due a second later, so the worker runs again.
        worker.run_worker(queues=["grading"], wait=False, install_signal_handlers=False, concurrency=1)
        time.sleep(0.5)
    final = pg_engine.grading.get(job.id)
    assert final.state is JobState.FAILED and final.fault is Fault.INFRASTRUCTURE and final.error == NOT_GRADED
    # Every attempt reached the runner: its hidden tests, and the growth sizes started beside them.
    assert final.attempts == MAX_ATTEMPTS and BrokenRunner.calls >= MAX_ATTEMPTS
    assert _queue_status(pg_engine, job.id) == ["succeeded"]  # procrastinate retried it, then it ended
    with pytest.raises(NotGraded, match="try again"):
        pg_engine.grading.outcome(final)
    assert pg_engine.store.submissions(session.id) == [] and pg_engine.store.get_evaluation(session.id) is None
