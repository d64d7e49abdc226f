"""One transaction per engine operation: each call that changes anything commits exactly once.

Counted at the database connection (SQLAlchemy's ``commit`` and ``begin`` events), on SQLite and on
PostgreSQL, with the flash-card test plugin: start, act, end (which evaluates), summary and delete.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import event

from interview_engine import Engine


@pytest.fixture
def counted(flashcards_engine: Engine) -> Iterator[tuple[Engine, Callable[[Callable[[], Any]], tuple[int, int]]]]:
    db = flashcards_engine.store._engine  # the store's SQLAlchemy engine: only this test looks inside
    counts = {"begin": 0, "commit": 0}

    def on_begin(_: Any) -> None:
        counts["begin"] += 1

    def on_commit(_: Any) -> None:
        counts["commit"] += 1

    event.listen(db, "begin", on_begin)
    event.listen(db, "commit", on_commit)

    def measure(call: Callable[[], Any]) -> tuple[int, int]:
        counts.update(begin=0, commit=0)
        call()
        return counts["begin"], counts["commit"]

    try:
        yield flashcards_engine, measure
    finally:
        event.remove(db, "begin", on_begin)
        event.remove(db, "commit", on_commit)


def test_every_engine_operation_is_one_transaction(counted: tuple[Engine, Any]) -> None:
    engine, measure = counted
    user = engine.store.ensure_user("unit@example.com")
    started: list[Any] = []

    def start() -> None:
        started.append(engine.start_session(user_id=user.id, module="flashcards", track="backend", difficulty="mid"))

    assert measure(start) == (1, 1)
    session_id = started[0].id
    assert measure(lambda: engine.act(session_id, "answer", {"text": "syn ack"}, user_id=user.id)) == (1, 1)
    assert measure(lambda: engine.end_session(session_id, user_id=user.id)) == (1, 1)  # the end and the evaluation
    assert measure(lambda: engine.summary(session_id, user_id=user.id)) == (1, 1)  # reads only: one transaction
    assert measure(lambda: engine.delete_session(session_id, user_id=user.id)) == (1, 1)
