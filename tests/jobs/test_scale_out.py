"""Scale-out on the real PostgreSQL: 2 web processes, 2 workers, 16 submits from 4 users, one worker
SIGKILLed mid-job and one web process killed and restarted.  Every submit ends graded and evaluated,
none twice, none lost."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from interview_engine import Store
from interview_engine.jobs import JobState
from interview_live_coding.plugin import module

pytestmark = pytest.mark.postgres

PROBLEM = "backend-lru-cache"
INTERVIEW = str(Path(sys.executable).parent / "interview")
USERS = [f"candidate{n}@example.com" for n in range(4)]
SUBMITS_PER_USER = 4
DEADLINE_S = 240.0
START_S = 180.0  # a process's start-up (imports, the schema check) on a loaded machine


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(postgres_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        INTERVIEW_DATABASE_URL=postgres_url,
        INTERVIEW_GRADING="queue",
        INTERVIEW_TRUSTED_USER_HEADER="X-Test-User",
        INTERVIEW_SECRET_KEY="ab" * 32,
        INTERVIEW_RUNS_PER_MINUTE="1000",
        INTERVIEW_WORKER_HEARTBEAT="1",
        INTERVIEW_WORKER_STALLED_AFTER="4",
    )
    return env


def _wait_for(check: Any, what: str, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def cluster(postgres_url: str) -> Iterator[dict[str, Any]]:
    env = _environment(postgres_url)
    subprocess.run([INTERVIEW, "db", "upgrade"], env=env, check=True, capture_output=True, timeout=120)
    store = Store(postgres_url)  # `db upgrade` made our tables and procrastinate's
    ports = [_free_port(), _free_port()]
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for n, port in enumerate(ports):
            processes[f"web{n}"] = subprocess.Popen(
                [INTERVIEW, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        for port in ports:
            _wait_for(lambda p=port: _healthy(p), f"web process on {port}", timeout=START_S)
        yield {"store": store, "env": env, "ports": ports, "processes": processes}
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
        store.close()


def _healthy(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _start_worker(cluster: dict[str, Any], name: str) -> int:
    """Start a worker and return its procrastinate worker id (the row its heartbeat keeps fresh)."""
    store: Store = cluster["store"]
    before = set(_worker_ids(store))
    cluster["processes"][name] = subprocess.Popen(
        [INTERVIEW, "worker", "--concurrency", "2"],
        env=cluster["env"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return int(_wait_for(lambda: next(iter(set(_worker_ids(store)) - before), None), f"{name} to register", START_S))


def _sql(store: Store, query: str, **params: Any) -> list[Any]:
    from sqlalchemy import text

    with store._tx() as tx:
        return list(tx.execute(text(query), params))


def _worker_ids(store: Store) -> list[int]:
    return [row[0] for row in _sql(store, "SELECT id FROM procrastinate_workers")]


def test_a_killed_worker_loses_no_submit_and_grades_none_twice(cluster: dict[str, Any]) -> None:
    store: Store = cluster["store"]
    doomed = _start_worker(cluster, "worker0")
    _start_worker(cluster, "worker1")
    reference = module().pack.problems[PROBLEM].reference
    clients = [httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) for port in cluster["ports"]]

    def start(index: int) -> str:
        created = clients[index % 2].post(
            "/api/coding/sessions/",
            json={"track": "backend", "difficulty": "mid", "problemId": PROBLEM},
            headers={"X-Test-User": USERS[index % len(USERS)]},
        )
        assert created.status_code == 201, created.text
        return str(created.json()["id"])

    def submit(index: int, session_id: str) -> tuple[str, str]:
        web = clients[index % 2]  # alternate web processes: either may take any request
        source = f"{reference}\n# submission {index}\n"  # distinct code: no shared result to reuse
        answer = web.post(
            f"/api/coding/sessions/{session_id}/submit",
            json={"source": source},
            headers={"X-Test-User": USERS[index % len(USERS)]},
        )
        assert answer.status_code == 202, answer.text
        return session_id, answer.json()["id"]

    count = len(USERS) * SUBMITS_PER_USER
    sessions = [start(index) for index in range(count)]  # (first use of users and content is another test's)
    with ThreadPoolExecutor(8) as pool:
        submitted = list(pool.map(submit, range(count), sessions))

    # SIGKILL the first worker while it holds a job.
    _wait_for(
        lambda: _sql(store, "SELECT 1 FROM procrastinate_jobs WHERE status = 'doing' AND worker_id = :w", w=doomed),
        "the doomed worker to take a job",
    )
    cluster["processes"]["worker0"].send_signal(signal.SIGKILL)
    cluster["processes"]["worker0"].wait(timeout=10)
    # A web process restart loses nothing queued: the queue is the database's.
    cluster["processes"]["web0"].send_signal(signal.SIGKILL)
    cluster["processes"]["web0"].wait(timeout=10)
    port = cluster["ports"][0]
    cluster["processes"]["web0"] = subprocess.Popen(
        [INTERVIEW, "serve", "--port", str(port)],
        env=cluster["env"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for(lambda: _healthy(port), "the restarted web process", timeout=START_S)

    def all_final() -> bool:
        return all(store.jobs.get(job_id).final for _, job_id in submitted)

    _wait_for(all_final, "every job to end", timeout=DEADLINE_S)

    retried = 0
    for index, (session_id, job_id) in enumerate(submitted):
        job = store.jobs.get(job_id)
        assert job.state is JobState.DONE, (job.state, job.error)
        assert job.result is not None and job.result["graded"] is True and job.result["correctness"] == 1.0
        retried += job.attempts > 1
        submissions = store.submissions(session_id, kind="submit")
        assert [s.id for s in submissions] == [job.submission_id]  # graded once, under the job's own id
        runs = store.test_runs(job.submission_id)
        assert runs and len(runs) == len({r.name for r in runs})  # one row per test, none doubled
        user = USERS[index % len(USERS)]
        ended = clients[index % 2].post(f"/api/sessions/{session_id}/end", headers={"X-Test-User": user})
        assert ended.status_code == 201, ended.text
        assert store.get_evaluation(session_id) is not None
    assert retried >= 1  # the killed worker's job was taken up again by the other
    stalled = _sql(
        store,
        "SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'interview_engine.grade' AND status <> 'succeeded'",
    )
    assert stalled[0][0] == 0
    for client in clients:
        client.close()
