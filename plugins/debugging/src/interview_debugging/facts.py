"""What a debugging submit stores as its summary (``Submission.summary``): the facts it is graded on.

Running code happens at submit time; the facts are stored, and the evaluation and the session summary
read only them, so the same facts always give the same evaluation.  :meth:`FixFacts.load` reads facts
stored by older versions too (keys they lack take their defaults: no random probes, no equivalent fixes);
:meth:`FixFacts.dump` writes the keys facts always had::

    facts = FixFacts.load(submission.summary)
    if facts.regression is not None and facts.regression.onBug.verdict == "failed": ...
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import field, frozen

from interview_debugging.results import HiddenGroup, TestsPassed
from interview_engine.converter import OPTIONAL_KEY
from interview_engine.state import dump_state, load_state

__all__ = ["CommunicationFacts", "FixFacts", "HiddenFacts", "NamedVerdict", "RegressionFacts", "Verdict"]


@frozen
class Verdict:
    """How the regression test went on one program: ``passed``, ``failed`` or ``error``, and the message."""

    verdict: str
    detail: str = ""


@frozen
class NamedVerdict:
    """The regression test's verdict on one other version of the fix (or of the bug)."""

    id: str
    verdict: str


@frozen
class RegressionFacts:
    """The candidate's regression test on the bug, on the fixes and on the planted variants of the bug."""

    files: list[str] = field(factory=list)
    onBug: Verdict = field(factory=lambda: Verdict("error"))
    onCandidateFix: Verdict = field(factory=lambda: Verdict("error"))
    onReferenceFix: Verdict = field(factory=lambda: Verdict("error"))
    """Only the verdict: the candidate's assertion messages on the reference fix could quote it."""
    onEquivalentFixes: list[NamedVerdict] = field(factory=list)
    onEquivalentBugs: list[NamedVerdict] = field(factory=list)
    copiesVisible: bool = False
    mutantsCaught: list[str] = field(factory=list)
    mutantsTotal: int = 0

    @classmethod
    def load(cls, stored: RegressionFacts | Mapping[str, Any]) -> RegressionFacts:
        return stored if isinstance(stored, RegressionFacts) else load_state(cls, stored)

    def verdicts(self) -> tuple[str, str, str]:
        """The verdicts on the bug, on the candidate's fix and on the reference fix."""
        return self.onBug.verdict, self.onCandidateFix.verdict, self.onReferenceFix.verdict


@frozen
class HiddenFacts:
    """The hidden checks on the patch, and on the bug itself with the same draw (the baseline)."""

    groups: list[HiddenGroup] = field(factory=list)
    share: float = 0.0
    baseline: float = 0.0
    randomShare: float | None = None
    """The share of the random probes' groups passed; ``None`` without probes."""
    randomBaseline: float | None = None
    allPassed: bool = False
    seed: int | None = field(default=None, metadata=OPTIONAL_KEY)
    """The probes' seed the checks drew with."""

    @classmethod
    def load(cls, stored: HiddenFacts | Mapping[str, Any] | None) -> HiddenFacts:
        return stored if isinstance(stored, HiddenFacts) else load_state(cls, stored or {})


@frozen
class CommunicationFacts:
    """The diagnosis text as the answer scorer judged it."""

    score: float = 0.0
    scorer: str = ""
    matched: list[str] = field(factory=list)
    missed: list[str] = field(factory=list)
    evidence: list[str] = field(factory=list)
    findings: dict[str, Any] | None = field(default=None, metadata=OPTIONAL_KEY)
    """The judging core's findings (key points credited, wrong mechanisms named), when they were kept."""


@frozen
class FixFacts:
    """A submit as graded.  One the sandbox failed to grade stores ``graded: false``, the message and the
    diagnosis and location (graded again when the session ends)."""

    diagnosis: str = ""
    location: str = ""
    visible: TestsPassed = field(factory=lambda: TestsPassed(0, 0))
    hidden: HiddenFacts = field(factory=HiddenFacts)
    regression: RegressionFacts | None = None
    communication: CommunicationFacts = field(factory=CommunicationFacts)
    graded: bool = field(default=True, metadata=OPTIONAL_KEY)
    notGraded: str | None = field(default=None, metadata=OPTIONAL_KEY)

    @classmethod
    def load(cls, stored: FixFacts | Mapping[str, Any] | None) -> FixFacts:
        return stored if isinstance(stored, FixFacts) else load_state(cls, stored or {})

    @classmethod
    def not_graded(cls, message: str, diagnosis: str, location: str) -> dict[str, Any]:
        """The summary of a submit the sandbox failed to grade, as stored."""
        return {"graded": False, "notGraded": message, "diagnosis": diagnosis, "location": location}

    def dump(self) -> dict[str, Any]:
        return dump_state(self)
