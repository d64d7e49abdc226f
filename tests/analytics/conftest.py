from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from analytics_quiz import QuizPlugin, practise

from interview_engine import Engine, Session, User

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def quiz() -> QuizPlugin:
    return QuizPlugin()


@pytest.fixture
def quiz_engine(database_url: str, quiz: QuizPlugin) -> Iterator[Engine]:
    """An engine with only the quiz module, on SQLite and on PostgreSQL."""
    engine = Engine.create(database_url, plugins=[quiz], load_entry_points=False)
    yield engine
    engine.close()


@pytest.fixture
def sqlite_quiz_engine(sqlite_url: str, quiz: QuizPlugin) -> Iterator[Engine]:
    engine = Engine.create(sqlite_url, plugins=[quiz], load_entry_points=False)
    yield engine
    engine.close()


def practise_a_handful(engine: Engine, user: User) -> list[Session]:
    """Five sessions over three weeks, plus one still running; oldest first."""
    return [
        practise(engine, user.id, "cache-basics", {"caching": 0.2}, T0, hints={"caching": 2}),
        practise(engine, user.id, "sql-joins", {"sql": 0.9}, T0 + timedelta(days=3)),
        practise(engine, user.id, "cache-headers", {"caching": 0.5, "http": 0.4}, T0 + timedelta(days=10)),
        practise(engine, user.id, "locks", {"concurrency": 0.7}, T0 + timedelta(days=14)),
        practise(engine, user.id, "http-verbs", {"http": 0.3}, T0 + timedelta(days=21), hints={"http": 1}),
        practise(engine, user.id, "sql-indexes", {}, T0 + timedelta(days=22), evaluate=False),
    ]


@pytest.fixture
def candidate(quiz_engine: Engine) -> User:
    return quiz_engine.store.ensure_user("ada@example.com")
