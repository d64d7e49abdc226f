"""A third-party interview type, installed only for the tests: flash-card recall.

It uses nothing but the engine's public API, which is the point: a new
interview type runs end to end with zero changes to core.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from attrs import evolve, field, frozen

from interview_engine import (
    Action,
    ActionResult,
    AnswerScore,
    AnswerScoringRequest,
    ContentCheck,
    Difficulty,
    Engine,
    Evaluation,
    Evidence,
    InvalidInput,
    Item,
    ModuleContext,
    ModulePages,
    PackInfo,
    Session,
    StudyResource,
    TopicScore,
    Track,
    TranscriptSegment,
    hookimpl,
    rubric_from_data,
)
from interview_engine.actions import text_at_most

CARDS = {
    "tcp-handshake": ("networking", "What are the three steps of the TCP handshake?", ["syn", "syn-ack", "ack"]),
    "http-idempotent": ("http", "Which HTTP methods are idempotent?", ["get", "put", "delete"]),
    "tcp-close": ("networking", "Which segments close a TCP connection?", ["fin", "ack"]),
}

RUBRIC = rubric_from_data(
    {
        "name": "flashcards",
        "version": "1",
        "pass_threshold": 3.0,
        "hold_margin": 1.0,
        "dimensions": [{"name": "recall", "weight": 0.7}, {"name": "speed", "weight": 0.3}],
        "floors": {"recall": 2.0},
        "pass_rules": [{"id": "answered", "metric": "answered", "op": ">=", "value": 1}],
        "guidance": {"recall": "Review the cards you missed."},
    },
    source="flashcards rubric",
)


@frozen
class CardAnswer:
    """What the candidate recalls: the answer's payload, capped like any bundled module's."""

    text: str = field(validator=text_at_most(2_000))


@frozen
class CardScore:
    score: float


class Flashcards:
    name = "flashcards"
    title = "Flash cards"
    description = "Recall facts on a card."
    actions = (Action("answer", payload=CardAnswer, result=CardScore, description="Answer the card."),)

    def pack_info(self) -> PackInfo:
        return PackInfo(module=self.name, name="flashcards", version="2026.1")

    def rubric(self, track: Track, difficulty: Difficulty) -> Any:
        return RUBRIC

    def items(self, track: Track | None = None, difficulty: Difficulty | None = None) -> list[Item]:
        return [
            Item(id=key, module=self.name, title=q, track=Track.BACKEND, difficulty=Difficulty.MID, topics=(topic,))
            for key, (topic, q, _) in CARDS.items()
        ]

    def start(self, ctx: ModuleContext, session: Session, options: Mapping[str, Any]) -> Session:
        card = options.get("card", "tcp-handshake")
        if card not in CARDS:
            raise InvalidInput(f"no card {card!r}", field="card")
        return evolve(session, item_id=card, state={"answers": []})

    def act(self, ctx: ModuleContext, session: Session, action: str, payload: Mapping[str, Any]) -> ActionResult:
        text = str(payload.get("text", ""))
        topic, question, points = CARDS[session.item_id or ""]
        score = ctx.score_answer(AnswerScoringRequest(kind="flashcard", text=text, prompt=question, key_points=points))
        answers = [*session.state["answers"], {"text": text, "score": score.score}]
        seq = len(answers)
        ctx.store.add_transcript(
            [
                TranscriptSegment(session.id, seq * 2, "interviewer", question, key=f"q{seq}"),
                TranscriptSegment(session.id, seq * 2 + 1, "candidate", text, key=f"a{seq}"),
            ]
        )
        return ActionResult(session=evolve(session, state={"answers": answers}), data={"score": score.score})

    def evaluate(self, ctx: ModuleContext, session: Session) -> Evaluation:
        answers = session.state["answers"]
        best = max((a["score"] for a in answers), default=0.0)
        topic = CARDS[session.item_id or ""][0]
        return Evaluation.from_rubric(
            session,
            RUBRIC,
            {"recall": best, "speed": 5.0 if len(answers) <= 1 else 3.0},
            metrics={"answered": float(len(answers))},
            evidence=[Evidence("recall", a["text"], source="answer") for a in answers],
            topics=[TopicScore(topic=topic, score=best / 5, item_id=session.item_id or "")],
        )

    def summarize(self, ctx: ModuleContext, session: Session, evaluation: Evaluation | None) -> dict[str, Any]:
        return {"answers": session.state["answers"], "transcript": [s.text for s in ctx.store.transcript(session.id)]}

    def validate_content(self, ctx: ModuleContext) -> list[ContentCheck]:
        return [ContentCheck(module=self.name, check="cards have points", passed=all(c[2] for c in CARDS.values()))]


@hookimpl
def register_modules() -> list[Any]:
    return [Flashcards()]


WEB = Path(__file__).parent / "flashcards_web"


def workspace(engine: Engine, session: Session) -> Mapping[str, Any]:
    card = next(item for item in engine.items("flashcards") if item.id == session.item_id)
    return {"card": card, "answers": session.state["answers"]}


@hookimpl
def module_pages() -> list[ModulePages]:
    # The start page is the app's item picker; the workspace and the summary view are this plugin's.
    return [
        ModulePages(
            module="flashcards",
            path="/flashcards",
            nav="Flash cards",
            templates=WEB / "templates",
            static=WEB / "static",
            summary_template="summary.html",
            item_param="card",
            option="card",
            workspace=workspace,
        )
    ]


@hookimpl(trylast=True)
def answer_scorer(request: AnswerScoringRequest) -> AnswerScore | None:
    if request.kind != "flashcard":
        return None
    words = request.text.lower().replace(",", " ").split()
    matched = tuple(p for p in request.key_points if p in words)
    return AnswerScore(score=5.0 * len(matched) / len(request.key_points), scorer="flashcards", matched=matched)


@hookimpl
def study_resources(topic: str, track: str) -> list[StudyResource]:
    return [
        StudyResource(
            topic=topic, kind="practice", title=q, why="a card of this topic", module="flashcards", item_id=key
        )
        for key, (card_topic, q, _) in CARDS.items()
        if card_topic == topic
    ]
