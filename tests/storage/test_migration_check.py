"""Opening a store migrates only a database that is behind: one query once it is current."""

from __future__ import annotations

from importlib import resources

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from interview_engine import Store
from interview_engine.storage import database


def test_head_revisions_agree_with_alembic() -> None:
    config = Config()
    config.set_main_option("script_location", str(resources.files("interview_engine.storage") / "migrations"))
    assert database.head_revisions() == frozenset(ScriptDirectory.from_config(config).get_heads())


def test_a_current_database_is_not_migrated_again(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    Store(database_url, migrate=True).close()  # migrates the fresh database
    calls: list[object] = []
    monkeypatch.setattr(database, "upgrade", lambda engine, revision="head": calls.append(engine))
    store = Store(database_url, migrate=True)
    try:
        assert database.current_revisions(store._engine) == database.head_revisions()
        store.ensure_user("ada@example.com")
    finally:
        store.close()
    assert calls == []


def test_a_database_behind_is_migrated(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path}/behind.db"
    engine = database.make_engine(url)
    try:
        database.upgrade(engine, "0001")
        assert database.current_revisions(engine) == {"0001"}
    finally:
        engine.dispose()
    store = Store(url, migrate=True)
    try:
        assert database.current_revisions(store._engine) == database.head_revisions()
    finally:
        store.close()
