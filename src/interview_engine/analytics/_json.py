"""Analytics as JSON for the CLI and the web API: camelCase field names, like the rest of the API.

Only attrs field names are renamed; dictionary keys that are data (module
names in ``kbVersions``) stay as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn, override

from interview_engine.converter import make_engine_converter

__all__ = ["camel", "to_json"]


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _make_converter() -> cattrs.Converter:
    conv = make_engine_converter()

    def factory(cls: type[Any]) -> Callable[[Any], Any]:
        renames = {a.name: override(rename=camel(a.name)) for a in attrs.fields(cls)}
        return make_dict_unstructure_fn(cls, conv, **renames)  # type: ignore[arg-type]

    conv.register_unstructure_hook_factory(attrs.has, factory)
    return conv


_converter = _make_converter()


def to_json(obj: Any) -> Any:
    """Analytics objects (and lists of them) as JSON-able data with camelCase keys."""
    return _converter.unstructure(obj)
