"""Trends over time: the weighted score per module, and attempts, hints and misconceptions per session.

Activity counts come from an evaluation's metrics when the module reports them
(``questionsAttempted`` / ``attempts``, ``hintsUsed`` / ``hints``,
``misconceptions``), else from its topic scores (one attempt per scored item,
and the hints and misconceptions recorded on them).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from attrs import field, frozen

from interview_engine._convert import as_tuple
from interview_engine.analytics.history import History, Outcome
from interview_engine.analytics.mastery import HALF_LIFE_DAYS, TopicMastery, TopicRanking, rank_topics, topic_mastery

__all__ = ["ActivityPoint", "ModuleTrend", "ScorePoint", "Trends", "activity_of", "build_trends"]

ATTEMPT_METRICS = ("questionsAttempted", "attempts", "itemsAttempted")
HINT_METRICS = ("hintsUsed", "hints")
MISCONCEPTION_METRICS = ("misconceptions",)


@frozen
class ScorePoint:
    """A session's weighted score (0..5) at the time it was earned."""

    at: datetime
    session_id: str
    score: float
    outcome: str


@frozen
class ModuleTrend:
    """One module's weighted scores, oldest first, and the change from its first to its last."""

    module: str
    title: str
    points: tuple[ScorePoint, ...] = field(converter=as_tuple, default=())

    @property
    def change(self) -> float:
        return round(self.points[-1].score - self.points[0].score, 6) if self.points else 0.0


@frozen
class ActivityPoint:
    """How much help one session needed: items attempted, hints used, misconceptions found."""

    at: datetime
    session_id: str
    module: str
    attempts: int
    hints: int
    misconceptions: int


@frozen
class Trends:
    """Everything ``interview trends`` and the History page chart, as of ``at``."""

    user_id: str
    at: datetime | None
    half_life_days: float
    modules: tuple[ModuleTrend, ...] = field(converter=as_tuple, default=())
    activity: tuple[ActivityPoint, ...] = field(converter=as_tuple, default=())
    mastery: tuple[TopicMastery, ...] = field(converter=as_tuple, default=())
    ranking: TopicRanking = field(factory=TopicRanking)


def _metric(metrics: Mapping[str, float], names: tuple[str, ...]) -> int | None:
    for name in names:
        if name in metrics:
            return max(round(metrics[name]), 0)
    return None


def activity_of(evaluation: Outcome) -> tuple[int, int, int]:
    """``(attempts, hints, misconceptions)`` of an evaluation: its metrics, else its topic scores."""
    metrics = evaluation.metrics
    attempts = _metric(metrics, ATTEMPT_METRICS)
    hints = _metric(metrics, HINT_METRICS)
    misconceptions = _metric(metrics, MISCONCEPTION_METRICS)
    return (
        attempts if attempts is not None else len({t.item_id for t in evaluation.topics}),
        hints if hints is not None else sum(t.hints for t in evaluation.topics),
        misconceptions if misconceptions is not None else sum(t.misconceptions for t in evaluation.topics),
    )


def build_trends(history: History, at: datetime | None = None, half_life_days: float = HALF_LIFE_DAYS) -> Trends:
    """Score trends per module, activity per session and topic mastery, up to ``at`` (default: the newest)."""
    at = at or history.latest
    scoped = history.until(at)
    series: dict[str, list[ScorePoint]] = {}
    activity = []
    for entry, outcome in scoped.evaluated():
        when = entry.scored_at
        verdict = outcome.result or outcome.decision
        point = ScorePoint(when, entry.session_id, round(outcome.weighted_average, 6), verdict)
        series.setdefault(entry.module, []).append(point)
        attempts, hints, misconceptions = activity_of(outcome)
        activity.append(ActivityPoint(when, entry.session_id, entry.module, attempts, hints, misconceptions))
    modules = [ModuleTrend(name, history.titles.get(name, name), series[name]) for name in sorted(series)]
    mastery = topic_mastery(scoped, at, half_life_days)
    return Trends(
        user_id=history.user_id,
        at=at,
        half_life_days=half_life_days,
        modules=modules,
        activity=activity,
        mastery=mastery,
        ranking=rank_topics(mastery),
    )
