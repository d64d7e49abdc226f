"""A module's session state as a typed class, read from and written to ``Session.state`` (JSON).

The engine stores a session's state as JSON and knows nothing of its shape; a module owns it as an attrs
class and reads and writes it through the one converter::

    @frozen
    class Streak:
        cards: list[str]
        right: int = 0

    state = load_state(Streak, session.state)
    session = evolve(session, state=dump_state(evolve(state, right=state.right + 1)))

Sessions stored by an older version still open: a key they lack takes the field's default (or a fallback
the module passes, such as the session's item), and a key this version no longer uses is left behind.
A stored state that does not fit its class at all is the module's bug (an :class:`InternalError`), never
the caller's input.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from interview_engine.converter import error_lines, make_engine_converter
from interview_engine.errors import InternalError

__all__ = ["dump_state", "load_state"]

T = TypeVar("T")


def _make_state_converter() -> Any:
    conv = make_engine_converter()
    conv.forbid_extra_keys = False  # an older session's keys that this version no longer uses
    return conv


_converter = _make_state_converter()


def load_state(cls: type[T], stored: Mapping[str, Any], **fallbacks: Any) -> T:
    """The stored state as ``cls`` (a fresh copy); ``fallbacks`` fill keys the stored state lacks."""
    given = {**{key: value for key, value in fallbacks.items() if value is not None}, **stored}
    try:
        found: T = _converter.structure(given, cls)
    except Exception as exc:  # cattrs wraps every field's complaint
        raise InternalError(f"a stored {cls.__name__} does not fit: {'; '.join(error_lines(exc))}") from exc
    return found


def dump_state(state: Any, *, omit_empty: Iterable[str] = ()) -> dict[str, Any]:
    """The JSON stored in ``Session.state``: every field, but those in ``omit_empty`` only when set (not
    ``None``, ``""``, ``[]`` or ``{}``; a ``0`` is kept)."""
    data: dict[str, Any] = _converter.unstructure(state)
    for optional in omit_empty:
        if data.get(optional) in (None, "", [], {}):
            data.pop(optional, None)
    return data
