"""Properties of the mastery and ranking rules (pure functions, no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from interview_engine import Decision, Difficulty, Evaluation, Session, SessionStatus, TopicScore, Track
from interview_engine.analytics import (
    STRONG_FROM,
    WEAK_BELOW,
    History,
    Outcome,
    TopicMastery,
    entry_of,
    mastery_of,
    rank_topics,
    recency_weight,
    topic_mastery,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)
scores = st.floats(min_value=0, max_value=1, allow_nan=False)
ages = st.floats(min_value=0, max_value=3650, allow_nan=False)
pairs = st.lists(st.tuples(scores, st.floats(min_value=1e-6, max_value=1)), min_size=1, max_size=12)


def history_of(observations: list[tuple[float, float]], topic: str = "caching") -> History:
    """A history with one session per (score, day offset)."""
    entries, outcomes = [], {}
    for index, (score, day) in enumerate(observations):
        ended = T0 + timedelta(days=day)
        session = Session(
            id=f"s{index:03d}",
            user_id="u",
            module="quiz",
            track=Track.BACKEND,
            difficulty=Difficulty.MID,
            kb_version="k@1",
            status=SessionStatus.EVALUATED,
            item_id=f"i{index}",
            created_at=ended,
            started_at=ended,
            ended_at=ended,
        )
        entries.append(entry_of(session))
        evaluation = Evaluation(
            session_id=session.id,
            rubric="quiz@1",
            scores={},
            weighted_average=score * 5,
            decision=Decision.REVIEW,
            topics=[TopicScore(topic=topic, score=score, item_id=f"i{index}")],
        )
        outcomes[session.id] = Outcome.of(evaluation)
    return History(user_id="u", entries=entries[::-1], outcomes=outcomes)


@given(ages)
def test_weights_are_in_0_1_and_halve_every_half_life(age: float) -> None:
    weight = recency_weight(age)
    assert 0 <= weight <= 1
    assert recency_weight(age + 14) <= weight
    assert abs(recency_weight(age + 14) - weight / 2) < 1e-12


@given(st.floats(min_value=-100, max_value=0))
def test_a_score_from_the_future_counts_as_today(age: float) -> None:
    assert recency_weight(age) == 1


@given(pairs)
def test_mastery_stays_within_the_scores(weighted: list[tuple[float, float]]) -> None:
    value = mastery_of(weighted)
    assert min(s for s, _ in weighted) - 1e-9 <= value <= max(s for s, _ in weighted) + 1e-9


@given(st.lists(st.tuples(scores, st.integers(0, 60)), max_size=8), scores, st.integers(0, 60), st.integers(0, 60))
def test_a_more_recent_good_score_never_lowers_mastery_vs_an_older_one(
    rest: list[tuple[float, int]], good: float, day_a: int, day_b: int
) -> None:
    """The same good score (at least the mastery without it), placed later, gives at least the same mastery."""
    older, newer = sorted((day_a, day_b))
    at = T0 + timedelta(days=61)
    base = topic_mastery(history_of(rest), at)
    baseline = base[0].mastery if base else 0.0
    if good < baseline:
        good = baseline
    with_older = topic_mastery(history_of([*rest, (good, older)]), at)[0].mastery
    with_newer = topic_mastery(history_of([*rest, (good, newer)]), at)[0].mastery
    assert with_newer >= with_older - 1e-9


@given(st.lists(st.tuples(scores, st.integers(0, 60)), min_size=1, max_size=8), scores)
def test_a_new_score_at_least_the_mastery_never_lowers_it(rest: list[tuple[float, int]], good: float) -> None:
    at = T0 + timedelta(days=61)
    before = topic_mastery(history_of(rest), at)[0].mastery
    good = max(good, before)
    after = topic_mastery(history_of([*rest, (good, 61)]), at)[0].mastery
    assert after >= before - 1e-9


@given(st.lists(st.tuples(scores, st.integers(0, 60)), min_size=1, max_size=8), st.integers(0, 400))
def test_mastery_does_not_drift_while_nothing_new_is_scored(rest: list[tuple[float, int]], later: int) -> None:
    at = T0 + timedelta(days=61)
    now = topic_mastery(history_of(rest), at)[0].mastery
    assert abs(topic_mastery(history_of(rest), at + timedelta(days=later))[0].mastery - now) < 1e-6


masteries = st.builds(
    TopicMastery,
    topic=st.text(alphabet="abcdefgh", min_size=1, max_size=4),
    mastery=scores,
    evidence=st.floats(min_value=0, max_value=20, allow_nan=False),
    attempts=st.integers(1, 20),
    last_seen=st.just(T0),
)


@given(st.lists(masteries, max_size=20, unique_by=lambda m: m.topic), st.randoms())
def test_ranking_is_deterministic_and_follows_the_rules(topics: list[TopicMastery], rnd: object) -> None:
    ranking = rank_topics(topics)
    shuffled = list(topics)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert rank_topics(shuffled) == ranking
    assert all(t.mastery < WEAK_BELOW for t in ranking.weak)
    assert all(t.mastery >= STRONG_FROM for t in ranking.strong)
    assert [t.mastery for t in ranking.weak] == sorted(t.mastery for t in ranking.weak)
    assert [t.mastery for t in ranking.strong] == sorted((t.mastery for t in ranking.strong), reverse=True)
    assert len(ranking.weak) + len(ranking.strong) + len(ranking.developing) == len(topics)
