"""A phone screen's summary view (``SessionSummary.view``) as typed classes.

The summary page's template and the JSON API read the view as JSON: the module builds a
:class:`ScreenSummary` and writes it out through the engine's converter.  A question's model answer is
in the view only once the screen has ended.
"""

from __future__ import annotations

from typing import Any

from attrs import field, frozen

from interview_engine.converter import OPTIONAL_KEY

__all__ = ["QuestionView", "ScreenSummary", "TranscriptLine"]


@frozen
class QuestionView:
    """One question of the screen: what was said, how it scored, what the answer stated and missed."""

    number: int
    id: str
    prompt: str
    topic: str
    difficulty: str
    attempted: bool
    skipped: bool
    hints: int
    score: float | None
    matched: list[str]
    missed: list[str]
    misconceptions: list[str]
    answers: list[str]
    canonicalAnswer: str | None = field(default=None, metadata=OPTIONAL_KEY)
    """The model answer, after the screen only."""


@frozen
class TranscriptLine:
    speaker: str
    text: str
    timeS: float | None
    source: str


@frozen
class ScreenSummary:
    """Everything the summary page shows of a phone screen."""

    mode: str
    kbVersion: str
    agentConfigVersion: str | None
    transcript: list[TranscriptLine]
    questions: list[QuestionView]
    weakTopics: list[str]
    strongTopics: list[str]
    hintsUsed: int
    endReason: str | None
    conversationId: str | None
    conversations: list[str]
    analysisSummary: str
    agentOpinion: dict[str, Any] | None
    """The voice agent's own analysis beside ours (voice screens only)."""
