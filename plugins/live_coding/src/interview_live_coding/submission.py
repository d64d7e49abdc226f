"""What a live-coding submit stores as its summary (``Submission.summary``), as typed classes.

The evaluation and the session summary read only this: the same stored summary always gives the same
evaluation.  :meth:`SubmitSummary.load` reads summaries stored by older versions too (keys they lack take
their defaults); :meth:`SubmitSummary.dump` writes the keys a summary always had::

    summary = SubmitSummary.load(submission.summary)
    if summary.growth is not None and summary.growth.complexity: ...
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import field, frozen

from interview_engine.converter import OPTIONAL_KEY
from interview_engine.runner import GrowthPoint
from interview_engine.state import dump_state, load_state
from interview_live_coding.quality import Finding
from interview_live_coding.results import HiddenGroup

__all__ = ["Growth", "Quality", "SizeVerdict", "SubmitSummary"]


@frozen
class SizeVerdict:
    """How the call did at one growth size (``passed``, else why the series stopped there)."""

    n: int
    verdict: str


@frozen
class Growth:
    """The fuel the candidate's call used at growing sizes, the class read from it, and the reference's."""

    complexity: str | None = None
    """The measured class for ``n`` (operations, on a data-structure problem); ``None``: not measured."""
    points: list[GrowthPoint] = field(factory=list)
    confidence: float = 0.0
    detail: str = ""
    operations: bool = False
    sizes: list[SizeVerdict] = field(factory=list)
    reference: list[GrowthPoint] = field(factory=list)
    """The reference solution's fuel at the same sizes, on the same inputs."""


@frozen
class Quality:
    """Lint and structure findings on the submitted code, its metrics and the dimension's score before gating."""

    findings: list[Finding] = field(factory=list)
    metrics: dict[str, float] = field(factory=dict)
    lintAvailable: bool = True
    score: float = 0.0


@frozen
class SubmitSummary:
    """A submit as graded: hidden-test counts per group, growth, claim and quality.

    A submit the sandbox failed to grade stores only ``graded: false`` and ``notGraded`` (the message).
    """

    graded: bool = True
    correctness: float = 0.0
    passed: int = 0
    failed: int = 0
    groups: list[HiddenGroup] = field(factory=list)
    growth: Growth | None = None
    claim: str = ""
    assessment: bool = False
    quality: Quality = field(factory=Quality)
    notGraded: str | None = field(default=None, metadata=OPTIONAL_KEY)

    @classmethod
    def load(cls, stored: Mapping[str, Any] | None) -> SubmitSummary:
        return load_state(cls, stored or {})

    @classmethod
    def not_graded(cls, message: str) -> dict[str, Any]:
        """The summary of a submit the sandbox failed to grade, as stored."""
        return {"graded": False, "notGraded": message}

    def dump(self) -> dict[str, Any]:
        return dump_state(self)
