"""What plugin CLI commands get from the ``interview`` command, without importing it.

The CLI adapter puts a :class:`CommandContext` on the click context; a
plugin's command finds it with ``click.get_current_context().find_object(CommandContext)``
(or :func:`current`) and reaches the engine and the local candidate through it::

    @click.command("pairing")
    def pairing():
        ctx = current()
        session = ctx.engine.start_session(user_id=ctx.user.id, module="pairing", track="backend",
                                           difficulty="mid")
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the engine (storage, SQLAlchemy, plugins) loads when a command first needs it
    from interview_engine.domain import User
    from interview_engine.engine import Engine
    from interview_engine.jobs import GradingJob

__all__ = ["DEFAULT_USER", "USER_ENV", "CommandContext", "current", "grading_progress"]

USER_ENV = "INTERVIEW_USER"
DEFAULT_USER = "you@localhost"


class CommandContext:
    """The engine (built on first use) and the candidate practising at this terminal.

    Args:
        database_url: overrides ``INTERVIEW_DATABASE_URL``.
        user_email: the candidate; defaults to ``INTERVIEW_USER`` or ``you@localhost``.
        factory: builds the engine (tests pass their own).
    """

    def __init__(
        self,
        *,
        database_url: str | None = None,
        user_email: str | None = None,
        factory: Callable[[str | None], Engine] | None = None,
    ) -> None:
        self.database_url = database_url
        self.user_email = user_email or os.environ.get(USER_ENV) or DEFAULT_USER
        self._factory = factory or _create_engine
        self._engine: Engine | None = None
        self._user: User | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = self._factory(self.database_url)
        return self._engine

    @property
    def user(self) -> User:
        if self._user is None:
            self._user = self.engine.store.ensure_user(self.user_email)
        return self._user

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()

    def act(self, session_id: str, action: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        """``engine.act`` as the local candidate; a grading job shows a progress bar on stderr while it waits."""
        with grading_progress(self.engine, action) as show:
            return self.engine.act(session_id, action, payload, user_id=self.user.id, on_progress=show).data


def _create_engine(database_url: str | None) -> Engine:
    """An engine on the candidate's own database, migrated first only when its schema is behind."""
    from interview_engine.engine import Engine

    return Engine.create(database_url, migrate=True)


def current() -> CommandContext:
    """The :class:`CommandContext` of the running ``interview`` command."""
    import click  # the CLI's dependency, not the engine's: imported only when a command runs

    found: Any = click.get_current_context().find_object(CommandContext)
    if found is None:
        raise RuntimeError("not running under the interview command")
    context: CommandContext = found
    return context


_STAGES = {"queued": 0, "running": 1}


@contextmanager
def grading_progress(engine: Engine, label: str) -> Iterator[Callable[[GradingJob], None]]:
    """A progress bar on stderr for a grading job: queued (with its position), running (its step), done.

    Transient: it disappears when the job ends; on a terminal that is not interactive it stays quiet.
    """
    from rich.console import Console  # the CLI's dependency: imported only when a command runs
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task(f"{label}: queued", total=3)

        def show(job: GradingJob) -> None:
            if job.state.value == "queued":
                text = f"{label}: queued (position {engine.grading.position(job)})"
            else:
                text = f"{label}: {job.step or job.state.value}"
            done = (
                3
                if job.final
                else _STAGES.get(job.state.value, 0) + (1 if "complexity" in job.step or "growth" in job.step else 0)
            )
            bar.update(task, completed=done, description=text)

        yield show
