"""The worked examples in a problem's statement, checked against the reference.

A statement shows calls such as ``merge_windows([[0, 30]]) -> [[0, 30]]`` in ``text`` code blocks.
Candidates trust them more than the prose, so an example that disagrees with the reference (or with
the statement's own rules) is a content error that validation must report.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from attrs import frozen

from interview_engine import wire
from interview_engine.pysource import AST_LOCK
from interview_live_coding.pack import run_reference
from interview_live_coding.problems import Problem

__all__ = ["Example", "examples", "mismatched_examples"]

_BLOCK = re.compile(r"```text\n(.*?)```", re.S)
_UNPARSED = object()
_COMMENT = re.compile(r"\s+#[^\"'\]]*$", re.M)


@frozen
class Example:
    """One ``call -> expected`` pair written in the statement."""

    call: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    expected: Any


def _literal(text: str) -> tuple[bool, Any]:
    for candidate in (text, _COMMENT.sub("", text)):
        try:
            with AST_LOCK:  # validation checks problems side by side in threads (gh-106905)
                return True, ast.literal_eval(candidate.strip())
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
    return False, None


def _parse_call(text: str, entry: str) -> tuple[tuple[Any, ...], dict[str, Any]] | None:
    try:
        with AST_LOCK:
            node = ast.parse(_COMMENT.sub("", text).strip(), mode="eval").body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == entry):
        return None
    try:
        with AST_LOCK:
            args = tuple(ast.literal_eval(a) for a in node.args)
            kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg}
    except (ValueError, MemoryError, RecursionError):
        return None  # an argument names a variable defined in prose (e.g. a tree built above)
    return args, kwargs


def examples(problem: Problem) -> list[Example]:
    """Every ``entry(literal args) -> literal`` example in the statement's text blocks."""
    found = []
    for block in _BLOCK.findall(problem.statement):
        for match in re.finditer(rf"^{re.escape(problem.entry)}\(", block, re.M):
            arrow = block.find("->", match.start())
            if arrow < 0:
                continue
            call = _parse_call(block[match.start() : arrow], problem.entry)
            rest = block[arrow + 2 :].splitlines()
            # The expected value may span lines: the shortest run of lines that parses is the value.
            parsed = (_literal("\n".join(rest[:n])) for n in range(1, len(rest) + 1))
            expected = next((value for ok, value in parsed if ok), _UNPARSED)
            if call is not None and expected is not _UNPARSED:
                found.append(Example(block[match.start() : arrow].strip(), call[0], call[1], expected))
    return found


def mismatched_examples(problem: Problem) -> tuple[int, list[str]]:
    """How many examples the statement shows, and those the reference disagrees with."""
    shown = examples(problem)
    wrong = []
    for example in shown:
        got = run_reference(problem, list(example.args), example.kwargs)
        if not wire.same(wire.encode(example.expected), got):
            wrong.append(f"{example.call.splitlines()[0]}... shows {example.expected!r}, reference gives {got!r}")
    return len(shown), wrong
