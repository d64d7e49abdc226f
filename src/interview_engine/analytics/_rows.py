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

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Text, func, select, type_coerce

from interview_engine.analytics.history import HistoryEntry, Outcome
from interview_engine.domain import TopicScore
from interview_engine.storage import Store
from interview_engine.storage import models as m

__all__ = ["history_rows"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


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


def _topics_and_metrics(store: Store) -> list[Any]:
    body = m.EvaluationRow.body
    if store.dialect == "sqlite":
        # One parse of the body for both paths: SQLite returns them as one JSON array.
        both: Any = type_coerce(func.json_extract(body, "$.topics", "$.metrics"), Text)
        return [both]
    return [body["topics"], body["metrics"]]


def _decode(store: Store, values: Sequence[Any]) -> tuple[Any, Any]:
    if store.dialect == "sqlite":
        found = json.loads(values[0]) if values[0] else [None, None]
        return found[0], found[1]
    return values[0], values[1]


def history_rows(
    store: Store, user_id: str, titles: Mapping[str, str]
) -> tuple[list[HistoryEntry], dict[str, Outcome]]:
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
            s.created_at,
            s.started_at,
            s.ended_at,
            e.weighted_average,
            e.decision,
            e.result,
            *_topics_and_metrics(store),
        )
        .select_from(s)
        .outerjoin(e, e.session_id == s.id)
        .where(s.user_id == user_id)
        .order_by(s.created_at.desc(), s.id)
    )
    entries: list[HistoryEntry] = []
    outcomes: dict[str, Outcome] = {}
    with store._tx() as tx:
        rows = tx.execute(query).all()
    for row in rows:
        sid, module, track, difficulty, status, kb, item, created, started, ended, average, decision, result = row[:13]
        created, started, ended = _utc(created) or _EPOCH, _utc(started), _utc(ended)
        entries.append(
            HistoryEntry(
                session_id=sid,
                date=created,
                scored_at=ended or created,
                module=module,
                module_title=titles.get(module, module),
                track=track,
                difficulty=difficulty,
                status=status,
                kb_version=kb,
                item_id=item,
                duration_s=(ended - started).total_seconds() if started and ended else None,
                weighted_score=average,
                decision=decision,
                result=result,
            )
        )
        if decision is not None:
            topics, metrics = _decode(store, row[13:])
            outcomes[sid] = Outcome(
                session_id=sid,
                weighted_average=float(average),
                decision=decision,
                result=result,
                topics=tuple(_topic(t) for t in topics or ()),
                metrics={str(k): float(v) for k, v in (metrics or {}).items()},
            )
    return entries, outcomes
