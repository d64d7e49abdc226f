"""The queue on PostgreSQL: procrastinate carries job ids from web processes to workers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from interview_engine import Engine
from interview_engine.jobs import Grading, JobState
from interview_engine.jobs.procrastinate_queue import ProcrastinateQueue, WorkerTiming, libpq_url, worker_app
from interview_live_coding.plugin import module

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
