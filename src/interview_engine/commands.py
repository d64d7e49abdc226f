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
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the engine (storage, SQLAlchemy, plugins) loads when a command first needs it
    from interview_engine.domain import User
    from interview_engine.engine import Engine

__all__ = ["DEFAULT_USER", "USER_ENV", "CommandContext", "current"]

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


def _create_engine(database_url: str | None) -> Engine:
    from interview_engine.engine import Engine

    return Engine.create(database_url)


def current() -> CommandContext:
    """The :class:`CommandContext` of the running ``interview`` command."""
    import click  # the CLI's dependency, not the engine's: imported only when a command runs

    found: Any = click.get_current_context().find_object(CommandContext)
    if found is None:
        raise RuntimeError("not running under the interview command")
    context: CommandContext = found
    return context
