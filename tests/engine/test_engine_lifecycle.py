"""The session lifecycle's rules, through the public API."""

from __future__ import annotations

import pytest

from interview_engine import Conflict, Engine, InvalidInput, NotFound, SessionStatus


@pytest.fixture
def engine(flashcards_installed: None, sqlite_url: str) -> Engine:
    return Engine.create(sqlite_url, migrate=True)


def test_bad_track_names_the_field(engine: Engine) -> None:
    user = engine.store.ensure_user("a@example.com")
    with pytest.raises(InvalidInput) as caught:
        engine.start_session(user_id=user.id, module="flashcards", track="devops", difficulty="mid")
    assert caught.value.field == "track"
    assert "backend, frontend, mobile" in caught.value.message


def test_unknown_module_is_not_found(engine: Engine) -> None:
    user = engine.store.ensure_user("a@example.com")
    with pytest.raises(NotFound) as caught:
        engine.start_session(user_id=user.id, module="karaoke", track="backend", difficulty="mid")
    assert caught.value.field == "module"


def test_a_module_refusing_to_start_leaves_no_session(engine: Engine) -> None:
    user = engine.store.ensure_user("a@example.com")
    with pytest.raises(InvalidInput):
        engine.start_session(
            user_id=user.id, module="flashcards", track="backend", difficulty="mid", options={"card": "nope"}
        )
    assert engine.list_sessions(user_id=user.id) == []


def test_actions_only_while_active_and_only_known_ones(engine: Engine) -> None:
    user = engine.store.ensure_user("a@example.com")
    session = engine.start_session(user_id=user.id, module="flashcards", track="backend", difficulty="mid")
    with pytest.raises(InvalidInput) as caught:
        engine.act(session.id, "dance", {})
    assert caught.value.field == "action"
    engine.end_session(session.id)
    with pytest.raises(Conflict):
        engine.act(session.id, "answer", {"text": "syn"})
    # Ending twice changes nothing.
    again = engine.end_session(session.id)
    assert again.status is SessionStatus.EVALUATED


def test_evaluate_needs_an_ended_session(engine: Engine) -> None:
    user = engine.store.ensure_user("a@example.com")
    session = engine.start_session(user_id=user.id, module="flashcards", track="backend", difficulty="mid")
    with pytest.raises(Conflict):
        engine.evaluate(session.id)


def test_other_users_sessions_do_not_exist_for_you(engine: Engine) -> None:
    ada = engine.store.ensure_user("ada@example.com")
    bob = engine.store.ensure_user("bob@example.com")
    session = engine.start_session(user_id=ada.id, module="flashcards", track="backend", difficulty="mid")
    for call in (
        lambda: engine.summary(session.id, user_id=bob.id),
        lambda: engine.act(session.id, "answer", {"text": "x"}, user_id=bob.id),
        lambda: engine.end_session(session.id, user_id=bob.id),
        lambda: engine.delete_session(session.id, user_id=bob.id),
    ):
        with pytest.raises(NotFound):
            call()
    assert engine.get_session(session.id, user_id=ada.id).status is SessionStatus.ACTIVE


def test_an_external_grade_is_scored_with_the_module_rubric_and_marked_external(engine: Engine) -> None:
    user = engine.store.ensure_user("a@example.com")
    session = engine.start_session(user_id=user.id, module="flashcards", track="backend", difficulty="mid")
    evaluation = engine.record_external_grade(
        session.id, grader="panel", scores={"recall": 4, "speed": 2}, metrics={"answered": 3}
    )
    assert evaluation.weighted_average == 3.4
    assert evaluation.details == {"source": "external", "grader": "panel"}
    assert engine.get_session(session.id).status is SessionStatus.EVALUATED
    with pytest.raises(InvalidInput) as caught:
        engine.record_external_grade(session.id, grader="panel", scores={"recall": 9, "speed": 2})
    assert "rubric.recall" in str(caught.value)
    with pytest.raises(InvalidInput, match="grader"):
        engine.record_external_grade(session.id, grader=" ", scores={"recall": 4, "speed": 2})
