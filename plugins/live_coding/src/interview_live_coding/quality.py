"""Code quality without running the code: ruff on a temp file, and structural metrics with ``ast``.

ruff runs as a subprocess of the host on a copy of the source; the candidate's
code is parsed, never executed here.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import tempfile
from pathlib import Path

from attrs import frozen

from interview_engine.pysource import parse_python
from interview_live_coding.heuristics import QualityRules
from interview_live_coding.readability import dense_statements

__all__ = ["RUFF_RULES", "STRUCTURE_CODES", "Finding", "QualityReport", "inspect_quality", "quality_score"]

#: Rule families: pycodestyle, pyflakes, bugbear, simplify, naming, comprehensions, return.  Cyclomatic
#: complexity is not ruff's C901 here: the structural check below counts it, once, with its line.
RUFF_RULES = "E,W,F,B,SIM,N,C4,RET"
#: What an experienced reviewer would not hold against anyone in an interview: long lines (taste);
#: whitespace nobody can see (trailing, on a blank line, no newline at the end of the file); a result
#: named before it is returned (RET504) or an ``else`` after a ``return``/``raise``/``continue``/
#: ``break`` (RET505-508), both often the clearer way to write it; an upper-case constant inside a
#: function (N806: ``MOD = 10**9 + 7``).
RUFF_IGNORED = "E501,W291,W292,W293,RET504,RET505,RET506,RET507,RET508,N806"

#: Structural findings that cost ``structure_penalty`` each (naming has its own cap).
STRUCTURE_CODES = frozenset({"function-length", "nesting", "branches", "dense-statement", "dense-nesting"})


@frozen
class Finding:
    """One quality observation tied to a line of the candidate's code."""

    source: str  # "ruff" or "structure"
    code: str
    message: str
    line: int | None = None


@frozen
class QualityReport:
    findings: tuple[Finding, ...]
    metrics: dict[str, float]
    lint_available: bool = True


def _ruff_binary() -> str | None:
    try:
        from ruff.__main__ import find_ruff_bin
    except ImportError:
        return None
    try:
        return os.fsdecode(find_ruff_bin())
    except FileNotFoundError:
        return None


def run_ruff(source: str) -> list[Finding] | None:
    """ruff's findings on ``source``; ``None`` when ruff is unavailable or failed."""
    binary = _ruff_binary()
    if binary is None:
        return None
    try:
        with tempfile.TemporaryDirectory(prefix="interview-lint-") as folder:
            return _ruff_in(binary, Path(folder), source)
    except (OSError, UnicodeError):  # a full temp disk, a lone surrogate: no lint, never an error
        return None


def _ruff_in(binary: str, folder: Path, source: str) -> list[Finding] | None:
    path = folder / "solution.py"
    path.write_text(source, encoding="utf-8")
    command = [
        binary,
        "check",
        "--output-format",
        "json",
        "--isolated",
        "--no-cache",
        "--select",
        RUFF_RULES,
        "--ignore",
        RUFF_IGNORED,
        "--exit-zero",
        str(path),
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=20, check=False, cwd=folder)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    try:
        items = json.loads(done.stdout or "[]")
    except json.JSONDecodeError:
        return None
    findings = [
        Finding(
            "ruff",
            str(item.get("code") or "E999"),
            str(item.get("message", "")),
            (item.get("location") or {}).get("row"),
        )
        for item in items
    ]
    return sorted(findings, key=lambda f: (f.line or 0, f.code))


class _Depth:
    """Deepest nesting of control-flow blocks and decision points inside one function.

    Walks with an explicit stack: a tree that parsed may still be hundreds of levels deep
    (an attribute chain), and a recursive visitor would overflow on it.
    """

    BLOCKS = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.Match)
    DECISIONS = (
        ast.If,
        ast.For,
        ast.AsyncFor,
        ast.While,
        ast.IfExp,
        ast.ExceptHandler,
        ast.comprehension,
        ast.match_case,
        ast.Assert,
    )

    def __init__(self) -> None:
        self.deepest = 0
        self.branches = 1

    def visit(self, root: ast.AST) -> None:
        elifs: set[int] = set()  # ids of If nodes that are an elif: not one level deeper
        stack: list[tuple[ast.AST, int]] = [(root, 0)]
        while stack:
            node, depth = stack.pop()
            if isinstance(node, self.DECISIONS):
                self.branches += 1
            if isinstance(node, ast.BoolOp):
                self.branches += len(node.values) - 1
            if isinstance(node, self.BLOCKS) and id(node) not in elifs:
                depth += 1
                self.deepest = max(self.deepest, depth)
            if isinstance(node, ast.If):
                elifs.update(id(child) for child in node.orelse if isinstance(child, ast.If))
            stack.extend((child, depth) for child in ast.iter_child_nodes(node))


def _bad_names(function: ast.FunctionDef | ast.AsyncFunctionDef, allowed: set[str]) -> list[tuple[str, int]]:
    names: list[tuple[str, int]] = [(function.name, function.lineno)]
    for arg in [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]:
        names.append((arg.arg, arg.lineno))
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.append((node.id, node.lineno))
    bad, seen = [], set()
    for name, line in names:
        if name in seen:
            continue
        seen.add(name)
        # Letter case is ruff's (N8xx); this catches names too short to say anything.
        if len(name) == 1 and name not in allowed:
            bad.append((name, line))
    return bad


def structure_findings(source: str, rules: QualityRules) -> tuple[list[Finding], dict[str, float]]:
    """Function length, nesting depth, cyclomatic complexity and naming, each with its line."""
    try:
        tree = parse_python(source)
    except SyntaxError as exc:
        return [Finding("structure", "syntax", f"does not parse: {exc.msg}", exc.lineno)], {"functions": 0}
    findings: list[Finding] = []
    longest = deepest = most_branches = 0
    functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for function in functions:
        length = (function.end_lineno or function.lineno) - function.lineno + 1
        depth = _Depth()
        for statement in function.body:
            depth.visit(statement)
        longest, deepest = max(longest, length), max(deepest, depth.deepest)
        most_branches = max(most_branches, depth.branches)
        where = f"`{function.name}`"
        if length > rules.max_function_lines:
            findings.append(
                Finding(
                    "structure",
                    "function-length",
                    f"{where} is {length} lines long (keep functions under "
                    f"{rules.max_function_lines}; extract helpers)",
                    function.lineno,
                )
            )
        if depth.deepest > rules.max_nesting:
            findings.append(
                Finding(
                    "structure",
                    "nesting",
                    f"{where} nests blocks {depth.deepest} deep (at most {rules.max_nesting}; "
                    "return early or extract a helper)",
                    function.lineno,
                )
            )
        if depth.branches > rules.max_branches:
            findings.append(
                Finding(
                    "structure",
                    "branches",
                    f"{where} has cyclomatic complexity {depth.branches} (at most {rules.max_branches})",
                    function.lineno,
                )
            )
        for name, line in _bad_names(function, set(rules.short_names_allowed)):
            findings.append(
                Finding("structure", "naming", f"name `{name}` in {where} does not say what it holds", line)
            )
    dense = dense_statements(tree, rules.max_statement_nodes)
    for line, count, nested in dense:
        findings.append(
            Finding(
                "structure",
                "dense-statement",
                f"one statement holds {count} expressions (at most {rules.max_statement_nodes}; "
                "name the intermediate values)",
                line,
            )
        )
        if nested:
            findings.append(
                Finding(
                    "structure",
                    "dense-nesting",
                    "a comprehension or lambda inside another in a dense statement (unfold it into a loop or a helper)",
                    line,
                )
            )
    metrics = {
        "functions": float(len(functions)),
        "denseStatements": float(len(dense)),
        "longestFunction": float(longest),
        "deepestNesting": float(deepest),
        "maxCyclomatic": float(most_branches),
    }
    return findings, metrics


def inspect_quality(source: str, rules: QualityRules) -> QualityReport:
    lint = run_ruff(source)
    structure, metrics = structure_findings(source, rules)
    findings = [*(lint or []), *structure]
    metrics["lintFindings"] = float(len(lint or []))
    metrics["structureFindings"] = float(len(structure))
    return QualityReport(findings=tuple(findings), metrics=metrics, lint_available=lint is not None)


def quality_score(report: QualityReport, rules: QualityRules) -> float:
    """5 minus lint and structure penalties (see scoring.toml), before the correctness gate."""
    lint = sum(
        rules.ruff_error if f.code[:1] in {"F", "B"} else rules.ruff_other
        for f in report.findings
        if f.source == "ruff"
    )
    structure = sum(
        rules.structure_penalty for f in report.findings if f.source == "structure" and f.code in STRUCTURE_CODES
    )
    naming = sum(rules.naming_penalty for f in report.findings if f.code == "naming")
    syntax = rules.start if any(f.code in {"syntax", "E999"} for f in report.findings) else 0.0
    score = rules.start - min(lint, rules.ruff_max) - structure - min(naming, rules.naming_max) - syntax
    return max(0.0, min(5.0, score))
