"""Grading jobs over HTTP: 202 with the job when workers grade, polling, cancelling, server-sent events."""

from __future__ import annotations

import json
import threading
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from interview_engine import Engine
from interview_engine.jobs import Grading, GradingJob
from interview_live_coding.plugin import module
from interview_web.api.jobs import concerns

from .conftest import Client, coding_session, sign_up

PROBLEM = "backend-lru-cache"


class WorkerQueue:
    """Jobs wait here as they would in PostgreSQL until a 'worker' (the test) runs them."""

    name = "test-queue"

    def __init__(self) -> None:
        self.jobs: list[GradingJob] = []

    def dispatch(self, job: GradingJob) -> None:
        self.jobs.append(job)

    def wait(self, job_id: str, timeout: float) -> bool:
        return False

    def cancel(self, job: GradingJob) -> None:
        pass

    def close(self) -> None:
        pass


def _events(client: Client, job_id: str) -> list[dict[str, Any]]:
    with client.stream("GET", f"/api/jobs/{job_id}/events") as response:
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
        text = "".join(response.iter_text())
    return [json.loads(line[5:]) for line in text.splitlines() if line.startswith("data:")]


def test_in_process_grading_answers_with_the_result_and_keeps_the_job(client: Client, web_engine: Engine) -> None:
    token = sign_up(client, "ada@example.com")
    session_id = coding_session(client, token)
    source = module().pack.problems[PROBLEM].reference
    ran = client.post(
        f"/api/coding/sessions/{session_id}/run", json={"source": source}, headers={"x-csrf-token": token}
    )
    assert ran.status_code == 201 and ran.json()["data"]["allPassed"]
    [job] = web_engine.store.jobs.for_session(session_id)
    polled = client.get(f"/api/jobs/{job.id}").json()
    assert polled["state"] == "done" and polled["position"] == 0 and polled["result"]["allPassed"]
    [final] = _events(client, job.id)  # a finished job: its stored state, then the stream ends
    assert final["state"] == "done" and final["submissionId"] == job.submission_id


def test_with_workers_a_submit_answers_202_and_the_job_streams_to_done(client: Client, web_engine: Engine) -> None:
    queue = WorkerQueue()
    web_engine.grading = Grading(web_engine, queue=lambda _: queue)
    token = sign_up(client, "ada@example.com")
    session_id = coding_session(client, token)
    source = module().pack.problems[PROBLEM].reference
    answer = client.post(
        f"/api/coding/sessions/{session_id}/submit", json={"source": source}, headers={"x-csrf-token": token}
    )
    assert answer.status_code == 202, answer.text
    job = answer.json()
    assert job["state"] == "queued" and job["position"] == 1 and answer.headers["location"] == f"/api/jobs/{job['id']}"
    assert "expected" not in json.dumps(job)
    again = client.post(
        f"/api/sessions/{session_id}/actions/submit",
        json={"payload": {"source": source}},
        headers={"x-csrf-token": token},
    )
    assert again.status_code == 202 and again.json()["id"] == job["id"]  # the generic door: the same job

    worker = threading.Timer(0.5, web_engine.grading.execute, args=(job["id"],))
    worker.start()
    events = _events(client, job["id"])
    worker.join()
    states = [e["state"] for e in events]
    assert states[0] == "queued" and states[-1] == "done"
    assert events[-1]["result"]["correctness"] == 1.0
    assert client.get(f"/api/jobs/{job['id']}").json()["state"] == "done"


def test_a_queued_job_can_be_cancelled_by_its_owner_only(app_factory: Any, web_engine: Engine) -> None:
    queue = WorkerQueue()
    web_engine.grading = Grading(web_engine, queue=lambda _: queue)
    with app_factory() as owner, app_factory() as stranger:
        token = sign_up(owner, "ada@example.com")
        other = sign_up(stranger, "eve@example.com")
        session_id = coding_session(owner, token)
        job = owner.post(
            f"/api/coding/sessions/{session_id}/run", json={"source": "x = 1"}, headers={"x-csrf-token": token}
        ).json()
        assert stranger.get(f"/api/jobs/{job['id']}").status_code == 404
        assert stranger.get(f"/api/jobs/{job['id']}/events").status_code == 404
        assert stranger.post(f"/api/jobs/{job['id']}/cancel", headers={"x-csrf-token": other}).status_code == 404
        cancelled = owner.post(f"/api/jobs/{job['id']}/cancel", headers={"x-csrf-token": token})
        assert cancelled.status_code == 201 and cancelled.json()["state"] == "cancelled"
        assert owner.post(f"/api/jobs/{job['id']}/cancel", headers={"x-csrf-token": token}).status_code == 409
        assert owner.get("/api/jobs/" + "x" * 65).status_code == 400


def test_queued_jobs_past_a_users_limit_are_a_429_and_other_users_still_queue(
    app_factory: Any, web_engine: Engine
) -> None:
    queue = WorkerQueue()
    web_engine.grading = Grading(web_engine, queue=lambda _: queue, queued_limit=2)
    with app_factory() as ada, app_factory() as eve:
        ada_token, eve_token = sign_up(ada, "ada@example.com"), sign_up(eve, "eve@example.com")

        def submit(client: Client, token: str) -> Any:
            session_id = coding_session(client, token)
            return client.post(
                f"/api/coding/sessions/{session_id}/submit", json={"source": "x = 1"}, headers={"x-csrf-token": token}
            )

        assert [submit(ada, ada_token).status_code for _ in range(2)] == [202, 202]
        refused = submit(ada, ada_token)
        assert refused.status_code == 429 and "2 of your gradings" in refused.json()["detail"]
        assert submit(eve, eve_token).status_code == 202  # the limit is per user
        first = queue.jobs[0]
        web_engine.grading.execute(first.id)  # one of ada's ends: a place is free again
        assert submit(ada, ada_token).status_code == 202
    assert len(queue.jobs) == 4


def test_an_infrastructure_fault_is_a_503_saying_not_graded(client: Client, web_engine: Engine) -> None:
    from interview_engine import InternalError, hookimpl

    class Gone:
        def _fail(self, *args: Any, **kwargs: Any) -> Any:
            raise InternalError("the sandbox is gone")

        run = call_cases = measure_growth = run_test_functions = _fail

    class Team:
        @hookimpl(tryfirst=True)
        def code_runner(self) -> object:
            return Gone()

    token = sign_up(client, "ada@example.com")
    session_id = coding_session(client, token)
    web_engine.pm.register(Team())
    answer = client.post(
        f"/api/coding/sessions/{session_id}/submit", json={"source": "x = 1"}, headers={"x-csrf-token": token}
    )
    assert answer.status_code == 503 and "not graded" in answer.json()["detail"]
    assert answer.json()["retryable"] is True
    assert web_engine.store.submissions(session_id) == [] and web_engine.store.get_evaluation(session_id) is None


def test_a_page_that_prefers_to_follow_gets_202_and_sees_its_place_and_step(
    app_factory: Any, web_engine: Engine, monkeypatch: Any
) -> None:
    from interview_engine.jobs import InlineQueue
    from tests.jobs.gates import install_gated_runner

    runner = install_gated_runner(web_engine)
    pool = InlineQueue(web_engine.grading.execute_with_retries, workers=1, waiting=2)
    web_engine.grading = Grading(web_engine, queue=lambda _: pool)
    # The gate opens once the events stream has read the queued job's place (not on a timer, which a
    # loaded machine outruns): every position read after the 202 answer is the stream's.
    streamed, placed = threading.Event(), web_engine.grading.position

    def position(job: GradingJob) -> int:
        place = placed(job)
        if watching.is_set():
            streamed.set()
        return place

    watching = threading.Event()
    monkeypatch.setattr(web_engine.grading, "position", position)
    source = module().pack.problems[PROBLEM].reference
    try:
        with app_factory() as client:
            token = sign_up(client, "ada@example.com")
            first, second = coding_session(client, token), coding_session(client, token)
            ahead = web_engine.grading.enqueue(
                first, "submit", {"source": source}, user_id=web_engine.get_session(first).user_id
            )
            assert runner.entered.wait(60)
            running = client.get(f"/api/jobs/{ahead.id}").json()  # what its events say too
            assert running["state"] == "running" and running["step"].startswith("tests: basic")  # its groups

            answer = client.post(
                f"/api/sessions/{second}/actions/submit",
                json={"payload": {"source": source}},
                headers={"x-csrf-token": token, "prefer": "respond-async"},
            )
            assert answer.status_code == 202 and answer.json()["position"] == 1  # in this process, too
            watching.set()
            threading.Thread(target=lambda: streamed.wait(60) and runner.gate.set(), daemon=True).start()
            events = _events(client, answer.json()["id"])
    finally:
        runner.gate.set()
    assert events[0]["state"] == "queued" and events[0]["position"] == 1
    assert events[-1]["state"] == "done" and events[-1]["result"]["correctness"] == 1.0


_ids = st.sampled_from(["job-a", "job-b", "job-c"])
_states = st.sampled_from(["queued", "running", "done", "failed", "cancelled"])


@given(watched=_ids, heard=_ids, state=_states, step=st.sampled_from(["", "tests: basic", "measuring complexity"]))
def test_a_stream_wakes_for_its_own_job_and_for_its_place_only(watched: str, heard: str, state: str, step: str) -> None:
    event = json.dumps({"id": heard, "state": state, "step": step}).encode()
    if heard == watched:  # any change of its own job
        assert concerns(event, watched, queued=True) and concerns(event, watched, queued=False)
    else:
        assert not concerns(event, watched, queued=False)  # running or ended: another job never moves it
        leaves_queue_or_returns = state != "running" or step == ""
        assert concerns(event, watched, queued=True) is leaves_queue_or_returns  # a step of another: not
    assert concerns(b"not json", watched, queued=False)  # unreadable: read the stored state
