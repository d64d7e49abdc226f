"""A phone screen's session state as typed classes, read from and written to ``Session.state``.

The engine stores a module's state as JSON; this module owns its shape.  :meth:`ScreenState.load`
structures the stored JSON (older sessions' missing keys take their defaults) and :meth:`ScreenState.dump`
writes it back with the same keys, so the stored state reads as before::

    state = ScreenState.load(session.state)
    state.hintsUsed += 1
    session = evolve(session, state=state.dump())

The classes are mutable (``attrs.define``): the interviewer works on its own copy, one step at a time.
The voice call's records (``voice``: conversations, analysis) stay JSON here, owned by
:mod:`interview_voice_screen.voice.calls`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import define, field

from interview_engine.state import dump_state, load_state

__all__ = ["OpenQuestion", "QuestionResult", "ScreenState"]


@define
class OpenQuestion:
    """The question the candidate is answering now."""

    qid: str
    stage: str = "answer"
    """``answer``, then ``probe``, ``retry``, ``follow_up`` or ``deeper``."""
    answers: list[str] = field(factory=list)
    hints: list[int | str] = field(factory=list)
    """``"nudge"`` for the nudge, then fact-sheet sentence indexes (``-1``: no sentence fitted)."""
    answerRequests: int = 0  # the stored state's own names
    silences: int = 0
    probed: bool = False
    skipped: bool = False


@define
class QuestionResult:
    """A question once it is closed: what was said and how it scored."""

    qid: str
    topic: str = ""
    difficulty: str = ""
    answers: list[str] = field(factory=list)
    attempted: bool = False
    skipped: bool = False
    hints: int = 0
    answerRequests: int = 0
    probed: bool = False
    misconceptionRepeated: bool = False
    followUp: bool = False
    score: dict[str, Any] | None = None
    """The answer scorer's :class:`~interview_engine.AnswerScore`, as stored."""
    final: float | None = None


@define
class ScreenState:
    """Everything a phone screen remembers between two actions."""

    level: str
    budget: int
    topicOrder: list[str] = field(factory=list)
    seed: int = 0
    mode: str = "offline"
    asked: list[str] = field(factory=list)
    current: OpenQuestion | None = None
    results: list[QuestionResult] = field(factory=list)
    hintsUsed: int = 0
    done: bool = False
    endReason: str | None = None
    lastMessage: str | None = None
    seq: int = 0
    """The next transcript segment's position."""
    covered: dict[str, bool] = field(factory=dict)
    """Per question id: whether earlier answers already state most of its key points."""
    unansweredAtEnd: str | None = None
    firstQuestion: str | None = None
    """The question the screen opens with, when the candidate chose one to practise."""
    voice: dict[str, Any] | None = None

    @classmethod
    def load(cls, stored: Mapping[str, Any]) -> ScreenState:
        """The state of a stored session (a fresh copy: changing it changes nothing stored)."""
        return load_state(cls, stored)

    def dump(self) -> dict[str, Any]:
        """The JSON stored in ``Session.state``: the keys a screen always had, and the optional ones set."""
        return dump_state(self, omit_empty=("covered", "unansweredAtEnd", "firstQuestion", "voice"))
