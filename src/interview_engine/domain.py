"""The product's data, as frozen attrs classes.

These objects cross every boundary (storage, plugins, web API, CLI).  Change
means :func:`attrs.evolve`; JSON goes through :mod:`interview_engine.converter`.
Times are timezone-aware UTC datetimes.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from attrs import field, frozen
from attrs.converters import optional

from interview_engine._convert import as_tuple

if TYPE_CHECKING:
    from interview_engine.rubric import RubricSpec

__all__ = [
    "ContentSnapshot",
    "Decision",
    "Difficulty",
    "Evaluation",
    "Evidence",
    "HistoryRow",
    "Session",
    "SessionStatus",
    "Submission",
    "TestRun",
    "TopicScore",
    "Track",
    "TranscriptSegment",
    "User",
    "new_id",
    "utcnow",
]


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)


class Track(enum.StrEnum):
    BACKEND = "backend"
    FRONTEND = "frontend"
    MOBILE = "mobile"


class Difficulty(enum.StrEnum):
    MID = "mid"
    SENIOR = "senior"


class SessionStatus(enum.StrEnum):
    """created -> active -> ended -> evaluated; a session can be deleted at any point."""

    CREATED = "created"
    ACTIVE = "active"
    ENDED = "ended"
    EVALUATED = "evaluated"


class Decision(enum.StrEnum):
    """A rubric's verdict, ordered from worst to best."""

    HOLD = "hold"
    REVIEW = "review"
    ADVANCE = "advance"

    @property
    def rank(self) -> int:
        return _DECISION_RANK[self]


_DECISION_RANK = {Decision.HOLD: 0, Decision.REVIEW: 1, Decision.ADVANCE: 2}


def _nonempty(instance: object, attribute: Any, value: str) -> None:
    if not value or not value.strip():
        raise ValueError(f"{type(instance).__name__}.{attribute.name} must not be empty")


@frozen
class User:
    """A candidate.

    Attributes:
        track: the track last chosen (a picker's filter or a started session); pages open on it.
        difficulty: the level last chosen, likewise.
    """

    id: str
    email: str = field(validator=_nonempty)
    display_name: str = ""
    password_hash: str | None = None
    created_at: datetime = field(factory=utcnow)
    track: Track | None = field(default=None, converter=optional(Track))
    difficulty: Difficulty | None = field(default=None, converter=optional(Difficulty))


@frozen
class Session:
    """One interview of one module for one candidate.

    Attributes:
        module: the registered module's name (``live_coding``, ...).
        item_id: what the session is about (a problem or scenario id), when the module has one.
        kb_version: the version of the content pack the session used.
        time_limit_s: the time the candidate has, when the module is timed.
        state: the module's working state, JSON only.
        external_ref: an id elsewhere (the ElevenLabs conversation).
        version: how many times the stored session was written; a write from an older version is a
            conflict (someone else changed the session meanwhile), never a silent overwrite.
    """

    id: str
    user_id: str
    module: str
    track: Track
    difficulty: Difficulty
    kb_version: str
    status: SessionStatus = SessionStatus.CREATED
    item_id: str | None = None
    time_limit_s: int | None = None
    created_at: datetime = field(factory=utcnow)
    started_at: datetime | None = None
    ended_at: datetime | None = None
    state: dict[str, Any] = field(factory=dict)
    external_ref: str | None = None
    agent_config_version: str | None = None
    version: int = 0

    @property
    def duration_s(self) -> float | None:
        if self.started_at is None or self.ended_at is None:
            return None
        return (self.ended_at - self.started_at).total_seconds()


@frozen
class TranscriptSegment:
    """One turn of a conversation.  ``key`` makes ingestion idempotent."""

    session_id: str
    seq: int
    speaker: str
    text: str
    key: str
    time_s: float | None = None
    source: str = "offline"


@frozen
class Evidence:
    """A quoted fact that supports a score: what was seen, and where."""

    dimension: str
    text: str
    source: str = ""
    line: int | None = None


@frozen
class TopicScore:
    """How one scored item of one topic went, 0..1; feeds analytics."""

    topic: str
    score: float
    item_id: str
    hints: int = 0
    misconceptions: int = 0


@frozen
class Evaluation:
    """A session's rubric outcome.

    ``scores`` maps each rubric dimension to 0..5; ``result`` is a module's own
    verdict where it has one (debugging: ``fixed | partial | unresolved``).
    """

    session_id: str
    rubric: str
    scores: dict[str, float]
    weighted_average: float
    decision: Decision
    rationale: tuple[str, ...] = field(converter=as_tuple, default=())
    failed_rules: tuple[str, ...] = field(converter=as_tuple, default=())
    evidence: tuple[Evidence, ...] = field(converter=as_tuple, default=())
    gaps: tuple[str, ...] = field(converter=as_tuple, default=())
    next_steps: tuple[str, ...] = field(converter=as_tuple, default=())
    topics: tuple[TopicScore, ...] = field(converter=as_tuple, default=())
    metrics: dict[str, float] = field(factory=dict)
    result: str | None = None
    details: dict[str, Any] = field(factory=dict)
    created_at: datetime = field(factory=utcnow)

    @classmethod
    def from_rubric(
        cls,
        session: Session,
        spec: RubricSpec,
        scores: Mapping[str, float],
        *,
        metrics: Mapping[str, float] | None = None,
        disqualifiers: Iterable[str] = (),
        evidence: Iterable[Evidence] = (),
        topics: Iterable[TopicScore] = (),
        rationale: Iterable[str] = (),
        next_steps: Iterable[str] | Callable[[tuple[str, ...]], Iterable[str]] = (),
        result: str | None = None,
        details: Mapping[str, Any] | None = None,
        created_at: datetime | None = None,
    ) -> Evaluation:
        """The evaluation of ``session`` by ``spec``: the one mapping from a rubric's verdict to what is stored.

        - ``rubric`` is ``name@version`` of the spec; scores, decision, failed rules and evidence are the
          scorer's.
        - ``gaps``: the dimensions below the bar, worst first, then every failed rule not named yet
          (``floor.correctness``, a pass rule's id, ``disqualifier.<code>``), so a summary says why a
          session did not pass, not only which scores were low.
        - ``metrics``: the given ones and ``weightedAverage`` (which pass rules can read as well).
        - ``rationale``: the module's own lines first, then the scorer's.
        - ``next_steps``: the rubric's guidance for the gaps, then the module's steps; or, when
          ``next_steps`` is a function, what it makes of that guidance (its own order).
        - ``created_at``: the session's end (else its creation), so evaluating the same stored data again
          gives the same evaluation; a module may name its own moment (the last submission).

        Raises:
            ValueError: naming a bad score or an unknown disqualifier (the scorer's words).
        """
        from interview_engine.rubric import score_rubric

        given = dict(metrics or {})
        verdict = score_rubric(spec, scores, metrics=given, disqualifiers=disqualifiers, evidence=evidence)
        gaps = [*verdict.gaps, *(rule for rule in verdict.failed_rules if rule not in verdict.gaps)]
        steps = tuple(next_steps(verdict.next_steps)) if callable(next_steps) else (*verdict.next_steps, *next_steps)
        return cls(
            session_id=session.id,
            rubric=f"{spec.name}@{spec.version}",
            scores=verdict.scores,
            weighted_average=verdict.weighted_average,
            decision=verdict.decision,
            rationale=(*rationale, *verdict.rationale),
            failed_rules=verdict.failed_rules,
            evidence=verdict.evidence,
            gaps=gaps,
            next_steps=steps,
            topics=topics,
            metrics={**given, "weightedAverage": verdict.weighted_average},
            result=result,
            details=dict(details or {}),
            created_at=created_at or session.ended_at or session.created_at,
        )


@frozen
class Submission:
    """Code (or files) a candidate ran or submitted.

    ``kind`` is ``run`` (sample or own tests) or ``submit`` (hidden tests).
    """

    id: str
    session_id: str
    kind: str
    files: dict[str, str]
    created_at: datetime = field(factory=utcnow)
    notes: str = ""
    claim: str = ""
    late: bool = False
    summary: dict[str, Any] = field(factory=dict)


@frozen
class TestRun:
    """One test of a submission and how it went.  ``visible`` runs keep their output."""

    __test__ = False  # not a pytest class

    submission_id: str
    session_id: str
    name: str
    group: str
    passed: bool
    status: str
    weight: float = 1.0
    visible: bool = False
    fuel_used: int = 0
    output: str = ""


@frozen
class ContentSnapshot:
    """A content pack (or one item of it) as a session saw it: ``question_sets``,
    ``coding_sets`` and ``bug_scenarios`` keep these so results stay reproducible."""

    kind: str
    key: str
    version: str
    data: dict[str, Any]


@frozen
class HistoryRow:
    """A session with the parts of its evaluation analytics reads (table ``sessions`` joined with
    ``evaluations``); ``weighted_average`` and ``decision`` are ``None`` until it is evaluated."""

    session_id: str
    module: str
    track: str
    difficulty: str
    status: str
    kb_version: str
    item_id: str | None
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    weighted_average: float | None = None
    decision: str | None = None
    result: str | None = None
    topics: tuple[TopicScore, ...] = field(converter=as_tuple, default=())
    metrics: dict[str, float] = field(factory=dict)
