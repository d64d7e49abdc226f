"""The live-coding module's typed session state: new sessions store its keys, older stored rows still open."""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pytest

from interview_engine import Engine, InternalError
from interview_engine.domain import Session
from interview_live_coding.state import CodingState
from tests.live_coding.conftest import PROBLEM


def test_a_new_session_stores_the_problem_and_no_submission(start: Callable[..., Session]) -> None:
    session = start()
    assert session.state == {"problemId": PROBLEM, "submissions": 0}
    assert CodingState.of(session) == CodingState(problemId=PROBLEM)


def test_a_session_stored_in_an_older_shape_still_opens(sqlite_engine: Engine, start: Callable[..., Session]) -> None:
    """A row with keys missing (and one this version never wrote) opens, and its next write is the new shape."""
    session = start()
    sqlite_engine.store.save_session(attrs.evolve(session, state={"retired": True}))
    prompt = sqlite_engine.act(session.id, "prompt").data
    assert prompt["problemId"] == PROBLEM
    loaded = CodingState.of(sqlite_engine.get_session(session.id))
    assert loaded == CodingState(problemId=PROBLEM, submissions=0)
    assert loaded.submitted().dump() == {"problemId": PROBLEM, "submissions": 1}


def test_a_stored_state_that_does_not_fit_is_the_modules_bug(start: Callable[..., Session]) -> None:
    session = start()
    with pytest.raises(InternalError, match=r"CodingState.*submissions"):
        CodingState.of(attrs.evolve(session, state={"problemId": PROBLEM, "submissions": [1]}))
