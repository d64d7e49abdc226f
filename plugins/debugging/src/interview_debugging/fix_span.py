"""Where the reference fix changes the buggy program: what a scenario's root-cause lines must equal.

The annotated ``root_cause.lines`` are shown to candidates after a session and are what a named
location is graded against, so validation compares them with the diff exactly (the grading
tolerance exists for the candidate, not to hide a wrong annotation).
"""

from __future__ import annotations

import ast
import difflib

from interview_debugging.scenario import BugScenario
from interview_engine.pysource import parse_python

__all__ = ["fix_span"]


def _function_lines(source: str, qualified: str) -> tuple[int, int] | None:
    """The first and last line of ``name`` or ``Class.method`` in ``source``, or None."""
    # Validation runs scenarios side by side in threads: one process-wide lock around every parse (gh-106905).
    scope: list[ast.stmt] = parse_python(source, filename="<scenario>").body
    found: ast.stmt | None = None
    for part in qualified.split("."):
        found = next((node for node in scope if getattr(node, "name", None) == part), None)
        if not isinstance(found, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            return None
        scope = found.body
    assert found is not None
    return found.lineno, found.end_lineno or found.lineno


def fix_span(scenario: BugScenario) -> tuple[int, int] | None:
    """The first and last buggy line the reference fix changes inside the root-cause function.

    Lines the fix replaces or deletes count; when the fix only adds code there, the lines either side
    of where it goes count instead (the bug is the missing step between them). None when the fix does
    not touch the root-cause function at all (itself a wrong annotation).
    """
    cause = scenario.root_cause
    bug = scenario.files[cause.file]
    fixed = scenario.fixed_files()[cause.file]
    body = _function_lines(bug, cause.function)
    if body is None:
        return None
    start, end = body
    changed: list[int] = []
    around: list[int] = []
    matcher = difflib.SequenceMatcher(a=bug.splitlines(), b=fixed.splitlines(), autojunk=False)
    for tag, first, last, _, _ in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            changed.extend(range(first + 1, last + 1))
        elif tag == "insert":
            around.extend((first, first + 1))
    inside = [n for n in changed if start <= n <= end] or [n for n in around if start <= n <= end]
    return (min(inside), max(inside)) if inside else None
