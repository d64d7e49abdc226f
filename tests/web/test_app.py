"""The web app's foundation: pages, health, OpenAPI, errors as 4xx naming the field."""

from __future__ import annotations

from tests.web.conftest import Client, sign_up


def test_home_page_offers_tracks_levels_and_modules(client: Client) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    for word in ("backend", "frontend", "mobile", "mid", "senior", "Recent sessions", "Flash cards"):
        assert word in page.text


def test_health(client: Client) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["database"] == "sqlite"
    assert "flashcards" in body["modules"]


def test_openapi_schema_lists_the_api(client: Client) -> None:
    schema = client.get("/schema/openapi.json").json()
    operations = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    # saveEvaluation is gone (issue 12: it let a candidate post their own rubric).
    assert {"createSession", "listSessions", "getSessionSummary", "endSession"} <= operations
    assert "saveEvaluation" not in operations


def test_the_api_explorer_is_served_without_a_cdn(client: Client) -> None:
    page = client.get("/schema/swagger")
    assert page.status_code == 200
    assert "/static/dist/swagger/swagger-ui-bundle.js" in page.text
    assert "unpkg" not in page.text and "cdn" not in page.text.lower()
    assert client.get("/static/dist/swagger/swagger-ui-bundle.js").status_code == 200


def test_bad_body_is_a_400_naming_the_field(client: Client) -> None:
    token = sign_up(client, "a@example.com")
    response = client.post(
        "/api/sessions", json={"track": "devops", "difficulty": "mid"}, headers={"x-csrf-token": token}
    )
    assert response.status_code == 400
    assert response.json()["field"] == "track"


def test_unknown_session_is_a_404(client: Client) -> None:
    sign_up(client, "a@example.com")
    response = client.get("/api/sessions/does-not-exist")
    assert response.status_code == 404
    assert response.json()["field"] == "session_id"


def test_unknown_page_is_a_404_page(client: Client) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Not found" in response.text


def test_code_payloads_are_capped_with_the_field_named(client: Client) -> None:
    token = sign_up(client, "cap@example.com")
    headers = {"x-csrf-token": token}
    big = "x = 1\n" * 20_000
    response = client.post("/api/coding/sessions/any/run", json={"source": big}, headers=headers)
    assert response.status_code == 400
    assert response.json()["field"] == "source"
    response = client.post(
        "/api/debug/sessions/any/fix", json={"files": {}, "diagnosis": "d", "location": "x" * 201}, headers=headers
    )
    assert response.status_code == 400
    assert response.json()["field"] == "location"
    schema = client.get("/schema/openapi.json").text
    assert '"maxLength":65536' in schema.replace(" ", "")
