"""``interview history``, ``trends`` and ``plan`` as a user runs them (through click's runner)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from interview_cli import output
from interview_cli.analytics_commands import COMMANDS
from interview_cli.main import InterviewGroup
from interview_engine import Engine
from interview_engine.commands import CommandContext
from tests.analytics.analytics_quiz import QuizPlugin, practise_a_handful


@pytest.fixture
def run(sqlite_url: str, quiz: QuizPlugin, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Engine, object]]:
    monkeypatch.setattr(output.console, "width", 200)
    engine = Engine.create(sqlite_url, plugins=[quiz], load_entry_points=False, migrate=True)
    practise_a_handful(engine, engine.store.ensure_user("ada@example.com"))

    def invoke(*args: str) -> Result:
        context = CommandContext(user_email="ada@example.com", factory=lambda url: engine)
        group = InterviewGroup("interview", commands={command.name: command for command in COMMANDS})
        return CliRunner().invoke(group, list(args), obj=context, catch_exceptions=False, terminal_width=200)

    yield engine, invoke
    engine.close()


def test_history_table_and_json(run: tuple[Engine, object]) -> None:
    _, invoke = run
    table = invoke("history")  # type: ignore[operator]
    assert table.exit_code == 0, table.output
    assert "History" in table.output
    assert table.output.count("quiz-pack@1") == 6
    assert "hold" in table.output and "20m00s" in table.output

    rows = json.loads(invoke("history", "--json").output)  # type: ignore[operator]
    assert len(rows) == 6
    assert rows[1]["weightedScore"] == pytest.approx(1.5)
    assert {
        "sessionId",
        "date",
        "module",
        "track",
        "difficulty",
        "durationS",
        "decision",
        "result",
        "kbVersion",
    } <= set(rows[0])


def test_trends_table_and_json(run: tuple[Engine, object]) -> None:
    _, invoke = run
    shown = invoke("trends")  # type: ignore[operator]
    assert shown.exit_code == 0, shown.output
    for words in ("Scores", "Weak topics", "Strong topics", "half-life 14 days", "http-verbs 30%"):
        assert words in shown.output
    body = json.loads(invoke("trends", "--json").output)  # type: ignore[operator]
    assert [t["topic"] for t in body["ranking"]["weak"]] == ["http", "caching"]
    assert len(body["modules"][0]["points"]) == 5


def test_plan_json_and_markdown(run: tuple[Engine, object], tmp_path: Path) -> None:
    _, invoke = run
    target = tmp_path / "plan.md"
    result = invoke("plan", "--json", "--markdown", str(target))  # type: ignore[operator]
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert [t["topic"] for t in body["topics"]] == ["http", "caching"]
    assert body["kbVersions"] == {"quiz": "quiz-pack@1"}
    assert target.read_text().startswith("# Study plan (backend)")
    assert body["digest"] in target.read_text()

    shown = invoke("plan", "--topics", "1")  # type: ignore[operator]
    assert "1. http" in shown.output and "caching" not in shown.output
    assert "practice: Http Cors [quiz http-cors, mid]" in shown.output


def test_plan_errors_are_one_line(run: tuple[Engine, object], tmp_path: Path) -> None:
    _, invoke = run
    bad = invoke("plan", "--markdown", str(tmp_path / "missing" / "plan.md"))  # type: ignore[operator]
    assert bad.exit_code == 2
    assert "--markdown: cannot write" in bad.output
    wrong = invoke("plan", "--track", "devops")  # type: ignore[operator]
    assert wrong.exit_code == 2
