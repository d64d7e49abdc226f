"""Bug scenarios as data: a small broken program, how it fails, why, and how it is fixed.

A scenario lives in one TOML file under ``content/scenarios/``.  Program files,
tests and edits are multi-line literal strings, so line numbers in
``root_cause.lines`` count from the first line of the file's text.

Edits (the reference fix and the mutants) are ``find``/``replace`` pairs: the
``find`` text must occur exactly once in its file, which keeps a fix readable
and makes a stale edit fail validation instead of silently doing nothing.
"""

from __future__ import annotations

import re
from typing import Any

from attrs import field, frozen

from interview_debugging.probes import Probes
from interview_engine import Difficulty, Track

__all__ = [
    "BugScenario",
    "Concept",
    "EquivalentBug",
    "EquivalentFix",
    "FileEdit",
    "HiddenTestGroup",
    "Mutant",
    "RegressionTest",
    "RootCause",
    "WrongFix",
    "apply_edits",
    "is_test_file",
]

_TEST_FILE = re.compile(r"^(?:.*/)?test_[A-Za-z0-9_]*\.py$")


def is_test_file(path: str) -> bool:
    """Whether ``path`` names a pytest-style test file (``test_*.py``)."""
    return bool(_TEST_FILE.match(path))


def _not_empty(instance: object, attribute: Any, value: Any) -> None:
    if not value:
        raise ValueError(f"{type(instance).__name__}.{attribute.name} must not be empty")


def _tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value)


@frozen
class Concept:
    """A bug concept (``float-money``, ``mutable-default``) and the words that name it."""

    title: str
    keywords: tuple[str, ...] = field(converter=_tuple, validator=_not_empty)
    summary: str = ""


@frozen
class RootCause:
    """Where the bug is and what it is.

    Attributes:
        file: the program file holding the faulty code.
        function: the function (``name`` or ``Class.method``) holding it.
        also: other functions that are part of the cause (naming one counts as the location).
        lines: the first and last line (1-based, inclusive) of the faulty code.
        concepts: concept tags, keys of ``concepts.toml``; they are the scenario's topics.
        explanation: the root cause in a few sentences (shown after the session).
        mechanism: the cause and its effect in one sentence (what a diagnosis must state).
        fix_idea: what a fix changes, in one sentence.
        wrong_mechanisms: plausible wrong causes a candidate might name; naming one is a misconception.
        mechanism_wordings: the mechanism as others would say it (judged by meaning, like ``mechanism``).
        fix_wordings: the fix's idea as others would say it.
    """

    file: str
    function: str
    lines: tuple[int, int] = field(converter=_tuple)
    concepts: tuple[str, ...] = field(converter=_tuple, validator=_not_empty)
    explanation: str = ""
    also: tuple[str, ...] = field(converter=_tuple, default=())
    mechanism: str = ""
    fix_idea: str = ""
    wrong_mechanisms: tuple[str, ...] = field(converter=_tuple, default=())
    mechanism_wordings: tuple[str, ...] = field(converter=_tuple, default=())
    fix_wordings: tuple[str, ...] = field(converter=_tuple, default=())

    def __attrs_post_init__(self) -> None:
        if len(self.lines) != 2 or not (1 <= self.lines[0] <= self.lines[1]):
            raise ValueError("RootCause.lines must be [first, last] with 1 <= first <= last")


@frozen
class FileEdit:
    """Replace the one occurrence of ``find`` in ``file`` by ``replace``."""

    file: str
    find: str = field(validator=_not_empty)
    replace: str


@frozen
class HiddenTestGroup:
    """A weighted group of hidden checks.

    ``source`` defines functions that exercise the program and *return* what
    they observed; ``expected`` maps each function name to its expected value.
    Only the functions run in the sandbox; the host compares the values, so
    expected values never reach candidate code.
    """

    group: str
    weight: float
    source: str
    expected: dict[str, Any] = field(validator=_not_empty)

    def __attrs_post_init__(self) -> None:
        if self.weight <= 0:
            raise ValueError(f"HiddenTestGroup.weight must be positive in group {self.group!r}")


@frozen
class RegressionTest:
    """The reference regression test: it fails on the bug and passes on the fix."""

    file: str
    source: str

    def __attrs_post_init__(self) -> None:
        if not is_test_file(self.file):
            raise ValueError(f"RegressionTest.file must be named test_*.py, got {self.file!r}")


@frozen
class Mutant:
    """A planted variant of the bug, as edits to the reference fix."""

    id: str
    description: str
    edits: tuple[FileEdit, ...] = field(converter=_tuple, validator=_not_empty)


@frozen
class AlternativeFix:
    """A fix other than the reference: ``edits`` apply to the buggy files, then ``files`` replace whole files."""

    id: str
    description: str
    edits: tuple[FileEdit, ...] = field(converter=_tuple, default=())
    files: dict[str, str] = field(factory=dict)

    def __attrs_post_init__(self) -> None:
        if not self.edits and not self.files:
            raise ValueError(f"{type(self).__name__} {self.id!r} must have edits or files")


@frozen
class EquivalentFix(AlternativeFix):
    """Another correct fix that differs from the reference in bytes (renamed, reformatted, restructured).

    A regression test must pass every one of them: a test that fails on a correct fix checks how the
    code is written (its text, its hash, a name), not what it does.  The random probes must pass it too.
    """


@frozen
class EquivalentBug(AlternativeFix):
    """The bug written another way (renamed, reformatted, restructured): the same behaviour in other bytes.

    A regression test must fail on each one too: a test that fails on the bug but passes on the same
    bug written otherwise checks the bug's text (a grep for the faulty line), not its behaviour.
    """


@frozen
class WrongFix(AlternativeFix):
    """A plausible fix that is not one: symptom-only, hard-coded to the visible test, half done.

    The random probes must fail it (``interview content validate`` checks each one), so a candidate
    who submits it is told "not fixed" whatever the session's draw.
    """


@frozen
class BugScenario:
    """One debugging exercise.

    Attributes:
        description: the bug report as a user would file it.
        files: the buggy program, path -> text.
        visible_tests: test files the candidate sees, path -> text; they fail on the bug.
        log_script: a script run against the program whose output is the log the candidate sees.
        fix: edits turning ``files`` into the reference fix.
        hidden: weighted groups of hidden checks (partial credit by group).
        regression: the reference regression test.
        mutants: variants of the bug a good regression test catches.
        hints: revealed one at a time, each one counted.
        equivalent_fixes: correct fixes that differ in bytes; a regression test must pass them all.
        probes: random checks drawn per session, compared with the reference fix on the host.
        wrong_fixes: plausible fixes that are not (symptom-only, hard-coded); the probes fail them.
        equivalent_bugs: the bug in other bytes; a regression test must fail on them all.
    """

    id: str
    track: Track
    difficulty: Difficulty
    title: str
    description: str
    files: dict[str, str] = field(validator=_not_empty)
    visible_tests: dict[str, str] = field(validator=_not_empty)
    log_script: str
    root_cause: RootCause
    fix: tuple[FileEdit, ...] = field(converter=_tuple, validator=_not_empty)
    hidden: tuple[HiddenTestGroup, ...] = field(converter=_tuple, validator=_not_empty)
    regression: RegressionTest
    mutants: tuple[Mutant, ...] = field(converter=_tuple)
    hints: tuple[str, ...] = field(converter=_tuple, validator=_not_empty)
    probes: Probes
    equivalent_fixes: tuple[EquivalentFix, ...] = field(converter=_tuple, default=())
    wrong_fixes: tuple[WrongFix, ...] = field(converter=_tuple, default=())
    equivalent_bugs: tuple[EquivalentBug, ...] = field(converter=_tuple, default=())

    def __attrs_post_init__(self) -> None:
        for path in self.visible_tests:
            if not is_test_file(path):
                raise ValueError(f"BugScenario.visible_tests: {path!r} must be named test_*.py")
        for path in self.files:
            if is_test_file(path):
                raise ValueError(f"BugScenario.files: {path!r} is a test file; put it in visible_tests")
        if not (2 <= len(self.mutants) <= 4):
            raise ValueError("BugScenario.mutants must hold 2 to 4 mutants")
        if self.root_cause.file not in self.files:
            raise ValueError(f"BugScenario.root_cause.file: {self.root_cause.file!r} is not a program file")

    @property
    def topics(self) -> tuple[str, ...]:
        return self.root_cause.concepts

    def fixed_files(self) -> dict[str, str]:
        """The program with the reference fix applied."""
        return apply_edits(self.files, self.fix, what=f"{self.id}.fix")

    def mutant_files(self, mutant: Mutant) -> dict[str, str]:
        """The reference fix with one mutant planted in it."""
        return apply_edits(self.fixed_files(), mutant.edits, what=f"{self.id}.mutants.{mutant.id}")

    def equivalent_files(self, fix: AlternativeFix) -> dict[str, str]:
        """The program with an equivalent fix (a wrong fix, an equivalent bug) applied to the buggy files."""
        kinds = {WrongFix: "wrong_fixes", EquivalentBug: "equivalent_bugs"}
        kind = kinds.get(type(fix), "equivalent_fixes")
        files = apply_edits(self.files, fix.edits, what=f"{self.id}.{kind}.{fix.id}")
        unknown = sorted(set(fix.files) - set(self.files))
        if unknown:
            raise ValueError(f"{self.id}.{kind}.{fix.id}.files: no program file {unknown[0]!r}")
        return {**files, **fix.files}

    def hidden_weight(self) -> float:
        return sum(group.weight for group in self.hidden)


def apply_edits(files: dict[str, str], edits: tuple[FileEdit, ...], *, what: str) -> dict[str, str]:
    """Apply ``edits`` to a copy of ``files``; ``ValueError`` names an edit that does not apply."""
    result = dict(files)
    for number, edit in enumerate(edits):
        text = result.get(edit.file)
        if text is None:
            raise ValueError(f"{what}[{number}].file: no file {edit.file!r}")
        count = text.count(edit.find)
        if count != 1:
            raise ValueError(f"{what}[{number}].find: occurs {count} times in {edit.file}, expected once")
        result[edit.file] = text.replace(edit.find, edit.replace)
    return result
