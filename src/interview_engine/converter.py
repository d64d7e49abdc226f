"""The one cattrs converter: domain objects to JSON and back, for the API, the DB and content files.

Never the global converter.  Errors from :func:`structure` carry every bad
field as ``$.path: what was wrong`` (cattrs' ``transform_error``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn, override
from cattrs.preconf.json import make_converter
from cattrs.v import format_exception

from interview_engine.errors import InvalidInput

__all__ = [
    "OPTIONAL_KEY",
    "converter",
    "dumps",
    "error_lines",
    "make_engine_converter",
    "structure",
    "unstructure",
]

T = TypeVar("T")
_OPTIONAL = "interview_engine.optional_key"
#: attrs field metadata for a key written out only when it differs from the field's default: the JSON has
#: the key only when set.  For the shapes that always had optional keys (a group's first failing case,
#: shown in practice mode only), so a typed class writes exactly what the dicts wrote::
#:
#:     @frozen
#:     class Group:
#:         name: str
#:         firstFailure: Case | None = field(default=None, metadata=OPTIONAL_KEY)
OPTIONAL_KEY: Mapping[str, Any] = MappingProxyType({_OPTIONAL: True})


def _optional_keys(cls: Any) -> dict[str, Any]:
    return {a.name: override(omit_if_default=True) for a in attrs.fields(cls) if a.metadata.get(_OPTIONAL)}


def _has_optional_keys(cls: Any) -> bool:
    return attrs.has(cls) and bool(_optional_keys(cls))


def _structure_datetime(value: Any, _: type) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        parsed = datetime.fromisoformat(value)
    else:
        raise ValueError(f"expected an ISO 8601 date-time, got {type(value).__name__}")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _unstructure_datetime(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def make_engine_converter() -> cattrs.Converter:
    """Build a converter with the engine's hooks; a plugin can build its own from it."""
    conv = make_converter(forbid_extra_keys=True)
    conv.register_structure_hook(datetime, _structure_datetime)
    conv.register_unstructure_hook(datetime, _unstructure_datetime)
    conv.register_unstructure_hook_factory(
        _has_optional_keys, lambda cls: make_dict_unstructure_fn(cls, conv, **_optional_keys(cls))
    )
    return conv


converter = make_engine_converter()


def _describe(exc: BaseException, type_: Any) -> str:
    """Keep the words of a validator's ``ValueError``; cattrs' wording for everything else."""
    if isinstance(exc, ValueError) and not isinstance(exc, cattrs.BaseValidationError) and str(exc):
        text = str(exc)
        if not text.startswith(("invalid literal", "could not convert")):
            return text
    return format_exception(exc, type_)


def error_lines(exc: BaseException, path: str = "$") -> list[str]:
    """Flatten a structuring error into ``$.path: what was wrong`` lines."""
    if isinstance(exc, (cattrs.ClassValidationError, cattrs.IterableValidationError)):
        return cattrs.transform_error(exc, path=path, format_exception=_describe)
    return [f"{path}: {exc}"]


def structure(data: Any, cls: type[T], *, what: str = "$") -> T:
    """Structure ``data`` into ``cls`` or raise :class:`InvalidInput` naming every bad field."""
    try:
        return converter.structure(data, cls)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as exc:
        lines = error_lines(exc, what)
        raise InvalidInput("; ".join(lines)) from exc


def unstructure(obj: Any) -> Any:
    return converter.unstructure(obj)


def dumps(obj: Any, **kwargs: Any) -> str:
    return json.dumps(converter.unstructure(obj), **kwargs)
