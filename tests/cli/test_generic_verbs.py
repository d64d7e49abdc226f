"""``interview actions|start|act|end``: every module's actions from its declarations, with no CLI change.

The flash-card test plugin (a third party: tests/engine/flashcards_plugin) is installed only through
``PYTHONPATH``, the way pip would put it on the path; the CLI names no module.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from interview_engine import InvalidInput
from interview_engine.actions import declared_actions, validate_payload

INTERVIEW = Path(sys.executable).parent / "interview"
FLASHCARDS = Path(__file__).parents[1] / "engine" / "flashcards_plugin"

# A second third-party plugin, written for this test: an untyped action and a service-only one.
ECHO_PLUGIN = """
from attrs import evolve
from interview_engine import Action, ActionResult, Caller, PackInfo, hookimpl


class Echo:
    name = "echo"
    title = "Echo"
    description = "Says back what it is sent."
    actions = ("free", Action("ingest", callers=Caller.SERVICE))

    def pack_info(self):
        return PackInfo(module="echo", name="echo", version="1")

    def start(self, ctx, session, options):
        return evolve(session, state={})

    def act(self, ctx, session, action, payload):
        return ActionResult(session=session, data={"echo": dict(payload)})


@hookimpl
def register_modules():
    return [Echo()]
"""


@pytest.fixture
def plugins_path(tmp_path: Path) -> str:
    echo = tmp_path / "echo_plugin"
    info = echo / "echo_plugin-1.0.dist-info"
    info.mkdir(parents=True)
    (echo / "echo_plugin.py").write_text(ECHO_PLUGIN)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: echo-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[interview_engine]\necho = echo_plugin\n")
    return os.pathsep.join([str(FLASHCARDS), str(echo)])


def run(*args: str, url: str, path: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, INTERVIEW_DATABASE_URL=url, INTERVIEW_USER="verbs@example.com", PYTHONPATH=path)
    env["COLUMNS"] = "200"
    return subprocess.run([str(INTERVIEW), *args], capture_output=True, text=True, env=env, timeout=120)


def one_line_error(result: subprocess.CompletedProcess[str], code: int) -> str:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_third_party_module_is_practised_end_to_end_through_the_generic_verbs(
    sqlite_url: str, plugins_path: str, tmp_path: Path
) -> None:
    listed = run("actions", "flashcards", "--json", url=sqlite_url, path=plugins_path)
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == [
        {
            "module": "flashcards",
            "action": "answer",
            "cost": "cheap",
            "fields": ["text"],
            "typed": True,
            "description": "Answer the card.",
        }
    ]
    started = run("start", "flashcards", "--option", "card=tcp-close", "--json", url=sqlite_url, path=plugins_path)
    assert started.returncode == 0, started.stderr
    session = json.loads(started.stdout)
    assert (session["module"], session["item_id"], session["status"]) == ("flashcards", "tcp-close", "active")

    # A text field takes the text, or reads it from a file; the result is the declared result type.
    answered = run("act", "flashcards", "answer", session["id"][:8], "--text", "fin", url=sqlite_url, path=plugins_path)
    assert answered.returncode == 0, answered.stderr
    assert json.loads(answered.stdout) == {"score": 2.5}
    answer = tmp_path / "answer.txt"
    answer.write_text("fin ack")
    from_file = run(
        "act", "flashcards", "answer", session["id"], "--text-file", str(answer), url=sqlite_url, path=plugins_path
    )
    assert json.loads(from_file.stdout) == {"score": 5.0}, from_file.stderr

    ended = run("end", session["id"], "--json", url=sqlite_url, path=plugins_path)
    assert json.loads(ended.stdout)["status"] == "evaluated", ended.stderr
    summary = json.loads(run("summary", session["id"], "--json", url=sqlite_url, path=plugins_path).stdout)
    assert [a["text"] for a in summary["view"]["answers"]] == ["fin", "fin ack"]
    assert summary["evaluation"]["scores"]["recall"] == 5.0


def test_a_payload_is_refused_by_the_declaration_the_web_uses_in_one_line_naming_the_field(
    sqlite_url: str, plugins_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = run("start", "flashcards", "--json", url=sqlite_url, path=plugins_path)
    session_id = json.loads(started.stdout)["id"]
    too_long = "x" * 2001
    monkeypatch.syspath_prepend(str(FLASHCARDS))
    from flashcards_plugin import Flashcards

    declared = declared_actions("flashcards", Flashcards.actions)["answer"]
    with pytest.raises(InvalidInput) as web_error:  # what the JSON routes answer with a 400
        validate_payload(declared, {"text": too_long})

    over_cap = run("act", "flashcards", "answer", session_id, "--text", too_long, url=sqlite_url, path=plugins_path)
    assert one_line_error(over_cap, 2) == f"error: {web_error.value}"
    assert str(web_error.value).startswith("text: ")
    cases = {
        ("--payload", '{"text": 5}'): "error: text: $.text: must be a string, got int",
        ("--payload", "[1]"): "error: payload: must be a JSON object",
        ("--payload", "{oops"): "error: payload: not JSON (Expecting property name enclosed in double quotes",
        (): "error: text: required field missing",
        ("--text", "a", "--text-file", "x"): "error: text: give --text or --text-file, not both",
        ("--text-file", "/nonexistent/answer"): "error: text: cannot read /nonexistent/answer",
        ("--txt", "a"): "error: No such option '--txt'",
    }
    for extra, message in cases.items():
        refused = run("act", "flashcards", "answer", session_id, *extra, url=sqlite_url, path=plugins_path)
        assert one_line_error(refused, 2).startswith(message), (extra, refused.stderr)
    # Nothing refused reached the module.
    summary = json.loads(run("summary", session_id, "--json", url=sqlite_url, path=plugins_path).stdout)
    assert summary["view"]["answers"] == []


def test_hostile_payloads_are_one_line_errors_and_store_nothing(sqlite_url: str, plugins_path: str) -> None:
    session_id = json.loads(run("start", "flashcards", "--json", url=sqlite_url, path=plugins_path).stdout)["id"]
    deep = "[" * 5000 + "]" * 5000
    cases = {
        ("--text", "fin\udcff"): "error: text: $.text: is not valid text",  # argv bytes that are not UTF-8
        ("--payload", '{"text": "\\ud800"}'): "error: text: $.text: is not valid text",
        ("--payload", '{"text": "fin", "x": ' + deep + "}"): "error: payload: JSON nested too deeply",
        ("--payload", '{"text": ' + "9" * 5000 + "}"): "error: payload: not usable JSON (Exceeds the limit",
    }
    for extra, message in cases.items():
        refused = run("act", "flashcards", "answer", session_id, *extra, url=sqlite_url, path=plugins_path)
        assert one_line_error(refused, 2).startswith(message), (extra, refused.stderr)
    summary = json.loads(run("summary", session_id, "--json", url=sqlite_url, path=plugins_path).stdout)
    assert summary["view"]["answers"] == []


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("act", "nope"), 3, "error: module: no interview module 'nope' (installed: debugging, echo, flashcards,"),
        (("act", "flashcards", "ask", "x"), 3, "error: action: flashcards has no action 'ask' for candidates"),
        (
            ("act", "echo", "ingest", "x"),
            3,
            "error: action: echo has no action 'ingest' for candidates (actions: free)",
        ),
        (("act", "flashcards", "answer"), 2, "error: session_id: Missing argument 'SESSION_ID'."),
        (("act", "flashcards", "answer", "f" * 32, "--text", "a"), 3, "error: session_id: no session"),
        (("start", "flashcards", "--track", "web"), 2, "error: track: must be one of backend, frontend, mobile"),
        (("start", "flashcards", "--option", "card"), 2, "error: --option: must be KEY=VALUE, got 'card'"),
        (("start", "nope"), 3, "error: module: no interview module 'nope'"),
        (("actions", "nope"), 3, "error: module: no interview module 'nope'"),
    ],
)
def test_unknown_modules_actions_and_bad_arguments_are_one_line_errors(
    sqlite_url: str, plugins_path: str, args: tuple[str, ...], code: int, message: str
) -> None:
    result = run(*args, url=sqlite_url, path=plugins_path)
    assert one_line_error(result, code).startswith(message)


def test_an_untyped_action_takes_its_payload_as_json_and_a_session_stays_with_its_module(
    sqlite_url: str, plugins_path: str
) -> None:
    echo = json.loads(run("start", "echo", "--json", url=sqlite_url, path=plugins_path).stdout)
    said = run("act", "echo", "free", echo["id"], "--payload", '{"n": [1, 2]}', url=sqlite_url, path=plugins_path)
    assert json.loads(said.stdout) == {"echo": {"n": [1, 2]}}, said.stderr
    help_text = run("act", "echo", "--help", url=sqlite_url, path=plugins_path).stdout
    assert "free" in help_text and "ingest" not in help_text  # service-only: no candidate door
    other = run("act", "flashcards", "answer", echo["id"], "--text", "syn", url=sqlite_url, path=plugins_path)
    assert one_line_error(other, 2) == f"error: session_id: session {echo['id']} is not a flashcards session"


def test_a_bundled_sandbox_action_runs_through_the_same_verb(
    sqlite_url: str, plugins_path: str, tmp_path: Path
) -> None:
    started = run(
        "start", "live_coding", "--option", "problemId=backend-lru-cache", "--json", url=sqlite_url, path=plugins_path
    )
    assert started.returncode == 0, started.stderr
    session_id = json.loads(started.stdout)["id"]
    prompt = json.loads(run("act", "live_coding", "prompt", session_id, url=sqlite_url, path=plugins_path).stdout)
    solution = tmp_path / "solution.py"
    solution.write_text(prompt["starterCode"])
    ran = run(
        "act", "live_coding", "run", session_id, "--source-file", str(solution), url=sqlite_url, path=plugins_path
    )
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["failed"] >= 1  # the starter code passes no sample test


def test_a_group_without_its_own_wording_still_names_its_commands() -> None:
    import click

    from interview_cli.action_commands import _OneLineGroup
    from interview_engine import NotFound

    group = _OneLineGroup("tools", commands=[click.Command("lint"), click.Command("fmt")])
    with pytest.raises(NotFound) as refused:
        group.resolve_command(click.Context(group), ["lnit"])
    assert str(refused.value) == "command: tools has no command 'lnit' (commands: fmt, lint)"
    assert refused.value.field == "command"
