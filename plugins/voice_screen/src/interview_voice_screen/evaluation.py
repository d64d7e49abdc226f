"""From a finished screen to an Evaluation under the difficulty's RubricSpec.

Offline mapping (each question asked gives per-dimension scores 0..5; a
dimension's session score is their mean, rounded to 2 decimals):

- correctness: the answer scorer's score (1 when skipped or not attempted).
- depth: ``1 + 3 * coverage`` plus 1 when the answer reasons (because,
  trade-off, depends, whereas, ...), minus 1 per misconception (1 when skipped).
- practicality: ``1 + 2.5 * coverage`` plus 1.5 when the answer is grounded in
  practice (for example, in production, measure, monitor, ...) (1 when skipped).
- clarity (answered questions only): 5 for 15-180 words, 3.5 for 8-14, 2 for
  fewer, 4 up to 300, 3 above; minus 1 when fillers exceed 5% of the words,
  minus 1.5 for a long answer that hits no key point; clamped to 1..5.
- autonomy (session): ``5 - 8 * (hints + skips/2 + answer requests/2) / questions asked``, clamped to 1..5.

Metrics: questionsAttempted, questionsAsked, hintsUsed, misconceptions,
skips, topicsCovered, maxTopicShare (share of questions asked on the most
asked topic; 0 when none).  Disqualifiers: ``fabricated_facts_after_correction``
(a misconception restated after the push-back), ``refusal_to_engage`` (4+
questions asked and fewer than half attempted), ``security_red_flags`` (a
red-flag phrase from the pack, not negated), ``cannot_discuss_tradeoffs`` (3+
trade-off questions attempted, none with reasoning and under a quarter of their
key points).

Voice: scored exactly as typed. The engine drove the call through client tools, so every
spoken answer was scored by the ``answer_scorer`` hook when it was recorded; the agent's own
post-call analysis is attached as ``details["agentOpinion"]`` (see
:mod:`interview_voice_screen.voice.opinion`), a second opinion that changes no number here.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from interview_engine import Evaluation, Evidence, RubricSpec, Session, TopicScore, score_rubric
from interview_engine.errors import InvalidInput
from interview_voice_screen.bank import KnowledgeBase
from interview_voice_screen.matching import Text, first_match, tokens
from interview_voice_screen.matching import quote as quote_words
from interview_voice_screen.state import QuestionResult, ScreenState
from interview_voice_screen.voice.opinion import agent_opinion

__all__ = [
    "DIMENSIONS",
    "coverage_metrics",
    "decide",
    "evaluate_offline",
    "topic_split",
]

DIMENSIONS = ("correctness", "depth", "practicality", "clarity", "autonomy")
_REASONING = (
    "because", "trade-off", "tradeoff", "trade off", "depends", "whereas", "however", "instead",
    "downside", "at the cost", "on the other hand", "versus", "so that", "which means", "the risk",
)  # fmt: skip
_PRACTICE = (
    "for example", "for instance", "e.g", "in production", "we used", "i used", "we had", "in my last",
    "measure", "monitor", "metrics", "profile", "benchmark", "dashboard", "alert", "load test", "real users",
)  # fmt: skip
_FILLERS = frozenset({"um", "uh", "erm", "like", "basically", "literally", "actually"})
WEAK_TOPIC = 0.5
STRONG_TOPIC = 0.75


def _clamp(value: float, low: float = 1.0, high: float = 5.0) -> float:
    return min(high, max(low, value))


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return math.floor(sum(items) / len(items) * 100 + 0.5) / 100 if items else 0.0


def coverage_metrics(topics: Mapping[str, int]) -> dict[str, float]:
    """topicsCovered and maxTopicShare from questions asked per topic."""
    asked = {topic: count for topic, count in topics.items() if count > 0}
    total = sum(asked.values())
    return {
        "topicsCovered": float(len(asked)),
        "maxTopicShare": round(max(asked.values()) / total, 4) if total else 0.0,
    }


def _clarity(text: str, coverage: float) -> float:
    words = tokens(text)
    count = len(words)
    if count < 8:
        value = 2.0
    elif count < 15:
        value = 3.5
    elif count <= 180:
        value = 5.0
    elif count <= 300:
        value = 4.0
    else:
        value = 3.0
    if count and sum(1 for w in words if w in _FILLERS) / count > 0.05:
        value -= 1
    if coverage == 0 and count >= 15:
        value -= 1.5
    return _clamp(value)


def _answer_dimensions(result: QuestionResult, key_points: int) -> dict[str, float]:
    score = result.score
    if not result.attempted or score is None:
        return {"correctness": 1.0, "depth": 1.0, "practicality": 1.0}
    text = "\n".join(result.answers)
    words = tokens(text)
    coverage = len(score["matched"]) / key_points if key_points else 0.0
    wrong = len(score["misconceptions"])
    reasons = first_match(words, _REASONING) is not None
    practice = first_match(words, _PRACTICE) is not None
    return {
        "correctness": _clamp(float(score["score"])),
        "depth": _clamp(1 + 3 * coverage + (1 if reasons else 0) - wrong),
        "practicality": _clamp(1 + 2.5 * coverage + (1.5 if practice else 0)),
    }


def _evaluation(
    session: Session,
    spec: RubricSpec,
    scores: dict[str, float],
    metrics: dict[str, float],
    flags: list[str],
    evidence: list[Evidence],
    topics: list[TopicScore],
    extra_steps: list[str],
    details: dict[str, Any],
) -> Evaluation:
    return Evaluation.from_rubric(
        session,
        spec,
        scores,
        metrics=metrics,
        disqualifiers=flags,
        evidence=evidence,
        topics=topics,
        next_steps=extra_steps,
        result=details.pop("result", None),
        details=details,
    )


def topic_split(topics: Iterable[TopicScore]) -> tuple[list[str], list[str]]:
    """Weak and strong topics from per-question topic scores (mean < 0.5 weak, >= 0.75 strong)."""
    by_topic: dict[str, list[float]] = {}
    for item in topics:
        by_topic.setdefault(item.topic, []).append(item.score)
    means = {topic: sum(values) / len(values) for topic, values in by_topic.items()}
    weak = sorted(t for t, m in means.items() if m < WEAK_TOPIC)
    strong = sorted(t for t, m in means.items() if m >= STRONG_TOPIC)
    return weak, strong


def _study_steps(kb: KnowledgeBase, track: str, weak: list[str]) -> list[str]:
    steps = []
    for topic in weak:
        sheet = kb.sheet(track, topic)
        title = f"the fact sheet \u201c{sheet.title}\u201d" if sheet else f"the {topic} fact sheet"
        steps.append(f"{topic}: read {title}, then practise the {topic} questions again.")
    return steps


def evaluate_offline(kb: KnowledgeBase, session: Session, red_flags: Iterable[str]) -> Evaluation:
    """Evaluate a typed screen from its stored state; deterministic for the same state."""
    state = ScreenState.load(session.state)
    spec = kb.rubric(session.difficulty.value, state.mode)
    results = state.results
    per_answer: list[dict[str, float]] = []
    clarity: list[float] = []
    evidence: list[Evidence] = []
    topics: list[TopicScore] = []
    flags: set[str] = set()
    misconceptions = 0
    for number, result in enumerate(results, start=1):
        question = kb.question(result.qid)
        dims = _answer_dimensions(result, len(question.key_points))
        per_answer.append(dims)
        score = result.score
        if result.attempted and score is not None:
            coverage = len(score["matched"]) / len(question.key_points)
            clarity.append(_clarity("\n".join(result.answers), coverage))
            source = f"Q{number} {question.id}"
            for quote in score["evidence"][:2]:
                evidence.append(Evidence(dimension="correctness", text=quote, source=source, line=number))
            for claim in score["misconceptions"]:
                evidence.append(Evidence("correctness", f"misconception: {claim}", source, number))
            misconceptions += len(score["misconceptions"])
            # Quotes keep the candidate's own words, case and punctuation (matching runs on normalised tokens).
            said = Text.of("\n".join(result.answers))
            hit = first_match(said, _REASONING)
            if hit is not None:
                evidence.append(Evidence("depth", quote_words(said, hit), source, number))
            hit = first_match(said, _PRACTICE)
            if hit is not None:
                evidence.append(Evidence("practicality", quote_words(said, hit), source, number))
            if first_match(said, red_flags, claim=True) is not None:
                flags.add("security_red_flags")
                evidence.append(Evidence("correctness", "security red flag stated", source, number))
        if result.misconceptionRepeated:
            flags.add("fabricated_facts_after_correction")
        topics.append(
            TopicScore(
                topic=question.topic,
                score=round(dims["correctness"] / 5, 3) if result.attempted else 0.0,
                item_id=question.id,
                hints=result.hints,
                misconceptions=len(score["misconceptions"]) if score else 0,
            )
        )
    asked = len(results)
    attempted = sum(1 for r in results if r.attempted)
    hints = state.hintsUsed
    skips = sum(1 for r in results if r.skipped)
    requests = sum(r.answerRequests for r in results)
    autonomy = _clamp(5 - 8 * (hints + skips / 2 + requests / 2) / asked) if asked else 0.0
    if asked >= 4 and attempted < asked / 2:
        flags.add("refusal_to_engage")
    tradeoff = [r for r in results if r.attempted and "trade-offs" in kb.question(r.qid).tags and r.score]
    if len(tradeoff) >= 3:
        reasoned = any(first_match(tokens("\n".join(r.answers)), _REASONING) for r in tradeoff)
        covered = sum(len((r.score or {})["matched"]) / len(kb.question(r.qid).key_points) for r in tradeoff)
        if not reasoned and covered / len(tradeoff) < 0.25:
            flags.add("cannot_discuss_tradeoffs")
    scores = {
        "correctness": _mean(d["correctness"] for d in per_answer),
        "depth": _mean(d["depth"] for d in per_answer),
        "practicality": _mean(d["practicality"] for d in per_answer),
        "clarity": _mean(clarity) if clarity else (1.0 if asked else 0.0),
        "autonomy": round(autonomy, 2),
    }
    metrics = {
        "questionsAttempted": float(attempted),
        "questionsAsked": float(asked),
        "hintsUsed": float(hints),
        "misconceptions": float(misconceptions),
        "skips": float(skips),
        "answerRequests": float(requests),
        **coverage_metrics(Counter(r.topic for r in results)),
    }
    weak, strong = topic_split(topics)
    mode = state.mode
    details: dict[str, Any] = {
        "mode": mode,
        "weakTopics": weak,
        "strongTopics": strong,
        "endReason": state.endReason,
    }
    if mode == "voice":
        # The agent's analysis sits beside our scores; it never changes them.
        details["agentOpinion"] = agent_opinion(state.voice or {})
    return _evaluation(
        session,
        spec,
        scores,
        metrics,
        sorted(flags),
        evidence,
        topics,
        _study_steps(kb, session.track.value, weak),
        details,
    )


# -- interview screen decide ---------------------------------------------------


def _field(data: Mapping[str, Any], name: str, kind: type | tuple[type, ...], where: str) -> Any:
    if name not in data:
        raise InvalidInput("is required", field=f"{where}{name}")
    value = data[name]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise InvalidInput(f"must be {_kind_name(kind)}", field=f"{where}{name}")
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {dict: "an object", list: "a list", str: "a string", int: "a number", float: "a number"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return names.get(kinds[0], kinds[0].__name__)


def decide(kb: KnowledgeBase, data: Any) -> dict[str, Any]:
    """``interview screen decide``: rubric scores + metrics + topics + flags -> the decision.

    Raises ``InvalidInput`` naming the first bad field.
    """
    if not isinstance(data, dict):
        raise InvalidInput("input must be one JSON object", field="$")
    track = _field(data, "track", str, "")
    if track not in kb.pack.tracks:
        raise InvalidInput(f"must be one of {', '.join(kb.pack.tracks)}", field="track")
    difficulty = _field(data, "difficulty", str, "")
    if difficulty not in kb.rubrics:
        raise InvalidInput(f"must be one of {', '.join(kb.rubrics)}", field="difficulty")
    spec = kb.rubrics[difficulty]
    rubric = _field(data, "rubric", dict, "")
    scores = {}
    for dim in spec.dimension_names:
        value = _field(rubric, dim, (int, float), "rubric.")
        if not math.isfinite(value) or not 0 <= value <= 5:
            raise InvalidInput("must be between 0 and 5", field=f"rubric.{dim}")
        scores[dim] = float(value)
    unknown = sorted(set(rubric) - set(spec.dimension_names))
    if unknown:
        raise InvalidInput(
            f"not a rubric dimension (expected {', '.join(spec.dimension_names)})",
            field=f"rubric.{unknown[0]}",
        )
    metrics_in = _field(data, "metrics", dict, "")
    metrics: dict[str, float] = {}
    for name in ("questionsAttempted", "hintsUsed", "misconceptions"):
        value = _field(metrics_in, name, (int, float), "metrics.")
        if not math.isfinite(value) or value < 0:
            raise InvalidInput("must be a non-negative number", field=f"metrics.{name}")
        metrics[name] = float(value)
    topics = _field(data, "topics", dict, "")
    counts: dict[str, int] = {}
    for topic, value in topics.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or value != int(value):
            raise InvalidInput("must be a non-negative whole number of questions", field=f"topics.{topic}")
        counts[str(topic)] = int(value)
    metrics.update(coverage_metrics(counts))
    flags = data.get("disqualifiers", [])
    if not isinstance(flags, list) or not all(isinstance(f, str) for f in flags):
        raise InvalidInput("must be a list of disqualifier codes", field="disqualifiers")
    known = {d.code for d in spec.disqualifiers}
    for index, flag in enumerate(flags):
        if flag not in known:
            raise InvalidInput(
                f"unknown code {flag!r} (known: {', '.join(sorted(known))})", field=f"disqualifiers[{index}]"
            )
    result = score_rubric(spec, scores, metrics=metrics, disqualifiers=flags)
    return {
        "weightedAverage": result.weighted_average,
        "decision": result.decision.value,
        "rationale": list(result.rationale),
        "failedRules": list(result.failed_rules),
    }
