"""``interview coding`` as a candidate uses it, and one run of the full content validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from interview_engine import Engine
from interview_engine.commands import CommandContext
from interview_live_coding.cli import SESSION_FILE, coding
from interview_live_coding.plugin import module

from .conftest import EXIT_EARLY, FAKE_PASS, PROBLEM


def _invoke(sqlite_url: str, *args: str) -> dict | list:
    context = CommandContext(database_url=sqlite_url)
    try:
        result = CliRunner().invoke(coding, list(args), obj=context, catch_exceptions=False)
    finally:
        context.close()
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_problems_lists_every_cell(sqlite_url: str) -> None:
    listed = _invoke(sqlite_url, "problems", "--json")
    assert len(listed) >= 24
    assert {(p["track"], p["difficulty"]) for p in listed} == {
        (t, d) for t in ("backend", "frontend", "mobile") for d in ("mid", "senior")
    }
    mobile = _invoke(sqlite_url, "problems", "--track", "mobile", "--difficulty", "senior", "--json")
    assert len(mobile) >= 4 and all(p["track"] == "mobile" for p in mobile)


def test_start_run_submit(sqlite_url: str, tmp_path: Path) -> None:
    problem = module().pack.problems[PROBLEM]
    context = CommandContext(database_url=sqlite_url)
    runner = CliRunner()
    try:
        started = runner.invoke(coding, ["start", PROBLEM, "--dir", str(tmp_path)], obj=context)
        assert started.exit_code == 0, started.output
        assert problem.title in (tmp_path / "STATEMENT.md").read_text()
        solution = tmp_path / "solution.py"
        assert solution.read_text() == problem.starter.lstrip("\n")
        session_id = json.loads((tmp_path / SESSION_FILE).read_text())["sessionId"]
        solution.write_text(problem.reference)
        ran = runner.invoke(coding, ["run", PROBLEM, str(solution), "--json"], obj=context)
        assert json.loads(ran.stdout)["sessionId"] == session_id and json.loads(ran.stdout)["allPassed"]
        notes = tmp_path / "notes.md"
        notes.write_text("I use an OrderedDict because its operations are O(1); tested the samples.")
        submitted = runner.invoke(
            coding,
            ["submit", PROBLEM, str(solution), "--complexity", "O(n)", "--notes", str(notes), "--end", "--json"],
            obj=context,
        )
        report = json.loads(submitted.stdout)
    finally:
        context.close()
    assert report["sessionId"] == session_id
    assert report["correctness"] == 1.0 and report["failed"] == 0 and report["rubric"]["correctness"] == 5.0
    assert set(report["rubric"]) == {"correctness", "complexity", "code_quality", "clarity", "time_management"}
    assert report["weightedScore"] > 4 and report["evidence"] and isinstance(report["nextSteps"], list)
    # The issue said a run after submit silently started a new session over this file: it stays, naming the
    # ended session, and a later run is refused in one line.
    assert json.loads((tmp_path / SESSION_FILE).read_text())["sessionId"] == session_id
    later = CommandContext(database_url=sqlite_url)
    try:
        again = CliRunner().invoke(coding, ["run", PROBLEM, str(solution)], obj=later)
    finally:
        later.close()
    assert again.exit_code != 0 and "has ended" in str(again.exception)


@pytest.mark.parametrize("source", ["starter", FAKE_PASS, EXIT_EARLY], ids=["starter", "fake-output", "exit-early"])
def test_weak_submissions_score_low(sqlite_url: str, tmp_path: Path, source: str) -> None:
    problem = module().pack.problems[PROBLEM]
    solution = tmp_path / "solution.py"
    solution.write_text(problem.starter if source == "starter" else source)
    report = _invoke(sqlite_url, "submit", PROBLEM, str(solution), "--end", "--json")
    assert report["correctness"] <= 0.1 and report["weightedScore"] < 1.0 and report["decision"] == "hold"
    if source != "starter":
        assert report["passed"] == 0 and report["weightedScore"] == 0.0


FUNCTIONS = """
def linear(values):
    total = 0
    for value in values:
        total += value
    return total


def sort_first(values):
    return sorted(values)[0] if values else 0


def pairs(values):
    count = 0
    for left in values:
        for right in values:
            if left < right:
                count += 1
    return count


def subsets(values):
    def walk(index, total):
        if index == len(values):
            return 1 if total % 3 == 0 else 0
        return walk(index + 1, total + values[index]) + walk(index + 1, total)
    return walk(0, 0)
"""

GENERATOR = """
import random


def make_input(n):
    rng = random.Random(n)
    return ([rng.randrange(10 ** 6) for _ in range(n)],)
"""


def test_complexity_classifies_the_common_classes(sqlite_url: str, tmp_path: Path) -> None:
    (tmp_path / "f.py").write_text(FUNCTIONS)
    (tmp_path / "gen.py").write_text(GENERATOR)
    expected = {"linear": "O(n)", "sort_first": "O(n log n)", "pairs": "O(n^2)", "subsets": "O(2^n)"}
    for entry, complexity in expected.items():
        report = _invoke(
            sqlite_url,
            "complexity",
            str(tmp_path / "f.py"),
            "--entry",
            entry,
            "--input-generator",
            str(tmp_path / "gen.py"),
            "--json",
        )
        assert report["complexity"] == complexity, (entry, report)
        assert len(report["points"]) >= 3


def test_content_validation_passes_every_check(sqlite_engine: Engine) -> None:
    checks = [c for c in sqlite_engine.validate_content() if c.module == "live_coding"]
    failed = [c for c in checks if not c.passed]
    assert not failed, failed
    assert len(checks) >= 24 * 6
    caught = [c for c in checks if c.check.startswith("hidden tests catch")]
    assert len(caught) >= 48


def test_problems_filter_by_tag_and_show_what_you_tried(sqlite_url: str, tmp_path: Path) -> None:
    tag = module().pack.problems[PROBLEM].tags[0]
    tagged = _invoke(sqlite_url, "problems", "--tag", tag, "--json")
    assert tagged and all(tag in p["topics"] for p in tagged)
    assert all(p["progress"] is None for p in tagged)
    context = CommandContext(database_url=sqlite_url)
    try:
        started = CliRunner().invoke(coding, ["start", PROBLEM, "--dir", str(tmp_path)], obj=context)
        assert started.exit_code == 0, started.output
        listed = CliRunner().invoke(coding, ["problems", "--tag", tag], obj=context)
        missing = CliRunner().invoke(coding, ["problems", "--tag", "no-such-topic"], obj=context)
    finally:
        context.close()
    mine = next(p for p in _invoke(sqlite_url, "problems", "--tag", tag, "--json") if p["id"] == PROBLEM)
    assert mine["progress"]["attempts"] == 1 and mine["progress"]["solved"] is False
    assert "attempted" in listed.output
    assert missing.exit_code != 0 and "no-such-topic" in str(missing.exception)


def test_submit_again_and_again_then_end_grades_the_last_submission(sqlite_url: str, tmp_path: Path) -> None:
    problem = module().pack.problems[PROBLEM]
    solution = tmp_path / "solution.py"
    context = CommandContext(database_url=sqlite_url)
    runner = CliRunner()
    try:
        assert runner.invoke(coding, ["start", PROBLEM, "--dir", str(tmp_path)], obj=context).exit_code == 0
        solution.write_text(problem.reference)
        first = runner.invoke(coding, ["submit", PROBLEM, str(solution)], obj=context)
        assert first.exit_code == 0, first.output
        assert "submission 1 kept" in first.output and "the last submission is graded" in first.output
        solution.write_text(problem.starter)  # a worse second try: the last one counts, not the best
        second = json.loads(runner.invoke(coding, ["submit", PROBLEM, str(solution), "--json"], obj=context).stdout)
        assert second["submission"] == 2 and second["ended"] is False
        refused = runner.invoke(coding, ["end", PROBLEM, str(solution)], obj=context, input="n\n")
        assert refused.exit_code == 1 and "Your last submission is graded" in refused.output
        ended = runner.invoke(coding, ["end", PROBLEM, str(solution), "--yes", "--json"], obj=context)
        nowhere = runner.invoke(coding, ["end", PROBLEM, str(tmp_path / "elsewhere" / "x.py"), "--yes"], obj=context)
    finally:
        context.close()
    report = json.loads(ended.stdout)
    assert report["ended"] is True and report["submissions"] == 2
    assert report["correctness"] == second["correctness"] < 1.0
    assert report["rubric"]["correctness"] < 5.0
    assert nowhere.exit_code != 0 and "no session for" in str(nowhere.exception)
