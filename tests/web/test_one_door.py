"""One action, one set of caps: the generic route and the seed's typed route refuse the same payloads."""

from __future__ import annotations

from typing import Any

import pytest

from interview_engine import Action, Engine, InvalidInput, PluginError, Routes
from interview_web.api.actions import action_routes, operation_id
from tests.web.conftest import sign_up


def test_both_doors_to_run_refuse_a_100_kb_source_naming_the_field(client: Any, web_engine: Engine) -> None:
    token = sign_up(client, "doors@example.com")
    headers = {"x-csrf-token": token}
    sid = _coding_session(client, web_engine, headers)
    big = "x = 1\n" * 17_000  # 102 000 characters
    generic = client.post(f"/api/sessions/{sid}/actions/run", json={"payload": {"source": big}}, headers=headers)
    typed = client.post(f"/api/coding/sessions/{sid}/run", json={"source": big}, headers=headers)
    assert (generic.status_code, typed.status_code) == (400, 400)
    assert generic.json()["field"] == typed.json()["field"] == "source"
    notes = "n" * 9_000
    generic = client.post(
        f"/api/sessions/{sid}/actions/submit", json={"payload": {"source": "x = 1", "notes": notes}}, headers=headers
    )
    assert generic.status_code == 400 and generic.json()["field"] == "notes"
    assert "8192" in generic.json()["detail"]
    # Nothing was stored by the refused calls.
    assert web_engine.store.submissions(sid) == []


def _coding_session(client: Any, web_engine: Engine, headers: dict[str, str]) -> str:
    problem = web_engine.items("live_coding", "backend", "mid")[0].id
    created = client.post(
        "/api/coding/sessions", json={"track": "backend", "difficulty": "mid", "problemId": problem}, headers=headers
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


@pytest.mark.parametrize(
    ("action", "payload", "field"),
    [
        ("run", {"source": "x = 1\n" * 17_000}, "source"),
        ("submit", {"source": "x = 1\n" * 17_000}, "source"),
        ("submit", {"source": "x = 1", "notes": "n" * 9_000}, "notes"),
        ("run_custom", {"source": "x = 1\n" * 17_000, "input": "1"}, "source"),
    ],
)
def test_every_door_to_an_action_gives_the_same_400(
    client: Any, web_engine: Engine, action: str, payload: dict[str, Any], field: str
) -> None:
    """The generic route, the module's generated route and the engine itself refuse alike, word for word."""
    token = sign_up(client, "every-door@example.com")
    headers = {"x-csrf-token": token}
    sid = _coding_session(client, web_engine, headers)
    path = {"run": "run", "submit": "submit", "run_custom": "run_custom"}[action]
    generic = client.post(f"/api/sessions/{sid}/actions/{action}", json={"payload": payload}, headers=headers)
    typed = client.post(f"/api/coding/sessions/{sid}/{path}", json=payload, headers=headers)
    unknown = client.post(f"/api/coding/sessions/no-such-session/{path}", json=payload, headers=headers)
    assert generic.status_code == typed.status_code == unknown.status_code == 400
    assert generic.json() == typed.json() == unknown.json()
    assert generic.json()["field"] == field
    with pytest.raises(InvalidInput) as engine_says:
        web_engine.act(sid, action, payload)
    assert engine_says.value.field == field and engine_says.value.message == generic.json()["detail"]
    assert web_engine.store.submissions(sid) == []


def test_debugging_and_phone_screen_doors_share_their_caps_too(client: Any, web_engine: Engine) -> None:
    token = sign_up(client, "caps@example.com")
    headers = {"x-csrf-token": token}
    scenario = web_engine.items("debugging", "backend", "mid")[0].id
    created = client.post(
        "/api/debug/sessions", json={"track": "backend", "difficulty": "mid", "scenarioId": scenario}, headers=headers
    )
    assert created.status_code == 201, created.text
    sid = created.json()["id"]
    fix = {"files": {}, "diagnosis": "d" * 9_000}
    generic = client.post(f"/api/sessions/{sid}/actions/submit", json={"payload": fix}, headers=headers)
    typed = client.post(f"/api/debug/sessions/{sid}/fix", json=fix, headers=headers)
    assert generic.status_code == typed.status_code == 400 and generic.json() == typed.json()
    assert generic.json()["field"] == "diagnosis"

    screen = client.post("/api/sessions", json={"track": "backend", "difficulty": "mid"}, headers=headers).json()
    long_text = {"segments": [{"speaker": "candidate", "text": "t" * 9_000}]}
    generic = client.post(
        f"/api/sessions/{screen['id']}/actions/transcript", json={"payload": long_text}, headers=headers
    )
    typed = client.post(f"/api/sessions/{screen['id']}/transcript", json=long_text, headers=headers)
    assert generic.status_code == typed.status_code == 400 and generic.json() == typed.json()
    answer = {"text": "a" * 20_001}
    generic = client.post(f"/api/sessions/{screen['id']}/actions/answer", json={"payload": answer}, headers=headers)
    typed = client.post(f"/api/sessions/{screen['id']}/answer", json=answer, headers=headers)
    assert generic.status_code == typed.status_code == 400 and generic.json() == typed.json()
    assert generic.json()["field"] == "text"
    assert web_engine.store.transcript(screen["id"]) == []


def test_the_openapi_has_one_operation_per_declared_action(client: Any, web_engine: Engine) -> None:
    schema = client.get("/schema/openapi.json").json()
    operations = {
        op["operationId"]: (method, path) for path, ops in schema["paths"].items() for method, op in ops.items()
    }
    # The seed's names are kept for the actions that had them ...
    seed = {
        "createCodingSession": ("post", "/api/coding/sessions"),
        "fetchCodingPrompt": ("get", "/api/coding/sessions/{session_id}/prompt"),
        "runTests": ("post", "/api/coding/sessions/{session_id}/run"),
        "submitSolution": ("post", "/api/coding/sessions/{session_id}/submit"),
        "createDebugSession": ("post", "/api/debug/sessions"),
        "fetchBugScenario": ("get", "/api/debug/sessions/{session_id}/scenario"),
        "runDebugTests": ("post", "/api/debug/sessions/{session_id}/run"),
        "submitFix": ("post", "/api/debug/sessions/{session_id}/fix"),
        "revealHint": ("post", "/api/debug/sessions/{session_id}/hint"),
        "saveTranscript": ("post", "/api/sessions/{session_id}/transcript"),
    }
    assert {name: operations.get(name) for name in seed} == seed
    # ... and every other candidate action, of every module (the test plugin's too), has its own.
    for module in web_engine.modules:
        for action in web_engine.actions(module):
            assert operation_id(module, action) in operations, (module, action.name)
    assert operations["flashcardsAnswer"] == ("post", "/api/flashcards/sessions/{session_id}/answer")
    assert operations["liveCodingRunCustom"] == ("post", "/api/coding/sessions/{session_id}/run_custom")
    body = schema["paths"]["/api/coding/sessions/{session_id}/submit"]["post"]["requestBody"]["content"]
    fields = body["application/json"]["schema"]["properties"]
    assert (fields["source"]["maxLength"], fields["notes"]["maxLength"]) == (65_536, 8_192)


def test_a_test_plugin_action_is_reached_through_its_generated_route(client: Any) -> None:
    token = sign_up(client, "cards@example.com")
    headers = {"x-csrf-token": token}
    created = client.post(
        "/api/sessions", json={"track": "backend", "difficulty": "mid", "module": "flashcards"}, headers=headers
    ).json()
    typed = client.post(f"/api/flashcards/sessions/{created['id']}/answer", json={"text": "syn"}, headers=headers)
    assert typed.status_code == 201, typed.text
    assert typed.json()["session"]["id"] == created["id"]
    # A module's route is for its own sessions only.
    screen = client.post("/api/sessions", json={"track": "backend", "difficulty": "mid"}, headers=headers).json()
    other = client.post(f"/api/flashcards/sessions/{screen['id']}/answer", json={"text": "syn"}, headers=headers)
    assert other.status_code == 400 and other.json()["field"] == "session_id"


def test_two_modules_wanting_one_route_is_a_plugin_error(web_engine: Engine) -> None:
    class Shadow:
        name = "shadow"
        title = "Shadow"
        description = "Claims the phone screen's transcript route."
        actions = (Action("transcript"),)
        routes = Routes(prefix="/sessions")

    web_engine.modules["shadow"] = Shadow()  # type: ignore[assignment]
    web_engine._actions["shadow"] = {"transcript": Action("transcript")}
    try:
        with pytest.raises(PluginError, match="both want POST /api/sessions/{session_id}/transcript"):
            action_routes(web_engine)
    finally:
        del web_engine.modules["shadow"], web_engine._actions["shadow"]


def test_the_call_analysis_route_is_the_phone_screens_own(client: Any, app_factory: Any, web_engine: Engine) -> None:
    """fetchCallAnalysis is mounted by the phone-screen plugin (web_routes), for its own sessions' owners."""
    token = sign_up(client, "analysis@example.com")
    headers = {"x-csrf-token": token}
    schema = client.get("/schema/openapi.json").json()
    assert schema["paths"]["/api/sessions/{session_id}/analysis"]["post"]["operationId"] == "fetchCallAnalysis"
    sid = _coding_session(client, web_engine, headers)
    response = client.post(f"/api/sessions/{sid}/analysis", headers=headers)
    assert response.status_code == 400 and response.json()["field"] == "session_id"
    screen = client.post("/api/sessions", json={"track": "backend", "difficulty": "mid"}, headers=headers).json()
    assert client.post(f"/api/sessions/{screen['id']}/analysis").status_code == 403  # no CSRF token
    with app_factory() as other:
        other_token = sign_up(other, "someone-else@example.com")
        refused = other.post(f"/api/sessions/{screen['id']}/analysis", headers={"x-csrf-token": other_token})
        assert refused.status_code == 404


def test_create_session_without_a_module_starts_the_configured_default(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = {"x-csrf-token": sign_up(client, "default@example.com")}
    body = {"track": "backend", "difficulty": "mid"}
    monkeypatch.delenv("INTERVIEW_DEFAULT_MODULE", raising=False)
    seed = client.post("/api/sessions", json=body, headers=headers)
    assert seed.status_code == 201 and seed.json()["module"] == "voice_screen"  # the seed's default, a plugin's answer
    monkeypatch.setenv("INTERVIEW_DEFAULT_MODULE", "flashcards")
    assert client.post("/api/sessions", json=body, headers=headers).json()["module"] == "flashcards"
    monkeypatch.setenv("INTERVIEW_DEFAULT_MODULE", "pairing")
    refused = client.post("/api/sessions", json=body, headers=headers)
    assert refused.status_code == 404 and refused.json()["field"] == "module"
