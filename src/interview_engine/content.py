"""Content packs: versioned JSON or TOML data shipped inside each plugin.

A pack's version is the ``kbVersion`` stamped on every session that used it.
Loading validates: a bad file raises :class:`ContentError` naming the file and
the field, never a traceback.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

import cattrs
from attrs import frozen

from interview_engine.converter import converter, error_lines
from interview_engine.errors import ContentError

__all__ = ["ContentCheck", "PackInfo", "load_content", "load_editorials", "read_data_file", "structure_content"]

#: An editorial explains why the approach works, its cost and the trap: a sentence or two is not that.
MIN_EDITORIAL_WORDS = 40

T = TypeVar("T")


@frozen
class PackInfo:
    """A content pack's identity: ``kb_version`` is stamped on sessions."""

    module: str
    name: str
    version: str

    @property
    def kb_version(self) -> str:
        return f"{self.name}@{self.version}"


@frozen
class ContentCheck:
    """One check of ``interview content validate``."""

    module: str
    check: str
    passed: bool
    detail: str = ""
    item: str = ""


def read_data_file(path: Traversable | Path) -> Any:
    """Parse a ``.json`` or ``.toml`` file; syntax errors name the file and the position."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(f"{name}: cannot be read: {exc}") from exc
    try:
        if name.endswith(".toml"):
            return tomllib.loads(text)
        if name.endswith(".json"):
            return json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise ContentError(f"{name}: not valid {name.rsplit('.', 1)[-1].upper()}: {exc}") from exc
    raise ContentError(f"{name}: content files must be .json or .toml")


def structure_content(data: Any, cls: type[T], *, source: str, conv: cattrs.Converter = converter) -> T:
    """Structure ``data`` into ``cls``; errors become one :class:`ContentError` naming ``source``."""
    try:
        return conv.structure(data, cls)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as exc:
        raise ContentError(f"{source}: " + "; ".join(error_lines(exc))) from exc


def load_content(path: Traversable | Path, cls: type[T], *, conv: cattrs.Converter = converter) -> T:
    """Read and structure one content file."""
    return structure_content(read_data_file(path), cls, source=str(path), conv=conv)


def load_editorials(path: Traversable | Path, ids: Iterable[str]) -> dict[str, str]:
    """The ``[editorials]`` table of ``path``: one paragraph per item id, every id covered, none unknown.

    Raises:
        ContentError: naming the file and the id that is missing, unknown, not text or too short.
    """
    data = read_data_file(path)
    table = data.get("editorials") if isinstance(data, dict) else None
    if not isinstance(table, dict):
        raise ContentError(f"{path}: $.editorials: a table is required")
    wanted = set(ids)
    for item_id, text in table.items():
        if item_id not in wanted:
            raise ContentError(f"{path}: $.editorials.{item_id}: no item with this id")
        if not isinstance(text, str) or len(text.split()) < MIN_EDITORIAL_WORDS:
            raise ContentError(f"{path}: $.editorials.{item_id}: at least {MIN_EDITORIAL_WORDS} words of text")
    missing = sorted(wanted - set(table))
    if missing:
        raise ContentError(f"{path}: $.editorials.{missing[0]}: every item needs an editorial")
    return {item_id: " ".join(str(text).split()) for item_id, text in table.items()}
