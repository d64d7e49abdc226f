"""Fixtures shared by every area: databases (SQLite and the real PostgreSQL) and engines.

PostgreSQL is at ``INTERVIEW_TEST_POSTGRES_URL`` (default: the local ``test``
database).  Each test gets a schema of its own, dropped afterwards.  Outside CI
an unreachable PostgreSQL skips the PostgreSQL half; in CI (``CI=true``) it fails.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from interview_engine import Engine, Store

POSTGRES_URL = os.environ.get("INTERVIEW_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _postgres_admin():  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


@pytest.fixture(scope="session")
def postgres_available() -> bool:
    try:
        with _postgres_admin() as conn:
            conn.execute("select 1")
        return True
    except Exception as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL at {POSTGRES_URL} is unreachable in CI: {exc}")
        return False


@pytest.fixture
def postgres_url(postgres_available: bool) -> Iterator[str]:
    """A URL whose search_path is a fresh schema of its own."""
    if not postgres_available:
        pytest.skip("PostgreSQL is not reachable here (it is required in CI)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with _postgres_admin() as conn:
        conn.execute(f'create schema "{schema}"')
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with _postgres_admin() as conn:
            conn.execute(f'drop schema "{schema}" cascade')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'interview.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Both databases: every test using it runs on SQLite and on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(name)
    return url


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    found = Store(database_url, migrate=True)
    yield found
    found.close()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine with every installed plugin, on SQLite and on PostgreSQL."""
    found = Engine.create(database_url, migrate=True)
    yield found
    found.close()


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    """An engine with every installed plugin, on SQLite only (for tests not about storage)."""
    found = Engine.create(sqlite_url, migrate=True)
    yield found
    found.close()
