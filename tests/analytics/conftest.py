from __future__ import annotations

from collections.abc import Iterator

import pytest

from interview_engine import Engine, User
from tests.analytics.analytics_quiz import QuizPlugin


@pytest.fixture
def quiz() -> QuizPlugin:
    return QuizPlugin()


@pytest.fixture
def quiz_engine(database_url: str, quiz: QuizPlugin) -> Iterator[Engine]:
    """An engine with only the quiz module, on SQLite and on PostgreSQL."""
    engine = Engine.create(database_url, plugins=[quiz], load_entry_points=False, migrate=True)
    yield engine
    engine.close()


@pytest.fixture
def sqlite_quiz_engine(sqlite_url: str, quiz: QuizPlugin) -> Iterator[Engine]:
    engine = Engine.create(sqlite_url, plugins=[quiz], load_entry_points=False, migrate=True)
    yield engine
    engine.close()


@pytest.fixture
def candidate(quiz_engine: Engine) -> User:
    return quiz_engine.store.ensure_user("ada@example.com")
