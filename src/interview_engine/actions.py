"""What a candidate can do in a session, declared as data.

A module lists its actions as :class:`Action` declarations: the name, the payload type and the result
type (attrs classes, read and written through the one converter), what the action costs (a cheap call
or a sandbox job), who may call it, and its caps (the payload type's validators).  The engine validates
every payload before the module sees it and every result before the caller does; adapters build their
routes, their OpenAPI and their rate limits from the same declarations, so each action has one door
and one set of caps::

    @frozen
    class RunPayload:
        source: str = field(validator=[instance_of(str), max_len(65_536)])

    actions = (
        Action("prompt", result=Prompt, description="The statement and the time left."),
        Action("run", payload=RunPayload, cost=Cost.SANDBOX, operation_id="runTests"),
    )

A plain string in ``actions`` is an action without declared types: its payload reaches the module as
the caller sent it (JSON), and its cost is cheap.
"""

from __future__ import annotations

import enum
import types
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Union, get_args, get_origin

import attrs
from attrs import field, frozen

from interview_engine.converter import error_lines, make_engine_converter
from interview_engine.errors import InternalError, InvalidInput, PluginError

__all__ = [
    "Action",
    "Caller",
    "Cap",
    "Cost",
    "Routes",
    "StartRoute",
    "check_result",
    "declared_actions",
    "result_types",
    "text_at_most",
    "validate_payload",
]


@frozen
class Cap:
    """An attrs validator that is also JSON Schema: a payload field's cap, said once for every door.

    ``check`` returns what is wrong with a value (``None`` when it passes); ``schema`` is the same rule
    in JSON Schema words, which adapters publish (the OpenAPI's ``maxLength``)::

        files: dict[str, str] = field(validator=Cap(at_most_20_files, {"maxProperties": 20}))
    """

    check: Callable[[Any], str | None]
    schema: Mapping[str, Any] = field(factory=dict)

    def __call__(self, _: object, attribute: attrs.Attribute[Any], value: object) -> None:
        complaint = self.check(value)
        if complaint:
            raise ValueError(complaint)


def text_at_most(limit: int) -> Cap:
    """A cap for a payload's text field: a string of at most ``limit`` characters.

    Modules declare their caps with it, so every door to an action refuses the same text alike.
    """

    def check(value: object) -> str | None:
        if not isinstance(value, str):
            return f"must be a string, got {type(value).__name__}"
        if len(value) > limit:
            return f"is longer than {limit} characters"
        return None

    return Cap(check, {"type": "string", "maxLength": limit})


def _exactly(kind: type, *also: type) -> Any:
    """A structure hook that takes values of ``kind`` as they are and refuses the rest (no coercion)."""
    accepted = (kind, *also)

    def structure(given: Any, _: Any) -> Any:
        value: Any = given
        if isinstance(value, bool) and kind is not bool:
            raise ValueError(f"must be {'a string' if kind is str else 'a number'}, got a boolean")
        if not isinstance(value, accepted):
            raise ValueError(f"must be {'a string' if kind is str else kind.__name__}, got {type(value).__name__}")
        return float(given) if kind is float else given

    return structure


def _make_payload_converter() -> Any:
    """The engine's converter, strict about scalars: a payload's ``5`` is not the text ``"5"``."""
    conv = make_engine_converter()
    conv.register_structure_hook(str, _exactly(str))
    conv.register_structure_hook(int, _exactly(int))
    conv.register_structure_hook(float, _exactly(float, int))
    conv.register_structure_hook(bool, _exactly(bool))
    return conv


converter = _make_payload_converter()


class Cost(enum.Enum):
    """What running an action takes: rate limits and job queues follow from it."""

    CHEAP = "cheap"
    """Reads or small writes: answered inline."""
    SANDBOX = "sandbox"
    """Runs candidate code in the sandbox: rate-limited per candidate, a grading job when workers exist."""


class Caller(enum.Enum):
    """Who may call an action."""

    CANDIDATE = "candidate"
    """The candidate who owns the session, through any adapter."""
    SERVICE = "service"
    """Only server-side code (a webhook, a worker): adapters open no candidate door to it."""


def _name(value: str) -> str:
    if not value or not value.replace("_", "").isalnum() or not value[0].isalpha():
        raise ValueError(f"Action.name must be a word of letters, digits and _, got {value!r}")
    return value


def _attrs_class(value: type | None) -> type | None:
    if value is not None and not attrs.has(value):
        raise ValueError(f"Action payload and result types must be attrs classes, got {value!r}")
    return value


def result_types(declared: Any) -> tuple[type, ...]:
    """The attrs classes a declared result may be: the one class, or each of a union's (``Graded | NotGraded``)."""
    if declared is None:
        return ()
    if get_origin(declared) in (Union, types.UnionType):
        return tuple(get_args(declared))
    return (declared,)


def _result_type(value: Any) -> Any:
    if any(not (isinstance(kind, type) and attrs.has(kind)) for kind in result_types(value)):
        raise ValueError(f"Action result types must be attrs classes or a union of them, got {value!r}")
    return value


@frozen
class Action:
    """One thing a candidate can do in a session of a module.

    Attributes:
        name: the action's name (``run``, ``submit``, ``answer``), unique within the module.
        payload: the attrs class the payload must structure into; its validators are the caps.
            ``None``: the action takes no payload (anything sent is refused).
        result: the attrs class the result data must structure into, or a union of attrs classes when the
            action answers in more than one shape (``Graded | NotGraded``); ``None``: any JSON object.
        cost: :attr:`Cost.SANDBOX` for actions that run candidate code.
        callers: who may call it.
        description: one line for menus and the OpenAPI summary.
        operation_id: the OpenAPI operation id of the action's own route (the seed's name, such as
            ``runTests``); ``None``: the module's and the action's names (``liveCodingRunCustom``).
        method: the HTTP method of that route: ``GET`` for reads, ``POST`` otherwise.
        path: that route's path under the module's :class:`Routes` prefix; ``None``: ``/<name>``.
    """

    name: str = field(converter=_name)
    payload: type | None = field(default=None, converter=_attrs_class)
    result: Any = field(default=None, converter=_result_type)
    cost: Cost = Cost.CHEAP
    callers: Caller = Caller.CANDIDATE
    description: str = ""
    operation_id: str | None = None
    method: str = "POST"
    path: str | None = None
    typed: bool = True

    @classmethod
    def untyped(cls, name: str) -> Action:
        """A plain string action: its payload passes as sent."""
        return cls(name, typed=False)


@frozen
class StartRoute:
    """A module's own "start a session" operation: the body is the track, the difficulty and one item.

    Attributes:
        operation_id: its OpenAPI operation id (``createCodingSession``).
        item_field: the body's field naming what the session is about (``problemId``), passed to the
            module's ``start`` as that start option.
        description: one line for the OpenAPI summary.
    """

    operation_id: str
    item_field: str
    description: str = ""


@frozen
class Routes:
    """Where an adapter publishes a module's actions: one route per candidate action under ``prefix``.

    Attributes:
        prefix: the path under the API root (``/coding/sessions``), before ``/{session_id}/<path>``.
        tag: the OpenAPI tag grouping the module's operations.
        start: the module's own start operation at ``prefix``, if it has one (every module can also be
            started through the generic ``createSession``).
    """

    prefix: str = field()
    tag: str = ""
    start: StartRoute | None = None

    @prefix.validator
    def _check_prefix(self, _: attrs.Attribute[str], value: str) -> None:
        if not value.startswith("/") or value.endswith("/") or "{" in value:
            raise ValueError(f"Routes.prefix must be a path like /coding/sessions, got {value!r}")


def declared_actions(module_name: str, actions: Iterable[str | Action]) -> dict[str, Action]:
    """A module's actions by name (plain strings become untyped declarations)."""
    found: dict[str, Action] = {}
    for entry in actions:
        if isinstance(entry, str):
            declared = Action.untyped(entry)
        elif isinstance(entry, Action):
            declared = entry
        else:
            raise PluginError(f"{module_name}: actions must be names or Action declarations, got {entry!r}")
        if declared.name in found:
            raise PluginError(f"{module_name} declares the action {declared.name!r} twice")
        found[declared.name] = declared
    return found


def _first_field(line: str) -> str | None:
    """``$.files['a.py']: ...`` (or cattrs' ``... @ $.files['a.py']``) names the field ``files``."""
    path = line.rsplit(" @ ", 1)[1] if " @ " in line else line.split(":", 1)[0]
    if not path.startswith("$."):
        return None
    return path[2:].split(".", 1)[0].split("[", 1)[0] or None


def _refused_fields(cls: type, given: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Each field whose own value its validator refuses, with the validator's words."""
    refused = []
    for attribute in attrs.fields(cls):
        if attribute.validator is None or attribute.name not in given:
            continue
        try:
            value = (
                converter.structure(given[attribute.name], attribute.type) if attribute.type else given[attribute.name]
            )
            attribute.validator(None, attribute, value)
        except (ValueError, TypeError) as exc:
            refused.append((attribute.name, str(exc) or type(exc).__name__))
        except Exception:  # noqa: S112 - a type cattrs cannot structure alone is reported by cattrs itself
            continue
    return refused


def _check_text(payload: Mapping[str, Any]) -> None:
    """Refuse text that is not Unicode text: a lone surrogate (JSON's ``"\\ud800"``, or bytes that are
    not UTF-8 in a command line's argument) cannot be written to a file, a sandbox or the database.

    Iterative, so no nesting makes it recurse.
    """
    stack: list[tuple[str, Any]] = [(f"$.{key}", value) for key, value in payload.items()]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                field = path.removeprefix("$.").split(".", 1)[0].split("[", 1)[0]
                raise InvalidInput(
                    f"{path}: is not valid text (a lone surrogate at character {exc.start})", field=field
                ) from None
        elif isinstance(value, Mapping):
            for key, item in value.items():
                stack.append((f"{path}.{key}", item))
                if isinstance(key, str):
                    stack.append((f"{path} (a key)", key))
        elif isinstance(value, list | tuple):
            stack.extend((f"{path}[{index}]", item) for index, item in enumerate(value))


def validate_payload(action: Action, payload: Mapping[str, Any] | None) -> dict[str, Any]:
    """The payload as the module receives it: structured into the declared type (caps checked) and back.

    Raises:
        InvalidInput: naming the first bad field (``$.source: ...``); every bad field is in the message.
    """
    given = dict(payload or {})
    _check_text(given)
    if not action.typed:
        return given
    if action.payload is None:
        if given:
            raise InvalidInput(f"{action.name} takes no payload, got {', '.join(sorted(given))}", field="payload")
        return {}
    try:
        typed: Any = converter.structure(given, action.payload)
    except Exception as exc:  # cattrs wraps every validator's and type's complaint
        # A cap is an attrs validator, which runs in __init__ where cattrs no longer knows the field:
        # find the fields it refused, so the error names them.
        capped = _refused_fields(action.payload, given)
        lines = [f"$.{name}: {message}" for name, message in capped] or error_lines(exc)
        raise InvalidInput("; ".join(lines), field=_first_field(lines[0]) if lines else None) from exc
    validated: dict[str, Any] = converter.unstructure(typed)
    return validated


def check_result(module_name: str, action: Action, data: Any) -> dict[str, Any]:
    """The result data as JSON, checked against the declared result type: a mismatch is the module's bug.

    A module may answer with an instance of its declared result type (written out through the converter)
    or with the JSON itself (structured into the type to check it, then passed on as it was).
    """
    declared = result_types(action.result)
    if attrs.has(type(data)):
        if declared and not isinstance(data, declared):
            raise InternalError(
                f"{module_name}.{action.name} returned a {type(data).__name__}, "
                f"not its declared {' or '.join(kind.__name__ for kind in declared)}"
            )
        written: dict[str, Any] = converter.unstructure(data)
        return written
    if not isinstance(data, Mapping):
        raise InternalError(f"{module_name}.{action.name} returned {type(data).__name__}, not a JSON object")
    if action.result is None:
        return dict(data)
    try:
        converter.structure(dict(data), action.result)
    except Exception as exc:
        lines = "; ".join(error_lines(exc))
        raise InternalError(f"{module_name}.{action.name} returned a result its declaration refuses: {lines}") from exc
    return dict(data)
