"""Request and response bodies of the JSON API: explicit schemas, never ORM rows."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

TrackName = Literal["backend", "frontend", "mobile"]
DifficultyName = Literal["mid", "senior"]


class CreateSession(msgspec.Struct):
    track: TrackName
    difficulty: DifficultyName
    # None: the installation's default module (Engine.default_module: INTERVIEW_DEFAULT_MODULE, else the
    # module a plugin's default_module hook names; the bundled phone screen names itself, the seed's default).
    module: str | None = None
    options: dict[str, Any] = msgspec.field(default_factory=dict)


class ActionRequest(msgspec.Struct):
    payload: dict[str, Any] = msgspec.field(default_factory=dict)


class EvidenceBody(msgspec.Struct):
    dimension: str
    text: str
    source: str = ""


class ExternalGrade(msgspec.Struct):
    """A grade given outside the engine by an embedding team's grader, scored with the module's rubric."""

    grader: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    rubric: dict[str, float]
    metrics: dict[str, float] = msgspec.field(default_factory=dict)
    disqualifiers: list[str] = msgspec.field(default_factory=list)
    evidence: list[EvidenceBody] = msgspec.field(default_factory=list)


class SessionOut(msgspec.Struct):
    id: str
    module: str
    track: str
    difficulty: str
    status: str
    kbVersion: str
    createdAt: str
    startedAt: str | None
    endedAt: str | None
    timeLimitS: int | None
    itemId: str | None


class EvaluationOut(msgspec.Struct):
    rubric: str
    scores: dict[str, float]
    weightedAverage: float
    decision: str
    result: str | None
    rationale: list[str]
    failedRules: list[str]
    evidence: list[dict[str, Any]]
    gaps: list[str]
    nextSteps: list[str]
    topics: list[dict[str, Any]]
    metrics: dict[str, float]
    gradedBy: str = "engine"  # "engine", or "external:<grader>" for a grade posted by an embedding team


class SummaryOut(msgspec.Struct):
    session: SessionOut
    moduleTitle: str
    evaluation: EvaluationOut | None
    view: dict[str, Any]


class ActionOut(msgspec.Struct):
    session: SessionOut
    data: dict[str, Any]


class ModuleOut(msgspec.Struct):
    name: str
    title: str
    description: str
    actions: list[str]
    kbVersion: str


class ItemOut(msgspec.Struct):
    id: str
    module: str
    title: str
    track: str
    difficulty: str
    topics: list[str]
    summary: str


class MeOut(msgspec.Struct):
    id: str
    email: str
    displayName: str
    csrfToken: str


class ErrorOut(msgspec.Struct):
    """Every 4xx answer: what was wrong and, where one field was, which."""

    status_code: int
    detail: str
    field: str | None = None
    extra: list[dict[str, Any]] | None = None


class JobOut(msgspec.Struct):
    """A grading job: ``queued`` (``position`` 1 is next) -> ``running`` (``step``) -> ``done`` (``result``) |
    ``failed`` (``error``; ``fault`` says whose) | ``cancelled``."""

    id: str
    sessionId: str
    submissionId: str
    action: str
    state: Literal["queued", "running", "done", "failed", "cancelled"]
    position: int
    step: str
    attempts: int
    result: dict[str, Any] | None
    error: str
    fault: str
    createdAt: str
    finishedAt: str | None
    events: str
