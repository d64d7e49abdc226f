"""``interview screen`` and ``interview agent``.

::

    interview screen --track backend --difficulty mid      # a typed screen in the terminal
    interview screen start --track backend --difficulty mid [--json]   # a voice session (+ signed URL)
    interview screen fetch SESSION_ID [--wait 60] [--json] # a voice session's call analysis, any time
    interview screen decide --json < input.json            # the rubric decision for given scores
    interview agent sync [--dry-run]                       # build and upload the ElevenLabs agent
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from interview_engine import unstructure
from interview_engine.commands import current
from interview_engine.errors import InvalidInput

__all__ = ["agent", "screen"]

TRACKS = click.Choice(["backend", "frontend", "mobile"])
LEVELS = click.Choice(["mid", "senior"])
COMMANDS = {"hint": "hint", "skip": "skip", "end": "end", "/hint": "hint", "/skip": "skip", "/end": "end"}


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, sort_keys=False))


@click.group("screen", invoke_without_command=True)
@click.option("--track", type=TRACKS, help="backend, frontend or mobile")
@click.option("--difficulty", type=LEVELS, help="mid or senior")
@click.pass_context
def screen(ctx: click.Context, track: str | None, difficulty: str | None) -> None:
    """Practise the phone screen: typed in the terminal (answers from stdin; type hint, skip or end)."""
    if ctx.invoked_subcommand is not None:
        return
    if track is None or difficulty is None:
        raise InvalidInput("--track and --difficulty are required", field="track" if track is None else "difficulty")
    _run_typed_screen(track, difficulty)


def _run_typed_screen(track: str, difficulty: str) -> None:
    from interview_voice_screen.bank import MODULE_NAME

    context = current()
    engine, user = context.engine, context.user
    session = engine.start_session(
        user_id=user.id, module=MODULE_NAME, track=track, difficulty=difficulty, options={"mode": "offline"}
    )
    stdin = sys.stdin
    interactive = stdin.isatty()
    reply = engine.act(session.id, "next", user_id=user.id).data
    click.echo(f"interviewer> {reply['message']}")
    if interactive:
        click.echo("(an answer may span lines: an empty line or Ctrl-D sends it; hint, skip or end go on a line alone)")
    while not reply["done"]:
        if interactive:
            click.echo("you> ", nl=False)
        first = stdin.readline()
        if not first:
            break  # EOF ends the screen
        command = COMMANDS.get(first.strip().lower())
        if command == "end":
            break
        if command in ("hint", "skip"):
            reply = engine.act(session.id, command, user_id=user.id).data
        else:
            text, ended = _read_answer(stdin, first, interactive)
            reply = engine.act(session.id, "answer", {"text": text}, user_id=user.id).data
            if ended and not text.strip():
                break
        click.echo(f"interviewer> {reply['message']}")
    engine.end_session(session.id, user_id=user.id)
    _print_summary(engine.summary(session.id, user_id=user.id))


def _read_answer(stdin: Any, first: str, interactive: bool) -> tuple[str, bool]:
    """One answer: ``first`` and the lines after it up to an empty line or the end of input.

    Returns the answer's text and whether the input ended (Ctrl-D) while reading it.
    """
    lines = [first.rstrip("\n")]
    if not first.strip():
        return "", False  # an empty line on its own sends an empty answer, as before
    while True:
        if interactive:
            click.echo("...> ", nl=False)
        line = stdin.readline()
        if not line:
            return "\n".join(lines).strip(), True
        if not line.strip():
            return "\n".join(lines).strip(), False
        lines.append(line.rstrip("\n"))


def _print_summary(summary: Any) -> None:
    evaluation = summary.evaluation
    view = summary.view
    click.echo("")
    click.echo(f"== Phone screen summary ({summary.session.track.value}, {summary.session.difficulty.value}) ==")
    click.echo(f"session {summary.session.id}   kb {summary.session.kb_version}")
    if evaluation is not None:
        click.echo(f"decision: {evaluation.decision.value}   weighted average: {evaluation.weighted_average:.2f}")
        click.echo("scores: " + ", ".join(f"{name} {value:.2f}" for name, value in evaluation.scores.items()))
        metrics = evaluation.metrics
        click.echo(
            f"questions attempted {metrics.get('questionsAttempted', 0):g} "
            f"of {metrics.get('questionsAsked', 0):g}, "
            f"hints {metrics.get('hintsUsed', 0):g}, misconceptions {metrics.get('misconceptions', 0):g}, "
            f"topics {metrics.get('topicsCovered', 0):g}"
        )
        click.echo("rationale:")
        for line in evaluation.rationale:
            click.echo(f"  - {line}")
        if evaluation.next_steps:
            click.echo("next steps:")
            for line in evaluation.next_steps:
                click.echo(f"  - {line}")
    click.echo(f"strong topics: {', '.join(view['strongTopics']) or '-'}")
    click.echo(f"weak topics: {', '.join(view['weakTopics']) or '-'}")
    for question in view["questions"]:
        score = "skipped" if not question["attempted"] else f"{question['score']:.1f}/5"
        click.echo(f"\nQ{question['number']} [{question['topic']}, {question['difficulty']}] {score}")
        click.echo(f"  {question['prompt']}")
        if question["matched"]:
            click.echo(f"  covered: {'; '.join(question['matched'])}")
        if question["missed"]:
            click.echo(f"  missed: {'; '.join(question['missed'])}")
        if question["misconceptions"]:
            click.echo(f"  misconceptions: {'; '.join(question['misconceptions'])}")
        if question.get("canonicalAnswer"):
            click.echo(f"  model answer: {question['canonicalAnswer']}")


@screen.command("start")
@click.option("--track", type=TRACKS, required=True)
@click.option("--difficulty", type=LEVELS, required=True)
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
def start(track: str, difficulty: str, as_json: bool) -> None:
    """Create a voice session; with ELEVENLABS_API_KEY set, also print its signed URL."""
    from interview_voice_screen.bank import MODULE_NAME
    from interview_voice_screen.voice.settings import VoiceSettings

    if not VoiceSettings.from_env().configured:
        # Such a session could never be analysed: it would end as a 0.00 "awaiting analysis".
        raise InvalidInput(
            "no voice service is configured (set ELEVENLABS_API_KEY); for the typed screen run "
            f"`interview screen --track {track} --difficulty {difficulty}`",
            field="ELEVENLABS_API_KEY",
        )
    context = current()
    engine, user = context.engine, context.user
    session = engine.start_session(
        user_id=user.id, module=MODULE_NAME, track=track, difficulty=difficulty, options={"mode": "voice"}
    )
    out: dict[str, Any] = {
        "sessionId": session.id,
        "track": track,
        "difficulty": difficulty,
        "kbVersion": session.kb_version,
        "agentConfigVersion": session.agent_config_version,
    }
    if VoiceSettings.from_env().configured:
        out.update(engine.act(session.id, "signed_url", user_id=user.id).data)
    if as_json:
        _echo_json(out)
        return
    click.echo(session.id)
    if "signedUrl" in out:
        click.echo(out["signedUrl"])


@screen.command("fetch")
@click.argument("session_id")
@click.option(
    "--wait",
    "wait_s",
    type=click.FloatRange(0, 600),
    default=60.0,
    show_default=True,
    help="seconds to wait for ElevenLabs to finish the analysis",
)
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
def fetch(session_id: str, wait_s: float, as_json: bool) -> None:
    """Fetch a voice session's call analysis from ElevenLabs (for installs the webhook cannot reach)."""
    from interview_voice_screen.voice.fetch import fetch_analysis

    context = current()
    report = fetch_analysis(context.engine, session_id, user_id=context.user.id, deadline_s=wait_s)
    if as_json:
        _echo_json(report)
        return
    messages = {
        "ingested": "analysis fetched and shown beside your scores",
        "duplicate": "the analysis was already here",
        "not_ready": "ElevenLabs has not finished the analysis yet; try again in a minute",
    }
    click.echo(f"{report['conversationId']}: {messages.get(report['status'], report['status'])}")


@screen.command("decide")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
def decide_command(as_json: bool) -> None:
    """Read {track, difficulty, rubric, metrics, topics, disqualifiers} on stdin; print the decision."""
    from interview_voice_screen.bank import knowledge_base
    from interview_voice_screen.evaluation import decide

    raw = sys.stdin.read()
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"not valid JSON: {exc.msg} at line {exc.lineno}", field="$") from exc
    result = decide(knowledge_base(), data)
    if as_json:
        _echo_json(result)
        return
    click.echo(f"{result['decision']} (weighted average {result['weightedAverage']:.2f})")
    for line in result["rationale"]:
        click.echo(f"  - {line}")


@click.group("agent")
def agent() -> None:
    """The ElevenLabs agent behind the voice phone screen."""


@agent.command("sync")
@click.option("--dry-run", is_flag=True, help="print the agent config as JSON without calling ElevenLabs")
def sync(dry_run: bool) -> None:
    """Create or update the agent from the question bank and the rubric."""
    from interview_voice_screen.bank import knowledge_base
    from interview_voice_screen.voice.agent import agent_config_version, build_agent_config
    from interview_voice_screen.voice.settings import VoiceSettings
    from interview_voice_screen.voice.sync import sync_agent

    kb = knowledge_base()
    if dry_run:
        config = build_agent_config(kb)
        _echo_json({"agentConfigVersion": agent_config_version(config), "kbVersion": kb.info.kb_version, **config})
        return
    report = sync_agent(kb, VoiceSettings.from_env())
    _echo_json(unstructure(report))
