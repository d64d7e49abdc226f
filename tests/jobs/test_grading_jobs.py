"""Grading jobs behind one interface: states, retries, duplicates, limits, cancellation, the shared cache."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interview_engine import Conflict, Engine, InvalidInput, LimitExceeded, NotGraded, hookimpl
from interview_engine.jobs import MAX_ATTEMPTS, NOT_GRADED, Fault, Grading, GradingJob, JobState
from interview_engine.jobs.model import payload_digest
from interview_engine.jobs.runner import groups_of
from interview_live_coding.plugin import module

from .gates import BrokenRunner, GatedRunner, install_broken_runner, install_gated_runner

PROBLEM = "backend-lru-cache"


def _session(engine: Engine, email: str = "candidate@example.com") -> Any:
    user = engine.store.ensure_user(email)
    return engine.start_session(
        user_id=user.id, module="live_coding", track="backend", difficulty="mid", options={"problemId": PROBLEM}
    )


def _reference() -> str:
    return module().pack.problems[PROBLEM].reference


class HeldQueue:
    """A queue that keeps what it is given: jobs stay queued until the test runs them."""

    name = "held"

    def __init__(self) -> None:
        self.jobs: list[GradingJob] = []

    def dispatch(self, job: GradingJob) -> None:
        self.jobs.append(job)

    def wait(self, job_id: str, timeout: float) -> bool:
        return False

    def cancel(self, job: GradingJob) -> None:
        self.jobs = [j for j in self.jobs if j.id != job.id]

    def close(self) -> None:
        pass


@pytest.fixture
def held(sqlite_engine: Engine) -> Iterator[tuple[Engine, HeldQueue]]:
    queue = HeldQueue()
    sqlite_engine.grading = Grading(sqlite_engine, queue=lambda _: queue, queued_limit=3)
    yield sqlite_engine, queue


def test_a_submit_runs_as_a_job_through_every_state(sqlite_engine: Engine) -> None:
    session = _session(sqlite_engine)
    seen: list[tuple[JobState, str]] = []
    sqlite_engine.grading.listen(lambda job: seen.append((job.state, job.step)))

    result = sqlite_engine.act(session.id, "submit", {"source": _reference(), "complexity": "O(n)"})

    assert result.data["correctness"] == 1.0
    [job] = sqlite_engine.store.jobs.for_session(session.id)
    assert job.state is JobState.DONE and job.attempts == 1 and job.fault is Fault.NONE
    assert job.result is not None and job.result["correctness"] == 1.0
    [submission] = sqlite_engine.store.submissions(session.id, kind="submit")
    assert submission.id == job.submission_id  # the id fixed at enqueue time is the one written
    states = [state for state, _ in seen]
    assert states[0] is JobState.QUEUED and states[-1] is JobState.DONE and JobState.RUNNING in states
    steps = {step for _, step in seen if step}
    assert any(step.startswith("tests: ") and "basic" in step for step in steps)
    assert any("growth" in step or "complexity" in step for step in steps)  # the measurement is a step too
    assert all(a != b for a, b in zip(seen, seen[1:], strict=False))  # each size of it is not a new step
    assert result.session.state["submissions"] == 1


def test_the_job_carries_no_expected_values(held: tuple[Engine, HeldQueue]) -> None:
    engine, queue = held
    session = _session(engine)
    engine.grading.enqueue(session.id, "submit", {"source": _reference()})
    [job] = queue.jobs
    assert set(job.payload) <= {"source", "complexity", "notes"}  # what to run: expected values come from content
    assert job.payload["source"] == _reference()


def test_a_double_submit_gets_the_queued_job_back(held: tuple[Engine, HeldQueue]) -> None:
    engine, queue = held
    session = _session(engine)
    first = engine.grading.enqueue(session.id, "submit", {"source": _reference()})
    again = engine.grading.enqueue(session.id, "submit", {"source": _reference()})
    assert again.id == first.id and len(queue.jobs) == 1
    other = engine.grading.enqueue(session.id, "submit", {"source": _reference() + "\n"})
    assert other.id != first.id


def test_queued_jobs_per_user_are_limited(held: tuple[Engine, HeldQueue]) -> None:
    engine, queue = held
    session = _session(engine)
    for n in range(3):
        engine.grading.enqueue(session.id, "run", {"source": f"x = {n}"})
    with pytest.raises(LimitExceeded) as refused:
        engine.grading.enqueue(session.id, "run", {"source": "x = 99"})
    assert refused.value.http_status == 429 and "3 of your gradings" in refused.value.message
    someone_else = _session(engine, "other@example.com")
    engine.grading.enqueue(someone_else.id, "run", {"source": "x = 1"})  # the limit is per user
    engine.grading.execute(queue.jobs[0].id)
    engine.grading.enqueue(session.id, "run", {"source": "x = 99"})  # one finished: room again


def test_positions_follow_the_queue(held: tuple[Engine, HeldQueue]) -> None:
    engine, queue = held
    session = _session(engine)
    jobs = [engine.grading.enqueue(session.id, "run", {"source": f"x = {n}"}) for n in range(3)]
    assert [engine.grading.position(engine.grading.get(j.id)) for j in jobs] == [1, 2, 3]
    engine.grading.execute(jobs[0].id)
    assert [engine.grading.position(engine.grading.get(j.id)) for j in jobs] == [0, 1, 2]


def test_a_redelivered_job_is_never_graded_twice(held: tuple[Engine, HeldQueue]) -> None:
    engine, queue = held
    session = _session(engine)
    job = engine.grading.enqueue(session.id, "submit", {"source": _reference()})
    assert engine.grading.execute(job.id).state is JobState.DONE
    assert engine.grading.execute(job.id).attempts == 1  # final: left as it is
    assert len(engine.store.submissions(session.id, kind="submit")) == 1


def _claimed_submit(engine: Engine) -> tuple[Any, GradingJob]:
    """A session and its submit job, claimed by a first attempt (running, attempt 1)."""
    session = _session(engine)
    job = engine.grading.enqueue(session.id, "submit", {"source": _reference()})
    claimed = engine.store.jobs.claim(job.id)
    assert claimed is not None and claimed.attempts == 1
    return session, claimed


def test_a_job_whose_attempt_died_after_writing_finishes_from_what_it_wrote(held: tuple[Engine, HeldQueue]) -> None:
    engine, queue = held
    session, claimed = _claimed_submit(engine)
    job = claimed
    # The first attempt: claimed, graded and committed, then the worker died before marking the job done.
    first = engine.grading._run(claimed)
    assert engine.grading.get(job.id).state is JobState.RUNNING
    engine.grading.execute(job.id)  # the retry
    final = engine.grading.get(job.id)
    assert final.state is JobState.DONE and final.attempts == 2
    assert final.result == first and first["correctness"] == 1.0  # that attempt's own result, not a summary
    assert engine.grading.outcome(final).data == first  # and it is the declared result type
    assert len(engine.store.submissions(session.id, kind="submit")) == 1


def test_a_dead_attempts_result_is_kept_only_with_its_submission(held: tuple[Engine, HeldQueue]) -> None:
    """The result is written in the attempt's unit of work: rolled back with it, nothing is left behind."""
    engine, queue = held
    _, job = _claimed_submit(engine)
    claimed = job
    with pytest.raises(RuntimeError), engine.store.unit_of_work():
        engine.grading._run(claimed)  # joins this unit, which then fails before its commit
        raise RuntimeError("the worker died before its commit")
    assert engine.grading.get(job.id).result is None and engine.store.get_submission(job.submission_id) is None
    final = engine.grading.execute(job.id)  # the retry grades it
    assert final.state is JobState.DONE and final.attempts == 2 and final.result is not None
    assert engine.grading.outcome(final).data["correctness"] == 1.0


def test_three_infrastructure_faults_end_not_graded_with_nothing_scored(sqlite_engine: Engine) -> None:
    install_broken_runner(sqlite_engine)
    session = _session(sqlite_engine)
    with pytest.raises(NotGraded) as stopped:
        sqlite_engine.act(session.id, "submit", {"source": _reference()})
    assert stopped.value.http_status == 503 and "try again" in stopped.value.message
    [job] = sqlite_engine.store.jobs.for_session(session.id)
    assert job.state is JobState.FAILED and job.fault is Fault.INFRASTRUCTURE and job.error == NOT_GRADED
    # Every attempt reached the runner: its hidden tests, and the growth sizes started beside them.
    assert job.attempts == MAX_ATTEMPTS and BrokenRunner.calls >= MAX_ATTEMPTS
    assert sqlite_engine.store.submissions(session.id) == []
    assert sqlite_engine.store.get_evaluation(session.id) is None


def test_bad_input_is_refused_before_anything_is_queued(sqlite_engine: Engine) -> None:
    session = _session(sqlite_engine)
    with pytest.raises(InvalidInput) as refused:
        sqlite_engine.act(session.id, "submit", {"source": 42})
    assert "source" in str(refused.value)  # the action's declaration checked it
    assert sqlite_engine.store.jobs.for_session(session.id) == []


def test_a_queued_job_can_be_cancelled_and_then_never_runs(held: tuple[Engine, HeldQueue]) -> None:
    engine, queue = held
    session = _session(engine)
    job = engine.grading.enqueue(session.id, "submit", {"source": _reference()})
    assert engine.grading.cancel(job.id).state is JobState.CANCELLED
    assert engine.grading.execute(job.id).state is JobState.CANCELLED
    assert engine.store.submissions(session.id) == []
    with pytest.raises(Conflict):
        engine.grading.cancel(job.id)
    with pytest.raises(Conflict, match="cancelled"):
        engine.grading.outcome(engine.grading.get(job.id))


def test_jobs_belong_to_their_user(held: tuple[Engine, HeldQueue]) -> None:
    engine, _ = held
    session = _session(engine)
    job = engine.grading.enqueue(session.id, "run", {"source": "x = 1"})
    stranger = engine.store.ensure_user("stranger@example.com")
    with pytest.raises(Exception, match="no grading job"):
        engine.grading.get(job.id, user_id=stranger.id)
    with pytest.raises(Exception, match="no session"):
        engine.grading.enqueue(session.id, "run", {"source": "x = 2"}, user_id=stranger.id)


class CountingRunner:
    """The installed sandbox, counting the calls that reach it."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.identity = inner.identity
        self.calls = 0
        self.lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        target = getattr(self.inner, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            with self.lock:
                self.calls += 1
            return target(*args, **kwargs)

        return counted


@pytest.mark.postgres
def test_identical_code_reuses_the_stored_result(postgres_url: str) -> None:
    from interview_sandbox.plugin import code_runner

    pg_engine = Engine.create(postgres_url, migrate=True)  # the shared cache is PostgreSQL's

    counting = CountingRunner(code_runner())

    class Team:
        @hookimpl(tryfirst=True)
        def code_runner(self) -> object:
            return counting

    pg_engine.pm.register(Team())
    first, second = _session(pg_engine), _session(pg_engine, "b@example.com")
    a = pg_engine.act(first.id, "run", {"source": _reference()}).data
    calls = counting.calls
    b = pg_engine.act(second.id, "run", {"source": _reference()}).data
    assert counting.calls == calls  # the second run came from run_results, not the sandbox
    assert a["results"] == b["results"] and b["allPassed"]
    assert len(list(pg_engine.store.run_results)) >= 1
    pg_engine.close()


def test_on_sqlite_the_sandbox_keeps_its_own_cache(sqlite_engine: Engine) -> None:
    session = _session(sqlite_engine)
    sqlite_engine.act(session.id, "run", {"source": _reference()})
    assert list(sqlite_engine.store.run_results) == []  # one process: nothing to share, no lock to wait for


def test_a_time_limit_is_never_reused() -> None:
    from interview_engine.jobs.runner import GradingRunner
    from interview_engine.runner import CallCase, CaseOutcome, CaseStatus

    class Slow:
        identity = "slow"
        calls = 0

        def call_cases(self, *args: Any, **kwargs: Any) -> list[CaseOutcome]:
            Slow.calls += 1
            return [CaseOutcome("c", CaseStatus.TIME_LIMIT)]

    kept: dict[str, Any] = {}

    class Table:
        def get(self, key: str) -> Any:
            return kept.get(key)

        def put(self, key: str, value: Any) -> bool:
            kept[key] = value
            return True

    runner = GradingRunner(Slow(), Table())  # type: ignore[arg-type]
    runner.call_cases("x", "f", [CallCase("c", ())])
    runner.call_cases("x", "f", [CallCase("c", ())])
    assert Slow.calls == 2 and kept == {}


# A shared, loaded machine: generation time is not what these properties are about.
RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@RELAXED
@given(st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5), max_size=6))
def test_a_request_digest_ignores_key_order(payload: dict[str, Any]) -> None:
    reordered = dict(reversed(list(payload.items())))
    assert payload_digest("m", "s", "submit", payload) == payload_digest("m", "s", "submit", reordered)
    assert payload_digest("m", "s", "submit", payload) != payload_digest("m", "s", "run", payload)


@RELAXED
@given(st.lists(st.sampled_from(["basic", "edge", "scale", "random"]), min_size=1, max_size=12), st.data())
def test_groups_are_named_once_in_order_of_first_case(groups: list[str], data: st.DataObject) -> None:
    names = [f"{group}-{data.draw(st.integers(1, 99))}" for group in groups]
    assert groups_of(names) == list(dict.fromkeys(groups))
    assert groups_of(["a.py::test_x", "a.py::test_y", "b.py::test_z"]) == ["a.py", "b.py"]


@pytest.fixture
def gated(sqlite_engine: Engine) -> Iterator[tuple[Engine, GatedRunner]]:
    runner = install_gated_runner(sqlite_engine)
    try:
        yield sqlite_engine, runner
    finally:
        runner.gate.set()


def _one_slot_pool(engine: Engine, waiting: int) -> Any:
    from interview_engine.jobs import InlineQueue

    pool = InlineQueue(engine.grading.execute_with_retries, workers=1, waiting=waiting, retry_after_s=7)
    engine.grading = Grading(engine, queue=lambda _: pool)
    return pool


def test_the_in_process_pool_is_bounded_and_refuses_past_its_line(gated: tuple[Engine, GatedRunner]) -> None:
    from interview_engine import SandboxBusy

    engine, runner = gated
    pool = _one_slot_pool(engine, waiting=1)
    first, second, third = (_session(engine, f"u{n}@example.com") for n in range(3))
    running = engine.grading.enqueue(first.id, "run", {"source": _reference()})
    assert runner.entered.wait(60)
    waiting = engine.grading.enqueue(second.id, "run", {"source": _reference()})
    assert engine.grading.get(waiting.id).state is JobState.QUEUED
    assert engine.grading.position(engine.grading.get(waiting.id)) == 1  # the next one a thread takes
    with pytest.raises(SandboxBusy) as refused:
        engine.grading.enqueue(third.id, "run", {"source": _reference()})
    assert refused.value.http_status == 429 and refused.value.retry_after_s == 7
    [never] = engine.store.jobs.for_session(third.id)
    assert never.state is JobState.CANCELLED and "busy" in never.error  # refused, never left queued
    assert pool.admitted == 2
    runner.gate.set()
    assert engine.grading.wait(waiting.id).state is JobState.DONE
    assert engine.grading.wait(running.id).state is JobState.DONE
    engine.grading.enqueue(third.id, "run", {"source": _reference()})  # room again
    assert engine.store.jobs.for_session(third.id)[-1].state is not JobState.CANCELLED


def test_a_running_job_cancelled_stops_at_its_next_step_with_nothing_stored(
    gated: tuple[Engine, GatedRunner],
) -> None:
    engine, runner = gated
    _one_slot_pool(engine, waiting=1)
    session = _session(engine)
    job = engine.grading.enqueue(session.id, "submit", {"source": _reference()})
    assert runner.entered.wait(60)  # inside its first sandbox call
    stopping = engine.grading.cancel(job.id)
    assert stopping.state is JobState.RUNNING and stopping.step == "cancelling"
    runner.gate.set()
    final = engine.grading.wait(job.id)
    assert final.state is JobState.CANCELLED and "while it ran" in final.error
    assert engine.store.submissions(session.id) == []  # its unit of work was rolled back
    assert engine.store.get_session(session.id).state.get("submissions", 0) == 0
    with pytest.raises(Conflict, match="no longer be cancelled"):
        engine.grading.cancel(job.id)


def test_a_queued_job_cancelled_is_withdrawn_from_the_pool(gated: tuple[Engine, GatedRunner]) -> None:
    engine, runner = gated
    pool = _one_slot_pool(engine, waiting=2)
    first, second = _session(engine), _session(engine, "b@example.com")
    engine.grading.enqueue(first.id, "run", {"source": _reference()})
    assert runner.entered.wait(60)
    waiting = engine.grading.enqueue(second.id, "run", {"source": _reference()})
    assert pool.admitted == 2
    assert engine.grading.cancel(waiting.id).state is JobState.CANCELLED
    assert pool.admitted == 1  # its place in the line is free at once, not when a thread gets to it
    runner.gate.set()
    assert engine.grading.wait(waiting.id).state is JobState.CANCELLED
    assert engine.store.submissions(second.id) == []


def _at_once(count: int, call: Any) -> list[Any]:
    """``call()`` from ``count`` threads released together; each result or the exception it raised."""
    start = threading.Barrier(count)
    results: list[Any] = [None] * count

    def one(n: int) -> None:
        start.wait(30)
        try:
            results[n] = call()
        except Exception as exc:
            results[n] = exc

    threads = [threading.Thread(target=one, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def _slow_reads(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Widen the window between a check and the insert, so requests that do not take turns would collide."""
    import time

    from sqlalchemy.orm import Session as OrmSession

    scalars, scalar = OrmSession.scalars, OrmSession.scalar

    def slow_scalars(self: OrmSession, *args: Any, **kwargs: Any) -> Any:
        time.sleep(0.3)
        return scalars(self, *args, **kwargs)

    def slow_scalar(self: OrmSession, *args: Any, **kwargs: Any) -> Any:
        time.sleep(0.3)
        return scalar(self, *args, **kwargs)

    monkeypatch.setattr(OrmSession, "scalars", slow_scalars)
    monkeypatch.setattr(OrmSession, "scalar", slow_scalar)


def test_two_identical_submits_at_once_make_one_job(
    held: tuple[Engine, HeldQueue], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, queue = held
    session = _session(engine)
    _slow_reads(engine, monkeypatch)
    jobs = _at_once(3, lambda: engine.grading.enqueue(session.id, "submit", {"source": _reference()}))
    assert all(isinstance(job, GradingJob) for job in jobs), jobs
    assert len({job.id for job in jobs}) == 1 and len(queue.jobs) == 1
    assert len(engine.store.jobs.for_session(session.id)) == 1


def test_requests_at_once_never_pass_the_per_user_limit(
    held: tuple[Engine, HeldQueue], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, queue = held  # limit 3
    session = _session(engine)
    engine.grading.enqueue(session.id, "run", {"source": "x = 0"})
    engine.grading.enqueue(session.id, "run", {"source": "x = 1"})
    _slow_reads(engine, monkeypatch)
    counter = iter(range(2, 100))
    lock = threading.Lock()

    def another() -> GradingJob:
        with lock:
            n = next(counter)
        return engine.grading.enqueue(session.id, "run", {"source": f"x = {n}"})

    results = _at_once(3, another)
    assert sum(isinstance(r, GradingJob) for r in results) == 1  # one place was left
    assert sum(isinstance(r, LimitExceeded) for r in results) == 2
    assert engine.store.jobs.count_active(session.user_id) == 3


def test_a_stalled_attempt_that_commits_first_leaves_the_retry_done_not_failed(
    held: tuple[Engine, HeldQueue],
) -> None:
    """The stalled-job sweep gave the job to a second attempt while the first was alive and still grading:
    whichever commits first stores the one submission; the other ends the job done from it, never failed."""

    engine, queue = held
    session = _session(engine)
    job = engine.grading.enqueue(session.id, "submit", {"source": _reference()})
    assert engine.store.jobs.claim(job.id) is not None  # attempt 1 (the slow worker) has it

    original_run = engine.grading._run

    def run_after_the_other_committed(claimed: GradingJob, should_abort: Any = None) -> dict[str, Any]:
        # attempt 1 commits its grading while attempt 2 is half-way through its own
        committed.update(original_run(claimed))  # the same job's first attempt, through the same path
        return original_run(claimed, *([should_abort] if should_abort else []))

    committed: dict[str, Any] = {}
    engine.grading._run = run_after_the_other_committed  # type: ignore[method-assign]
    final = engine.grading.execute(job.id)  # attempt 2
    assert final.state is JobState.DONE and final.result == committed and committed["correctness"] == 1.0
    assert engine.grading.outcome(final).data == committed
    assert final.attempts == 2
    assert len(engine.store.submissions(session.id, kind="submit")) == 1


def test_the_step_names_the_tests_and_the_growth_measured_beside_them() -> None:
    from interview_engine.jobs.runner import GradingRunner
    from interview_engine.runner import CallCase, CaseOutcome, CaseStatus

    growth_started, tests_done = threading.Event(), threading.Event()

    class Inner:
        identity = ""

        def call_cases(self, source: str, entry: str, cases: list[CallCase], **kwargs: Any) -> list[CaseOutcome]:
            if cases[0].name.startswith("growth"):
                growth_started.set()
                assert tests_done.wait(10)
            return [CaseOutcome(c.name, CaseStatus.RETURNED) for c in cases]

    steps: list[str] = []
    runner = GradingRunner(Inner(), None, progress=steps.append)  # type: ignore[arg-type]
    growth = threading.Thread(target=runner.call_cases, args=("x", "f", [CallCase("growth-1000", ())]))
    growth.start()
    assert growth_started.wait(10)
    runner.call_cases("x", "f", [CallCase("basic-1", ()), CallCase("edge-2", ())])
    tests_done.set()
    growth.join(10)
    assert steps == ["measuring complexity", "tests: basic, edge; measuring complexity", "measuring complexity"]
