"""The commands the engine itself provides: serve, worker, db, content, plugins, history, summary, delete."""

from __future__ import annotations

import time

import click
from rich.table import Table

from interview_cli import action_commands, analytics_commands
from interview_cli.output import console, emit_json, fail
from interview_engine.commands import CommandContext, current


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--database-url", default=None, help="Overrides the global --database-url.")
def serve(host: str, port: int, database_url: str | None) -> None:
    """Serve the web app and the JSON API."""
    import uvicorn

    from interview_engine import Engine
    from interview_engine.storage.database import resolve_database_url
    from interview_web import create_app

    url = database_url or current().database_url
    # Migrating is an explicit step done once here, before serving (under a lock on PostgreSQL).
    engine = Engine.create(url, migrate=True)
    app = create_app(engine=engine)
    console.print(f"Serving on [bold]http://{host}:{port}[/] (database: {resolve_database_url(url)})")
    uvicorn.run(app, host=host, port=port, log_level="info")


@click.command()
@click.option("--concurrency", default=2, show_default=True, type=click.IntRange(1, 64), help="Jobs run at once.")
def worker(concurrency: int) -> None:
    """Run grading jobs (runs, submits, fixes) queued by web processes on the same PostgreSQL.

    Start as many as you like, on any machine that reaches the database; SIGTERM finishes the jobs in hand.
    """
    import logging

    from interview_engine.jobs.procrastinate_queue import run_worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    state = current()
    engine = state.engine
    if engine.store.dialect != "postgresql":
        fail("INTERVIEW_DATABASE_URL: workers need PostgreSQL (postgresql+psycopg://...); SQLite grades in-process", 2)
    if not engine.store.is_current():
        fail("the database schema is behind: run `interview db upgrade` first", 2)
    console.print(f"Grading with {concurrency} at a time (database: {engine.store.url.split('@')[-1]})")
    run_worker(engine.grading, concurrency=concurrency)


@click.group()
def db() -> None:
    """Manage the database."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate every table to the newest schema."""
    from interview_engine.storage.database import make_engine, resolve_database_url, table_names, upgrade

    url = resolve_database_url(current().database_url)
    engine = make_engine(url)
    try:
        upgrade(engine)
        names = table_names(engine)
    finally:
        engine.dispose()
    console.print(f"database at {engine.url.render_as_string()} is up to date ({len(names)} tables)")


@click.group()
def content() -> None:
    """Check the content packs."""


@content.command("validate")
@click.option("--json", "as_json", is_flag=True, help="Print the checks as JSON.")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Validate every item again (by default an item whose content, validator and sandbox are unchanged "
    "since its checks last passed is not run again; INTERVIEW_VALIDATE_CACHE names the folder, off disables).",
)
def content_validate(as_json: bool, no_cache: bool) -> None:
    """Validate every module's content pack; exits non-zero when a check fails."""
    from interview_engine.validation_cache import default_cache

    cache = None if no_cache else default_cache()
    started = time.perf_counter()
    checks = current().engine.validate_content(cache)
    seconds = round(time.perf_counter() - started, 1)
    failed = [check for check in checks if not check.passed]
    reused = {"items": cache.hits, "validated": cache.misses, "dir": str(cache.root)} if cache else None
    if as_json:
        emit_json(
            {
                "passed": not failed,
                "checks": checks,
                "failed": len(failed),
                "total": len(checks),
                "seconds": seconds,
                "cache": reused,
            }
        )
    else:
        table = Table("module", "check", "item", "result", "detail")
        for check in checks:
            verdict = "[green]pass[/]" if check.passed else "[red]FAIL[/]"
            table.add_row(check.module, check.check, check.item, verdict, check.detail)
        console.print(table)
        kept = f"; {cache.hits} items from the cache, {cache.misses} validated" if cache else ""
        console.print(f"{len(checks) - len(failed)}/{len(checks)} checks passed in {seconds} s{kept}")
    if failed:
        raise SystemExit(1)


@click.command()
@click.option("--json", "as_json", is_flag=True)
def plugins(as_json: bool) -> None:
    """List the loaded plugins and the modules each registers."""
    from interview_engine.plugins import loaded_plugins, make_plugin_manager

    found = loaded_plugins(make_plugin_manager())
    if as_json:
        emit_json(found)
        return
    table = Table("plugin", "distribution", "version", "modules")
    for plugin in found:
        table.add_row(plugin.name, plugin.distribution or "-", plugin.version or "-", ", ".join(plugin.modules))
    console.print(table)


def resolve_session_id(state: CommandContext, session_id: str) -> str:
    """Accept a full id or an unambiguous prefix of one of your sessions."""
    if len(session_id) >= 32:
        return session_id
    matches = [s.id for s in state.engine.list_sessions(user_id=state.user.id) if s.id.startswith(session_id)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        fail(f"session_id: no session of yours starts with {session_id!r}", 3)
    fail(f"session_id: {session_id!r} matches {len(matches)} sessions; give more characters", 2)


@click.command()
@click.argument("session_id")
@click.option("--json", "as_json", is_flag=True)
def summary(session_id: str, as_json: bool) -> None:
    """Show a session's summary, as its module renders it."""
    state = current()
    found = state.engine.summary(resolve_session_id(state, session_id), user_id=state.user.id)
    if as_json:
        emit_json(found)
        return
    session, evaluation = found.session, found.evaluation
    console.print(
        f"[bold]{found.module_title}[/] {session.track.value}/{session.difficulty.value} "
        f"- {session.status.value} - kb {session.kb_version}"
    )
    if evaluation is None:
        console.print("Not evaluated yet.")
        return
    verdict = evaluation.result or evaluation.decision.value
    console.print(f"Weighted score [bold]{evaluation.weighted_average:.2f}[/] / 5 - {verdict}")
    table = Table("dimension", "score")
    for name, value in evaluation.scores.items():
        table.add_row(name, f"{value:g}")
    console.print(table)
    for item in evaluation.evidence:
        console.print(f"  [dim]{item.dimension}:[/] {item.text}")
    if evaluation.gaps:
        console.print("Top gaps: " + ", ".join(evaluation.gaps))
    for step in evaluation.next_steps:
        console.print(f"  - {step}")


@click.command()
@click.argument("session_id")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
def delete(session_id: str, yes: bool) -> None:
    """Delete a session and everything stored with it (asks first, unless --yes)."""
    state = current()
    found = state.engine.get_session(resolve_session_id(state, session_id), user_id=state.user.id)
    if not yes:
        when = found.created_at.strftime("%Y-%m-%d %H:%M")
        # Without a terminal (or on "n") this aborts with exit code 1 and deletes nothing.
        click.confirm(
            f"Delete session {found.id} ({found.module}, {found.item_id or found.track.value}, {when}) "
            "with its transcript, code and evaluation?",
            abort=True,
            err=True,
        )
    deleted = state.engine.delete_session(found.id, user_id=state.user.id)
    console.print(f"deleted session {deleted.id}")


def register(group: click.Group) -> None:
    from interview_cli.score_command import score

    for command in (serve, worker, db, content, plugins, summary, delete, score):
        group.add_command(command)
    analytics_commands.register(group)  # history, trends, plan
    action_commands.register(group)  # actions, act, start, end: every module's, from its declarations


__all__ = ["register", "resolve_session_id"]
