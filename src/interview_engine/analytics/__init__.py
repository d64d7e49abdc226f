"""Analytics and study plans: history, trends, topic mastery, weak and strong topics, a study plan.

Everything is computed from stored sessions and evaluations (one query, see
:func:`load_history`) and is deterministic for the same stored data: the
reference time defaults to the candidate's newest score, not the wall clock.
See ``docs/analytics.md`` for the mastery half-life and the ranking rules::

    from interview_engine.analytics import build_study_plan, build_trends, load_history, plan_markdown

    history = load_history(engine.store, user.id)
    trends = build_trends(history)
    plan = build_study_plan(engine, user.id, history=history)
    print(plan_markdown(plan))
"""

from interview_engine.analytics._json import to_json
from interview_engine.analytics.catalog import (
    CATALOG_SNAPSHOT_KIND,
    TopicCatalog,
    installed_kb_versions,
    kb_key,
    topic_catalog,
    track_items,
)
from interview_engine.analytics.history import History, HistoryEntry, Outcome, entry_of, load_history
from interview_engine.analytics.markdown import plan_markdown
from interview_engine.analytics.mastery import (
    HALF_LIFE_DAYS,
    STRONG_FROM,
    WEAK_BELOW,
    Observation,
    TopicMastery,
    TopicRanking,
    mastery_of,
    observations,
    rank_topics,
    recency_weight,
    topic_mastery,
)
from interview_engine.analytics.plan import PLAN_RULES, PRACTICE_PER_TOPIC, PlanTopic, StudyPlan, build_study_plan
from interview_engine.analytics.trends import ActivityPoint, ModuleTrend, ScorePoint, Trends, activity_of, build_trends

__all__ = [
    "CATALOG_SNAPSHOT_KIND",
    "HALF_LIFE_DAYS",
    "PLAN_RULES",
    "PRACTICE_PER_TOPIC",
    "STRONG_FROM",
    "WEAK_BELOW",
    "ActivityPoint",
    "History",
    "HistoryEntry",
    "ModuleTrend",
    "Observation",
    "Outcome",
    "PlanTopic",
    "ScorePoint",
    "StudyPlan",
    "TopicCatalog",
    "TopicMastery",
    "TopicRanking",
    "Trends",
    "activity_of",
    "build_study_plan",
    "build_trends",
    "entry_of",
    "installed_kb_versions",
    "kb_key",
    "load_history",
    "mastery_of",
    "observations",
    "plan_markdown",
    "rank_topics",
    "recency_weight",
    "to_json",
    "topic_catalog",
    "topic_mastery",
    "track_items",
]
