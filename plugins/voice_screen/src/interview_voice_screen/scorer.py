"""The default ``screen_answer`` scorer: a transparent heuristic, replaceable through the hook.

It matches the answer against each key point's accepted phrasings and each
common misconception's phrasings (see :mod:`interview_voice_screen.matching`)::

    score = 1 + 4 * (key points matched / key points)  - 1.5 per misconception   (clamped to 0..5)

An empty answer scores 0.  The matched phrases, quoted from the answer, are the
evidence.  It does not understand language: a team that wants an LLM grader
registers its own ``answer_scorer`` for kind ``"screen_answer"``; the bundled
one is ``trylast``.

The scoring request carries the phrasings in ``context``: ``keyPointPhrases``
(one list per key point, in order) and ``misconceptionPhrases`` (one list per
misconception).  Without them each key point's own words are the phrase.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from interview_engine import AnswerScore, AnswerScoringRequest
from interview_voice_screen.bank import Question
from interview_voice_screen.matching import Match, Text, carries_meaning, find_phrase, quote
from interview_voice_screen.relevance import topic_profiles

__all__ = ["KIND", "SCORER_NAME", "score_screen_answer", "scoring_request"]

KIND = "screen_answer"
SCORER_NAME = "voice_screen.keypoints"
MISCONCEPTION_PENALTY = 1.5


def scoring_request(question: Question, text: str, *, track: str, difficulty: str) -> AnswerScoringRequest:
    """The hook request for an answer to ``question``."""
    return AnswerScoringRequest(
        kind=KIND,
        text=text,
        prompt=question.prompt,
        key_points=[p.point for p in question.key_points],
        misconceptions=[m.claim for m in question.misconceptions],
        context={
            "questionId": question.id,
            "itemId": question.id,
            "reference": question.canonical,
            "rivals": _rivals(question, track),
            "topic": question.topic,
            "track": track,
            "difficulty": difficulty,
            "keyPointPhrases": [list(p.phrases) for p in question.key_points],
            # The judge reads the bank's phrasings of several words as other wordings of the point
            # ("slower writes", "maintain the index"), with the point's own sentence-long wordings;
            # a single term ("sorted") states nothing alone.
            "keyPointAnchors": [
                [*(ph for ph in p.phrases if len(ph.split()) >= 2), *p.wordings] for p in question.key_points
            ],
            "misconceptionPhrases": [list(m.phrases) for m in question.misconceptions],
            "misconceptionAnchors": [list(m.wordings) for m in question.misconceptions],
        },
    )


def _rivals(question: Question, track: str) -> list[str]:
    """The other questions of the track, as the judge compares them (an answer to one is off topic)."""
    from interview_voice_screen.bank import knowledge_base

    return [f"{q.prompt} {q.canonical}" for q in knowledge_base().track_questions(track) if q.id != question.id]


def _phrases(context: dict[str, Any], key: str, items: Sequence[str]) -> list[list[str]]:
    given = context.get(key)
    if isinstance(given, list) and len(given) == len(items):
        groups = [[str(p) for p in group] or [item] for group, item in zip(given, items, strict=True)]
    else:
        groups = [[item] for item in items]
    return [[phrase for phrase in group if carries_meaning(phrase)] for group in groups]


def score_screen_answer(request: AnswerScoringRequest) -> AnswerScore:
    text = Text.of(request.text)
    if not text.words:
        return AnswerScore(score=0.0, scorer=SCORER_NAME, missed=request.key_points)
    credible = _Credibility(text, str(request.context.get("topic", "")))
    matched: list[str] = []
    missed: list[str] = []
    evidence: list[str] = []
    for point, phrases in zip(
        request.key_points, _phrases(request.context, "keyPointPhrases", request.key_points), strict=True
    ):
        found = credible.first(phrases)
        if found is None:
            missed.append(point)
        else:
            matched.append(point)
            evidence.append(quote(text, found))
    wrong: list[str] = []
    for claim, phrases in zip(
        request.misconceptions,
        _phrases(request.context, "misconceptionPhrases", request.misconceptions),
        strict=True,
    ):
        found = credible.first(phrases, claim=True)
        if found is not None:
            wrong.append(claim)
            evidence.append(quote(text, found))
    coverage = len(matched) / len(request.key_points) if request.key_points else 0.0
    raw = 1 + 4 * coverage - MISCONCEPTION_PENALTY * len(wrong)
    return AnswerScore(
        score=round(min(5.0, max(0.0, raw)), 2),
        scorer=SCORER_NAME,
        matched=matched,
        missed=missed,
        misconceptions=wrong,
        evidence=evidence,
    )


class _Credibility:
    """Which matches count: shared phrasings only when the answer leans to the question's topic."""

    def __init__(self, text: Text, topic: str) -> None:
        self.text = text
        self.topic = topic
        self.profiles = topic_profiles()
        self.guarded = self.profiles.knows(topic)
        self._on_topic: bool | None = None

    def counts(self, found: Match) -> bool:
        if not self.guarded or not self.profiles.shared(self.topic, found.phrase):
            return True
        if self._on_topic is None:
            self._on_topic = self.profiles.leans_to(self.topic, self.text.words)
        return self._on_topic

    def first(self, phrases: Sequence[str], *, claim: bool = False) -> Match | None:
        for phrase in phrases:
            found = find_phrase(self.text, phrase, claim=claim)
            if found is not None and self.counts(found):
                return found
        return None
