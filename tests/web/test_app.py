"""The web app's foundation: pages, health, OpenAPI, errors as 4xx naming the field."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from interview_engine import Engine
from interview_web import create_app


@pytest.fixture
def client(sqlite_engine: Engine) -> Iterator[TestClient]:  # type: ignore[type-arg]
    with TestClient(app=create_app(engine=sqlite_engine)) as client:
        yield client


def test_home_page_offers_tracks_levels_and_modules(client: TestClient) -> None:  # type: ignore[type-arg]
    page = client.get("/")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    for word in ("backend", "frontend", "mobile", "mid", "senior", "Recent sessions"):
        assert word in page.text


def test_health(client: TestClient) -> None:  # type: ignore[type-arg]
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["database"] == "sqlite"


def test_openapi_schema_lists_the_api(client: TestClient) -> None:  # type: ignore[type-arg]
    schema = client.get("/schema/openapi.json").json()
    operations = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {"createSession", "listSessions", "getSessionSummary", "endSession", "saveEvaluation"} <= operations


def test_bad_body_is_a_400_naming_the_field(client: TestClient) -> None:  # type: ignore[type-arg]
    response = client.post("/api/sessions", json={"track": "devops", "difficulty": "mid"})
    assert response.status_code == 400
    assert response.json()["field"] == "track"


def test_unknown_session_is_a_404(client: TestClient) -> None:  # type: ignore[type-arg]
    response = client.get("/api/sessions/does-not-exist")
    assert response.status_code == 404
    assert response.json()["field"] == "session_id"
