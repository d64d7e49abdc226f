"""Where the data lives: URL resolution, engines and migrations."""

from __future__ import annotations

import os
import re
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import OperationalError, ProgrammingError, SQLAlchemyError

from interview_engine.errors import InvalidInput, StorageError

__all__ = [
    "DATABASE_URL_ENV",
    "default_database_url",
    "is_current",
    "make_engine",
    "resolve_database_url",
    "schema_heads",
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
    return create_engine(url, pool_pre_ping=True)


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config  # imported when migrating only: it costs a third of a second

    config = Config()
    config.set_main_option("script_location", str(resources.files("interview_engine.storage") / "migrations"))
    config.attributes["engine"] = engine
    return config


_REVISION = re.compile(r"^(down_revision|revision)\s*=\s*(.+)$", re.MULTILINE)
_MIGRATION_LOCK = "interview_engine.migrate:"


def schema_heads() -> frozenset[str]:
    """The newest revisions of the migration scripts, read from their text (no alembic import: it is slow)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (resources.files("interview_engine.storage") / "migrations" / "versions").iterdir():
        if not script.name.endswith(".py"):
            continue
        for name, value in _REVISION.findall(script.read_text(encoding="utf-8")):
            found = set(re.findall(r"[\"']([^\"']+)[\"']", value))
            (revisions if name == "revision" else parents).update(found)
    return frozenset(revisions - parents)


def is_current(engine: Engine) -> bool:
    """Whether the database is at the newest schema: one query, no migration."""
    try:
        with engine.connect() as connection:
            stored = {row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))}
    except (OperationalError, ProgrammingError):
        return False  # no alembic_version table yet (or no database): not migrated
    return stored == set(schema_heads())


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


def table_names(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())
