"""The phone screen's typed session state: what is stored keeps its shape, whatever the screen did."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from interview_voice_screen import knowledge_base
from interview_voice_screen.interviewer import OfflineInterviewer, new_state
from interview_voice_screen.scorer import score_screen_answer, scoring_request
from interview_voice_screen.state import OpenQuestion, QuestionResult, ScreenState

KB = knowledge_base()
STEPS = st.lists(st.sampled_from(["next", "answer", "weak", "hint", "skip", "stop"]), max_size=12)


def _interviewer(seed: int) -> OfflineInterviewer:
    def score(question: Any, text: str) -> Any:
        return score_screen_answer(scoring_request(question, text, track="backend", difficulty="mid"))

    return OfflineInterviewer(KB, "backend", {**new_state(KB, "backend", "mid", seed), "seq": 0}, score)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 1000), steps=STEPS)
def test_the_stored_state_reads_back_as_it_was_written(seed: int, steps: list[str]) -> None:
    interviewer = _interviewer(seed)
    for step in steps:
        if interviewer.state.done:
            break
        if step != "next" and interviewer.state.current is None:
            interviewer.next()
            continue
        if step in ("answer", "weak"):
            question = KB.question(interviewer.state.current.qid)  # type: ignore[union-attr]
            interviewer.answer(question.canonical if step == "answer" else "I am not sure, maybe a cache.")
        else:
            getattr(interviewer, step)()
    stored = interviewer.state.dump()
    assert ScreenState.load(stored).dump() == stored
    # The keys a screen always stored, with the JSON types they always had.
    assert {"level", "budget", "topicOrder", "seed", "mode", "asked", "current", "results", "hintsUsed"} <= set(stored)
    assert isinstance(stored["results"], list) and all(isinstance(r, dict) for r in stored["results"])
    assert stored["current"] is None or isinstance(stored["current"]["hints"], list)
    # Every hint is counted, those on a question the screen ended on before any answer too.
    assert stored["hintsUsed"] >= sum(r["hints"] for r in stored["results"]) + (
        len(stored["current"]["hints"]) if stored["current"] else 0
    )


def test_an_older_sessions_state_reads_with_defaults_and_keeps_unknown_keys_out() -> None:
    old = {
        "level": "mid",
        "budget": 20,
        "results": [{"qid": "q1", "answers": ["a"], "final": 3.5}],
        "current": {"qid": "q2"},
        "retired": "a key this version no longer uses",
    }
    state = ScreenState.load(old)
    assert state.results == [QuestionResult(qid="q1", answers=["a"], final=3.5)]
    assert state.current == OpenQuestion(qid="q2")
    assert state.mode == "offline" and state.seq == 0 and state.voice is None
    assert "retired" not in state.dump()


def test_the_interviewer_works_on_a_copy() -> None:
    stored = {**new_state(KB, "backend", "mid", 7), "seq": 0}
    interviewer = _interviewer(7)
    interviewer = OfflineInterviewer(KB, "backend", stored, interviewer.score)
    interviewer.next()
    assert stored["asked"] == [] and interviewer.state.asked
