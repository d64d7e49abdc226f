"""A tiny interview type for the analytics tests: each session scores the topics it is told to.

``options`` of ``start_session``: ``item`` (an item id) and ``scores`` (topic -> 0..1),
``hints`` (topic -> count).  Its content pack version can be changed to test plans
that outlive a pack.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from attrs import evolve

from interview_engine import (
    ActionResult,
    ContentCheck,
    Decision,
    Difficulty,
    Engine,
    Evaluation,
    Item,
    ModuleContext,
    PackInfo,
    Session,
    StudyResource,
    TopicScore,
    Track,
    User,
    hookimpl,
    rubric_from_data,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

RUBRIC = rubric_from_data(
    {
        "name": "quiz",
        "version": "1",
        "pass_threshold": 3.0,
        "hold_margin": 1.0,
        "dimensions": [{"name": "recall", "weight": 1.0}],
        "guidance": {"recall": "Review the fact sheets."},
    },
    source="quiz rubric",
)

# id -> (track, difficulty, topics)
ITEMS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "cache-basics": ("backend", "mid", ("caching",)),
    "cache-eviction": ("backend", "senior", ("caching",)),
    "cache-headers": ("backend", "mid", ("caching", "http")),
    "cache-stampede": ("backend", "senior", ("caching", "concurrency")),
    "cache-ttl": ("backend", "mid", ("caching",)),
    "http-status": ("backend", "senior", ("http",)),
    "http-cors": ("backend", "mid", ("http",)),
    "sql-joins": ("backend", "mid", ("sql",)),
    "sql-indexes": ("backend", "senior", ("sql",)),
    "sql-isolation": ("backend", "senior", ("sql", "concurrency")),
    "http-verbs": ("backend", "mid", ("http",)),
    "locks": ("backend", "mid", ("concurrency",)),
    "css-grid": ("frontend", "mid", ("css",)),
}


class Quiz:
    name = "quiz"
    title = "Quiz"
    description = "Scores the topics it is told to."
    actions = ("answer",)
    version = "1"
    items_by_id = ITEMS

    def pack_info(self) -> PackInfo:
        return PackInfo(module=self.name, name="quiz-pack", version=self.version)

    def rubric(self, track: Track, difficulty: Difficulty) -> Any:
        return RUBRIC

    def items(self, track: Track | None = None, difficulty: Difficulty | None = None) -> list[Item]:
        return [
            Item(
                id=key,
                module=self.name,
                title=key.replace("-", " ").title(),
                track=Track(t),
                difficulty=Difficulty(d),
                topics=topics,
            )
            for key, (t, d, topics) in self.items_by_id.items()
            if (track is None or t == track.value) and (difficulty is None or d == difficulty.value)
        ]

    def start(self, ctx: ModuleContext, session: Session, options: Mapping[str, Any]) -> Session:
        state = {"scores": dict(options.get("scores", {})), "hints": dict(options.get("hints", {}))}
        return evolve(session, item_id=options.get("item"), state=state)

    def act(self, ctx: ModuleContext, session: Session, action: str, payload: Mapping[str, Any]) -> ActionResult:
        return ActionResult(session=session)

    def evaluate(self, ctx: ModuleContext, session: Session) -> Evaluation:
        scores: dict[str, float] = session.state["scores"]
        hints: dict[str, int] = session.state["hints"]
        average = 5 * sum(scores.values()) / len(scores) if scores else 0.0
        decision = Decision.ADVANCE if average >= 3.0 else Decision.REVIEW if average >= 2.0 else Decision.HOLD
        return Evaluation(
            session_id=session.id,
            rubric="quiz@1",
            scores={"recall": round(average, 3)},
            weighted_average=round(average, 3),
            decision=decision,
            topics=[
                TopicScore(topic=topic, score=score, item_id=session.item_id or "", hints=hints.get(topic, 0))
                for topic, score in sorted(scores.items())
            ],
            metrics={"questionsAttempted": float(len(scores)), "hintsUsed": float(sum(hints.values()))},
        )

    def summarize(self, ctx: ModuleContext, session: Session, evaluation: Evaluation | None) -> dict[str, Any]:
        return {}

    def validate_content(self, ctx: ModuleContext) -> list[ContentCheck]:
        return []


class QuizPlugin:
    """The plugin object: one Quiz module and study resources for its topics."""

    def __init__(self) -> None:
        self.quiz = Quiz()
        self.reference_title = "High Performance Browser Networking, ch. 13"

    @hookimpl
    def register_modules(self) -> list[Any]:
        return [self.quiz]

    @hookimpl
    def study_resources(self, topic: str, track: str) -> list[StudyResource]:
        found = [
            StudyResource(
                topic=topic,
                kind="fact_sheet",
                title=f"{topic} fact sheet",
                why="the essentials",
                module="quiz",
                body=f"All about {topic}.",
            ),
        ]
        if topic == "caching":
            found.append(
                StudyResource(
                    topic=topic,
                    kind="reference",
                    title=self.reference_title,
                    why="HTTP caching in depth",
                    url="https://hpbn.co/http1x/",
                )
            )
        return found


def practise(
    engine: Engine,
    user_id: str,
    item: str,
    scores: Mapping[str, float],
    when: datetime,
    *,
    hints: Mapping[str, int] | None = None,
    minutes: int = 20,
    evaluate: bool = True,
) -> Session:
    """A quiz session that ran from ``when - minutes`` to ``when`` (evaluated unless told not to)."""
    track, difficulty, _ = ITEMS[item]
    session = engine.start_session(
        user_id=user_id,
        module="quiz",
        track=track,
        difficulty=difficulty,
        options={"item": item, "scores": dict(scores), "hints": dict(hints or {})},
    )
    if evaluate:
        engine.end_session(session.id)
    stored = engine.store.get_session(session.id)
    dated = evolve(
        stored,
        created_at=when - timedelta(minutes=minutes),
        started_at=when - timedelta(minutes=minutes),
        ended_at=when if evaluate else None,
    )
    return engine.store.save_session(dated)


def practise_a_handful(engine: Engine, user: User) -> list[Session]:
    """Five sessions over three weeks, plus one still running; oldest first."""
    return [
        practise(engine, user.id, "cache-basics", {"caching": 0.2}, T0, hints={"caching": 2}),
        practise(engine, user.id, "sql-joins", {"sql": 0.9}, T0 + timedelta(days=3)),
        practise(engine, user.id, "cache-headers", {"caching": 0.5, "http": 0.4}, T0 + timedelta(days=10)),
        practise(engine, user.id, "locks", {"concurrency": 0.7}, T0 + timedelta(days=14)),
        practise(engine, user.id, "http-verbs", {"http": 0.3}, T0 + timedelta(days=21), hints={"http": 1}),
        practise(engine, user.id, "sql-indexes", {}, T0 + timedelta(days=22), evaluate=False),
    ]
