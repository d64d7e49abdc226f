"""A live-coding session's summary view (``SessionSummary.view``) as typed classes.

The summary page's template and the JSON API read the view as JSON: the module builds a
:class:`CodingSummary` and writes it out through the engine's converter.  The reference solution and
its editorial are in the view only once the session has ended.
"""

from __future__ import annotations

from attrs import field, frozen

from interview_engine.converter import OPTIONAL_KEY
from interview_engine.runner import GrowthPoint
from interview_live_coding.quality import Finding
from interview_live_coding.results import HiddenGroup

__all__ = ["CodingSummary", "ComplexityView", "QualityView", "SubmitRow", "TestsView", "TimingView"]


@frozen
class SubmitRow:
    """One submit of the session (every one is kept; the last one is graded)."""

    number: int
    at: str
    afterSeconds: int
    passed: int
    failed: int
    correctness: float
    late: bool
    graded: bool


@frozen
class TestsView:
    """The graded submit's hidden tests: counts per group."""

    __test__ = False  # not a pytest class

    passed: int
    failed: int
    correctness: float
    groups: list[HiddenGroup]


@frozen
class ComplexityView:
    """The expected class, the candidate's claim, what was measured and the evaluation's verdicts on both."""

    expected: str
    """For ``n`` operations on a data-structure problem."""
    perOperation: bool
    expectedStated: str
    claimed: str
    measured: str | None
    measuredStated: str
    points: list[GrowthPoint]
    verdict: str | None
    claimVerdict: str | None
    claimHonesty: float | None


@frozen
class QualityView:
    findings: list[Finding]
    metrics: dict[str, float]


@frozen
class TimingView:
    startedAt: str
    submittedAt: str | None
    usedSeconds: float
    limitSeconds: int
    late: bool
    runs: int
    runsBeforeFirstPass: int | None


@frozen
class CodingSummary:
    """Everything the summary page shows of a live-coding session."""

    problemId: str
    title: str
    tags: list[str]
    submitted: bool
    graded: bool
    submissions: int
    history: list[SubmitRow]
    code: str
    notes: str
    tests: TestsView
    complexity: ComplexityView
    quality: QualityView
    timing: TimingView
    reference: str | None = field(default=None, metadata=OPTIONAL_KEY)
    """The reference solution, after the session only."""
    editorial: str | None = field(default=None, metadata=OPTIONAL_KEY)
