"""The debugging module's typed session state: new sessions store its keys, older stored rows still open."""

from __future__ import annotations

import attrs
import pytest

from interview_debugging.pack import DebugPack
from interview_debugging.probes import session_seed
from interview_debugging.state import DebugState
from interview_engine import Engine, InternalError
from interview_engine.domain import Session

SCENARIO = "be-mid-invoice-split"


def _start(engine: Engine) -> Session:
    user = engine.store.ensure_user("candidate@example.com")
    return engine.start_session(
        user_id=user.id, module="debugging", track="backend", difficulty="mid", options={"scenarioId": SCENARIO}
    )


def test_a_new_session_stores_every_key_of_the_state(sqlite_engine: Engine) -> None:
    session = _start(sqlite_engine)
    state = DebugState.of(session)
    assert set(session.state) == {"scenarioId", "hintsRevealed", "probeSeed", "failingOutput", "logs"}
    assert state.dump() == session.state
    assert state.seed(session.id) == session_seed(session.id, SCENARIO)


def test_a_session_stored_in_the_first_shape_still_opens(sqlite_engine: Engine, pack: DebugPack) -> None:
    """The first debugging sessions stored a baseline share and no probe seed; their rows still work."""
    scenario = pack.scenarios[SCENARIO]
    session = _start(sqlite_engine)
    old = {
        "scenarioId": SCENARIO,
        "hintsRevealed": 1,
        "failingOutput": "FAILED test_billing.py::test_split (9999)",
        "logs": "shares add up to 9999 cents",
        "baselineShare": 0.5,
    }
    sqlite_engine.store.save_session(attrs.evolve(session, state=old))

    shown = sqlite_engine.act(session.id, "scenario").data
    assert (shown["failingOutput"], shown["logs"]) == (old["failingOutput"], old["logs"])
    assert shown["hints"] == list(scenario.hints[:1]) and shown["hintsRevealed"] == 1
    hinted = sqlite_engine.act(session.id, "hint").data
    assert hinted["hintsRevealed"] == 2
    stored = sqlite_engine.get_session(session.id).state
    assert stored["hintsRevealed"] == 2 and "baselineShare" not in stored and "probeSeed" not in stored
    # Without a stored seed, the probes draw with the session's own, as they always did.
    assert DebugState.of(sqlite_engine.get_session(session.id)).seed(session.id) == session_seed(session.id, SCENARIO)


def test_a_state_without_its_scenario_takes_the_sessions_item(sqlite_engine: Engine) -> None:
    session = _start(sqlite_engine)
    assert DebugState.of(attrs.evolve(session, state={})).scenarioId == SCENARIO


def test_a_stored_state_that_does_not_fit_is_the_modules_bug(sqlite_engine: Engine) -> None:
    session = _start(sqlite_engine)
    with pytest.raises(InternalError, match=r"DebugState.*hintsRevealed"):
        DebugState.of(attrs.evolve(session, state={**session.state, "hintsRevealed": "many"}))
