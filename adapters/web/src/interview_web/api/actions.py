"""The JSON routes of every module's actions, generated from the modules' declarations.

For each installed module, under its :class:`~interview_engine.Routes` prefix (``/api/coding/sessions``):

- ``POST {prefix}`` starts a session, when the module declares a :class:`~interview_engine.StartRoute`
  (the seed's ``createCodingSession``, ``createDebugSession``);
- one route per candidate action at ``{prefix}/{session_id}/<path>``: ``GET`` or ``POST`` as declared,
  its body the action's payload type with its caps (JSON Schema read from the same attrs class), its
  operation id the seed's name where the action keeps one (``runTests``), else the module's and the
  action's names (``liveCodingRunCustom``); its answer ``{session, data}`` with ``data`` documented by
  the action's declared result type (``RunTestsOut``), which the engine checks every result against.

Every route goes through :func:`~interview_web.api.acting.run_action`, the one door the generic
``/api/sessions/{id}/actions/{action}`` uses too: the same caps, the same 400, the same rate limit.
Service-only actions get no route.  No module is known here by name.

This module has no ``from __future__ import annotations``: the handlers' annotations are built here,
per action, and Litestar reads them as objects.
"""

import inspect
from typing import Annotated, Any

import msgspec
from litestar import get, post
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import Body

from interview_engine import (
    Action,
    Caller,
    Cost,
    Engine,
    InterviewModule,
    InvalidInput,
    PluginError,
    Routes,
    StartRoute,
)
from interview_engine.jobs import Recovered
from interview_engine.payload_schema import request_schema, result_schema
from interview_web.api.acting import run_action
from interview_web.api.jobs import JOB_RESPONSES
from interview_web.api.mapping import session_out
from interview_web.api.responses import ERRORS
from interview_web.api.schemas import ActionOut, SessionOut
from interview_web.deps import EngineDep, SessionId
from interview_web.kit import AnyRequest, CurrentUser
from interview_web.ratelimit import RateLimiter

__all__ = ["action_routes", "operation_id"]

API = "/api"
Limiter = NamedDependency[RateLimiter]
# JSON Schema's top-level words as Litestar's Schema spells them (nested schemas pass as they are).
_SCHEMA_WORDS = {"properties": "properties", "required": "required", "additionalProperties": "additional_properties"}


def _camel(*words: str) -> str:
    parts = [part for word in words for part in word.split("_") if part]
    return parts[0].lower() + "".join(part[:1].upper() + part[1:] for part in parts[1:])


def operation_id(module: str, action: Action) -> str:
    """The action's OpenAPI operation id: the seed's name it declares, else ``<module><Action>``."""
    return action.operation_id or _camel(module, action.name)


def _body(schema: dict[str, Any] | None, description: str) -> Any:
    """A JSON object body, documented with the declared payload's schema (the engine checks it)."""
    extra = {_SCHEMA_WORDS[key]: value for key, value in (schema or {}).items() if key in _SCHEMA_WORDS}
    return Annotated[dict[str, Any], Body(description=description or None, schema_extra=extra or None)]


def _answer(ident: str, action: Action) -> Any:
    """The route's answer type: the session and the data, documented by the action's result schema."""
    also = (Recovered,) if action.cost is Cost.SANDBOX else ()
    schema = result_schema(action, also=also)
    if schema is None:
        return ActionOut
    data = Annotated[dict[str, Any], Body(description=action.description or None, schema_extra=schema)]
    return msgspec.defstruct(f"{ident[:1].upper()}{ident[1:]}Out", [("session", SessionOut), ("data", data)])


def _start_route(module: InterviewModule, routes: Routes, start: StartRoute) -> HTTPRouteHandler:
    name, item = module.name, start.item_field
    schema = {
        "properties": {
            "track": {"enum": ["backend", "frontend", "mobile"]},
            "difficulty": {"enum": ["mid", "senior"]},
            item: {"type": "string", "description": "What the session is about (see listItems)."},
        },
        "required": ["track", "difficulty", item],
    }

    def create(request: AnyRequest, engine: EngineDep, user: CurrentUser, data: Any) -> SessionOut:
        chosen = data.get(item)
        if not isinstance(chosen, str):
            raise InvalidInput(f"must be a string naming one of {name}'s items", field=item)
        session = engine.start_session(
            user_id=user.id,
            module=name,
            track=data.get("track"),
            difficulty=data.get("difficulty"),
            options={item: chosen},
        )
        return session_out(session)

    create.__annotations__["data"] = _body(schema, f"The track, the difficulty and the {item}.")
    create.__name__ = create.__qualname__ = start.operation_id
    return post(
        f"{API}{routes.prefix}",
        operation_id=start.operation_id,
        summary=start.description or f"Start a {module.title} session.",
        tags=[routes.tag or module.title],
        responses=ERRORS,
        sync_to_thread=True,
    )(create)


def _action_route(module: InterviewModule, routes: Routes, action: Action) -> HTTPRouteHandler:
    name, verb = module.name, action.name
    takes_body = action.method != "GET" and (action.payload is not None or not action.typed)

    async def act(
        request: AnyRequest,
        engine: EngineDep,
        user: CurrentUser,
        session_id: SessionId,
        limiter: Limiter,
        data: Any = None,
    ) -> ActionOut:
        payload = data if takes_body else {}
        return await run_action(request, engine, limiter, user, session_id, verb, payload, module=name)

    answer = _answer(operation_id(name, action), action)
    act.__annotations__["return"] = answer
    signature = inspect.signature(act).replace(return_annotation=answer)
    if takes_body:
        schema = request_schema(action.payload) if action.payload is not None else None
        act.__annotations__["data"] = _body(schema, action.description)
        data = signature.parameters["data"].replace(default=inspect.Parameter.empty)
        act.__signature__ = signature.replace(parameters=[*list(signature.parameters.values())[:-1], data])  # type: ignore[attr-defined]
    else:  # no body to read: Litestar sees no ``data`` parameter
        del act.__annotations__["data"]
        act.__signature__ = signature.replace(parameters=list(signature.parameters.values())[:-1])  # type: ignore[attr-defined]
    handler = act
    ident = operation_id(name, action)
    handler.__name__ = handler.__qualname__ = ident
    decorator = get if action.method == "GET" else post
    return decorator(
        f"{API}{routes.prefix}/{{session_id:str}}{action.path or '/' + verb}",
        operation_id=ident,
        summary=action.description or f"{module.title}: {verb}",
        tags=[routes.tag or module.title],
        responses=JOB_RESPONSES if action.cost is Cost.SANDBOX else ERRORS,
        status_code=200 if action.method == "GET" else 201,
    )(handler)


def action_routes(engine: Engine) -> list[HTTPRouteHandler]:
    """Every installed module's start and action routes; two that would share a door are a plugin error."""
    handlers: list[HTTPRouteHandler] = []
    taken: dict[tuple[str, str], str] = {}
    for module in engine.modules.values():
        routes = engine.routes(module.name)
        found = []
        if routes.start is not None:
            found.append(("POST", f"{API}{routes.prefix}", _start_route(module, routes, routes.start)))
        for action in engine.actions(module.name):
            if action.callers is not Caller.CANDIDATE:
                continue
            path = f"{API}{routes.prefix}/{{session_id}}{action.path or '/' + action.name}"
            found.append((action.method, path, _action_route(module, routes, action)))
        for method, path, handler in found:
            if (method, path) in taken:
                raise PluginError(f"{module.name} and {taken[method, path]} both want {method} {path}")
            taken[method, path] = module.name
            handlers.append(handler)
    return handlers
