"""The `interview` command as a user runs it: real processes, one-line errors, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

INTERVIEW = Path(sys.executable).parent / "interview"


def run(*args: str, database_url: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, INTERVIEW_DATABASE_URL=database_url, INTERVIEW_USER="cli@example.com", COLUMNS="200")
    return subprocess.run([str(INTERVIEW), *args], capture_output=True, text=True, env=env, input=stdin, timeout=120)


def test_help_lists_core_and_plugin_commands(sqlite_url: str) -> None:
    result = run("--help", database_url=sqlite_url)
    assert result.returncode == 0
    for name in ("serve", "db", "content", "plugins", "history", "summary", "delete"):
        assert name in result.stdout


def test_plugins_json_lists_the_bundled_plugins_from_their_entry_points(sqlite_url: str) -> None:
    result = run("plugins", "--json", database_url=sqlite_url)
    assert result.returncode == 0, result.stderr
    plugins = {p["name"]: p for p in json.loads(result.stdout)}
    assert plugins["voice_screen"]["distribution"] == "interview-voice-screen"
    assert plugins["live_coding"]["distribution"] == "interview-live-coding"
    assert plugins["debugging"]["distribution"] == "interview-debugging"
    assert plugins["sandbox"]["distribution"] == "interview-sandbox"


def test_db_upgrade_creates_every_table(database_url: str) -> None:
    result = run("db", "upgrade", database_url=database_url)
    assert result.returncode == 0, result.stderr
    engine = create_engine(database_url)
    names = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"sessions", "transcripts", "evaluations", "submissions", "test_runs", "debug_evaluations"} <= names


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("summary", "nope"), 3, "no session of yours starts with 'nope'"),
        (("delete", "0" * 32), 3, "no session"),
        (("history",), 2, "INTERVIEW_DATABASE_URL: database URL must be"),
    ],
)
def test_errors_are_one_line_and_a_non_zero_exit(
    sqlite_url: str, args: tuple[str, ...], code: int, message: str
) -> None:
    url = "mysql://nobody" if args == ("history",) else sqlite_url
    result = run(*args, database_url=url)
    assert result.returncode == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unreachable_database_is_one_line(tmp_path: Path) -> None:
    result = run("history", database_url="postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert result.returncode == 69
    assert "cannot reach the database" in result.stderr
    assert "Traceback" not in result.stderr


def test_history_of_a_new_user_is_empty(sqlite_url: str) -> None:
    result = run("history", "--json", database_url=sqlite_url)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
