"""JSON Schema of a declared payload type, caps included, for adapters to publish (OpenAPI, ``--help``).

The schema is read from the same attrs class the engine structures payloads into, and a field's caps
from its :class:`~interview_engine.actions.Cap` validators, so what a client is told is what every door
refuses::

    >>> from attrs import field, frozen
    >>> @frozen
    ... class Run:
    ...     source: str = field(validator=text_at_most(65_536))
    >>> json_schema(Run)["properties"]["source"]
    {'type': 'string', 'maxLength': 65536}
"""

from __future__ import annotations

import enum
import types
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Literal, Union, get_args, get_origin

import attrs

from interview_engine.actions import Action, Cap, result_types

__all__ = ["TEXT_PATTERN", "json_schema", "request_schema", "result_schema"]

_SCALARS: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    float: {"type": "number"},
    Any: {},
    object: {},
    datetime: {"type": "string", "format": "date-time"},
}


def _caps(validator: Any) -> dict[str, Any]:
    """The JSON Schema words of a field's validators: our caps and attrs' own length checks."""
    found: dict[str, Any] = {}
    inner = getattr(validator, "_validators", None)  # attrs' and_(...) and a list of validators
    for each in inner if inner is not None else (validator,):
        if isinstance(each, Cap):
            found.update(each.schema)
        elif hasattr(each, "max_length"):
            found["maxLength"] = each.max_length
        elif hasattr(each, "min_length"):
            found["minLength"] = each.min_length
    return found


def _for_type(kind: Any) -> dict[str, Any]:
    if kind in _SCALARS:
        return dict(_SCALARS[kind])
    if isinstance(kind, type) and attrs.has(kind):
        return json_schema(kind)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return {"enum": [member.value for member in kind]}
    origin, args = get_origin(kind), get_args(kind)
    if origin is Literal:
        return {"enum": list(args)}
    if origin in (Union, types.UnionType):
        options = [_for_type(arg) for arg in args if arg is not type(None)]
        if type(None) in args:
            options.append({"type": "null"})
        return options[0] if len(options) == 1 else {"anyOf": options}
    if origin in (list, tuple, Sequence) or (isinstance(origin, type) and issubclass(origin, Sequence)):
        return {"type": "array", "items": _for_type(args[0]) if args else {}}
    if origin in (dict, Mapping) or (isinstance(origin, type) and issubclass(origin, Mapping)):
        return {"type": "object", "additionalProperties": _for_type(args[1]) if len(args) == 2 else {}}
    raise TypeError(f"no JSON Schema for the payload type {kind!r}")


def json_schema(cls: type) -> dict[str, Any]:
    """The JSON Schema of an attrs payload type: its fields, which are required, and their caps.

    Unknown keys are refused (the engine's converter forbids them), so the schema says so too.
    """
    attrs.resolve_types(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for attribute in attrs.fields(cls):
        schema = _for_type(attribute.type if attribute.type is not None else Any)
        if attribute.validator is not None:
            schema.update(_caps(attribute.validator))
        properties[attribute.name] = schema
        if attribute.default is attrs.NOTHING:
            required.append(attribute.name)
    found: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        found["required"] = required
    if cls.__doc__:
        found["description"] = cls.__doc__.strip().splitlines()[0]
    return found


TEXT_PATTERN = "^[^\\u0000]*$"
"""Payload text holds no NUL, as the engine checks (:func:`~interview_engine.actions.validate_payload`)."""


def request_schema(cls: type) -> dict[str, Any]:
    """:func:`json_schema` with the engine's text rule published: no string and no object key holds a NUL.

    Iterative, so no nesting of the payload type makes it recurse.
    """
    schema = json_schema(cls)
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        if node.get("type") == "string":
            if "pattern" not in node:
                node["pattern"] = TEXT_PATTERN
            elif node["pattern"] != TEXT_PATTERN:  # one pattern a schema: the field's own, and ours beside it
                node.setdefault("allOf", []).append({"pattern": TEXT_PATTERN})
        if node.get("type") == "object" and isinstance(node.get("additionalProperties"), dict):
            node.setdefault("propertyNames", {"pattern": TEXT_PATTERN})
        stack.extend(value for value in node.values() if isinstance(value, dict | list))
    return schema


def result_schema(action: Action, *, also: tuple[type, ...] = ()) -> dict[str, Any] | None:
    """The JSON Schema of what an action answers (``None`` when it declares no result type).

    A union of result types is ``anyOf`` its classes; ``also`` adds answers every action of its kind may
    give besides its own (a grading job's recovered submission).
    """
    kinds = [*result_types(action.result), *also] if action.result is not None else []
    if not kinds:
        return None
    schemas = [json_schema(kind) for kind in kinds]
    return schemas[0] if len(schemas) == 1 else {"anyOf": schemas}
