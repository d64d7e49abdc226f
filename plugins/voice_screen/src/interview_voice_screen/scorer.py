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
from interview_voice_screen.matching import Text, first_match, quote

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
            "topic": question.topic,
            "track": track,
            "difficulty": difficulty,
            "keyPointPhrases": [list(p.phrases) for p in question.key_points],
            "misconceptionPhrases": [list(m.phrases) for m in question.misconceptions],
        },
    )


def _phrases(context: dict[str, Any], key: str, items: Sequence[str]) -> list[list[str]]:
    given = context.get(key)
    if isinstance(given, list) and len(given) == len(items):
        return [[str(p) for p in group] or [item] for group, item in zip(given, items, strict=True)]
    return [[item] for item in items]


def score_screen_answer(request: AnswerScoringRequest) -> AnswerScore:
    text = Text.of(request.text)
    words = text.words
    if not words:
        return AnswerScore(score=0.0, scorer=SCORER_NAME, missed=request.key_points)
    matched: list[str] = []
    missed: list[str] = []
    evidence: list[str] = []
    for point, phrases in zip(
        request.key_points, _phrases(request.context, "keyPointPhrases", request.key_points), strict=True
    ):
        found = first_match(words, phrases)
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
        found = first_match(words, phrases, claim=True)
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
