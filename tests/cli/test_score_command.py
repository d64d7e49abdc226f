"""`interview score`: one text judged as a session would judge it, with a fixed JSON shape."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

INTERVIEW = Path(sys.executable).parent / "interview"


def run(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, INTERVIEW_DATABASE_URL=database_url, INTERVIEW_USER="cli@example.com", COLUMNS="200")
    return subprocess.run([str(INTERVIEW), *args], capture_output=True, text=True, env=env, timeout=120)


def _score(tmp_path: Path, sqlite_url: str, *args: str, text: str) -> tuple[int, str, str]:
    path = tmp_path / "text.txt"
    path.write_text(text, encoding="utf-8")
    result = run("score", *args, "--text-file", str(path), database_url=sqlite_url)
    return result.returncode, result.stdout, result.stderr


def test_a_short_clear_narration_earns_credit_and_filler_does_not(tmp_path: Path, sqlite_url: str) -> None:
    code, out, err = _score(
        tmp_path, sqlite_url, "coding_narration", "backend-maintenance-windows", "--json",
        text="Sort the windows by start and merge neighbours that overlap.",
    )  # fmt: skip
    assert code == 0, err
    found = json.loads(out)
    assert set(found) >= {"score", "keyPoints", "misconceptions", "scorer"}
    assert found["score"] >= 4.0 and found["keyPoints"][0]["credited"]
    assert found["keyPoints"][0]["evidence"] == "Sort the windows by start and merge neighbours that overlap."
    filler = "Um so basically I just wrote the code and it works fine, it should be fast and clean and all good."
    code, out, _ = _score(
        tmp_path, sqlite_url, "coding_narration", "backend-maintenance-windows", "--json", text=filler
    )
    assert code == 0 and json.loads(out)["score"] <= 1.0


def test_a_wrong_mechanism_is_a_misconception(tmp_path: Path, sqlite_url: str) -> None:
    code, out, err = _score(
        tmp_path, sqlite_url, "debug_diagnosis", "be-mid-post-tags", "--location", "posts.py:18", "--json",
        text="It's a race condition between requests adding tags to the wrong post, so I put a lock around add_tag.",
    )  # fmt: skip
    assert code == 0, err
    found = json.loads(out)
    assert found["misconceptions"] and found["score"] <= 1.5
    assert all(m["evidence"] for m in found["misconceptions"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nonsense", "be-db-01"), "kind"),
        (("screen_answer", "no-such-question"), "no-such-question"),
        (("debug_diagnosis", "no-such-scenario"), "no-such-scenario"),
    ],
)
def test_a_bad_kind_or_item_is_a_one_line_error(
    tmp_path: Path, sqlite_url: str, args: tuple[str, ...], message: str
) -> None:
    code, out, err = _score(tmp_path, sqlite_url, *args, text="some text")
    assert code != 0 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err and "Traceback" not in err


def test_a_missing_file_is_a_one_line_error(sqlite_url: str, tmp_path: Path) -> None:
    result = run(
        "score", "screen_answer", "be-db-01", "--text-file", str(tmp_path / "nope.txt"), database_url=sqlite_url
    )
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
