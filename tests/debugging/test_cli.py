"""``interview debug``: the terminal workflow, in process through the root command."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from interview_cli.main import cli
from interview_debugging.pack import DebugPack

SCENARIO = "fe-senior-event-bus"


def invoke(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--database-url", url, "--user", "cli@example.com", *args])


def test_scenarios_json_lists_every_cell(sqlite_url: str) -> None:
    result = invoke(sqlite_url, "debug", "scenarios", "--json")
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)
    assert len(items) >= 12
    assert len({(i["track"], i["difficulty"]) for i in items}) == 6


def test_start_run_hint_submit_in_a_directory(sqlite_url: str, tmp_path: Path, pack: DebugPack) -> None:
    scenario = pack.scenarios[SCENARIO]
    work = tmp_path / "bug"
    started = invoke(sqlite_url, "debug", "start", SCENARIO, "--dir", str(work))
    assert started.exit_code == 0, started.output
    for name in ("bus.py", "test_bus.py", "FAILING_OUTPUT.txt", "LOGS.txt", "BUG_REPORT.md", ".interview-session"):
        assert (work / name).is_file(), name
    assert "FAILED" in (work / "FAILING_OUTPUT.txt").read_text()
    assert "emit document:saved to 3 handlers" in (work / "LOGS.txt").read_text()

    ran = invoke(sqlite_url, "debug", "run", SCENARIO, "--dir", str(work))
    assert ran.exit_code == 1 and "FAILED" in ran.output  # a failing run is a failure to scripts and editors

    # A file that is not text is named in one line; a link (it could point anywhere) is left out.
    (work / "junk.py").write_bytes(b"\xff\xfe\x00binary")
    junk = invoke(sqlite_url, "debug", "run", SCENARIO, "--dir", str(work))
    assert junk.exit_code == 2 and "junk.py is not UTF-8 text" in junk.output and "Traceback" not in junk.output
    (work / "junk.py").unlink()
    secret = tmp_path / "secret.py"
    secret.write_text("TOKEN = 'do not send'\n")
    (work / "leak.py").symlink_to(secret)
    linked = invoke(sqlite_url, "debug", "run", SCENARIO, "--dir", str(work))
    assert "leak.py is a link, left out" in linked.output
    (work / "leak.py").unlink()

    hint = invoke(sqlite_url, "debug", "hint", SCENARIO, "--dir", str(work))
    assert hint.exit_code == 0 and "Hint 1/3" in hint.output

    # A first try with no fix: kept, the session stays open, and the words are the web's.
    first = invoke(sqlite_url, "debug", "submit", SCENARIO, "--dir", str(work), "--diagnosis", "not sure yet")
    assert first.exit_code == 0, first.output
    assert "Submission 1 kept" in first.output and "the last submission is graded" in first.output

    for path, text in scenario.fixed_files().items():
        (work / path).write_text(text)
    (work / scenario.regression.file).write_text(scenario.regression.source)
    submitted = invoke(
        sqlite_url,
        "debug",
        "submit",
        SCENARIO,
        "--dir",
        str(work),
        "--diagnosis",
        "EventBus.emit iterates over the live handler list while a once handler removes itself, so the "
        "next handler is skipped. Fixed by iterating over a copy of the list; the regression test shows it.",
        "--location",
        "bus.py:35",
        "--json",
    )
    assert submitted.exit_code == 0, submitted.output
    assert json.loads(submitted.output)["submission"] == 2
    refused = invoke(sqlite_url, "debug", "end", SCENARIO, "--dir", str(work))  # no terminal: not confirmed
    assert refused.exit_code == 1 and "Your last submission is graded" in refused.output
    ended = invoke(sqlite_url, "debug", "end", SCENARIO, "--dir", str(work), "--yes", "--json")
    assert ended.exit_code == 0, ended.output
    data = json.loads(ended.output)
    assert data["submissions"] == 2 and data["ended"] is True
    assert data["result"] == "fixed"  # the last submission is graded, not the first
    assert set(data["rubric"]) == {"diagnosis", "fixCorrectness", "testingRigor", "communication"}
    assert data["rubric"]["testingRigor"] == 5.0
    assert isinstance(data["weighted"], float) and data["evidence"]

    again = invoke(sqlite_url, "debug", "submit", SCENARIO, "--dir", str(work), "--diagnosis", "x")
    assert again.exit_code != 0 and "not active" in again.output and "Traceback" not in again.output


def test_errors_are_one_line_and_a_non_zero_exit(sqlite_url: str, tmp_path: Path) -> None:
    unknown = invoke(sqlite_url, "debug", "start", "no-such-bug", "--dir", str(tmp_path / "x"))
    assert unknown.exit_code != 0 and "no bug scenario" in unknown.output
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    busy = invoke(sqlite_url, "debug", "start", SCENARIO, "--dir", str(tmp_path / "full"))
    assert busy.exit_code != 0 and "not empty" in busy.output
    lost = invoke(sqlite_url, "debug", "hint", SCENARIO)
    assert lost.exit_code != 0 and "interview debug start" in lost.output
