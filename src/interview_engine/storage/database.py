"""Where the data lives: URL resolution, engines and migrations."""

from __future__ import annotations

import os
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from interview_engine.errors import InvalidInput, StorageError

__all__ = [
    "DATABASE_URL_ENV",
    "default_database_url",
    "ensure_current",
    "head_revisions",
    "is_current",
    "make_engine",
    "resolve_database_url",
    "upgrade",
]

DATABASE_URL_ENV = "INTERVIEW_DATABASE_URL"
APP_NAME = "interview-engine"


def default_database_url() -> str:
    """A SQLite file in the user data dir (platformdirs)."""
    data_dir = Path(platformdirs.user_data_dir(APP_NAME))
    return f"sqlite:///{data_dir / 'interview.db'}"


def resolve_database_url(url: str | None = None) -> str:
    """The URL to use: the argument, else ``INTERVIEW_DATABASE_URL``, else the SQLite default."""
    chosen = url or os.environ.get(DATABASE_URL_ENV) or default_database_url()
    if chosen.startswith("postgresql://") or chosen.startswith("postgres://"):
        chosen = "postgresql+psycopg://" + chosen.split("://", 1)[1]
    if not (chosen.startswith("sqlite") or chosen.startswith("postgresql+psycopg")):
        raise InvalidInput("database URL must be sqlite:///PATH or postgresql+psycopg://...", field=DATABASE_URL_ENV)
    return chosen


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An SQLAlchemy engine; for SQLite the file's folder is created and foreign keys enforced."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
        return engine
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "postgresql":
        event.listen(engine, "before_cursor_execute", _refuse_nul)
    return engine


_BIND_SUFFIX = re.compile(r"(_m?\d+)+$")


def _refuse_nul(_conn: Any, _cursor: Any, _statement: str, parameters: Any, _context: Any, many: bool) -> None:
    """PostgreSQL stores no NUL character in text or JSON: refuse the value, naming its column, before the
    driver fails (which answered 500); nothing is written.  SQLite stores them, so it needs no check."""
    for row in parameters if many else [parameters]:
        items = row.items() if isinstance(row, dict) else enumerate(row or ())
        for key, value in items:
            if isinstance(value, str) and ("\x00" in value or "\\u0000" in value):
                field = _BIND_SUFFIX.sub("", str(key))
                raise InvalidInput("must not contain NUL characters", field=field)


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config  # imported when migrating only: it costs a third of a second

    config = Config()
    config.set_main_option("script_location", str(resources.files("interview_engine.storage") / "migrations"))
    config.attributes["engine"] = engine
    return config


_MIGRATION_LOCK = "interview_engine.migrate:"


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database to ``revision``: the explicit step ``interview db upgrade`` and ``serve`` run.

    On PostgreSQL the migration holds a transaction-scoped advisory lock (per schema), so processes
    starting together migrate one after the other: the first does the work, the others find nothing to do.
    """
    from alembic import command

    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(hashtext(:name || current_schema()))"),
                    {"name": _MIGRATION_LOCK},
                )
            config = _alembic_config(engine)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except OperationalError as exc:
        raise StorageError(f"cannot reach the database at {engine.url.render_as_string()}: {exc.orig}") from exc
    except SQLAlchemyError as exc:
        raise StorageError(f"migrating the database failed: {exc}") from exc


_REVISION = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.MULTILINE)


@cache
def head_revisions() -> frozenset[str]:
    """The newest revisions, read from the migration files' ``revision`` lines (without importing Alembic).

    A revision no other file names as its ``down_revision`` is a head; a test checks that this
    agrees with Alembic's own script directory.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    versions = resources.files("interview_engine.storage") / "migrations" / "versions"
    for entry in versions.iterdir():
        if not entry.name.endswith(".py"):
            continue
        found = dict(_REVISION.findall(entry.read_text(encoding="utf-8")))
        if "revision" not in found:
            continue
        revisions.add(found["revision"].strip("\"'"))
        parents.update(re.findall(r"[\"']([^\"']+)[\"']", found.get("down_revision", "")))
    return frozenset(revisions - parents)


def current_revisions(engine: Engine) -> frozenset[str]:
    """The revisions the database is at (empty when it was never migrated)."""
    try:
        with engine.connect() as connection:
            return frozenset(row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version")))
    except SQLAlchemyError:
        return frozenset()


def is_current(engine: Engine) -> bool:
    """Whether the database is at the newest schema: one query, nothing changed."""
    return current_revisions(engine) == head_revisions()


def ensure_current(engine: Engine) -> None:
    """Migrate only when the database is behind: one query, and no Alembic import, once it is current."""
    if current_revisions(engine) != head_revisions():
        upgrade(engine)


def table_names(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())
