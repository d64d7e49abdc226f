"""A module's private records: typed rows it keeps per session, in one table keyed by module.

The core knows no module's records: a module declares a :class:`RecordKind` for each attrs class it keeps
and stores it through the engine's store, in the unit of work of the call that changes it::

    from attrs import frozen
    from interview_engine import RecordKind

    @frozen
    class Streak:
        session_id: str
        cards_right: int = 0

    STREAKS = RecordKind("flashcards", "streaks", Streak)

    STREAKS.save(ctx.store, session.id, Streak(session.id, 3))
    STREAKS.get(ctx.store, session.id)       # -> Streak(...) or None

Records are JSON through the one converter (``module_records``: session, module, kind, data); they are
deleted with their session like every row that belongs to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

from attrs import field, frozen
from attrs.validators import matches_re

from interview_engine.converter import converter, unstructure

if TYPE_CHECKING:
    from interview_engine.storage import Store

__all__ = ["RecordKind"]

T = TypeVar("T")
NAME = r"^[a-z][a-z0-9_]{0,63}$"


@frozen
class RecordKind(Generic[T]):
    """One kind of record a module keeps per session, of attrs type ``type``."""

    module: str = field(validator=matches_re(NAME))
    name: str = field(validator=matches_re(NAME))
    type: type[T]

    def save(self, store: Store, session_id: str, record: T) -> None:
        """Keep ``record`` as the session's record of this kind (replacing the one before)."""
        store.save_record(session_id, self.module, self.name, unstructure(record))

    def get(self, store: Store, session_id: str) -> T | None:
        """The session's record of this kind, or ``None``."""
        data = store.get_record(session_id, self.module, self.name)
        # Our own stored data: a record that no longer fits its type is a bug (a 500), not the caller's input.
        return None if data is None else converter.structure(data, self.type)
