"""Small attrs converters shared by the domain classes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def as_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Freeze any iterable (lists from JSON included) into a tuple."""
    return tuple(value)
