"""``interview history``, ``interview trends`` and ``interview plan``: progress and what to study next."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from interview_cli.output import console, emit_json
from interview_engine import InvalidInput, Track
from interview_engine.analytics import (
    HALF_LIFE_DAYS,
    History,
    StudyPlan,
    TopicMastery,
    build_study_plan,
    build_trends,
    load_history,
    plan_markdown,
    to_json,
)
from interview_engine.commands import current


def _history() -> History:
    state = current()
    titles = {name: module.title for name, module in state.engine.modules.items()}
    return load_history(state.engine.store, state.user.id, titles=titles)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the sessions as a JSON array.")
def history(as_json: bool) -> None:
    """Every session you practised, newest first, across modules."""
    entries = _history().entries
    if as_json:
        emit_json(to_json(entries))
        return
    if not entries:
        console.print("No sessions yet. Try `interview coding problems`.")
        return
    table = Table("date", "id", "module", "track", "level", "duration", "score", "outcome", "kb", title="History")
    for entry in entries:
        score = f"{entry.weighted_score:.2f}" if entry.weighted_score is not None else "-"
        table.add_row(
            _when(entry.date),
            entry.session_id[:8],
            entry.module_title,
            entry.track,
            entry.difficulty,
            _duration(entry.duration_s),
            score,
            entry.verdict or entry.status,
            entry.kb_version,
        )
    console.print(table)


def _topic_table(title: str, topics: tuple[TopicMastery, ...]) -> Table:
    table = Table("topic", "mastery", "items", "evidence (newest first: date, item, score)", title=title)
    for topic in topics:
        shown = ", ".join(f"{o.at:%m-%d} {o.item_id} {o.score:.0%}" for o in topic.observations[:3])
        more = f" (+{topic.attempts - 3})" if topic.attempts > 3 else ""
        table.add_row(escape(topic.topic), f"{topic.mastery:.0%}", str(topic.attempts), escape(shown + more))
    return table


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the trends as one JSON object.")
def trends(as_json: bool) -> None:
    """Scores per module over time, topic mastery, and your weak and strong topics."""
    found = build_trends(_history())
    if as_json:
        emit_json(to_json(found))
        return
    if not found.modules:
        console.print("No evaluated sessions yet: trends appear after your first evaluated session.")
        return
    scores = Table("module", "sessions", "first", "last", "change", "recent scores (oldest first)", title="Scores")
    for trend in found.modules:
        recent = " ".join(f"{p.score:.1f}" for p in trend.points[-8:])
        scores.add_row(
            trend.title,
            str(len(trend.points)),
            f"{trend.points[0].score:.2f}",
            f"{trend.points[-1].score:.2f}",
            f"{trend.change:+.2f}",
            recent,
        )
    console.print(scores)
    recent_activity = found.activity[-10:]
    activity = Table("date", "module", "attempts", "hints", "misconceptions", title="Recent activity")
    for point in recent_activity:
        counts = (str(point.attempts), str(point.hints), str(point.misconceptions))
        activity.add_row(_when(point.at), point.module, *counts)
    console.print(activity)
    console.print(f"Mastery is weighted toward recent sessions (half-life {HALF_LIFE_DAYS:g} days).")
    for title, topics in (("Weak topics", found.ranking.weak), ("Strong topics", found.ranking.strong)):
        console.print(_topic_table(title, topics) if topics else f"{title}: none yet.")


def _print_plan(plan: StudyPlan) -> None:
    if plan.at is None:
        console.print("No scored sessions yet: the plan fills in after your first evaluated session.")
        return
    if not plan.topics:
        console.print("No weak topics to plan for: every scored topic is at 60% mastery or better.")
        return
    console.print(f"[bold]Study plan[/] ({plan.track}, digest {plan.digest})")
    for topic in plan.topics:
        console.print(f"\n[bold]{topic.rank}. {escape(topic.topic)}[/] - {escape(topic.why)}")
        for resource in topic.resources:
            where = f" [{resource.module} {resource.item_id}, {resource.difficulty}]" if resource.item_id else ""
            link = f" {resource.url}" if resource.url else ""
            text = escape(f"{resource.title}{where}{link}")
            console.print(f"  - {resource.kind}: {text} [dim]({escape(resource.why)})[/]")
    versions = ", ".join(f"{m} {v}" for m, v in plan.kb_versions.items())
    console.print(f"\n[dim]content packs: {versions}[/]")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the plan as one JSON object.")
@click.option(
    "--markdown", "markdown_file", type=click.Path(dir_okay=False, path_type=Path), help="Also write it as Markdown."
)
@click.option("--track", type=click.Choice([t.value for t in Track]), help="Default: your latest session's track.")
@click.option("--topics", default=3, show_default=True, type=click.IntRange(1, 20), help="How many weak topics.")
def plan(as_json: bool, markdown_file: Path | None, track: str | None, topics: int) -> None:
    """A study plan for your weakest topics: fact sheets, references and practice not attempted yet."""
    state = current()
    found = build_study_plan(state.engine, state.user.id, track=track, topics=topics, history=_history())
    if markdown_file is not None:
        try:
            markdown_file.write_text(plan_markdown(found), encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(f"cannot write {markdown_file}: {exc.strerror}", field="--markdown") from exc
    if as_json:
        emit_json(to_json(found))
        return
    _print_plan(found)
    if markdown_file is not None:
        console.print(f"wrote {markdown_file}")


COMMANDS = (history, trends, plan)


def register(group: click.Group) -> None:
    for command in COMMANDS:
        group.add_command(command)


__all__ = ["COMMANDS", "register"]
