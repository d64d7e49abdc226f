"""One bounded sandbox pool: the engine's in-process grading pool.  A full one answers 429 with Retry-After,
a job waiting for a thread shows its position, and pages never wait behind runs."""

from __future__ import annotations

from typing import Any

import pytest

from interview_engine import Engine
from interview_engine.jobs import Grading, InlineQueue, JobState
from interview_live_coding.plugin import module
from tests.jobs.gates import install_gated_runner

from .conftest import coding_session, sign_up

PROBLEM = "backend-lru-cache"


def test_a_full_pool_refuses_with_retry_after_and_pages_still_answer(app_factory: Any, web_engine: Engine) -> None:
    runner = install_gated_runner(web_engine)
    pool = InlineQueue(web_engine.grading.execute_with_retries, workers=1, waiting=1, retry_after_s=7)
    web_engine.grading = Grading(web_engine, queue=lambda _: pool)
    source = module().pack.problems[PROBLEM].reference
    try:
        with app_factory() as client:
            token = sign_up(client, "ada@example.com")
            first, second, third = (coding_session(client, token) for _ in range(3))
            user_id = web_engine.get_session(first).user_id
            running = web_engine.grading.enqueue(first, "run", {"source": source}, user_id=user_id)
            assert runner.entered.wait(60)
            waiting = web_engine.grading.enqueue(second, "run", {"source": source}, user_id=user_id)

            polled = client.get(f"/api/jobs/{waiting.id}").json()
            assert polled["state"] == "queued" and polled["position"] == 1  # next in line, and it says so
            refused = client.post(
                f"/api/coding/sessions/{third}/run", json={"source": source}, headers={"x-csrf-token": token}
            )
            assert refused.status_code == 429 and refused.headers["retry-after"] == "7"
            assert "sandbox is busy" in refused.json()["detail"]
            assert client.get("/health").status_code == 200  # a page's work does not wait behind the runs
            assert client.get("/history").status_code == 200

            runner.gate.set()
            assert web_engine.grading.wait(running.id).state is JobState.DONE
            assert web_engine.grading.wait(waiting.id).state is JobState.DONE
            ran = client.post(
                f"/api/coding/sessions/{third}/run", json={"source": source}, headers={"x-csrf-token": token}
            )
            assert ran.status_code == 201 and ran.json()["data"]["allPassed"]  # answered with the result
            assert pool.admitted == 0
    finally:
        runner.gate.set()


def test_pool_sizes_are_checked(monkeypatch: pytest.MonkeyPatch, web_engine: Engine) -> None:
    from interview_engine import InvalidInput

    with pytest.raises(ValueError, match="InlineQueue.workers"):
        InlineQueue(lambda job_id, abort: None, workers=0)
    monkeypatch.setenv("INTERVIEW_SANDBOX_WORKERS", "none")
    with pytest.raises(InvalidInput, match="INTERVIEW_SANDBOX_WORKERS"):
        _ = Grading(web_engine).queue
    monkeypatch.setenv("INTERVIEW_SANDBOX_WORKERS", "3")
    monkeypatch.setenv("INTERVIEW_SANDBOX_QUEUE", "0")
    queue = Grading(web_engine).queue
    assert isinstance(queue, InlineQueue) and (queue.workers, queue.waiting) == (3, 0)
    queue.close()
