"""Each action's route documents what it answers: ``data`` is the action's declared result schema."""

from __future__ import annotations

from typing import Any

import jsonschema_rs

from interview_engine import Caller, Cost, Engine
from interview_engine.jobs import Recovered
from interview_engine.payload_schema import json_schema, result_schema
from interview_web.api.actions import operation_id
from tests.web.conftest import coding_session, sign_up

BUNDLED = ("voice_screen", "live_coding", "debugging")


def _answers(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per operation id: the schema of its success answer, references resolved one level."""
    found = {}
    for ops in schema["paths"].values():
        for op in ops.values():
            ok = op["responses"].get("200") or op["responses"].get("201")
            ref = ok["content"]["application/json"]["schema"].get("$ref", "") if ok and ok.get("content") else ""
            if ref:
                found[op["operationId"]] = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return found


def test_every_bundled_candidate_action_declares_its_result(web_engine: Engine) -> None:
    for module in BUNDLED:
        for action in web_engine.actions(module):
            assert action.result is not None, (module, action.name)


def test_the_openapi_publishes_each_declared_actions_result_schema(client: Any, web_engine: Engine) -> None:
    schema = client.get("/schema/openapi.json").json()
    answers = _answers(schema)
    for module in BUNDLED:
        for action in web_engine.actions(module):
            if action.callers is not Caller.CANDIDATE:
                continue
            ident = operation_id(module, action)
            answer = answers[ident]
            assert set(answer["required"]) == {"session", "data"}, ident
            data = answer["properties"]["data"]
            expected = result_schema(action, also=(Recovered,) if action.cost is Cost.SANDBOX else ())
            assert expected is not None
            assert {key: data[key] for key in expected} == expected, ident
    # The seed's operations answer with their own typed schemas, under the seed's names.
    for ident in ("fetchCodingPrompt", "runTests", "submitSolution", "fetchBugScenario", "submitFix", "saveTranscript"):
        assert answers[ident]["title"] == f"{ident[0].upper()}{ident[1:]}Out"
    assert answers["runTests"]["properties"]["data"]["anyOf"][0]["required"] == [
        "results",
        "loadError",
        "passed",
        "failed",
        "allPassed",
        "runs",
    ]


def test_a_third_partys_action_is_published_alike_and_the_generic_door_stays_plain(
    client: Any, web_engine: Engine
) -> None:
    answers = _answers(client.get("/schema/openapi.json").json())
    declared = web_engine.action("flashcards", "answer")
    data = answers["flashcardsAnswer"]["properties"]["data"]
    assert {key: data[key] for key in ("properties", "required")} == {
        key: json_schema(declared.result)[key] for key in ("properties", "required")
    }
    assert answers["actOnSession"]["title"] == "ActionOut"


def test_a_real_answer_matches_its_published_schema(client: Any, web_engine: Engine) -> None:
    token = sign_up(client, "schemas@example.com")
    headers = {"x-csrf-token": token}
    sid = coding_session(client, token)
    schema = client.get("/schema/openapi.json").json()
    answer = _answers(schema)["fetchCodingPrompt"]
    prompt = client.get(f"/api/coding/sessions/{sid}/prompt", headers=headers)
    assert prompt.status_code == 200, prompt.text
    jsonschema_rs.validate(answer["properties"]["data"], prompt.json()["data"])
    assert prompt.json()["data"]["problemId"] == "backend-lru-cache"


def _strings_and_maps(node: Any) -> Any:
    stack = [node]
    while stack:
        each = stack.pop()
        if isinstance(each, list):
            stack.extend(each)
        elif isinstance(each, dict):
            if each.get("type") in ("string", "object"):
                yield each
            stack.extend(value for value in each.values() if isinstance(value, dict | list))


def test_every_action_body_publishes_that_text_holds_no_nul(client: Any, web_engine: Engine) -> None:
    # The engine refuses NUL in any payload text or key (PostgreSQL stores none), so the OpenAPI says so:
    # a client following the schema is never refused by a rule it was not told.
    schema = client.get("/schema/openapi.json").json()
    declared = {operation_id(m, a) for m in BUNDLED for a in web_engine.actions(m) if a.payload is not None}
    checked = 0
    for ops in schema["paths"].values():
        for op in ops.values():
            if op["operationId"] not in declared:
                continue
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            for node in _strings_and_maps(body or {}):
                if node["type"] == "string":
                    checked += 1
                    assert jsonschema_rs.is_valid(node, "a\x00b") is False, (op["operationId"], node)
                elif isinstance(node.get("additionalProperties"), dict):
                    checked += 1
                    assert jsonschema_rs.is_valid(node, {"a\x00": node["additionalProperties"]}) is False or (
                        node.get("propertyNames", {}).get("pattern")
                    ), (op["operationId"], node)
    assert checked > 10
