"""A full session on SQLite and PostgreSQL, hidden-test secrecy, and deterministic evaluation."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import pytest
from attrs import evolve

from interview_engine import Engine
from interview_engine.converter import unstructure
from interview_engine.domain import Decision, Session, SessionStatus
from interview_engine.errors import InvalidInput, NotFound
from interview_live_coding.pack import hidden_tests, session_seed
from interview_live_coding.plugin import module
from interview_live_coding.records import CODING_SESSIONS

from .conftest import EXIT_EARLY, FAKE_PASS, PROBLEM

NOTES = (
    "My approach: I use an OrderedDict as the hash map and recency order, because move_to_end and "
    "popitem are O(1); overall O(n) time. Edge cases: updating a cached key refreshes it, misses return -1. "
    "I tested the samples. Trade-off: a hand-written linked list instead would be more code."
)


def _user_session(engine: Engine, problem_id: str = PROBLEM) -> Session:
    user = engine.store.ensure_user("candidate@example.com")
    problem = module().pack.problems[problem_id]
    return engine.start_session(
        user_id=user.id,
        module="live_coding",
        track=problem.track,
        difficulty=problem.difficulty,
        options={"problemId": problem_id},
    )


def test_full_session(engine: Engine) -> None:
    problem = module().pack.problems[PROBLEM]
    session = _user_session(engine)
    assert session.item_id == PROBLEM and session.time_limit_s == problem.time_limit_s
    assert session.status is SessionStatus.ACTIVE and session.started_at is not None
    assert CODING_SESSIONS.get(engine.store, session.id).problem_id == PROBLEM
    assert engine.store.get_snapshot("coding_sets", PROBLEM, module().pack.info.version) is not None

    prompt = engine.act(session.id, "prompt").data
    assert prompt["title"] == problem.title and prompt["starterCode"].startswith("def run_cache")
    assert 0 < prompt["remainingSeconds"] <= prompt["timeLimitSeconds"] == problem.time_limit_s
    assert prompt["samples"][0] == {"input": problem.sample_args(0), "expected": problem.samples[0].expected}

    starter = engine.act(session.id, "run", {"source": prompt["starterCode"]}).data
    assert starter["allPassed"] is False and starter["results"][0]["actual"] == []
    ran = engine.act(session.id, "run", {"source": problem.reference}).data
    assert ran["allPassed"] and ran["runs"] == 2
    assert CODING_SESSIONS.get(engine.store, session.id).runs_before_first_pass == 2

    submitted = engine.act(
        session.id, "submit", {"source": problem.reference, "complexity": "O(n)", "notes": NOTES}
    ).data
    assert submitted["correctness"] == 1.0 and submitted["failed"] == 0
    assert {g["group"] for g in submitted["groups"]} == {"basic", "edge", "scale", "random"}
    engine.end_session(session.id)
    summary = engine.summary(session.id)
    evaluation = summary.evaluation
    assert evaluation is not None and evaluation.scores["correctness"] == 5.0
    assert evaluation.decision is Decision.ADVANCE
    assert {t.topic for t in evaluation.topics} == set(problem.tags)
    assert {e.dimension for e in evaluation.evidence} >= {
        "correctness",
        "complexity",
        "code_quality",
        "clarity",
        "time_management",
    }
    assert summary.view["tests"]["passed"] == submitted["passed"]
    assert summary.view["complexity"]["expected"] == "O(n)" and summary.view["complexity"]["points"]
    kinds = [s.kind for s in engine.store.submissions(session.id)]
    assert kinds == ["run", "run", "submit"]
    engine.delete_session(session.id)
    assert engine.store.submissions(session.id) == []


def test_hidden_tests_stay_secret(sqlite_engine: Engine) -> None:
    problem = module().pack.problems[PROBLEM]
    session = _user_session(sqlite_engine)
    tests = hidden_tests(module().pack, problem, session_seed(session.id, PROBLEM))
    responses = [
        sqlite_engine.act(session.id, "prompt").data,
        sqlite_engine.act(session.id, "run", {"source": problem.reference}).data,
        sqlite_engine.act(
            session.id, "submit", {"source": FAKE_PASS.replace("return None", "return [-1] * 99"), "notes": "n"}
        ).data,
        sqlite_engine.act(session.id, "submit", {"source": problem.reference}).data,
    ]
    sqlite_engine.end_session(session.id)
    summary = sqlite_engine.summary(session.id)
    responses += [unstructure(summary.view), unstructure(summary.evaluation)]
    text = json.dumps(responses)
    secrets = [json.dumps(value) for t in tests for value in (t.args, t.expected)]
    secrets = [s for s in secrets if len(s) > 30]  # short values ("[]", "1") occur by chance
    assert len(secrets) > 20
    for secret in secrets:
        assert secret not in text
    for submission in sqlite_engine.store.submissions(session.id, kind="submit"):
        for run in sqlite_engine.store.test_runs(submission.id):
            assert not run.visible and run.output == ""
        assert "PASS" not in json.dumps(submission.summary)


@pytest.mark.parametrize("source", [FAKE_PASS, EXIT_EARLY], ids=["fake-output", "exit-early"])
def test_faked_results_gain_nothing(sqlite_engine: Engine, source: str) -> None:
    problem = module().pack.problems[PROBLEM]
    fake, starter = _user_session(sqlite_engine), _user_session(sqlite_engine)
    faked = sqlite_engine.act(fake.id, "submit", {"source": source}).data
    plain = sqlite_engine.act(starter.id, "submit", {"source": problem.starter}).data
    assert faked["passed"] == 0 and faked["correctness"] == 0.0
    assert faked["evaluation"]["weighted_average"] <= plain["evaluation"]["weighted_average"] < 1.0


def test_the_same_submission_gets_the_same_evaluation(sqlite_engine: Engine) -> None:
    problem = module().pack.problems["frontend-debounce-trailing"]
    session = _user_session(sqlite_engine, problem.id)
    sqlite_engine.act(session.id, "submit", {"source": problem.wrong[0].source, "complexity": "O(n)", "notes": NOTES})
    sqlite_engine.end_session(session.id)
    first = sqlite_engine.summary(session.id).evaluation
    again = sqlite_engine.evaluate(session.id)
    assert first is not None and 0 < first.metrics["correctness"] < 1
    assert evolve(again, created_at=first.created_at) == first


def test_bad_input_names_the_field(sqlite_engine: Engine, start: Callable[..., Session]) -> None:
    user = sqlite_engine.store.ensure_user("candidate@example.com")
    with pytest.raises(NotFound, match="problemId"):
        sqlite_engine.start_session(
            user_id=user.id,
            module="live_coding",
            track="backend",
            difficulty="mid",
            options={"problemId": "no-such-problem"},
        )
    session = start()
    with pytest.raises(InvalidInput, match="source"):
        sqlite_engine.act(session.id, "run", {})
    with pytest.raises(InvalidInput, match="notes"):
        sqlite_engine.act(session.id, "submit", {"source": "x = 1", "notes": 5})


def test_ending_without_a_submission_holds(sqlite_engine: Engine) -> None:
    session = _user_session(sqlite_engine)
    sqlite_engine.end_session(session.id)
    evaluation = sqlite_engine.summary(session.id).evaluation
    assert evaluation is not None and evaluation.decision is Decision.HOLD
    assert "disqualifier.no_submission" in evaluation.failed_rules


def test_a_late_submit_is_scored_as_late(sqlite_engine: Engine) -> None:
    problem = module().pack.problems[PROBLEM]
    session = _user_session(sqlite_engine)
    record = CODING_SESSIONS.get(sqlite_engine.store, session.id)
    earlier = record.started_at - timedelta(seconds=problem.time_limit_s + 60)
    CODING_SESSIONS.save(sqlite_engine.store, session.id, evolve(record, started_at=earlier))
    data = sqlite_engine.act(session.id, "submit", {"source": problem.reference}).data
    assert data["late"] is True and data["correctness"] == 1.0
    assert data["evaluation"]["scores"]["time_management"] < 5.0
    assert CODING_SESSIONS.get(sqlite_engine.store, session.id).late


def test_study_resources_offer_practice_problems() -> None:
    from interview_live_coding.plugin import study_resources

    found = study_resources(topic="caching", track="backend")
    assert {r.item_id for r in found} >= {"backend-lru-cache", "backend-lfu-cache"}
    assert all(r.kind == "practice" and r.module == "live_coding" for r in found)


def test_without_a_problem_id_the_next_untried_problem_of_the_cell_is_picked(sqlite_engine: Engine) -> None:
    user = sqlite_engine.store.ensure_user("picker@example.com")
    picked = [
        sqlite_engine.start_session(
            user_id=user.id, module="live_coding", track="mobile", difficulty="senior", options=options
        ).item_id
        for options in ({}, {"problemId": ""})
    ]
    cell = [p.id for p in module().pack.listed() if p.track == "mobile" and p.difficulty == "senior"]
    assert picked == cell[:2]
