"""Per-topic mastery, weighted toward recent sessions, and the weak and strong topics.

Every :class:`~interview_engine.domain.TopicScore` of every evaluated session is
one observation of its topic (a question, a problem or a scenario, by tag),
scored 0..1 and dated when its session ended.

Mastery of a topic is the recency-weighted mean of its observations::

    weight  = 0.5 ** (age_days / HALF_LIFE_DAYS)      # age relative to the analysis time
    mastery = sum(weight * score) / sum(weight)

With ``HALF_LIFE_DAYS = 14`` a score from two weeks before counts half as much
as one from today, one from four weeks before a quarter.  Weights are in
(0, 1]; only the ratio between weights matters for the mean, so mastery does
not drift while nothing new is scored, and a newer score at least as good as
the current mastery can only raise it.  ``evidence`` (the sum of weights) says
how much recent practice backs the number.

Ranking rules:

- weak: mastery below :data:`WEAK_BELOW` (0.6); the weakest first, then the one
  with more evidence (surer to be weak), then by topic name;
- strong: mastery at least :data:`STRONG_FROM` (0.8); the strongest first, then
  more evidence, then by topic name;
- topics in between are still developing and appear in neither list.

Each ranked topic carries the observations that put it there (session, item,
score, weight), newest first.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from attrs import field, frozen

from interview_engine._convert import as_tuple
from interview_engine.analytics.history import History

__all__ = [
    "HALF_LIFE_DAYS",
    "STRONG_FROM",
    "WEAK_BELOW",
    "Observation",
    "TopicMastery",
    "TopicRanking",
    "mastery_of",
    "observations",
    "rank_topics",
    "recency_weight",
    "topic_mastery",
]

HALF_LIFE_DAYS = 14.0
WEAK_BELOW = 0.6
STRONG_FROM = 0.8


def recency_weight(age_days: float, half_life_days: float = HALF_LIFE_DAYS) -> float:
    """How much an observation ``age_days`` old counts: 1 today, halving every half-life; in (0, 1].

    Observations dated after the analysis time count as of today (age 0).
    """
    if half_life_days <= 0:
        raise ValueError("half_life_days must be positive")
    weight: float = 0.5 ** (max(age_days, 0.0) / half_life_days)
    return min(max(weight, 0.0), 1.0)


@frozen
class Observation:
    """One scored item of one topic in one session, and how much it counts at the analysis time."""

    topic: str
    score: float
    at: datetime
    session_id: str
    module: str
    item_id: str
    weight: float = 1.0
    hints: int = 0
    misconceptions: int = 0


@frozen
class TopicMastery:
    """A topic's recency-weighted mastery 0..1 and the observations behind it (newest first)."""

    topic: str
    mastery: float
    evidence: float
    attempts: int
    last_seen: datetime
    observations: tuple[Observation, ...] = field(converter=as_tuple, default=())


@frozen
class TopicRanking:
    """Weak topics (weakest first) and strong topics (strongest first)."""

    weak: tuple[TopicMastery, ...] = field(converter=as_tuple, default=())
    strong: tuple[TopicMastery, ...] = field(converter=as_tuple, default=())
    developing: tuple[TopicMastery, ...] = field(converter=as_tuple, default=())


def _clamp(score: float) -> float:
    return min(max(float(score), 0.0), 1.0)


def observations(history: History, at: datetime, half_life_days: float = HALF_LIFE_DAYS) -> list[Observation]:
    """Every topic score of the evaluated sessions up to ``at``, weighted by its age at ``at``."""
    found = []
    for entry, outcome in history.until(at).evaluated():
        when = entry.scored_at
        weight = recency_weight((at - when).total_seconds() / 86400, half_life_days)
        for topic in outcome.topics:
            found.append(
                Observation(
                    topic=topic.topic,
                    score=_clamp(topic.score),
                    at=when,
                    session_id=entry.session_id,
                    module=entry.module,
                    item_id=topic.item_id,
                    weight=weight,
                    hints=topic.hints,
                    misconceptions=topic.misconceptions,
                )
            )
    return found


def mastery_of(weighted: Iterable[tuple[float, float]]) -> float:
    """The weighted mean of ``(score, weight)`` pairs; 0 when nothing weighs."""
    total = numerator = 0.0
    for score, weight in weighted:
        total += weight
        numerator += score * weight
    return _clamp(numerator / total) if total > 0 else 0.0


def topic_mastery(
    history: History, at: datetime | None = None, half_life_days: float = HALF_LIFE_DAYS
) -> list[TopicMastery]:
    """Mastery of every topic scored up to ``at`` (default: the newest score), sorted by topic."""
    at = at or history.latest
    if at is None:
        return []
    by_topic: dict[str, list[Observation]] = {}
    for found in observations(history, at, half_life_days):
        by_topic.setdefault(found.topic, []).append(found)
    result = []
    for topic in sorted(by_topic):
        items = sorted(by_topic[topic], key=lambda o: (o.at, o.session_id, o.item_id), reverse=True)
        result.append(
            TopicMastery(
                topic=topic,
                mastery=round(mastery_of((o.score, o.weight) for o in items), 6),
                evidence=round(sum(o.weight for o in items), 6),
                attempts=len(items),
                last_seen=items[0].at,
                observations=items,
            )
        )
    return result


def rank_topics(masteries: Iterable[TopicMastery]) -> TopicRanking:
    """Split topics into weak, developing and strong, each in its documented order."""
    items = list(masteries)
    weak = sorted((t for t in items if t.mastery < WEAK_BELOW), key=lambda t: (t.mastery, -t.evidence, t.topic))
    strong = sorted((t for t in items if t.mastery >= STRONG_FROM), key=lambda t: (-t.mastery, -t.evidence, t.topic))
    developing = sorted(
        (t for t in items if WEAK_BELOW <= t.mastery < STRONG_FROM), key=lambda t: (t.mastery, -t.evidence, t.topic)
    )
    return TopicRanking(weak=weak, strong=strong, developing=developing)
