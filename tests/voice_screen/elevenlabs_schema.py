"""The request schema of every ElevenLabs call the phone screen makes, derived from the installed SDK.

The SDK is generated (by Fern) from ElevenLabs' API definition: each raw-client method sends one
request whose path, method, query keys and JSON body keys are written out in its source, and
whose body fields are typed with the SDK's pydantic models. This module reads both — the source
through ``ast``, the types through pydantic's JSON-schema generator — and writes one JSON file,
``data/elevenlabs_requests.json``, that the fake server validates every request against.

Stricter than the models in two ways, both from the SDK's own documentation:
- objects accept only their declared properties (the models allow extras; a misspelt field would
  otherwise be sent and silently ignored);
- a ``LiteralJsonSchemaProperty`` (a tool parameter) or an ``AnalysisProperty`` (a data-collection
  item) sets at most one value source: ``description``, ``dynamic_variable``, ``is_system_provided``,
  ``constant_value`` or ``is_omitted`` ("mutually exclusive", says the model's docstring).

Regenerate after an SDK upgrade: ``python -m tests.voice_screen.elevenlabs_schema``; a test
fails while the committed file differs from what the installed SDK gives.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import itertools
import json
import textwrap
import typing
from importlib import metadata
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

__all__ = ["OPERATIONS", "SCHEMA_FILE", "build_request_schemas", "load_request_schemas"]

SCHEMA_FILE = Path(__file__).parent / "data" / "elevenlabs_requests.json"

# (raw client module, class, method) for every call the phone screen makes.
OPERATIONS = [
    ("elevenlabs.conversational_ai.agents.raw_client", "RawAgentsClient", "create"),
    ("elevenlabs.conversational_ai.agents.raw_client", "RawAgentsClient", "update"),
    ("elevenlabs.conversational_ai.agents.raw_client", "RawAgentsClient", "list"),
    ("elevenlabs.conversational_ai.knowledge_base.raw_client", "RawKnowledgeBaseClient", "list"),
    ("elevenlabs.conversational_ai.knowledge_base.documents.raw_client", "RawDocumentsClient", "create_from_text"),
    ("elevenlabs.conversational_ai.knowledge_base.documents.raw_client", "RawDocumentsClient", "update"),
    ("elevenlabs.conversational_ai.knowledge_base.documents.raw_client", "RawDocumentsClient", "delete"),
    ("elevenlabs.conversational_ai.knowledge_base.documents.raw_client", "RawDocumentsClient", "get_content"),
    ("elevenlabs.conversational_ai.conversations.raw_client", "RawConversationsClient", "get_signed_url"),
    ("elevenlabs.conversational_ai.conversations.raw_client", "RawConversationsClient", "get"),
    ("elevenlabs.conversational_ai.conversations.raw_client", "RawConversationsClient", "delete"),
]

_VALUE_SOURCES = ("description", "dynamic_variable", "is_system_provided", "constant_value", "is_omitted")


def _request_call(method: Any) -> ast.Call:
    tree = ast.parse(textwrap.dedent(inspect.getsource(method)))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "request":
            return node
    raise LookupError(f"{method.__qualname__} sends no request")


def _path(node: ast.expr) -> str:
    """``f"v1/convai/agents/{jsonable_encoder(agent_id)}"`` -> ``/v1/convai/agents/{agent_id}``."""
    if isinstance(node, ast.Constant):
        return "/" + str(node.value)
    assert isinstance(node, ast.JoinedStr)
    out = ""
    for part in node.values:
        if isinstance(part, ast.Constant):
            out += str(part.value)
        else:
            assert isinstance(part, ast.FormattedValue) and isinstance(part.value, ast.Call)
            argument = part.value.args[0]
            assert isinstance(argument, ast.Name)
            out += "{" + argument.id + "}"
    return "/" + out


def _keys(call: ast.Call, keyword: str) -> list[str]:
    for item in call.keywords:
        if item.arg == keyword and isinstance(item.value, ast.Dict):
            return [str(key.value) for key in item.value.keys if isinstance(key, ast.Constant)]
    return []


def _tighten(schema: Any) -> None:
    """Objects take only their declared properties; literal properties have one value source."""
    if isinstance(schema, dict):
        if "properties" in schema and schema.get("additionalProperties", True) is True:
            schema["additionalProperties"] = False
        for value in schema.values():
            _tighten(value)
    elif isinstance(schema, list):
        for value in schema:
            _tighten(value)


def build_request_schemas() -> dict[str, Any]:
    """``{"sdk": version, "operations": {"METHOD /path": {query, body}}, "$defs": {...}}``."""
    definitions: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for module_name, class_name, method_name in OPERATIONS:
        method = getattr(getattr(importlib.import_module(module_name), class_name), method_name)
        call = _request_call(method)
        verb = next(k.value.value for k in call.keywords if k.arg == "method" and isinstance(k.value, ast.Constant))
        path = _path(call.args[0])
        hints = typing.get_type_hints(method)
        signature = inspect.signature(method)
        body_keys = _keys(call, "json")
        properties: dict[str, Any] = {}
        required = []
        for key in body_keys:
            generated = TypeAdapter(hints[key]).json_schema(ref_template="#/$defs/{model}")
            for name, definition in generated.pop("$defs", {}).items():
                if definitions.setdefault(name, definition) != definition:
                    raise ValueError(f"two SDK models are both called {name}")
            properties[key] = generated
            if signature.parameters[key].default is inspect.Parameter.empty:
                required.append(key)
        operation: dict[str, Any] = {"sdk": f"{class_name}.{method_name}", "query": sorted(_keys(call, "params"))}
        if body_keys:
            operation["body"] = {"type": "object", "properties": properties, "required": required}
        operations[f"{verb} {path}"] = operation
    for definition in definitions.values():
        sources = [name for name in _VALUE_SOURCES if name in definition.get("properties", {})]
        if len(sources) >= 2:  # LiteralJsonSchemaProperty and the models built on it (AnalysisProperty)
            definition["allOf"] = [{"not": {"required": list(pair)}} for pair in itertools.combinations(sources, 2)]
    schemas = {"sdk": f"elevenlabs {metadata.version('elevenlabs')}", "operations": operations, "$defs": definitions}
    _tighten(schemas)
    return schemas


def load_request_schemas() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return data


if __name__ == "__main__":
    SCHEMA_FILE.parent.mkdir(exist_ok=True)
    SCHEMA_FILE.write_text(json.dumps(build_request_schemas(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")
