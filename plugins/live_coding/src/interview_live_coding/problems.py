"""Problems as data: one TOML file per problem under ``content/problems/``.

A problem file holds the statement, the starter code, the reference solution,
an input generator, the visible samples, the hidden tests by group and a few
deliberately wrong solutions (see ``docs/live_coding.md``).  Files are
validated when the pack loads; a bad file raises
:class:`~interview_engine.errors.ContentError` naming the file and the field.
"""

from __future__ import annotations

import ast
import json
from typing import Any

from attrs import field, frozen

from interview_engine._convert import as_tuple
from interview_engine.domain import Difficulty, Track
from interview_engine.errors import ContentError
from interview_engine.pysource import parse_python
from interview_engine.runner import COMPLEXITY_CLASSES

__all__ = ["HIDDEN_GROUPS", "Problem", "Sample", "WrongSolution", "case_args", "check_problem"]

#: Hidden test groups written in problem files; ``scale`` and ``random`` are generated.
HIDDEN_GROUPS = ("basic", "edge")
MIN_HIDDEN_TESTS = 15
MIN_WRONG_SOLUTIONS = 2


def case_args(raw: Any, *, where: str) -> list[Any]:
    """A test case's arguments: a TOML array, or a JSON string for values TOML cannot hold."""
    value = raw
    if isinstance(raw, str):
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ContentError(f"{where}: not valid JSON: {exc}") from exc
    if not isinstance(value, list):
        raise ContentError(f"{where}: a test case is the list of the entry's arguments")
    return value


@frozen
class Sample:
    """A visible test: the candidate sees the input, the expected value and the output."""

    args: Any
    expected: Any
    explanation: str = ""


@frozen
class WrongSolution:
    """A plausible but wrong solution that the hidden tests must catch.

    Attributes:
        at_scale: right answers on small inputs, wrong at scale (too slow, too deep, too big):
            validation also checks that it fails a scale test or grows worse than the reference.
    """

    name: str
    source: str
    at_scale: bool = False


@frozen
class Narration:
    """What a narration of the problem is judged against (see docs/judging.md).

    Attributes:
        approaches: valid approaches, each in a sentence (any one of them is the approach).
        complexity: the expected complexity with its reason.
        complexity_wordings: the same complexity and reason as others would say it.
        edge_cases: edge cases worth naming.
        wrong: approaches or complexities that are wrong for this problem (misconceptions).
    """

    approaches: tuple[str, ...] = field(converter=as_tuple)
    complexity: str
    edge_cases: tuple[str, ...] = field(converter=as_tuple, default=())
    wrong: tuple[str, ...] = field(converter=as_tuple, default=())
    complexity_wordings: tuple[str, ...] = field(converter=as_tuple, default=())


@frozen
class Problem:
    """One live-coding problem as written in its TOML file."""

    id: str
    title: str
    track: Track
    difficulty: Difficulty
    tags: tuple[str, ...] = field(converter=as_tuple)
    time_limit_minutes: int
    entry: str
    signature: str
    complexity: str
    growth_sizes: tuple[int, ...] = field(converter=as_tuple)
    scale_sizes: tuple[int, ...] = field(converter=as_tuple)
    statement: str
    starter: str
    reference: str
    generator: str
    samples: tuple[Sample, ...] = field(converter=as_tuple)
    hidden: dict[str, list[Any]]
    wrong: tuple[WrongSolution, ...] = field(converter=as_tuple)
    narration: Narration | None = None
    #: A data-structure problem: ``n`` is the number of operations and the class is stated per
    #: operation (``complexity`` stays the total for ``n`` operations, as measured).
    operations: bool = False

    @property
    def time_limit_s(self) -> int:
        return self.time_limit_minutes * 60

    def sample_args(self, index: int) -> list[Any]:
        return case_args(self.samples[index].args, where=f"{self.id}.samples[{index}].args")

    def written_cases(self) -> list[tuple[str, list[Any]]]:
        """The hidden tests written in the file, as ``(group, args)`` in file order."""
        cases = []
        for group in HIDDEN_GROUPS:
            for index, raw in enumerate(self.hidden.get(group, [])):
                cases.append((group, case_args(raw, where=f"{self.id}.hidden.{group}[{index}]")))
        return cases

    def snapshot(self) -> dict[str, Any]:
        """The problem as a session saw it (kept in ``coding_sets``)."""
        return {
            "id": self.id,
            "title": self.title,
            "track": self.track.value,
            "difficulty": self.difficulty.value,
            "tags": list(self.tags),
            "timeLimitMinutes": self.time_limit_minutes,
            "entry": self.entry,
            "signature": self.signature,
            "complexity": self.complexity,
            "operations": self.operations,
            "statement": self.statement,
            "starter": self.starter,
            "reference": self.reference,
            "generator": self.generator,
            "samples": [{"args": s.args, "expected": s.expected} for s in self.samples],
            "hidden": self.hidden,
            "scaleSizes": list(self.scale_sizes),
        }


def _defines(source: str, name: str, *, where: str) -> None:
    try:
        tree = parse_python(source)
    except SyntaxError as exc:
        raise ContentError(f"{where}: not valid Python: {exc.msg} (line {exc.lineno})") from exc
    names = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    if name not in names:
        raise ContentError(f"{where}: must define a function {name!r}")


def check_problem(problem: Problem, *, source: str) -> None:
    """Check what structuring cannot: counts, code that parses, known groups and classes."""
    where = f"{source}: {problem.id}"
    if not source.endswith(f"{problem.id}.toml"):
        raise ContentError(f"{source}: id {problem.id!r} must match the file name")
    if problem.complexity not in COMPLEXITY_CLASSES:
        raise ContentError(f"{where}.complexity: must be one of {', '.join(COMPLEXITY_CLASSES)}")
    if not 2 <= len(problem.samples) <= 4:
        raise ContentError(f"{where}.samples: a problem has 2 to 4 samples, got {len(problem.samples)}")
    unknown = sorted(set(problem.hidden) - set(HIDDEN_GROUPS))
    if unknown:
        raise ContentError(f"{where}.hidden.{unknown[0]}: groups are {', '.join(HIDDEN_GROUPS)}")
    total = len(problem.written_cases()) + len(problem.scale_sizes)
    if total < MIN_HIDDEN_TESTS:
        raise ContentError(f"{where}.hidden: at least {MIN_HIDDEN_TESTS} hidden tests, got {total}")
    if len(problem.wrong) < MIN_WRONG_SOLUTIONS:
        raise ContentError(f"{where}.wrong: at least {MIN_WRONG_SOLUTIONS} wrong solutions")
    if len(problem.growth_sizes) < 3 or sorted(problem.growth_sizes) != list(problem.growth_sizes):
        raise ContentError(f"{where}.growth_sizes: at least 3 sizes, increasing")
    if not problem.tags:
        raise ContentError(f"{where}.tags: at least one topic")
    if problem.time_limit_minutes <= 0:
        raise ContentError(f"{where}.time_limit_minutes: must be positive")
    for index in range(len(problem.samples)):
        problem.sample_args(index)
    _defines(problem.reference, problem.entry, where=f"{where}.reference")
    _defines(problem.starter, problem.entry, where=f"{where}.starter")
    _defines(problem.generator, "make_input", where=f"{where}.generator")
    for index, wrong in enumerate(problem.wrong):
        _defines(wrong.source, problem.entry, where=f"{where}.wrong[{index}].source")
