"""What a candidate can do in a phone screen: the declarations the engine and the adapters read.

The caps here are the only ones: the engine checks them for every door (the JSON API's routes, the
CLI, the voice agent's client tools, an embedding team's own code), before the module sees a payload.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Literal

from attrs import field, frozen

from interview_engine.actions import Action, Cap, Routes, text_at_most
from interview_voice_screen.voice.calls import CONVERSATION_ID

__all__ = [
    "ACTIONS",
    "BLANKS",
    "MAX_ANSWER_CHARS",
    "MAX_INGEST_DEADLINE_S",
    "MAX_SEGMENTS",
    "MAX_SEGMENT_CHARS",
    "MAX_SPEAKER_CHARS",
    "ROUTES",
    "SCREEN_ACTIONS",
    "VOICE_ACTIONS",
    "Answer",
    "AskedQuestion",
    "Connected",
    "Connection",
    "Ingest",
    "Ingested",
    "ScreenReply",
    "Segment",
    "SignedUrl",
    "Transcript",
    "TranscriptSaved",
]

MAX_ANSWER_CHARS = 20_000
MAX_SEGMENT_CHARS = 8 * 1024
MAX_SPEAKER_CHARS = 32
MAX_SEGMENTS = 2000
MAX_INGEST_DEADLINE_S = 600.0

SCREEN_ACTIONS = ("next", "answer", "hint", "skip", "stop")
VOICE_ACTIONS = ("signed_url", "conversation", "ingest")


def _conversation_id(value: object) -> str | None:
    if value is None or (isinstance(value, str) and CONVERSATION_ID.match(value)):
        return None
    return "must be an ElevenLabs conversation id (1 to 128 letters, digits, _ and -)"


# The blanks a speaker may not consist of, spelt out: JSON Schema's \s (ECMA) and Python's differ.
BLANKS = " \t\n\r\f\v"


def _speaker(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip(BLANKS):
        return "must be a non-empty string"
    if len(value) > MAX_SPEAKER_CHARS:
        return f"is longer than {MAX_SPEAKER_CHARS} characters"
    return None


def _deadline(value: object) -> str | None:
    if isinstance(value, float) and math.isfinite(value) and 0 <= value <= MAX_INGEST_DEADLINE_S:
        return None
    return f"must be between 0 and {MAX_INGEST_DEADLINE_S:g} seconds"


def _segments(value: object) -> str | None:
    if isinstance(value, list) and len(value) > MAX_SEGMENTS:
        return f"at most {MAX_SEGMENTS} segments"
    return None


_ID_SCHEMA = {"type": "string", "pattern": CONVERSATION_ID.pattern, "minLength": 1, "maxLength": 128}


@frozen
class Answer:
    """The candidate's answer to the open question."""

    text: str = field(validator=text_at_most(MAX_ANSWER_CHARS))


@frozen
class Connected:
    """The call the browser connected to (``getId()`` of the ElevenLabs conversation)."""

    conversationId: str = field(validator=Cap(_conversation_id, _ID_SCHEMA))


@frozen
class Ingest:
    """Pull a call's transcript and analysis: the latest call unless ``conversationId`` names one."""

    conversationId: str | None = field(default=None, validator=Cap(_conversation_id, _ID_SCHEMA))
    deadlineS: float = field(default=120.0, validator=Cap(_deadline, {"minimum": 0, "maximum": MAX_INGEST_DEADLINE_S}))


@frozen
class Segment:
    """One turn of a client-sent transcript."""

    speaker: str = field(
        validator=Cap(_speaker, {"minLength": 1, "maxLength": MAX_SPEAKER_CHARS, "pattern": f"[^{BLANKS}]"})
    )
    text: str = field(validator=text_at_most(MAX_SEGMENT_CHARS))
    timeS: float | None = None


@frozen
class Transcript:
    """Transcript segments sent by a client; replays never duplicate a segment."""

    segments: list[Segment] = field(validator=Cap(_segments, {"maxItems": MAX_SEGMENTS}))


@frozen
class AskedQuestion:
    """The open question, as the candidate may see it (never its key points or model answer)."""

    id: str
    topic: str
    difficulty: str
    number: int
    budget: int


@frozen
class ScreenReply:
    """What the interviewer says back to ``next``, ``answer``, ``hint``, ``skip`` and ``stop``."""

    message: str
    kind: str
    done: bool
    question: AskedQuestion | None
    hintsUsed: int
    hintsLeft: int
    questionsAsked: int


@frozen
class SignedUrl:
    """A signed conversation URL for the browser; the API key stays on the server."""

    signedUrl: str
    conversationId: str | None
    agentId: str
    dynamicVariables: dict[str, str]


@frozen
class Connection:
    """The call the session now follows, and when the session's clock started."""

    conversationId: str
    startedAt: datetime | None


@frozen
class Ingested:
    """What pulling a call did: ``ingested``; ``duplicate`` (stored already); ``not_ready`` (the analysis is not
    final yet) or ``superseded`` (a later call replaced it): the transcript only; ``foreign`` (another
    session's call): nothing.  ``done``: nothing more will come of pulling it again."""

    status: Literal["ingested", "duplicate", "not_ready", "superseded", "foreign"]
    segmentsAdded: int
    conversationId: str
    done: bool


@frozen
class TranscriptSaved:
    """How many segments were new, of those received (a replay adds none)."""

    added: int
    received: int


ACTIONS = (
    Action(
        "next", result=ScreenReply, description="The interviewer's current message; the first question after the start."
    ),
    Action(
        "answer", payload=Answer, result=ScreenReply, description="Answer the open question; the interviewer's reply."
    ),
    Action("hint", result=ScreenReply, description="A hint from the topic's fact sheet (counted)."),
    Action("skip", result=ScreenReply, description="Move on to the next question."),
    Action("stop", result=ScreenReply, description="End the screen now; the interviewer's closing words."),
    Action(
        "signed_url",
        result=SignedUrl,
        description="A signed ElevenLabs conversation URL for the browser (voice screens).",
    ),
    Action(
        "conversation",
        payload=Connected,
        result=Connection,
        description="Report the call the browser connected to.",
    ),
    Action(
        "ingest",
        payload=Ingest,
        result=Ingested,
        description="Pull the latest call's transcript and analysis (voice screens).",
    ),
    Action(
        "transcript",
        payload=Transcript,
        result=TranscriptSaved,
        description="Add transcript segments sent by a client; replays never duplicate a segment.",
        operation_id="saveTranscript",
    ),
)

ROUTES = Routes(prefix="/sessions", tag="phone screen")
