"""`interview screen` and `interview agent` as a user runs them: real processes, piped stdin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from interview_engine import Engine
from tests.voice_screen.fake_elevenlabs import FakeElevenLabs, conversation_payload

INTERVIEW = Path(sys.executable).parent / "interview"


def run(*args: str, database_url: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)  # the autouse fixture removed any ElevenLabs settings
    env.update(INTERVIEW_DATABASE_URL=database_url, INTERVIEW_USER="screen@example.com", COLUMNS="200")
    return subprocess.run([str(INTERVIEW), *args], capture_output=True, text=True, env=env, input=stdin, timeout=120)


def test_typed_screen_with_piped_answers(sqlite_url: str) -> None:
    answers = "\n".join(
        [
            "It depends; for example in production we measured the latency because it matters.",
            "",  # an empty line ends a (possibly multi-line) answer
            "hint",
            "I do not know",
            "",
            "skip",
            "end",
            "this line is never read",
        ]
    )
    result = run("screen", "--track", "backend", "--difficulty", "mid", database_url=sqlite_url, stdin=answers)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("interviewer> Hi, thanks for joining.")
    assert "Here's a pointer:" in out
    assert "Sure, let's skip that one." in out
    assert "== Phone screen summary (backend, mid) ==" in out
    assert "decision: hold" in out and "model answer:" in out
    assert "questions attempted >= 20: failed" in out


def test_eof_ends_the_screen(sqlite_url: str) -> None:
    result = run("screen", "--track", "mobile", "--difficulty", "senior", database_url=sqlite_url, stdin="")
    assert result.returncode == 0, result.stderr
    assert "== Phone screen summary (mobile, senior) ==" in result.stdout


def test_screen_without_options_is_one_line_error(sqlite_url: str) -> None:
    result = run("screen", database_url=sqlite_url)
    assert result.returncode != 0
    assert "track" in result.stderr and "Traceback" not in result.stderr


def test_decide_reads_stdin_and_names_bad_fields(sqlite_url: str) -> None:
    good = {
        "track": "frontend",
        "difficulty": "mid",
        "rubric": {"correctness": 4, "depth": 4, "practicality": 3.5, "clarity": 4, "autonomy": 5},
        "metrics": {"questionsAttempted": 20, "hintsUsed": 4, "misconceptions": 1},
        "topics": {"react": 4, "css-layout": 4, "accessibility": 4, "javascript": 4, "web-security": 4},
        "disqualifiers": [],
    }
    result = run("screen", "decide", "--json", database_url=sqlite_url, stdin=json.dumps(good))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["decision"] == "advance" and out["weightedAverage"] == 3.95 and out["failedRules"] == []
    bad = run("screen", "decide", "--json", database_url=sqlite_url, stdin=json.dumps({**good, "rubric": {}}))
    assert bad.returncode != 0
    assert bad.stderr.strip().count("\n") == 0 and "rubric.correctness" in bad.stderr


def test_agent_sync_dry_run_prints_the_complete_config(sqlite_url: str) -> None:
    result = run("agent", "sync", "--dry-run", database_url=sqlite_url)
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    assert len(config["agentConfigVersion"]) == 16
    agent = config["conversation_config"]["agent"]
    assert "{{track}}" in agent["first_message"] and agent["prompt"]["prompt"]
    assert len(agent["prompt"]["knowledge_base"]) == len(config["knowledge_base_documents"]) == 24
    assert config["conversation_config"]["conversation"]["max_duration_seconds"] == 1800
    assert len(config["platform_settings"]["evaluation"]["criteria"]) == 3
    assert config["platform_settings"]["auth"] == {"enable_auth": True}


def test_screen_start_prints_session_and_signed_url(sqlite_url: str, fake_elevenlabs: FakeElevenLabs) -> None:
    synced = run("agent", "sync", database_url=sqlite_url)
    assert synced.returncode == 0, synced.stderr
    assert json.loads(synced.stdout)["status"] == "created"
    started = run("screen", "start", "--track", "backend", "--difficulty", "senior", "--json", database_url=sqlite_url)
    assert started.returncode == 0, started.stderr
    out = json.loads(started.stdout)
    assert out["signedUrl"].startswith("wss://") and out["conversationId"] == "conv_1"
    assert out["dynamicVariables"]["session_id"] == out["sessionId"]


def test_screen_fetch_brings_the_analysis_after_the_call(sqlite_url: str, fake_elevenlabs: FakeElevenLabs) -> None:
    assert run("agent", "sync", database_url=sqlite_url).returncode == 0
    started = run("screen", "start", "--track", "backend", "--difficulty", "mid", "--json", database_url=sqlite_url)
    out = json.loads(started.stdout)
    session_id, conversation_id = out["sessionId"], out["conversationId"]
    # The call happened and ended before the analysis was made: nothing is ready yet.
    fake_elevenlabs.conversations[conversation_id] = conversation_payload(conversation_id, session_id)
    fake_elevenlabs.pending_polls[conversation_id] = 1
    early = run("screen", "fetch", session_id, "--wait", "0", "--json", database_url=sqlite_url)
    assert early.returncode == 0, early.stderr
    assert json.loads(early.stdout)["status"] == "not_ready"
    fetched = run("screen", "fetch", session_id, "--wait", "0", database_url=sqlite_url)
    assert fetched.returncode == 0, fetched.stderr
    assert fetched.stdout.strip() == f"{conversation_id}: analysis fetched and shown beside your scores"
    again = run("screen", "fetch", session_id, "--json", database_url=sqlite_url)
    assert json.loads(again.stdout)["status"] == "duplicate"
    missing = run("screen", "fetch", "no-such-session", database_url=sqlite_url)
    assert missing.returncode != 0 and missing.stderr.strip().count("\n") == 0 and "no-such-session" in missing.stderr


def test_a_multi_line_answer_is_one_answer(sqlite_url: str) -> None:
    answers = "An index is a B-tree of keys pointing to rows.\nReads get faster; writes pay to maintain it.\n\nend\n"
    result = run("screen", "--track", "backend", "--difficulty", "mid", database_url=sqlite_url, stdin=answers)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("interviewer> ") == 2  # the opening and one reply: two lines, one answer
    engine = Engine.create(sqlite_url)
    try:
        (session,) = engine.list_sessions()
        said = [s.text for s in engine.store.transcript(session.id) if s.speaker == "candidate"]
    finally:
        engine.close()
    assert said == ["An index is a B-tree of keys pointing to rows.\nReads get faster; writes pay to maintain it."]


def test_end_of_input_sends_the_last_answer(sqlite_url: str) -> None:
    answers = "Line one of my answer.\nLine two, then Ctrl-D"
    result = run("screen", "--track", "backend", "--difficulty", "mid", database_url=sqlite_url, stdin=answers)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("interviewer> ") == 2


def test_screen_start_without_a_voice_key_creates_nothing(sqlite_url: str) -> None:
    assert run("db", "upgrade", database_url=sqlite_url).returncode == 0
    result = run("screen", "start", "--track", "backend", "--difficulty", "mid", database_url=sqlite_url)
    assert result.returncode != 0
    assert "ELEVENLABS_API_KEY" in result.stderr and "interview screen --track backend" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    engine = Engine.create(sqlite_url)
    try:
        assert engine.list_sessions() == []
    finally:
        engine.close()
