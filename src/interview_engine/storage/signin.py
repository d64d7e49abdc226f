"""Failed sign-ins in the database, so that every web process throttles the same guesses."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as OrmSession

from interview_engine.storage import models as m

__all__ = ["SignInFailures"]

Tx = Callable[[], AbstractContextManager[OrmSession]]


def _key(value: str) -> str:
    """What is stored of an email or an address: its hash (the table needs no plain text)."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


class SignInFailures:
    """The ``signin_failures`` table: one row per failed sign-in per kind (account, address)."""

    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    def record(self, keys: Sequence[tuple[str, str]], at: datetime, *, forget_before: datetime) -> None:
        """Count one failure under each ``(kind, value)``; drop every failure older than ``forget_before``."""
        with self._tx() as tx:
            tx.execute(delete(m.SignInFailureRow).where(m.SignInFailureRow.failed_at < forget_before))
            tx.add_all(m.SignInFailureRow(kind=kind, key=_key(value), failed_at=at) for kind, value in keys)

    def nth_latest(self, kind: str, value: str, n: int, *, since: datetime) -> datetime | None:
        """When the ``n``-th most recent failure under ``(kind, value)`` since ``since`` was; None if fewer."""
        query = (
            select(m.SignInFailureRow.failed_at)
            .where(
                m.SignInFailureRow.kind == kind,
                m.SignInFailureRow.key == _key(value),
                m.SignInFailureRow.failed_at >= since,
            )
            .order_by(m.SignInFailureRow.failed_at.desc())
            .offset(n - 1)
            .limit(1)
        )
        with self._tx() as tx:
            found = tx.scalars(query).first()
        if found is None:
            return None
        return found if found.tzinfo else found.replace(tzinfo=since.tzinfo)
