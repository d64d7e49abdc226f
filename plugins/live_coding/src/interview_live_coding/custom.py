"""Run on my input: the candidate's own arguments, parsed as literals, run beside the reference solution.

The arguments are typed as they would be written in a call (``["a b", "c"], 2``).  They are parsed on the
host, so the parser is bounded: a length cap first, then Python's own parser (which refuses more than 200
nested brackets), then a walk that accepts only the literals a test case can hold (they travel as JSON):
numbers, strings, booleans, ``None``, lists, tuples (as lists), dicts with string keys, and a sign in front
of a number.  No name is looked up and nothing is called.
Both the candidate's code and the reference solution run in the sandbox, never on the host: a typed input
can be made as expensive as one likes.
"""

from __future__ import annotations

import ast
import math
from typing import Any

from interview_engine import wire
from interview_engine.errors import InvalidInput
from interview_engine.pysource import AST_LOCK
from interview_engine.runner import CallCase, CaseStatus, CodeRunner, Limits
from interview_live_coding.results import CustomRan

__all__ = ["MAX_INPUT_CHARS", "parse_arguments", "run_custom"]

#: How long a typed argument list may be.
MAX_INPUT_CHARS = 20_000
#: How many values it may hold, containers included (bounds the host's work whatever the text looks like).
MAX_NODES = 5_000
#: Bits in one integer literal, about 4000 decimal digits (CPython's int/str conversion limit is 4300).
MAX_INT_BITS = 13_300

_SIGN = (ast.USub, ast.UAdd)


def _literal(node: ast.expr) -> Any:
    """The value of an already-checked literal node (containers hold at most 200 levels)."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp):
        value = _literal(node.operand)
        return -value if isinstance(node.op, ast.USub) else +value
    if isinstance(node, ast.List):
        return [_literal(e) for e in node.elts]
    if isinstance(node, ast.Tuple):
        return [_literal(e) for e in node.elts]
    if isinstance(node, ast.Dict):
        return {_literal(k): _literal(v) for k, v in zip(node.keys, node.values, strict=True) if k is not None}
    raise InvalidInput(f"{type(node).__name__} is not a literal", field="input")  # pragma: no cover - checked


def _check(root: ast.expr) -> None:
    """Only literal nodes, at most ``MAX_NODES`` of them; walked with an explicit stack (no recursion)."""
    stack: list[ast.AST] = [root]
    seen = 0
    while stack:
        node = stack.pop()
        seen += 1
        if seen > MAX_NODES:
            raise InvalidInput(f"has more than {MAX_NODES} values", field="input")
        if isinstance(node, ast.Constant):
            value = node.value
            if value is not None and not isinstance(value, str | int | float):
                raise InvalidInput(f"has {value!r:.40}: use strings, numbers, booleans and None", field="input")
            if isinstance(value, float) and not math.isfinite(value):
                raise InvalidInput("has a number too large to be finite", field="input")
            if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
                raise InvalidInput("has an integer longer than 4000 digits", field="input")
            continue
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, _SIGN):
            operand = node.operand
            if isinstance(operand, ast.Constant) and type(operand.value) in (int, float):
                stack.append(operand)
                continue
            raise InvalidInput("a sign goes only in front of a number", field="input")
        if isinstance(node, ast.List | ast.Tuple):
            stack.extend(node.elts)
            continue
        if isinstance(node, ast.Set):
            raise InvalidInput("sets cannot be passed (test cases travel as JSON): use a list", field="input")
        if isinstance(node, ast.Dict):
            if any(not (isinstance(k, ast.Constant) and isinstance(k.value, str)) for k in node.keys):
                raise InvalidInput("dict keys must be strings (test cases travel as JSON)", field="input")
            stack.extend(node.values)
            continue
        what = "a name" if isinstance(node, ast.Name) else f"a {type(node).__name__} expression"
        raise InvalidInput(f"only literal values are allowed (lists, strings, numbers, ...), not {what}", field="input")


def parse_arguments(text: str) -> list[Any]:
    """The positional arguments in ``text``, written as in a call: ``[1, 2], "x"`` gives ``[[1, 2], "x"]``.

    Raises:
        InvalidInput: naming the field ``input`` and what was wrong, for anything but literals.
    """
    if not isinstance(text, str):
        raise InvalidInput(f"must be a string, got {type(text).__name__}", field="input")
    if len(text) > MAX_INPUT_CHARS:
        raise InvalidInput(f"is longer than {MAX_INPUT_CHARS} characters", field="input")
    if "\x00" in text:
        raise InvalidInput("contains a NUL character", field="input")
    try:
        with AST_LOCK:
            tree = ast.parse(f"f(\n{text}\n)", mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        reason = (getattr(error, "msg", None) or str(error) or type(error).__name__).split(";")[0]
        raise InvalidInput(f"is not a list of Python literals: {reason}", field="input") from None
    call = tree.body
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name) or call.func.id != "f":
        raise InvalidInput("is not a list of arguments", field="input")  # e.g. text that closes the call early
    if call.keywords:
        raise InvalidInput("takes positional arguments only (no name=value)", field="input")
    for arg in call.args:
        if isinstance(arg, ast.Starred):
            raise InvalidInput("`*` is not allowed here", field="input")
        _check(arg)
    try:
        return [_literal(arg) for arg in call.args]
    except RecursionError:  # pragma: no cover - the parser's nesting limit comes first
        raise InvalidInput("is nested too deeply", field="input") from None


def run_custom(
    runner: CodeRunner, entry: str, source: str, reference: str, args: list[Any], limits: Limits
) -> CustomRan:
    """The candidate's code and the reference on ``args``, both in the sandbox; what each returned."""
    case = [CallCase("your input", args)]
    mine = runner.call_cases(source, entry, case, limits=limits)[0]
    theirs = runner.call_cases(reference, entry, case, limits=limits)[0]
    returned = mine.status is CaseStatus.RETURNED
    expected_known = theirs.status is CaseStatus.RETURNED
    return CustomRan(
        input=args,
        actual=mine.actual if returned else None,
        status=mine.status.value,
        error=mine.error,
        stdout=mine.stdout,
        expected=theirs.actual if expected_known else None,
        # The reference failing on this input means the input is outside the problem's rules.
        expectedError="" if expected_known else "the reference solution does not accept this input",
        matches=bool(returned and expected_known and wire.same(theirs.actual, mine.actual)),
    )
