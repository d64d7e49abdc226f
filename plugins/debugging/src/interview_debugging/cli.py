"""``interview debug``: practise a debugging scenario in your own editor.

::

    interview debug scenarios
    interview debug start be-mid-invoice-split --dir ./bug
    interview debug run be-mid-invoice-split --dir ./bug
    interview debug hint be-mid-invoice-split --dir ./bug
    interview debug submit be-mid-invoice-split --dir ./bug --diagnosis "..." --location billing.py:19  # repeatable
    interview debug end be-mid-invoice-split --dir ./bug   # the last submission is graded
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from interview_debugging.results import FixGraded, FixNotGraded, HintShown, ScenarioShown, TestsRan
from interview_engine import InvalidInput, NotFound, NotGraded, Session, SessionStatus, unstructure
from interview_engine.commands import current
from interview_engine.converter import structure

SESSION_FILE = ".interview-session"
_SKIP_DIRS = {"__pycache__", ".git", ".venv", "node_modules"}


def _emit(data: Any, as_json: bool, text: str) -> None:
    click.echo(json.dumps(data, indent=2) if as_json else text)


@click.group("debug")
def debug() -> None:
    """Debugging interviews: diagnose a failing program, fix it, add a regression test."""


@debug.command("scenarios")
@click.option("--track", type=click.Choice(["backend", "frontend", "mobile"]))
@click.option("--difficulty", type=click.Choice(["mid", "senior"]))
@click.option("--tag", help="Only scenarios of this topic.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def scenarios(track: str | None, difficulty: str | None, tag: str | None, as_json: bool) -> None:
    """List the bug scenarios, each marked solved (fixed) or attempted by you."""
    from interview_debugging.pack import MODULE  # the pack module: only when a command runs

    ctx = current()
    items = [i for i in ctx.engine.items(MODULE, track, difficulty) if tag is None or tag in i.topics]
    progress = ctx.engine.progress(ctx.user.id, MODULE)
    if not items and not as_json:
        raise NotFound(f"no bug scenario{f' on {tag!r}' if tag else ''} for these filters", field="--tag")
    lines = []
    for i in items:
        mine = progress.get(i.id)
        mark = f"  [{mine.status}{f', best {mine.best:.2f}' if mine.best is not None else ''}]" if mine else ""
        lines.append(f"{i.id:<28} {i.track.value:<9} {i.difficulty.value:<7} {i.title}{mark}")
        lines.append(f"{'':<28} topics: {', '.join(i.topics)}")
    data = [{**unstructure(i), "progress": unstructure(progress.get(i.id))} for i in items]
    _emit(data, as_json, "\n".join(lines))


def _read_dir(directory: Path) -> dict[str, str]:
    """The working copy: every ``*.py`` under ``directory``, never through a link (it could point anywhere)."""
    files: dict[str, str] = {}
    for path in sorted(directory.rglob("*.py")):
        relative = path.relative_to(directory)
        if any(part in _SKIP_DIRS or part.startswith(".") for part in relative.parts[:-1]):
            continue
        if path.is_symlink() or any(parent.is_symlink() for parent in path.parents if directory in parent.parents):
            click.echo(f"note: {relative} is a link, left out of the working copy", err=True)
            continue
        try:
            files[relative.as_posix()] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise InvalidInput(f"{relative} is not UTF-8 text", field="--dir") from None
        except OSError as exc:
            raise InvalidInput(f"cannot read {relative}: {exc.strerror or exc}", field="--dir") from None
    return files


def _session(scenario_or_session: str, directory: Path | None) -> Session:
    from interview_debugging.pack import MODULE  # the pack module: only when a command runs

    ctx = current()
    if directory is not None and (directory / SESSION_FILE).is_file():
        session_id = (directory / SESSION_FILE).read_text(encoding="utf-8").strip()
        session = ctx.engine.get_session(session_id, user_id=ctx.user.id)
        if scenario_or_session not in (session.item_id, session.id):
            raise InvalidInput(
                f"{directory} holds a session of {session.item_id}, not {scenario_or_session}", field="ID"
            )
        return session
    for session in ctx.engine.store.list_sessions(user_id=ctx.user.id, module=MODULE):
        if session.id == scenario_or_session or (
            session.item_id == scenario_or_session and session.status is SessionStatus.ACTIVE
        ):
            return session
    raise NotFound(f"no debugging session for {scenario_or_session}; start one with `interview debug start`")


@debug.command("start")
@click.argument("scenario_id")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--force", is_flag=True, help="Overwrite files already in the directory.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def start(scenario_id: str, directory: Path, force: bool, as_json: bool) -> None:
    """Start a session and write the scenario's files into DIR."""
    from interview_debugging.pack import MODULE  # the pack module: only when a command runs

    ctx = current()
    scenario = next((i for i in ctx.engine.items(MODULE) if i.id == scenario_id), None)
    if scenario is None:
        raise NotFound(f"no bug scenario {scenario_id!r} (see `interview debug scenarios`)", field="ID")
    if directory.exists() and any(directory.iterdir()) and not force:
        raise InvalidInput(f"{directory} is not empty; use --force to overwrite", field="--dir")
    session = ctx.engine.start_session(
        user_id=ctx.user.id,
        module=MODULE,
        track=scenario.track,
        difficulty=scenario.difficulty,
        options={"scenarioId": scenario_id},
    )
    shown = structure(ctx.engine.act(session.id, "scenario", user_id=ctx.user.id).data, ScenarioShown)
    directory.mkdir(parents=True, exist_ok=True)
    for path, text in {**shown.files, **shown.visibleTests}.items():
        target = directory / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    (directory / "FAILING_OUTPUT.txt").write_text(shown.failingOutput, encoding="utf-8")
    (directory / "LOGS.txt").write_text(shown.logs, encoding="utf-8")
    report = f"# {shown.title}\n\n{shown.description.strip()}\n"
    (directory / "BUG_REPORT.md").write_text(report, encoding="utf-8")
    (directory / SESSION_FILE).write_text(session.id + "\n", encoding="utf-8")
    text = (
        f"Session {session.id}: {shown.title}\n"
        f"Files are in {directory}: BUG_REPORT.md, FAILING_OUTPUT.txt, LOGS.txt and the program.\n"
        f"Fix the bug, add a regression test in a new test_*.py file, then:\n"
        f"  interview debug run {scenario_id} --dir {directory}\n"
        f'  interview debug submit {scenario_id} --dir {directory} --diagnosis "..." --location FILE:LINE'
    )
    _emit({"sessionId": session.id, "scenario": shown.id, "dir": str(directory)}, as_json, text)


@debug.command("run")
@click.argument("scenario_id")
@click.option("--dir", "directory", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def run(scenario_id: str, directory: Path, as_json: bool) -> None:
    """Run the visible tests and your own test_*.py files on the files in DIR."""
    ctx = current()
    session = _session(scenario_id, directory)
    data = ctx.act(session.id, "run", {"files": _read_dir(directory)})
    ran = structure(data, TestsRan)
    _emit(data, as_json, ran.output.rstrip())
    if ran.failed:
        raise SystemExit(1)  # scripts and editors see a failing run as a failure, as `coding run` does


@debug.command("hint")
@click.argument("scenario_id")
@click.option("--dir", "directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def hint(scenario_id: str, directory: Path | None, as_json: bool) -> None:
    """Reveal the next hint (each one lowers the diagnosis score)."""
    ctx = current()
    session = _session(scenario_id, directory)
    data = ctx.engine.act(session.id, "hint", user_id=ctx.user.id).data
    shown = structure(data, HintShown)
    text = f"Hint {shown.number}/{shown.hintsAvailable}: {shown.hint}"
    _emit(data, as_json, text)


#: The web app's words for resubmission, so both say the same.
RESUBMIT = "Submit again to improve it, or end the session to get your evaluation: the last submission is graded."


@debug.command("submit")
@click.argument("scenario_id")
@click.option("--dir", "directory", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True)
@click.option("--diagnosis", required=True, help="What the bug is and why it happens.")
@click.option("--location", default="", help="Where it is: FILE:LINE or FILE:function.")
@click.option("--end", "end_now", is_flag=True, help="End the session after this submission and print the evaluation.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def submit(scenario_id: str, directory: Path, diagnosis: str, location: str, end_now: bool, as_json: bool) -> None:
    """Submit your fix, regression test and diagnosis; submit again as often as you like, `end` grades the last."""
    ctx = current()
    session = _session(scenario_id, directory)
    payload = {"files": _read_dir(directory), "diagnosis": diagnosis, "location": location}
    data = ctx.act(session.id, "submit", payload)
    answer = structure(data, FixGraded | FixNotGraded)  # type: ignore[arg-type]
    if isinstance(answer, FixNotGraded):  # the sandbox failed: nothing was scored, the session stays open
        raise NotGraded(answer.message or "not graded: the sandbox failed, try again")
    if end_now:
        _end_and_report(session, as_json)
        return
    number = len(ctx.engine.store.submissions(session.id, kind="submit"))
    hidden = answer.hidden
    passed, total = sum(g.passed for g in hidden), sum(g.total for g in hidden)
    lines = [f"Submitted: hidden tests {passed} of {total} passed"]
    lines += [f"  {g.group:<15} {g.passed}/{g.total}" for g in hidden]
    regression = answer.regression
    if regression:
        lines.append(
            f"Your regression test: on the bug {regression.onBug}, on your fix {regression.onYourFix}, "
            f"{regression.mutantsCaught} of {regression.mutantsTotal} planted variants caught."
        )
    lines.append(f"Submission {number} kept. {RESUBMIT}")
    lines.append(f"next: interview debug end {scenario_id} --dir {directory}")
    _emit({**data, "sessionId": session.id, "submission": number, "ended": False}, as_json, "\n".join(lines))


@debug.command("end")
@click.argument("scenario_id")
@click.option("--dir", "directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def end(scenario_id: str, directory: Path | None, yes: bool, as_json: bool) -> None:
    """End the session: the last submission is graded and the evaluation printed."""
    ctx = current()
    session = _session(scenario_id, directory)
    if not yes:
        submitted = ctx.engine.store.submissions(session.id, kind="submit")
        # Without a terminal (or on "n") this aborts with exit code 1 and ends nothing.
        click.confirm(
            "End the session now? Your last submission is graded and you cannot submit again."
            if submitted
            else "End the session without submitting a fix? It is graded as not fixed.",
            abort=True,
            err=True,
        )
    _end_and_report(session, as_json)


def _end_and_report(session: Session, as_json: bool) -> None:
    ctx = current()
    ctx.engine.end_session(session.id, user_id=ctx.user.id)
    evaluation = ctx.engine.store.get_evaluation(session.id)
    submitted = len(ctx.engine.store.submissions(session.id, kind="submit"))
    data: dict[str, Any] = {"sessionId": session.id, "ended": True, "submissions": submitted, "result": None}
    if evaluation is not None:
        data.update(
            result=evaluation.result,
            rubric=dict(evaluation.scores),
            weighted=evaluation.weighted_average,
            decision=evaluation.decision.value,
            evidence=[unstructure(e) for e in evaluation.evidence],
            nextSteps=list(evaluation.next_steps),
        )
    lines = [f"Session ended after {submitted} submission(s); the last one is graded."]
    lines.append(f"Result: {data['result']}  (weighted {data.get('weighted', 0.0):.2f}, {data.get('decision')})")
    lines += [f"  {name:<15} {score:.2f}" for name, score in data.get("rubric", {}).items()]
    lines += [f"- [{e['dimension']}] {e['text']}" for e in data.get("evidence", [])]
    lines += [f"Next: {step}" for step in data.get("nextSteps", [])]
    _emit(data, as_json, "\n".join(lines))
