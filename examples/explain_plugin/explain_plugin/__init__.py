"""Explain a term: a complete interview type in one package (docs/plugins.md walks through it)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from attrs import evolve, field, frozen

from interview_engine import (
    Action,
    ActionResult,
    ContentCheck,
    ContentSnapshot,
    Difficulty,
    Engine,
    Evaluation,
    Evidence,
    InvalidInput,
    Item,
    ModuleContext,
    ModulePages,
    PackInfo,
    RecordKind,
    Session,
    StudyResource,
    TopicScore,
    Track,
    hookimpl,
    rubric_from_data,
    score_rubric,
)
from interview_engine.actions import text_at_most

HERE = Path(__file__).parent
TERMS = {  # id -> (topic, term, words a good explanation uses)
    "idempotency": ("http", "idempotency", ("same", "repeat", "once")),
    "retry-budget": ("http", "a retry budget", ("limit", "retries", "load")),
    "backpressure": ("streams", "backpressure", ("slow", "consumer", "buffer")),
}
RUBRIC = rubric_from_data(
    {
        "name": "explain",
        "version": "1",
        "pass_threshold": 3.0,
        "hold_margin": 1.0,
        "dimensions": [{"name": "accuracy", "weight": 1.0}],
        "guidance": {"accuracy": "Say what the term guarantees and when it matters."},
    },
    source="explain rubric",
)


@frozen
class Explanation:  # the payload of the "explain" action: capped for every door
    text: str = field(validator=text_at_most(2_000))


@frozen
class Attempt:  # this module's private record of a session
    session_id: str
    texts: tuple[str, ...] = ()


ATTEMPTS = RecordKind("explain", "attempts", Attempt)


def _score(term_id: str, text: str) -> float:
    words = TERMS[term_id][2]
    return 5.0 * sum(w in text.lower() for w in words) / len(words)


class Explain:
    name = "explain"
    title = "Explain a term"
    description = "Explain one term in your own words."
    actions = (Action("explain", payload=Explanation, description="Explain the term."),)

    def pack_info(self) -> PackInfo:
        return PackInfo(module=self.name, name="explain-terms", version="1")

    def rubric(self, track: Track, difficulty: Difficulty) -> Any:
        return RUBRIC

    def items(self, track: Track | None = None, difficulty: Difficulty | None = None) -> list[Item]:
        return [
            Item(
                id=key,
                module=self.name,
                title=f"Explain {term}",
                track=Track.BACKEND,
                difficulty=Difficulty.MID,
                topics=(topic,),
            )
            for key, (topic, term, _) in TERMS.items()
            if track in (None, Track.BACKEND) and difficulty in (None, Difficulty.MID)
        ]

    def start(self, ctx: ModuleContext, session: Session, options: Mapping[str, Any]) -> Session:
        term = options.get("term", "idempotency")
        if term not in TERMS:
            raise InvalidInput(f"no term {term!r}", field="term")
        ctx.store.save_snapshot(ContentSnapshot("explain_terms", term, "1", {"words": list(TERMS[term][2])}))
        return evolve(session, item_id=term, started_at=ctx.clock())

    def act(self, ctx: ModuleContext, session: Session, action: str, payload: Mapping[str, Any]) -> ActionResult:
        before = ATTEMPTS.get(ctx.store, session.id) or Attempt(session.id)
        ATTEMPTS.save(ctx.store, session.id, evolve(before, texts=(*before.texts, payload["text"])))
        return ActionResult(session=session, data={"score": _score(session.item_id or "", payload["text"])})

    def evaluate(self, ctx: ModuleContext, session: Session) -> Evaluation:
        texts = (ATTEMPTS.get(ctx.store, session.id) or Attempt(session.id)).texts
        best = max((_score(session.item_id or "", t) for t in texts), default=0.0)
        result = score_rubric(RUBRIC, {"accuracy": best}, evidence=[Evidence("accuracy", t) for t in texts])
        return Evaluation(
            session_id=session.id,
            rubric="explain@1",
            scores=result.scores,
            weighted_average=result.weighted_average,
            decision=result.decision,
            rationale=result.rationale,
            failed_rules=result.failed_rules,
            evidence=result.evidence,
            gaps=result.gaps,
            next_steps=result.next_steps,
            topics=[TopicScore(topic=TERMS[session.item_id or ""][0], score=best / 5, item_id=session.item_id or "")],
        )

    def summarize(self, ctx: ModuleContext, session: Session, evaluation: Evaluation | None) -> dict[str, Any]:
        texts = (ATTEMPTS.get(ctx.store, session.id) or Attempt(session.id)).texts
        return {"attempts": [{"text": t, "score": _score(session.item_id or "", t)} for t in texts]}

    def validate_content(self, ctx: ModuleContext) -> list[ContentCheck]:
        return [ContentCheck(module=self.name, check="terms have words", passed=all(t[2] for t in TERMS.values()))]


def workspace(engine: Engine, session: Session) -> Mapping[str, Any]:
    return {"term": TERMS[session.item_id or ""][1]}


@hookimpl
def register_modules() -> list[Any]:
    return [Explain()]


@hookimpl
def module_pages() -> list[ModulePages]:
    return [
        ModulePages(
            module="explain",
            path="/explain",
            nav="Explain",
            templates=HERE / "templates",
            static=HERE / "static",
            summary_template="summary.html",
            item_param="term",
            option="term",
            workspace=workspace,
        )
    ]


@hookimpl
def study_resources(topic: str, track: str) -> list[StudyResource]:
    return [
        StudyResource(
            topic=topic,
            kind="practice",
            title=f"Explain {term}",
            why="a term of this topic",
            module="explain",
            item_id=key,
        )
        for key, (term_topic, term, _) in TERMS.items()
        if term_topic == topic
    ]
