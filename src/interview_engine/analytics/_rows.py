"""The one query behind :func:`~interview_engine.analytics.load_history`.

It reads a user's sessions left-joined with their evaluations, only the
columns analytics needs (the evaluation's topic scores and metrics, not its
evidence), and builds no ORM objects: 3000 sessions load in tens of
milliseconds where ``Store.list_sessions`` + ``Store.evaluations_for`` take
several hundred.

This belongs in :class:`~interview_engine.storage.Store` (as
``Store.history_rows(user_id)``); it lives here until the storage owner moves
it, and it uses the store's own transaction helper so database errors map to
``StorageError`` as everywhere else.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from interview_engine.analytics.history import Outcome
from interview_engine.domain import Difficulty, Session, SessionStatus, TopicScore, Track
from interview_engine.storage import Store
from interview_engine.storage import models as m

__all__ = ["history_rows"]


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _topic(data: Any) -> TopicScore:
    return TopicScore(
        topic=str(data["topic"]),
        score=float(data["score"]),
        item_id=str(data.get("item_id", "")),
        hints=int(data.get("hints", 0)),
        misconceptions=int(data.get("misconceptions", 0)),
    )


def history_rows(store: Store, user_id: str) -> tuple[list[Session], dict[str, Outcome]]:
    """The sessions of ``user_id``, newest first, and the outcomes of the evaluated ones."""
    s, e = m.SessionRow, m.EvaluationRow
    query: Any = (
        select(
            s.id,
            s.module,
            s.track,
            s.difficulty,
            s.status,
            s.kb_version,
            s.item_id,
            s.time_limit_s,
            s.created_at,
            s.started_at,
            s.ended_at,
            e.weighted_average,
            e.decision,
            e.result,
            e.body["topics"],
            e.body["metrics"],
        )
        .select_from(s)
        .outerjoin(e, e.session_id == s.id)
        .where(s.user_id == user_id)
        .order_by(s.created_at.desc(), s.id)
    )
    sessions: list[Session] = []
    outcomes: dict[str, Outcome] = {}
    with store._tx() as tx:
        rows = tx.execute(query).all()
    for row in rows:
        (sid, module, track, difficulty, status, kb, item, limit, created, started, ended) = row[:11]
        sessions.append(
            Session(
                id=sid,
                user_id=user_id,
                module=module,
                track=Track(track),
                difficulty=Difficulty(difficulty),
                kb_version=kb,
                status=SessionStatus(status),
                item_id=item,
                time_limit_s=limit,
                created_at=_utc(created) or datetime.min.replace(tzinfo=UTC),
                started_at=_utc(started),
                ended_at=_utc(ended),
            )
        )
        average, decision, result, topics, metrics = row[11:]
        if decision is not None:
            outcomes[sid] = Outcome(
                session_id=sid,
                weighted_average=float(average),
                decision=decision,
                result=result,
                topics=tuple(_topic(t) for t in topics or ()),
                metrics={str(k): float(v) for k, v in (metrics or {}).items()},
            )
    return sessions, outcomes
