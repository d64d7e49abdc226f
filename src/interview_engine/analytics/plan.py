"""The study plan: for the top weak topics, what to read and what to practise next, and why.

For each of the weakest topics (see :mod:`interview_engine.analytics.mastery`
for the ranking) the plan lists, in this order:

1. the topic's fact sheets,
2. curated references (documentation, books and chapters) from the content packs,
3. practice items of that topic the candidate has not attempted yet
   (questions, problems, scenarios), easiest difficulty first, then by module and id,
   at most :data:`PRACTICE_PER_TOPIC` of them.

Plugins add resources through the ``study_resources`` hook.

Reproducibility: a plan is a pure function of the stored sessions up to ``at``
and the topic catalogs of the content packs it names in ``kb_versions``.
``at`` defaults to the time of the candidate's newest score, not the wall
clock, so the same stored data gives the same plan.  The catalogs a plan uses
are kept as content snapshots, so ``build_study_plan(..., at=plan.at,
kb_versions=plan.kb_versions)`` rebuilds the same plan (same ``digest``) after
a pack has changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from attrs import evolve, field, frozen

from interview_engine._convert import as_tuple
from interview_engine.analytics.catalog import installed_kb_versions, topic_catalog, track_items
from interview_engine.analytics.history import History, load_history
from interview_engine.analytics.mastery import HALF_LIFE_DAYS, Observation, TopicMastery, rank_topics, topic_mastery
from interview_engine.converter import converter
from interview_engine.domain import Difficulty, Track
from interview_engine.errors import InvalidInput
from interview_engine.study import StudyResource

if TYPE_CHECKING:  # annotations only: analytics must not import storage (SQLAlchemy) on its own
    from interview_engine.engine import Engine

__all__ = ["PLAN_RULES", "PRACTICE_PER_TOPIC", "PlanTopic", "StudyPlan", "build_study_plan"]

#: The version of the rules above; part of every plan so a rule change shows in its digest.
PLAN_RULES = "study-plan/1"
PRACTICE_PER_TOPIC = 5
EVIDENCE_PER_TOPIC = 5
KIND_ORDER = {"fact_sheet": 0, "reference": 1, "practice": 2}
DIFFICULTY_ORDER = {difficulty.value: rank for rank, difficulty in enumerate(Difficulty)}


@frozen
class PlanTopic:
    """One weak topic of the plan: where it stands, the evidence, and what to do about it."""

    topic: str
    rank: int
    mastery: float
    attempts: int
    why: str
    evidence: tuple[Observation, ...] = field(converter=as_tuple, default=())
    resources: tuple[StudyResource, ...] = field(converter=as_tuple, default=())


@frozen
class StudyPlan:
    """A study plan, with everything needed to rebuild it: ``at``, ``track`` and ``kb_versions``.

    ``digest`` is a hash of the rest of the plan: two builds from the same data agree on it.
    """

    user_id: str
    track: str
    at: datetime | None
    kb_versions: dict[str, str]
    half_life_days: float
    rules: str
    topics: tuple[PlanTopic, ...] = field(converter=as_tuple, default=())
    digest: str = ""


def _why(mastery: TopicMastery) -> str:
    worst = min(mastery.observations, key=lambda o: (o.score, o.at, o.session_id))
    return (
        f"mastery {mastery.mastery:.0%} over {mastery.attempts} scored item{'s' if mastery.attempts != 1 else ''}; "
        f"lowest {worst.score:.0%} on {worst.item_id or 'an item'} ({worst.at:%Y-%m-%d})"
    )


def _order(resource: StudyResource) -> tuple[int, int, str, str, str]:
    return (
        KIND_ORDER.get(resource.kind, 3),
        DIFFICULTY_ORDER.get(resource.difficulty, len(DIFFICULTY_ORDER)),
        resource.module,
        resource.item_id,
        resource.title,
    )


def _select(resources: tuple[StudyResource, ...], attempted: set[tuple[str, str]]) -> list[StudyResource]:
    chosen: list[StudyResource] = []
    practice = 0
    for resource in sorted(resources, key=_order):
        if resource.kind == "practice":
            if (resource.module, resource.item_id) in attempted or practice >= PRACTICE_PER_TOPIC:
                continue
            practice += 1
            resource = evolve(resource, why=f"{resource.why}; not attempted yet")
        chosen.append(resource)
    return chosen


def _digest(plan: StudyPlan) -> str:
    body = converter.unstructure(evolve(plan, digest=""))
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def build_study_plan(
    engine: Engine,
    user_id: str,
    *,
    at: datetime | None = None,
    track: str | None = None,
    kb_versions: Mapping[str, str] | None = None,
    topics: int = 3,
    history: History | None = None,
    mastery: Sequence[TopicMastery] | None = None,
) -> StudyPlan:
    """Build the study plan of ``user_id`` as of ``at`` (default: the newest score).

    Args:
        track: whose practice items to offer; default the track of the newest session, else backend.
        kb_versions: rebuild from these pack versions (a stored plan's); default the installed packs.
        topics: how many weak topics the plan covers.
        history: the user's :class:`History` when the caller has loaded it already.
        mastery: :func:`topic_mastery` of that history at ``at``, when the caller has computed it.

    Raises:
        InvalidInput: a bad ``track`` or ``topics``.
        Conflict: ``kb_versions`` are not installed and were never used by a plan on these topics.
    """
    if topics < 1:
        raise InvalidInput("must be at least 1", field="topics")
    history = history if history is not None else load_history(engine.store, user_id)
    at = at or history.latest
    scoped = history.until(at)
    if track is None:
        track = scoped.entries[0].track if scoped.entries else Track.BACKEND.value
    if track not in {t.value for t in Track}:
        raise InvalidInput(f"must be one of {', '.join(t.value for t in Track)}, got {track!r}", field="track")
    versions = dict(sorted((kb_versions or installed_kb_versions(engine)).items()))
    masteries = list(mastery) if mastery is not None else topic_mastery(scoped, at)
    weak = rank_topics(masteries).weak[:topics]
    attempted = {(e.module, e.item_id) for e in scoped.entries if e.item_id}
    attempted |= {(o.module, o.item_id) for t in masteries for o in t.observations}
    items = track_items(engine, track) if weak and versions == installed_kb_versions(engine) else None
    plan_topics = []
    for rank, weakness in enumerate(weak, start=1):
        catalog = topic_catalog(engine, track, weakness.topic, kb_versions=versions, items=items)
        plan_topics.append(
            PlanTopic(
                topic=weakness.topic,
                rank=rank,
                mastery=weakness.mastery,
                attempts=weakness.attempts,
                why=_why(weakness),
                evidence=weakness.observations[:EVIDENCE_PER_TOPIC],
                resources=_select(catalog.resources, attempted),
            )
        )
    plan = StudyPlan(
        user_id=user_id,
        track=track,
        at=at,
        kb_versions=versions,
        half_life_days=HALF_LIFE_DAYS,
        rules=PLAN_RULES,
        topics=plan_topics,
    )
    return evolve(plan, digest=_digest(plan))
