"""A debugging session's summary view (``SessionSummary.view``) as typed classes.

The summary page's template and the JSON API read the view as JSON: the module builds a
:class:`DebugSummary` and writes it out through the engine's converter.  The root cause, the reference
fix and the editorial are in the view only once the session has ended.
"""

from __future__ import annotations

from typing import Any

from attrs import field, frozen

from interview_debugging.records import DebugEvaluation
from interview_debugging.results import HiddenGroup
from interview_engine.converter import OPTIONAL_KEY

__all__ = ["DebugSummary", "FixRow", "RegressionSeen", "RootCause"]


@frozen
class RegressionSeen:
    """The candidate's regression test: its files, its verdicts and the planted variants it caught."""

    files: list[str]
    onBug: str
    onYourFix: str
    onReferenceFix: str
    mutantsCaught: list[str]
    mutantsTotal: int


@frozen
class FixRow:
    """One submit of the session (every one is kept; the last one is graded)."""

    number: int
    at: str
    passed: int
    total: int
    graded: bool


@frozen
class RootCause:
    file: str
    function: str
    lines: list[int]
    concepts: list[str]
    explanation: str


@frozen
class DebugSummary:
    """Everything the summary page shows of a debugging session."""

    scenarioId: str
    scenarioTitle: str
    track: str
    difficulty: str
    result: str | None
    rubric: dict[str, float] | None
    weighted: float | None
    findings: dict[str, list[str]]
    """The evaluation's evidence, per dimension."""
    hiddenGroups: list[HiddenGroup]
    regression: RegressionSeen | None
    diagnosis: str
    location: str
    graded: bool
    hintsUsed: int
    hintsAvailable: int
    runs: int
    submissions: int
    debugEvaluation: DebugEvaluation | None
    history: list[FixRow]
    files: dict[str, str]
    """The graded working copy: only the files the candidate changed or added."""
    patch: list[dict[str, Any]]
    """The annotated patch (:func:`~interview_debugging.patch_view.annotated_patch`)."""
    referenceFix: dict[str, str] | None = field(default=None, metadata=OPTIONAL_KEY)
    editorial: str | None = field(default=None, metadata=OPTIONAL_KEY)
    rootCause: RootCause | None = field(default=None, metadata=OPTIONAL_KEY)
