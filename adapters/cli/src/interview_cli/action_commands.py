"""The generic verbs, generated from the modules' action declarations: no module is named here.

::

    interview actions [MODULE]                      what each installed module lets a candidate do
    interview start MODULE [--track T] [--difficulty D] [--option KEY=VALUE]...
    interview act MODULE ACTION SESSION_ID [--FIELD VALUE | --FIELD-file PATH]... [--payload JSON]
    interview end SESSION_ID

``interview act`` has one sub-command per module and, under it, one per candidate action; an action's
options are its payload type's fields (a text field takes the text, or ``--FIELD-file`` reads it from a
file; any other field takes JSON).  The engine validates the payload against the same declaration and
caps the web routes use, so a bad value is the same one-line error naming the field, and a new module's
actions work here with no change to this adapter.  Service-only actions get no command, as on the web.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import click

from interview_cli.output import console, emit_json
from interview_engine.commands import current
from interview_engine.errors import InvalidInput, NotFound

if typing.TYPE_CHECKING:
    from interview_engine.actions import Action

__all__ = ["COMMANDS", "register"]

MAX_FILE_BYTES = 1024 * 1024


def _declarations(ctx: click.Context) -> dict[str, tuple[str, list[Action]]]:
    """Every installed module's title and candidate actions, from the plugins (no database is opened)."""
    root = ctx.find_root()
    cached: dict[str, tuple[str, list[Action]]] | None = root.meta.get("interview.declarations")
    if cached is None:
        from interview_engine.actions import Caller, declared_actions
        from interview_engine.plugins import make_plugin_manager, modules_by_plugin

        cached = {}
        for _, modules in modules_by_plugin(make_plugin_manager()):
            for module in modules:
                declared = declared_actions(module.name, module.actions).values()
                cached[module.name] = (module.title, [a for a in declared if a.callers is Caller.CANDIDATE])
        root.meta["interview.declarations"] = cached
    return cached


def _is_text(hint: Any) -> bool:
    """``str`` or ``str | None``: the option's value is the text itself."""
    if hint is str:
        return True
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return set(typing.get_args(hint)) <= {str, type(None)} and str in typing.get_args(hint)
    return False


def _cap_words(validator: Any) -> str:
    """What a declared cap allows, in the words of its JSON Schema (``at most 65536 characters``)."""
    found = getattr(validator, "_validators", None) or (validator,)
    words = []
    for one in found:
        schema: Mapping[str, Any] = getattr(one, "schema", None) or {}
        for key, text in (("maxLength", "at most {} characters"), ("maxProperties", "at most {} entries")):
            if key in schema:
                words.append(text.format(schema[key]))
        for key, text in (("maxItems", "at most {} items"), ("minimum", "at least {}"), ("maximum", "at most {}")):
            if key in schema:
                words.append(text.format(schema[key]))
    return ", ".join(words)


class _Field(typing.NamedTuple):
    name: str
    text: bool


def _fields(payload: type) -> list[tuple[_Field, click.Option, click.Option]]:
    """Two options per payload field: ``--FIELD VALUE`` and ``--FIELD-file PATH``."""
    hints = typing.get_type_hints(payload)
    options = []
    for attribute in attrs.fields(payload):
        text = _is_text(hints.get(attribute.name, Any))
        required = attribute.default is attrs.NOTHING
        kind = "text" if text else "JSON"
        caps = _cap_words(attribute.validator)
        help_text = f"{kind}{', ' + caps if caps else ''}{' (required)' if required else ''}."
        value = click.Option([f"--{attribute.name}", f"field_{attribute.name}"], default=None, help=help_text)
        from_file = click.Option(
            [f"--{attribute.name}-file", f"file_{attribute.name}"],
            default=None,
            metavar="PATH",
            help=f"Read --{attribute.name} from a file.",
        )
        options.append((_Field(attribute.name, text), value, from_file))
    return options


def _read(path: str, field: str) -> str:
    try:
        with Path(path).open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}", field=field) from exc
    if len(raw) > MAX_FILE_BYTES:
        raise InvalidInput(f"{path} is longer than {MAX_FILE_BYTES // 1024} KiB", field=field)
    return raw.decode("utf-8", errors="replace")


def _json(text: str, field: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"not JSON ({exc.msg} at character {exc.pos})", field=field) from exc
    except RecursionError:
        raise InvalidInput("JSON nested too deeply", field=field) from None
    except ValueError as exc:  # an integer past Python's digit limit
        raise InvalidInput(f"not usable JSON ({exc})", field=field) from exc


def _payload(fields: Sequence[_Field], given: Mapping[str, Any]) -> dict[str, Any]:
    """The payload from ``--payload`` and the field options, a field option winning over ``--payload``."""
    payload: dict[str, Any] = {}
    if given.get("payload") is not None:
        whole = _json(given["payload"], "payload")
        if not isinstance(whole, dict):
            raise InvalidInput("must be a JSON object", field="payload")
        payload.update(whole)
    for field in fields:
        value, path = given.get(f"field_{field.name}"), given.get(f"file_{field.name}")
        if value is not None and path is not None:
            raise InvalidInput(f"give --{field.name} or --{field.name}-file, not both", field=field.name)
        if path is not None:
            value = _read(path, field.name)
        if value is not None:
            payload[field.name] = value if field.text else _json(value, field.name)
    return payload


class _OneLineErrors(click.Command):
    """Click's usage errors (an unknown option, a missing argument) as the CLI's one-line errors."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            param = getattr(exc, "param", None)
            raise InvalidInput(exc.format_message(), field=getattr(param, "name", None)) from None


class _OneLineGroup(click.Group):
    """A group whose unknown sub-commands are one-line errors naming what exists."""

    def unknown(self, ctx: click.Context, name: str) -> NotFound:
        """The error for an unknown sub-command; groups override it to say what kind of thing is missing."""
        known = ", ".join(self.list_commands(ctx)) or "none"
        return NotFound(f"{self.name} has no command {name!r} (commands: {known})", field="command")

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and not args[0].startswith("-") and self.get_command(ctx, args[0]) is None:
            raise self.unknown(ctx, args[0])
        return super().resolve_command(ctx, args)


def _action_command(module: str, action: Action) -> click.Command:
    fields = _fields(action.payload) if action.payload is not None else []
    params: list[click.Parameter] = [click.Argument(["session_id"])]
    for _, value, from_file in fields:
        params += [value, from_file]
    if not action.typed or action.payload is not None:
        params.append(click.Option(["--payload"], default=None, metavar="JSON", help="The whole payload as JSON."))

    def run(session_id: str, **given: Any) -> None:
        from interview_cli.core_commands import resolve_session_id

        state = current()
        found = state.engine.get_session(resolve_session_id(state, session_id), user_id=state.user.id)
        if found.module != module:
            raise InvalidInput(f"session {found.id} is not a {module} session", field="session_id")
        emit_json(state.act(found.id, action.name, _payload([f for f, _, _ in fields], given)))

    takes = "takes no payload" if action.typed and action.payload is None else "prints its result as JSON"
    return _OneLineErrors(
        action.name,
        params=params,
        callback=run,
        help=f"{action.description or action.name} ({action.cost.value}; {takes}).",
        short_help=action.description or action.name,
    )


class _ModuleActions(_OneLineGroup):
    def __init__(self, module: str, title: str, actions: list[Action]) -> None:
        super().__init__(module, help=f"The actions of {title} sessions.", short_help=title)
        for action in actions:
            self.add_command(_action_command(module, action))

    def unknown(self, ctx: click.Context, name: str) -> NotFound:
        known = ", ".join(self.list_commands(ctx)) or "none"
        return NotFound(f"{self.name} has no action {name!r} for candidates (actions: {known})", field="action")


class _Modules(_OneLineGroup):
    """``interview act MODULE ...``: one group per installed module, built when it is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_declarations(ctx))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = _declarations(ctx).get(cmd_name)
        return _ModuleActions(cmd_name, *found) if found else None

    def unknown(self, ctx: click.Context, name: str) -> NotFound:
        known = ", ".join(self.list_commands(ctx)) or "none"
        return NotFound(f"no interview module {name!r} (installed: {known})", field="module")


act = _Modules(
    "act",
    help="Carry out an action of a session (ACTION's options are its payload's fields), as the web API does.",
    short_help="Carry out any module's action in one of your sessions.",
)


@click.command()
@click.argument("module", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the declarations as JSON.")
@click.pass_context
def actions(ctx: click.Context, module: str | None, as_json: bool) -> None:
    """What each installed module lets a candidate do: its actions, their cost and payload fields."""
    declared = _declarations(ctx)
    if module is not None and module not in declared:
        raise NotFound(f"no interview module {module!r} (installed: {', '.join(sorted(declared))})", field="module")
    chosen = [module] if module else sorted(declared)
    rows: list[dict[str, Any]] = [
        {
            "module": name,
            "action": a.name,
            "cost": a.cost.value,
            "fields": [f.name for f in attrs.fields(a.payload)] if a.payload is not None else [],
            "typed": a.typed,
            "description": a.description,
        }
        for name in chosen
        for a in declared[name][1]
    ]
    if as_json:
        emit_json(rows)
        return
    from rich.table import Table

    table = Table("module", "action", "cost", "payload", "what it does")
    for row in rows:
        payload = ", ".join(row["fields"]) if row["typed"] else "any JSON (--payload)"
        table.add_row(row["module"], row["action"], row["cost"], payload or "-", row["description"])
    console.print(table)


def _options(pairs: Sequence[str]) -> dict[str, str]:
    options = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise InvalidInput(f"must be KEY=VALUE, got {pair!r}", field="--option")
        options[key] = value
    return options


@click.command(cls=_OneLineErrors)
@click.argument("module")
@click.option("--track", default="backend", show_default=True)
@click.option("--difficulty", default="mid", show_default=True)
@click.option("--option", "pairs", multiple=True, metavar="KEY=VALUE", help="A start option of the module.")
@click.option("--json", "as_json", is_flag=True, help="Print the session as JSON.")
def start(module: str, track: str, difficulty: str, pairs: tuple[str, ...], as_json: bool) -> None:
    """Start a session of any installed MODULE; its id is what `interview act` and `interview end` take."""
    state = current()
    session = state.engine.start_session(
        user_id=state.user.id, module=module, track=track, difficulty=difficulty, options=_options(pairs)
    )
    if as_json:
        emit_json(session)
        return
    console.print(f"started {session.module} session {session.id} ({session.item_id or session.track.value})")


@click.command(cls=_OneLineErrors)
@click.argument("session_id")
@click.option("--json", "as_json", is_flag=True, help="Print the ended session as JSON.")
def end(session_id: str, as_json: bool) -> None:
    """End a session of any module and evaluate it (`interview summary` shows the result)."""
    from interview_cli.core_commands import resolve_session_id

    state = current()
    ended = state.engine.end_session(resolve_session_id(state, session_id), user_id=state.user.id)
    if as_json:
        emit_json(ended)
        return
    console.print(f"session {ended.id} is {ended.status.value}: see `interview summary {ended.id[:8]}`")


COMMANDS = (actions, act, start, end)


def register(group: click.Group) -> None:
    for command in COMMANDS:
        group.add_command(command)
