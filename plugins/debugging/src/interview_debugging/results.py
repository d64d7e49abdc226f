"""What a debugging session's actions answer: the declared result types the engine checks every answer
against, and the JSON API publishes as each route's schema.

Hidden checks stay hidden: a fix answers with counts per group, never their inputs or expected values.
"""

from __future__ import annotations

from typing import Literal

from attrs import frozen

from interview_engine.domain import Evidence

__all__ = [
    "FixGraded",
    "FixNotGraded",
    "HiddenGroup",
    "HintShown",
    "RegressionVerdicts",
    "ScenarioShown",
    "TestOutcome",
    "TestsPassed",
    "TestsRan",
]


@frozen
class ScenarioShown:
    """The bug report, the files, the failing output and logs, and the hints revealed so far."""

    id: str
    title: str
    track: str
    difficulty: str
    description: str
    files: dict[str, str]
    visibleTests: dict[str, str]
    failingOutput: str
    logs: str
    hints: list[str]
    hintsRevealed: int
    hintsAvailable: int


@frozen
class TestOutcome:
    """One test of a run: its name, how it ended and the failure message."""

    __test__ = False  # not a pytest class

    name: str
    status: str
    passed: bool
    message: str


@frozen
class TestsRan:
    """The visible tests and the candidate's own on their working copy."""

    __test__ = False  # not a pytest class

    output: str
    """A pytest-like report."""
    tests: list[TestOutcome]
    passed: int
    failed: int


@frozen
class HintShown:
    """The hint just revealed, every hint so far, and what they cost the diagnosis."""

    hint: str
    number: int
    hints: list[str]
    hintsRevealed: int
    hintsAvailable: int
    diagnosisPenalty: float


@frozen
class HiddenGroup:
    """A group of hidden checks: counts and weight (``random``: probes drawn for this session)."""

    group: str
    weight: float
    passed: int
    total: int
    random: bool = False


@frozen
class TestsPassed:
    """How many of a run's tests passed."""

    __test__ = False  # not a pytest class

    passed: int
    total: int


@frozen
class RegressionVerdicts:
    """The candidate's regression test on the bug, on their fix and on the reference fix."""

    files: list[str]
    onBug: str
    onYourFix: str
    onReferenceFix: str
    mutantsCaught: int
    mutantsTotal: int


@frozen
class FixGraded:
    """A graded fix: the evaluation it would get now, hidden-group counts and the regression verdicts."""

    graded: Literal[True]
    result: str | None
    rubric: dict[str, float]
    weighted: float
    decision: str
    evidence: list[Evidence]
    hidden: list[HiddenGroup]
    visible: TestsPassed
    regression: RegressionVerdicts | None
    metrics: dict[str, float]
    nextSteps: list[str]


@frozen
class FixNotGraded:
    """A fix the sandbox failed to grade: kept, not scored, and the candidate can submit again."""

    graded: Literal[False]
    message: str
    retryable: bool
