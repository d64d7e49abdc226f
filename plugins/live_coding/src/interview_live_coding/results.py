"""What a live-coding session's actions answer: the declared result types the engine checks every answer
against, and the JSON API publishes as each route's schema.

Hidden tests stay hidden here too: a submit answers with counts per group, each case's verdict and, in
practice mode only, the first failing case of a group.
"""

from __future__ import annotations

from typing import Any, Literal

from attrs import field, frozen

from interview_engine.converter import OPTIONAL_KEY
from interview_engine.domain import Evaluation

__all__ = [
    "CustomRan",
    "FirstFailure",
    "HiddenGroup",
    "Prompt",
    "Sample",
    "SampleRun",
    "SamplesRan",
    "SubmitGraded",
    "SubmitNotGraded",
]


@frozen
class Sample:
    """A visible sample: the arguments of the call and what the reference returns."""

    input: list[Any]
    expected: Any


@frozen
class Prompt:
    """The problem as the candidate sees it, and the time left."""

    problemId: str
    title: str
    statement: str
    signature: str
    entry: str
    starterCode: str
    samples: list[Sample]
    timeLimitSeconds: int
    remainingSeconds: int
    tags: list[str]
    difficulty: str
    track: str


@frozen
class SampleRun:
    """One sample run through the candidate's code, with its full output."""

    name: str
    input: list[Any]
    expected: Any
    actual: Any
    passed: bool
    status: str
    stdout: str
    error: str


@frozen
class SamplesRan:
    """The samples with full output, and how many runs the session has had."""

    results: list[SampleRun]
    loadError: str
    """What stopped every sample before its call (a syntax error, a missing function), else empty."""
    passed: int
    failed: int
    allPassed: bool
    runs: int


@frozen
class CustomRan:
    """The candidate's own input through their code and through the reference."""

    input: list[Any]
    actual: Any
    status: str
    error: str
    stdout: str
    expected: Any
    expectedError: str
    matches: bool


@frozen
class FirstFailure:
    """The first failing hidden case of a group, shown in practice mode only."""

    case: str
    verdict: str
    input: str
    """The case's arguments as compact JSON, cut to a few hundred characters (as are the next two)."""
    expected: str
    got: str | None
    """What the code returned; ``None`` when it did not return."""
    errorType: str | None = field(default=None, metadata=OPTIONAL_KEY)
    """The exception's name, for a case that did not return (with the ``error``'s last lines)."""
    error: str | None = field(default=None, metadata=OPTIONAL_KEY)


@frozen
class HiddenGroup:
    """One group of hidden tests: counts, weight and each verdict's count."""

    group: str
    passed: int
    failed: int
    total: int
    weight: float
    verdicts: dict[str, int] = field(factory=dict)
    reportedOnly: bool = False
    """Random cases drawn per session: reported, never scored."""
    firstFailure: FirstFailure | None = field(default=None, metadata=OPTIONAL_KEY)


@frozen
class SubmitGraded:
    """A graded submit: the hidden tests' counts per group and the evaluation it would get now."""

    graded: Literal[True]
    passed: int
    failed: int
    correctness: float
    groups: list[HiddenGroup]
    late: bool
    evaluation: Evaluation


@frozen
class SubmitNotGraded:
    """A submit the sandbox failed to grade: kept, not scored, and the candidate can submit again."""

    graded: Literal[False]
    message: str
    retryable: bool
    late: bool
