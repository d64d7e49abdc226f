"""Hints before lectures: a probing nudge first, then a grounded pointer from the fact sheet.

- **First hint: a nudge**, a probing question written in the bank: the
  ``nudges`` of the first key point the candidate has not covered, else the
  question's own ``nudges`` (every bundled question has one), else a plain
  probe naming the topic.  Content validation rejects a nudge that is not a
  question or that quotes one of the question's accepted phrasings.
- **Second hint: a pointer**, the fact-sheet sentence that best covers the
  missing key points.  Before the candidate has answered, a sentence that
  states a key point word for word or carries 60% or more of the model answer's
  content words is never chosen.

Neither hint is ever the model answer.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from interview_voice_screen.bank import FactSheet, Question
from interview_voice_screen.matching import Text, first_match, is_generic, stem, tokens

__all__ = ["GENERIC_PROBE", "canonical_share", "nudge", "sheet_pointer", "sheet_sentences"]

GENERIC_PROBE = "What else matters for {topic} here? Think about what can go wrong, and what it costs."
MAX_CANONICAL_SHARE = 0.6
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _content_stems(text: str) -> set[str]:
    return {stem(w) for w in tokens(text) if not is_generic(w)}


def canonical_share(question: Question, text: str) -> float:
    """The share of the model answer's content words that ``text`` contains."""
    wanted = _content_stems(question.canonical)
    return len(wanted & _content_stems(text)) / len(wanted) if wanted else 0.0


def nudge(question: Question, missed: Collection[str]) -> str:
    """A probing question: the first missing key point's nudge, else the question's, else a plain probe."""
    points = [p for p in question.key_points if p.point in missed] or list(question.key_points)
    for point in points:
        if point.nudges:
            return point.nudges[0]
    if question.nudges:
        return question.nudges[0]
    return GENERIC_PROBE.format(topic=question.topic.replace("-", " "))


def sheet_sentences(sheet: FactSheet | None) -> list[str]:
    return _SENTENCE.split(" ".join(sheet.body.split())) if sheet else []


def sheet_pointer(
    question: Question,
    sentences: Sequence[str],
    missed: Collection[str],
    used: Collection[int],
    *,
    tried: bool,
) -> int | None:
    """The index of the sentence that best covers the missing key points, or None."""
    phrases = [ph for p in question.key_points if p.point in missed for ph in p.phrases]
    points = [p.point.lower() for p in question.key_points]
    best, best_hits = None, -1
    for index, sentence in enumerate(sentences):
        if index in used:
            continue
        if not tried and (
            any(point in sentence.lower() for point in points)
            or canonical_share(question, sentence) >= MAX_CANONICAL_SHARE
        ):
            continue
        text = Text.of(sentence)
        hits = sum(1 for phrase in phrases if first_match(text, [phrase]) is not None)
        if hits > best_hits:
            best, best_hits = index, hits
    return best
