"""Scoring candidate text: the request and answer of the ``answer_scorer`` hook."""

from __future__ import annotations

from typing import Any

from attrs import field, frozen

from interview_engine._convert import as_tuple

__all__ = ["AnswerScore", "AnswerScoringRequest"]


@frozen
class AnswerScoringRequest:
    """What to score.

    Attributes:
        kind: ``screen_answer``, ``coding_narration``, ``debug_diagnosis`` or a plugin's own.
        text: the candidate's words.
        prompt: the question or task the text answers.
        key_points: what a good answer contains.
        misconceptions: what a wrong answer says.
        context: anything else a scorer may use (topic, track, difficulty, ...).
    """

    kind: str
    text: str
    prompt: str = ""
    key_points: tuple[str, ...] = field(converter=as_tuple, default=())
    misconceptions: tuple[str, ...] = field(converter=as_tuple, default=())
    context: dict[str, Any] = field(factory=dict)


@frozen
class AnswerScore:
    """A score 0..5 with what earned or cost it.

    Attributes:
        score: 0..5.
        scorer: who scored it.
        matched: the key points (or aspects) the text states.
        missed: those it does not.
        misconceptions: the false claims it makes.
        evidence: one line per finding, quoting the sentence it came from.
        findings: the judging core's findings as JSON (``keyPoints``, ``misconceptions``, ...),
            empty for scorers that do not report them.
    """

    score: float
    scorer: str
    matched: tuple[str, ...] = field(converter=as_tuple, default=())
    missed: tuple[str, ...] = field(converter=as_tuple, default=())
    misconceptions: tuple[str, ...] = field(converter=as_tuple, default=())
    evidence: tuple[str, ...] = field(converter=as_tuple, default=())
    findings: dict[str, Any] = field(factory=dict)

    def __attrs_post_init__(self) -> None:
        if not (0.0 <= self.score <= 5.0):
            raise ValueError(f"AnswerScore.score must be within 0..5, got {self.score}")
