"""``interview coding``: practise live coding from a terminal, in your own editor.

::

    interview coding problems --track backend --difficulty mid
    interview coding start backend-lru-cache --dir ./lru      # STATEMENT.md, solution.py, .interview-session
    interview coding run backend-lru-cache ./lru/solution.py   # the samples, with output
    interview coding submit backend-lru-cache ./lru/solution.py --complexity "O(n)" --notes notes.md  # again and again
    interview coding end backend-lru-cache ./lru/solution.py   # the last submission is graded
    interview coding complexity mine.py --entry solve --input-generator gen.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from interview_engine.commands import current
from interview_engine.converter import structure, unstructure
from interview_engine.domain import Session, SessionStatus
from interview_engine.errors import Conflict, InvalidInput, NotFound, NotGraded
from interview_engine.progress import ItemProgress
from interview_engine.runner import GrowthReport, Limits
from interview_live_coding.results import Prompt, SamplesRan, SubmitGraded, SubmitNotGraded
from interview_live_coding.views import CodingSummary

__all__ = ["SESSION_FILE", "coding"]

SESSION_FILE = ".interview-session"
MODULE = "live_coding"
#: Sizes for ``complexity``: small ones first (exponential code cannot go further), then large ones.
SMALL_SIZES = (8, 10, 12, 14, 16, 18)
LARGE_SIZES = (100, 200, 400, 800, 1600)
GROWTH_LIMITS = Limits(fuel=6_000_000_000, wall_ms=20_000)

console = Console()


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(unstructure(data), indent=2, ensure_ascii=False))


def _read(path: str, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read {path}: {exc}", field=what) from exc


@click.group("coding")
def coding() -> None:
    """Live coding: timed problems, sample runs, hidden tests and a rubric."""


@coding.command("problems")
@click.option("--track", type=click.Choice(["backend", "frontend", "mobile"]))
@click.option("--difficulty", type=click.Choice(["mid", "senior"]))
@click.option("--tag", help="Only problems of this topic (see the topics column).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def problems(track: str | None, difficulty: str | None, tag: str | None, as_json: bool) -> None:
    """List the problems, each marked solved or attempted by you."""
    ctx = current()
    items = [i for i in ctx.engine.items(MODULE, track, difficulty) if tag is None or tag in i.topics]
    progress = ctx.engine.progress(ctx.user.id, MODULE)
    if as_json:
        _echo_json([{**unstructure(i), "progress": unstructure(progress.get(i.id))} for i in items])
        return
    if not items:
        raise NotFound(f"no coding problem{f' on {tag!r}' if tag else ''} for these filters", field="--tag")
    # Plain lines, not a table: nothing is cut off in a narrow terminal, and grep finds an id.
    for item in items:
        mine = progress.get(item.id)
        mark = f"  [{progress_text(mine)}]" if mine else ""
        where = f"{item.track.value:<9} {item.difficulty.value:<7} {item.summary:<7}"
        click.echo(f"{item.id:<34} {where} {item.title}{mark}")
        click.echo(f"{'':<34} topics: {', '.join(item.topics)}")


def progress_text(mine: ItemProgress | None) -> str:
    """``solved · best 4.20``, ``attempted · 2 sessions`` or nothing: how the candidate did on an item."""
    if mine is None:
        return ""
    best = f" · best {mine.best:.2f}" if mine.best is not None else ""
    return f"{mine.status}{best} · {mine.attempts} session{'s' if mine.attempts != 1 else ''}"


def _start(problem_id: str) -> Session:
    ctx = current()
    found = next((i for i in ctx.engine.items(MODULE) if i.id == problem_id), None)
    if found is None:
        raise NotFound(f"no coding problem {problem_id!r} (see `interview coding problems`)", field="problemId")
    return ctx.engine.start_session(
        user_id=ctx.user.id,
        module=MODULE,
        track=found.track,
        difficulty=found.difficulty,
        options={"problemId": problem_id},
    )


def _session_for(problem_id: str, file: Path, *, start: bool = True) -> Session:
    """The active session recorded next to ``file`` for this problem; a new one only where none is recorded.

    With ``start=False`` (ending a session) a folder without one is refused instead.

    A folder's session file names one session. Running another problem there, or running after that
    session was submitted, is refused in one line instead of silently starting a new session over it.
    """
    ctx = current()
    if not problem_id.strip():
        raise InvalidInput("must name a problem (see `interview coding problems`)", field="PROBLEM_ID")
    for folder in dict.fromkeys((file.parent, Path.cwd())):
        marker = folder / SESSION_FILE
        if not marker.is_file():
            continue
        try:
            saved = json.loads(marker.read_text(encoding="utf-8"))
            session = ctx.engine.get_session(str(saved["sessionId"]), user_id=ctx.user.id)
        except (ValueError, KeyError, TypeError, NotFound, OSError):
            continue
        if session.item_id != problem_id:
            raise Conflict(
                f"{marker} is the session of {session.item_id}, not {problem_id}: check the problem id, "
                f"or run `interview coding start {problem_id} --dir DIR` in another folder"
            )
        if session.status is not SessionStatus.ACTIVE:
            raise Conflict(
                f"session {session.id} for {problem_id} has ended: "
                f"`interview summary {session.id}` shows it, `interview coding start {problem_id}` starts anew"
            )
        return session
    if not start:
        raise NotFound(
            f"no session for {problem_id} next to {file}: `interview coding start {problem_id}` starts one",
            field="file",
        )
    session = _start(problem_id)
    _remember(file.parent, session.id, problem_id)
    click.echo(f"started session {session.id} for {problem_id}", err=True)
    return session


def _remember(folder: Path, session_id: str, problem_id: str) -> None:
    """Write the session file so that later runs and the submit reuse the session."""
    try:
        (folder / SESSION_FILE).write_text(
            json.dumps({"sessionId": session_id, "problemId": problem_id}) + "\n", encoding="utf-8"
        )
    except OSError:
        click.echo(f"note: cannot write {folder / SESSION_FILE}; the next command starts a new session", err=True)


@coding.command("start")
@click.argument("problem_id")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False),
    default=".",
    show_default=True,
    help="Where to write STATEMENT.md, solution.py and the session file.",
)
def start(problem_id: str, directory: str) -> None:
    """Start a timed session: write the statement and the starter code into DIR."""
    session = _start(problem_id)
    prompt = structure(current().engine.act(session.id, "prompt", {}, user_id=session.user_id).data, Prompt)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    samples = "\n".join(f"- `{json.dumps(s.input)}` -> `{json.dumps(s.expected)}`" for s in prompt.samples)
    (folder / "STATEMENT.md").write_text(
        f"# {prompt.title}\n\n`{prompt.signature}`\n\n{prompt.statement}\n\n## Samples\n\n{samples}\n\n"
        f"Time limit: {prompt.timeLimitSeconds // 60} minutes. Topics: {', '.join(prompt.tags)}.\n",
        encoding="utf-8",
    )
    solution = folder / "solution.py"
    kept = solution.exists()
    if not kept:
        solution.write_text(prompt.starterCode, encoding="utf-8")
    _remember(folder, session.id, problem_id)
    click.echo(f"session {session.id}: {prompt.title} ({prompt.timeLimitSeconds // 60} minutes)")
    click.echo(f"statement: {folder / 'STATEMENT.md'}")
    click.echo(f"solution:  {solution}{' (kept your existing file)' if kept else ''}")
    click.echo(f"next: interview coding run {problem_id} {solution}")


@coding.command("run")
@click.argument("problem_id")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def run(problem_id: str, file: str, as_json: bool) -> None:
    """Run the sample tests on FILE and show every input, expected and actual value."""
    source = _read(file, "file")
    session = _session_for(problem_id, Path(file))
    data = current().act(session.id, "run", {"source": source})
    ran = structure(data, SamplesRan)
    if as_json:
        _echo_json({"sessionId": session.id, **data})
        if ran.failed:
            raise SystemExit(1)
        return
    if ran.loadError:
        # A syntax error or a missing function stops every sample the same way: say it once.
        console.print("[red]your code did not load, so no sample ran:[/]")
        console.print(ran.loadError.replace("/work/solution.py", file), highlight=False, markup=False)
        raise SystemExit(1)
    for result in ran.results:
        mark = "[green]PASS[/]" if result.passed else "[red]FAIL[/]"
        console.print(f"{mark} {result.name}: {json.dumps(result.input)}", highlight=False, soft_wrap=True)
        if not result.passed:
            console.print(f"  expected {json.dumps(result.expected)}", highlight=False, soft_wrap=True)
            console.print(f"  actual   {json.dumps(result.actual)} ({result.status})", highlight=False, soft_wrap=True)
        if result.stdout:
            console.print(f"  stdout: {result.stdout.rstrip()}", highlight=False, markup=False, soft_wrap=True)
        if result.error:
            console.print(f"  error: {result.error.rstrip()}", highlight=False, markup=False, soft_wrap=True)
    console.print(f"{ran.passed}/{ran.passed + ran.failed} samples pass (run {ran.runs})")
    if ran.failed:
        raise SystemExit(1)  # scripts and editors see a failing run as a failure


#: The web app's words for resubmission, so both say the same.
RESUBMIT = "Submit again to improve it, or end the session to get your evaluation: the last submission is graded."
LATE = "Time is up: you can still submit, it will count as late."


@coding.command("submit")
@click.argument("problem_id")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--complexity", default="", help='Your time complexity claim, e.g. "O(n log n)".')
@click.option("--notes", "notes_file", type=click.Path(dir_okay=False), help="A file narrating your approach.")
@click.option("--end", "end_now", is_flag=True, help="End the session after this submission and print the evaluation.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def submit(problem_id: str, file: str, complexity: str, notes_file: str | None, end_now: bool, as_json: bool) -> None:
    """Submit FILE to the hidden tests. Submit as often as you like; `end` (or --end) grades the last one."""
    source = _read(file, "file")
    notes = _read(notes_file, "notes") if notes_file else ""
    ctx = current()
    session = _session_for(problem_id, Path(file))
    data = ctx.act(session.id, "submit", {"source": source, "complexity": complexity, "notes": notes})
    answer = structure(data, SubmitGraded | SubmitNotGraded)  # type: ignore[arg-type]
    if isinstance(answer, SubmitNotGraded):  # the sandbox failed: nothing was scored, the session stays open
        raise NotGraded(answer.message or "not graded: the sandbox failed, try again")
    number = len(ctx.engine.store.submissions(session.id, kind="submit"))
    if end_now:
        _end_and_report(session, problem_id, as_json)
        return
    report = {
        "sessionId": session.id,
        "problemId": problem_id,
        "submission": number,
        "ended": False,
        "passed": answer.passed,
        "failed": answer.failed,
        "correctness": answer.correctness,
        "groups": data["groups"],
        "late": answer.late,
    }
    if as_json:
        _echo_json(report)
        return
    _print_hidden(report)
    for group in answer.groups:
        first = group.firstFailure
        if first:
            console.print(f"  first failing {group.group} case ({first.verdict.replace('_', ' ')}):")
            for label, value in (("input", first.input), ("expected", first.expected), ("got", first.got)):
                if value not in (None, ""):
                    console.print(f"    {label}: {value}", highlight=False, markup=False, soft_wrap=True)
            if first.error:
                console.print(f"    error: {first.error}", highlight=False, markup=False, soft_wrap=True)
    console.print(f"submission {number} kept{' (late)' if report['late'] else ''}. {RESUBMIT}", highlight=False)
    if report["late"]:
        console.print(LATE)
    console.print(f"next: interview coding end {problem_id} {file}", highlight=False, markup=False)


@coding.command("end")
@click.argument("problem_id")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def end(problem_id: str, file: str, yes: bool, as_json: bool) -> None:
    """End the session of FILE's folder: the last submission is graded and the evaluation printed."""
    ctx = current()
    session = _session_for(problem_id, Path(file), start=False)
    submitted = len(ctx.engine.store.submissions(session.id, kind="submit"))
    if not yes:
        # Without a terminal (or on "n") this aborts with exit code 1 and ends nothing.
        click.confirm(
            "End the session now? Your last submission is graded and you cannot submit again."
            if submitted
            else "End the session without submitting? Nothing you wrote is graded as a solution.",
            abort=True,
            err=True,
        )
    _end_and_report(session, problem_id, as_json)


def _end_and_report(session: Session, problem_id: str, as_json: bool) -> None:
    engine = current().engine
    engine.end_session(session.id, user_id=session.user_id)
    found = engine.summary(session.id, user_id=session.user_id)
    evaluation, view = found.evaluation, structure(found.view, CodingSummary)
    # The session file stays: a later run or submit in this folder says the session has ended
    # instead of silently starting a new one.
    report = {
        "sessionId": session.id,
        "problemId": problem_id,
        "submissions": len(engine.store.submissions(session.id, kind="submit")),
        "ended": True,
        "passed": view.tests.passed,
        "failed": view.tests.failed,
        "correctness": view.tests.correctness,
        "groups": found.view["tests"]["groups"],
        "late": view.timing.late,
        "weightedScore": evaluation.weighted_average if evaluation else 0.0,
        "decision": evaluation.decision.value if evaluation else None,
        "rubric": dict(evaluation.scores) if evaluation else {},
        "evidence": [unstructure(e) for e in evaluation.evidence] if evaluation else [],
        "gaps": list(evaluation.gaps) if evaluation else [],
        "nextSteps": list(evaluation.next_steps) if evaluation else [],
    }
    if as_json:
        _echo_json(report)
        return
    _print_report(report)


def _print_hidden(report: dict[str, Any]) -> None:
    groups = ", ".join(f"{g['group']} {g['passed']}/{g['total']}" for g in report["groups"])
    console.print(
        f"hidden tests: {report['passed']} passed, {report['failed']} failed ({groups}); "
        f"correctness {report['correctness']:.0%}{' (late)' if report['late'] else ''}"
    )


def _print_report(report: dict[str, Any]) -> None:
    console.print(f"session ended after {report['submissions']} submission(s); the last one is graded")
    _print_hidden(report)
    table = Table("dimension", "score (0-5)")
    for name, score in report["rubric"].items():
        table.add_row(name, f"{score:.2f}")
    console.print(table)
    console.print(f"weighted score {report['weightedScore']:.2f} -> {report['decision']}")
    for item in report["evidence"]:
        line = f" (line {item['line']})" if item.get("line") else ""
        console.print(f"- [{item['dimension']}] {item['text']}{line}", highlight=False, markup=False, soft_wrap=True)
    if report["nextSteps"]:
        console.print("next steps:")
        for step in report["nextSteps"]:
            console.print(f"  * {step}", highlight=False, markup=False, soft_wrap=True)


def measure_complexity(source: str, entry: str, generator: str) -> GrowthReport:
    """Small sizes first: exponential code stops there; everything else is measured at large sizes."""
    runner = current().engine.context.runner()
    small = runner.measure_growth(source, entry, generator, SMALL_SIZES, limits=GROWTH_LIMITS)
    if small.complexity == "O(2^n)" and len(small.points) >= 3:
        return small
    large = runner.measure_growth(source, entry, generator, LARGE_SIZES, limits=GROWTH_LIMITS)
    return large if len(large.points) >= 3 else small


@coding.command("complexity")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--entry", required=True, help="The function to measure.")
@click.option(
    "--input-generator",
    "generator_file",
    required=True,
    type=click.Path(dir_okay=False),
    help="A file defining make_input(n) that returns the argument tuple.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def complexity(file: str, entry: str, generator_file: str, as_json: bool) -> None:
    """Measure how FILE's ENTRY grows with the input size (deterministic fuel in the sandbox)."""
    source = _read(file, "file")
    generator = _read(generator_file, "input_generator")
    if "make_input" not in generator:
        raise InvalidInput("must define make_input(n)", field="input_generator")
    report = measure_complexity(source, entry, generator)
    if as_json:
        _echo_json(report)
        return
    if report.complexity is None:
        console.print("not measured: fewer than 3 sizes finished")
    else:
        console.print(f"measured {report.complexity} (confidence {report.confidence:.2f})")
    for point in report.points:
        console.print(f"  n={point.n:>6}: {point.fuel:>16,} fuel")
    if report.detail:
        console.print(report.detail, highlight=False, markup=False, soft_wrap=True)
