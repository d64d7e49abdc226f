"""Readability that lint does not see: one statement doing too much.

ruff and the structural limits judge functions; a whole solution squeezed into one
``return`` passes all of them.  A reviewer reads statement by statement, so each simple
statement (and each compound statement's header: an ``if`` test, a ``for`` target and
iterable) is measured by the expression nodes it holds.  One over the limit is dense; a dense
one that also nests a comprehension or a lambda inside another is the unreadable one-liner.
"""

from __future__ import annotations

import ast

__all__ = ["dense_statements"]

#: Nodes that carry no reading effort of their own (contexts and operator tokens).
_TOKENS = (ast.expr_context, ast.operator, ast.cmpop, ast.boolop, ast.unaryop)
_NESTERS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Lambda)
_OWN_BODY = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Try, ast.Match)


def _read_parts(statement: ast.stmt) -> list[ast.AST]:
    """What a reader takes in at once: the whole of a simple statement, the header of a compound one."""
    if isinstance(statement, (ast.If, ast.While)):
        return [statement.test]
    if isinstance(statement, (ast.For, ast.AsyncFor)):
        return [statement.target, statement.iter]
    if isinstance(statement, (ast.With, ast.AsyncWith)):
        return list(statement.items)
    if isinstance(statement, _OWN_BODY):
        return []
    return [statement]


def _weigh(parts: list[ast.AST]) -> tuple[int, int]:
    """The expression nodes in ``parts`` and the deepest nesting of comprehensions and lambdas.

    Walks with an explicit stack: a statement that parsed can still be hundreds of levels deep.
    """
    count = deepest = 0
    stack: list[tuple[ast.AST, int]] = [(part, 0) for part in parts]
    while stack:
        node, inside = stack.pop()
        if not isinstance(node, _TOKENS):
            count += 1
        if isinstance(node, _NESTERS):
            inside += 1
            deepest = max(deepest, inside)
        stack.extend((child, inside) for child in ast.iter_child_nodes(node))
    return count, deepest


def dense_statements(tree: ast.AST, limit: int) -> list[tuple[int, int, bool]]:
    """``(line, nodes, nested)`` for each statement holding more than ``limit`` expression nodes.

    ``nested`` is true when the statement also has a comprehension or lambda inside another.
    """
    found = []
    for node in ast.walk(tree):  # ast.walk is breadth-first over a queue: no recursion
        if isinstance(node, ast.stmt):
            count, deepest = _weigh(_read_parts(node))
            if count > limit:
                found.append((node.lineno, count, deepest >= 2))
    return found
