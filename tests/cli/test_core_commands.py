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
    assert {"sessions", "transcripts", "evaluations", "submissions", "test_runs", "module_records"} <= names


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


def _practice_folder(tmp_path: Path, sqlite_url: str) -> tuple[Path, str]:
    assert run("db", "upgrade", database_url=sqlite_url).returncode == 0
    started = run("coding", "start", "backend-lru-cache", "--dir", str(tmp_path), database_url=sqlite_url)
    assert started.returncode == 0, started.stderr
    return tmp_path / "solution.py", json.loads((tmp_path / ".interview-session").read_text())["sessionId"]


def test_coding_errors_are_one_line_with_the_right_exit_code(sqlite_url: str, tmp_path: Path) -> None:
    solution, session_id = _practice_folder(tmp_path, sqlite_url)
    marker = (tmp_path / ".interview-session").read_text()

    # Failing samples exit non-zero (the starter code returns nothing useful).
    failing = run("coding", "run", "backend-lru-cache", str(solution), database_url=sqlite_url)
    assert failing.returncode == 1 and "samples pass" in failing.stdout

    # A missing entry function is said in words, once, not as the harness's KeyError.
    solution.write_text("def run_cach(capacity, operations):\n    return []\n")
    missing = run("coding", "run", "backend-lru-cache", str(solution), database_url=sqlite_url)
    assert missing.returncode == 1
    assert "does not define a function named run_cache" in missing.stdout and "KeyError" not in missing.stdout

    # Another problem's id in this folder is refused, and the session file is left alone.
    other = run("coding", "run", "backend-lfu-cache", str(solution), database_url=sqlite_url)
    assert other.returncode != 0 and "not backend-lfu-cache" in other.stderr
    assert len(other.stderr.strip().splitlines()) == 1 and "Traceback" not in other.stderr
    assert (tmp_path / ".interview-session").read_text() == marker

    # A wrong id with no session file is one line too.
    unknown = run("coding", "run", "no-such-problem", str(tmp_path / "elsewhere.py"), database_url=sqlite_url)
    assert unknown.returncode != 0 and len(unknown.stderr.strip().splitlines()) == 1

    # A submit keeps the session open (submit again, or end it); after the end, a run is refused instead of
    # silently starting a new session.
    submitted = run("coding", "submit", "backend-lru-cache", str(solution), database_url=sqlite_url)
    assert submitted.returncode == 0 and "the last submission is graded" in submitted.stdout
    assert run("coding", "end", "backend-lru-cache", str(solution), "--yes", database_url=sqlite_url).returncode == 0
    after = run("coding", "run", "backend-lru-cache", str(solution), database_url=sqlite_url)
    assert after.returncode != 0 and "has ended" in after.stderr
    assert session_id in (tmp_path / ".interview-session").read_text()


def test_delete_asks_first(sqlite_url: str, tmp_path: Path) -> None:
    _, session_id = _practice_folder(tmp_path, sqlite_url)
    refused = run("delete", session_id, database_url=sqlite_url, stdin="n\n")
    assert refused.returncode == 1 and "Delete session" in refused.stderr
    assert run("summary", session_id, database_url=sqlite_url).returncode == 0  # still there
    confirmed = run("delete", session_id, database_url=sqlite_url, stdin="y\n")
    assert confirmed.returncode == 0 and "deleted session" in confirmed.stdout
    assert run("summary", session_id, database_url=sqlite_url).returncode == 3
    _, other = _practice_folder(tmp_path / "again", sqlite_url)
    assert run("delete", other, "--yes", database_url=sqlite_url).returncode == 0


def test_a_submit_shows_its_grading_progress_on_a_terminal(sqlite_url: str, tmp_path: Path) -> None:
    """On a terminal the CLI waits for the grading job with a progress bar naming its step."""
    import pty

    from interview_live_coding.plugin import module

    solution = tmp_path / "solution.py"
    solution.write_text(module().pack.problems["backend-lru-cache"].reference)
    env = dict(os.environ, INTERVIEW_DATABASE_URL=sqlite_url, INTERVIEW_USER="cli@example.com", COLUMNS="200")
    env.pop("NO_COLOR", None)
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [str(INTERVIEW), "coding", "submit", "backend-lru-cache", str(solution)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,  # the verdict; the bar goes to stderr, the terminal
        stderr=secondary,
        env=env,
    )
    os.close(secondary)
    seen = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(primary)
    assert process.wait(timeout=120) == 0
    shown = seen.decode("utf-8", "replace")
    assert "submit: tests: basic" in shown  # the job's step as it ran
