"""Whether a candidate's regression test only repeats the visible failing test.

The visible tests already fail on the bug: a "regression test" that asserts exactly what they
assert (renamed, or importing them) adds nothing and earns part credit at most.  Parsing is of the
candidate's source on the host, so it goes through the engine's bounded parser and never raises.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from interview_engine.pysource import parse_python

__all__ = ["copies_visible_tests"]


def _asserts(tree: ast.Module) -> set[str]:
    return {ast.dump(node, annotate_fields=False) for node in ast.walk(tree) if isinstance(node, ast.Assert)}


def _imports_of(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _parse(source: str, path: str) -> ast.Module | None:
    try:
        return parse_python(source, filename=path)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def copies_visible_tests(tests: Mapping[str, str], visible: Mapping[str, str]) -> bool:
    """True when every assertion of ``tests`` is one of ``visible``'s, or ``tests`` import a visible test file."""
    try:
        return _copies(tests, visible)
    except (RecursionError, MemoryError):  # a pathologically deep test: judged as not a copy
        return False


def _copies(tests: Mapping[str, str], visible: Mapping[str, str]) -> bool:
    visible_modules = {path[: -len(".py")].replace("/", ".") for path in visible}
    known: set[str] = set()
    for path, source in visible.items():
        tree = _parse(source, path)
        if tree is not None:
            known |= _asserts(tree)
    mine: set[str] = set()
    for path, source in tests.items():
        tree = _parse(source, path)
        if tree is None:
            return False
        if _imports_of(tree) & visible_modules:
            return True
        mine |= _asserts(tree)
    return bool(mine) and mine <= known
