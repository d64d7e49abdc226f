"""One mapping from a rubric's verdict to a stored evaluation (``Evaluation.from_rubric``).

Five copies of this mapping lived in the plugins, the engine's external grades and the test plugin, and
they disagreed; each test below pins the behaviour kept where they did.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from interview_engine import Difficulty, Evaluation, Session, SessionStatus, Track, rubric_from_data, score_rubric

SPEC = rubric_from_data(
    {
        "name": "pairing",
        "version": "3",
        "pass_threshold": 3.0,
        "hold_margin": 1.0,
        "dimensions": [{"name": "recall", "weight": 0.7}, {"name": "speed", "weight": 0.3}],
        "floors": {"recall": 2.0},
        "pass_rules": [{"id": "answered", "metric": "answered", "op": ">=", "value": 1}],
        "disqualifiers": [{"code": "refusal", "description": "refused to engage"}],
        "guidance": {"recall": "Review the cards you missed.", "speed": "Answer sooner."},
    }
)
STARTED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ENDED = STARTED + timedelta(minutes=30)


def _session(ended: datetime | None = ENDED) -> Session:
    return Session(
        id="s1",
        user_id="u1",
        module="pairing",
        track=Track.BACKEND,
        difficulty=Difficulty.MID,
        kb_version="pairing@1",
        status=SessionStatus.ENDED,
        created_at=STARTED,
        started_at=STARTED,
        ended_at=ended,
    )


def test_gaps_name_the_low_dimensions_then_every_failed_rule() -> None:
    # Live coding, debugging and external grades kept only the dimensions; the phone screen added the
    # failed rules, which the summary page words ("Not met: answered >= 1"). Kept: both, dimensions first.
    passing = Evaluation.from_rubric(_session(), SPEC, {"recall": 4, "speed": 4}, metrics={"answered": 0})
    assert passing.gaps == ("answered",) and passing.failed_rules == ("answered",)
    low = Evaluation.from_rubric(
        _session(), SPEC, {"recall": 1, "speed": 2}, metrics={"answered": 3}, disqualifiers=["refusal"]
    )
    assert low.gaps == ("recall", "speed", "weightedAverage", "floor.recall", "disqualifier.refusal")


def test_metrics_always_carry_the_weighted_average() -> None:
    # External grades and the test plugin stored the given metrics only; the modules added weightedAverage.
    evaluation = Evaluation.from_rubric(_session(), SPEC, {"recall": 4, "speed": 2}, metrics={"answered": 3})
    assert evaluation.metrics == {"answered": 3, "weightedAverage": 3.4}


def test_the_moment_is_the_sessions_end_so_grading_again_gives_the_same_evaluation() -> None:
    # Debugging and external grades stamped the clock's time; the phone screen the session's end.
    first = Evaluation.from_rubric(_session(), SPEC, {"recall": 4, "speed": 4}, metrics={"answered": 1})
    again = Evaluation.from_rubric(_session(), SPEC, {"recall": 4, "speed": 4}, metrics={"answered": 1})
    assert first == again and first.created_at == ENDED
    assert Evaluation.from_rubric(_session(ended=None), SPEC, {"recall": 4, "speed": 4}).created_at == STARTED
    # A module may name its own moment (live coding: the last submission).
    submitted = STARTED + timedelta(minutes=12)
    assert Evaluation.from_rubric(_session(), SPEC, {"recall": 4, "speed": 4}, created_at=submitted).created_at == (
        submitted
    )


def test_next_steps_follow_the_guidance_or_the_modules_own_order() -> None:
    # The phone screen appended its study steps to the rubric's guidance; live coding put its own first.
    scores = {"recall": 1, "speed": 2}
    appended = Evaluation.from_rubric(_session(), SPEC, scores, next_steps=["Read the fact sheet on TCP."])
    assert appended.next_steps == ("Review the cards you missed.", "Answer sooner.", "Read the fact sheet on TCP.")
    ordered = Evaluation.from_rubric(_session(), SPEC, scores, next_steps=lambda guidance: ["Fix line 3.", *guidance])
    assert ordered.next_steps == ("Fix line 3.", "Review the cards you missed.", "Answer sooner.")


def test_the_modules_rationale_comes_first_and_the_rubric_is_named_by_its_spec() -> None:
    # Debugging put "result: ..." before the scorer's lines; the test plugin hard-coded its rubric's name.
    evaluation = Evaluation.from_rubric(
        _session(), SPEC, {"recall": 4, "speed": 4}, rationale=["result: fixed"], result="fixed"
    )
    assert evaluation.rationale[0] == "result: fixed" and evaluation.rationale[1].startswith("weighted average")
    assert evaluation.rubric == "pairing@3" and evaluation.result == "fixed"


@settings(max_examples=100, deadline=None)
@given(
    recall=st.floats(min_value=0, max_value=5, allow_nan=False),
    speed=st.floats(min_value=0, max_value=5, allow_nan=False),
    answered=st.integers(min_value=0, max_value=3),
)
def test_the_evaluation_is_the_scorers_verdict(recall: float, speed: float, answered: int) -> None:
    scores = {"recall": recall, "speed": speed}
    verdict = score_rubric(SPEC, scores, metrics={"answered": answered})
    evaluation = Evaluation.from_rubric(_session(), SPEC, scores, metrics={"answered": answered})
    assert (evaluation.scores, evaluation.weighted_average, evaluation.decision) == (
        verdict.scores,
        verdict.weighted_average,
        verdict.decision,
    )
    assert evaluation.failed_rules == verdict.failed_rules
    assert set(verdict.failed_rules) <= set(evaluation.gaps) and evaluation.gaps[: len(verdict.gaps)] == verdict.gaps
