"""The candidate's patch, file by file, with each finding at the line it is about.

For every file the candidate changed or added: its text as graded, the lines they changed, and notes
tied to lines — where their change starts (and what it replaced), where their diagnosis points, and,
once the session has ended, where the root cause is and whether the change reached it. Lines of the
original program are mapped onto the candidate's file through the diff, so a note lands on the line
the candidate sees even when their patch moved the code.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Mapping
from typing import Any

from interview_debugging.grading import parse_location
from interview_debugging.scenario import BugScenario
from interview_engine.pysource import parse_python

__all__ = ["annotated_patch"]

MAX_DIFF_LINES = 5_000  # a pasted megabyte of code is shown as it is, without line notes


def _base(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _line_map(before: list[str], after: list[str]) -> tuple[dict[int, int], list[tuple[str, int, int, int, int]]]:
    """Original line (1-based) -> the candidate's line, and the diff's non-equal blocks (1-based, end inclusive)."""
    mapping: dict[int, int] = {}
    changes: list[tuple[str, int, int, int, int]] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            mapping.update({a1 + k + 1: b1 + k + 1 for k in range(a2 - a1)})
            continue
        # A replaced line maps onto its replacement, line by line as far as it goes; a deleted one to the
        # line after the gap.
        last = max(b2, b1 + 1) if tag == "replace" else b1 + 1
        mapping.update({a1 + k + 1: min(b1 + k + 1, last, max(len(after), 1)) for k in range(a2 - a1)})
        changes.append((tag, a1 + 1, a2, b1 + 1, b2))
    return mapping, changes


def _touched(changes: list[tuple[str, int, int, int, int]]) -> set[int]:
    """Original lines the patch replaced or deleted, and those either side of where it only added code."""
    touched: set[int] = set()
    for tag, a1, a2, _, _ in changes:
        touched.update(range(a1, a2 + 1) if tag != "insert" else (a1 - 1, a1))
    return touched


def _test_lines(source: str) -> list[int]:
    try:
        tree = parse_python(source, filename="<regression test>")
    except SyntaxError:  # SourceTooComplex too: a file nested too deep for the host's parser
        return []
    return [n.lineno for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name.startswith("test")]


def _span(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first}-{last}"


def _change_notes(changes: list[tuple[str, int, int, int, int]], notes: dict[int, list[str]], size: int) -> set[int]:
    changed: set[int] = set()
    for tag, a1, a2, b1, b2 in changes:
        if tag == "delete":
            notes.setdefault(min(b1, max(size, 1)), []).append(f"You deleted original {_span(a1, a2)} here.")
            continue
        changed.update(range(b1, b2 + 1))
        was = f" (was original {_span(a1, a2)})" if tag == "replace" and (a1, a2) != (b1, b2) else ""
        notes.setdefault(b1, []).append(f"You {'changed' if tag == 'replace' else 'added'} {_span(b1, b2)}{was}.")
    return changed


def annotated_patch(
    scenario: BugScenario,
    files: Mapping[str, str],
    *,
    location: str,
    location_matched: bool | None,
    regression: Mapping[str, Any] | None,
    ended: bool,
) -> list[dict[str, Any]]:
    """One entry per changed or added file (and per unchanged one a finding is about): ``path``, ``text``,
    ``added``, ``unchanged``, ``changed`` (line numbers) and
    ``findings`` (``line`` and ``text``, in line order).  ``location_matched`` is the grader's verdict on
    the named location (None before the session is graded); the root cause is only placed once the
    session has ended.
    """
    original = {**scenario.files, **scenario.visible_tests}
    cause = scenario.root_cause
    named_file, named_line, _ = parse_location(location)
    regression_files = set((regression or {}).get("files", ()))
    shown: list[dict[str, Any]] = []
    # An unchanged file is shown too where a finding belongs to it: the root cause, or where the diagnosis points.
    anchored = {cause.file} if ended else set()
    anchored |= {path for path in original if named_file and _base(named_file) == _base(path)}
    for path, text in sorted(files.items()):
        unchanged = original.get(path) == text
        if unchanged and path not in anchored:
            continue
        after = text.split("\n")
        notes: dict[int, list[str]] = {}
        before = original.get(path)
        mapping: dict[int, int] = {}
        changes: list[tuple[str, int, int, int, int]] = []
        changed: set[int] = set()
        if before is not None and len(after) <= MAX_DIFF_LINES:
            mapping, changes = _line_map(before.split("\n"), after)
            changed = _change_notes(changes, notes, len(after))
        if named_file and _base(named_file) == _base(path) and named_line and before is not None:
            verdict = (
                ""
                if location_matched is None
                else (": it matches the root cause" if location_matched else ": not where the root cause is")
            )
            at = mapping.get(named_line)
            if at:
                notes.setdefault(at, []).append(f"Your diagnosis points here ({location}){verdict}.")
        if ended and path == cause.file and mapping:
            first, last = cause.lines
            at = mapping.get(first)
            reached = any(first <= n <= last for n in _touched(changes))
            if at:
                touched = "your change reaches it" if reached else "your change does not touch these lines"
                notes.setdefault(at, []).append(
                    f"The root cause: original {_span(first, last)} in {cause.function}; {touched}."
                )
        if path in regression_files and regression:
            verdict = (
                f"Your regression test: {regression.get('onBug')} on the original bug (must fail), "
                f"{regression.get('onYourFix')} on your fix (must pass)."
            )
            for line in _test_lines(text)[:1] or [1]:
                notes.setdefault(line, []).append(verdict)
        shown.append(
            {
                "path": path,
                "text": text,
                "added": before is None,
                "unchanged": unchanged,
                "changed": sorted(changed) if before is not None else list(range(1, len(after) + 1)),
                "findings": [{"line": line, "text": text} for line in sorted(notes) for text in notes[line]],
            }
        )
    return shown
