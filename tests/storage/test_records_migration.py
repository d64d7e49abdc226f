"""Migration 0008: the rows of the old per-module tables become the modules' typed records, and back."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import inspect, text

from interview_debugging.records import DEBUG_EVALUATIONS, DEBUG_SESSIONS, DebugEvaluation, DebugSessionRecord
from interview_engine import Store
from interview_engine.storage import database
from interview_live_coding.records import CODING_SESSIONS, CodingSessionRecord

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
T1 = datetime(2026, 11, 30, 9, 25, tzinfo=UTC)


def _old_rows(url: str) -> None:
    engine = database.make_engine(url)
    try:
        database.upgrade(engine, "0007")
        with engine.begin() as conn:
            conn.execute(
                text("INSERT INTO users (id, email, display_name, created_at) VALUES ('u1', 'a@example.com', '', :t)"),
                {"t": T0},
            )
            for sid, module in (("s1", "live_coding"), ("s2", "debugging")):
                conn.execute(
                    text(
                        "INSERT INTO sessions (id, user_id, module, track, difficulty, status, kb_version, state,"
                        " created_at, version) VALUES (:id, 'u1', :m, 'backend', 'mid', 'ended', 'p@1', '{}', :t, 1)"
                    ),
                    {"id": sid, "m": module, "t": T0},
                )
            conn.execute(
                text("INSERT INTO coding_sessions VALUES ('s1', 'two-sum', 1800, :t0, :t1, 4, 2, true)"),
                {"t0": T0, "t1": T1},
            )
            conn.execute(text("INSERT INTO debug_sessions VALUES ('s2', 'off-by-one', :t0, 1, 3, NULL)"), {"t0": T0})
            conn.execute(
                text("INSERT INTO debug_evaluations VALUES ('s2', 'fixed', :body, 1, :t1)"),
                {"body": '{"diagnosis": {"location": true}, "fix": {}, "testing": {}, "communication": {}}', "t1": T1},
            )
    finally:
        engine.dispose()


def test_old_rows_become_typed_records(database_url: str) -> None:
    _old_rows(database_url)
    store = Store(database_url, migrate=True)
    try:
        assert CODING_SESSIONS.get(store, "s1") == CodingSessionRecord("s1", "two-sum", 1800, T0, T1, 4, 2, True)
        assert DEBUG_SESSIONS.get(store, "s2") == DebugSessionRecord("s2", "off-by-one", T0, 1, 3, None)
        assert DEBUG_EVALUATIONS.get(store, "s2") == DebugEvaluation(
            "s2", "fixed", diagnosis={"location": True}, hints_used=1, created_at=T1
        )
        store.delete_session("s1")  # a record goes with its session
        assert CODING_SESSIONS.get(store, "s1") is None
    finally:
        store.close()


def test_downgrade_gives_the_old_tables_back(database_url: str) -> None:
    _old_rows(database_url)
    engine = database.make_engine(database_url)
    try:
        database.upgrade(engine)
        assert "coding_sessions" not in inspect(engine).get_table_names()
        with engine.begin() as connection:
            config = database._alembic_config(engine)
            config.attributes["connection"] = connection
            command.downgrade(config, "0007")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT problem_id, runs FROM coding_sessions")).all() == [("two-sum", 4)]
            assert conn.execute(text("SELECT result, hints_used FROM debug_evaluations")).all() == [("fixed", 1)]
        assert "module_records" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()
