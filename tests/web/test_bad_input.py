"""Bad input never gives a 5xx: NUL bytes and deep JSON get a 400 naming the field (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from interview_engine import Engine
from interview_web import create_app
from interview_web.guards import MAX_JSON_DEPTH

from .conftest import CSRF_FIELD, FLASHCARDS, sign_up


@pytest.fixture
def any_client(monkeypatch: pytest.MonkeyPatch, database_url: str) -> Iterator[TestClient[Any]]:
    monkeypatch.syspath_prepend(str(FLASHCARDS))
    engine = Engine.create(database_url, migrate=True)
    try:
        with TestClient(app=create_app(engine=engine)) as client:
            yield client
    finally:
        engine.close()


def _form_token(client: TestClient[Any], page: str) -> str:
    found = CSRF_FIELD.search(client.get(page).text)
    assert found
    return found.group(1)


@pytest.mark.parametrize("field", ["email", "password"])
@pytest.mark.parametrize("page", ["/signup", "/signin"])
def test_nul_in_account_forms_is_a_400_naming_the_field(any_client, page, field):
    token = _form_token(any_client, page)
    form = {"_csrf": token, "email": "a@example.com", "password": "correct horse battery", "next": "/"}
    form["confirm"] = form["password"]
    form[field] = form[field] + "\x00x"
    response = any_client.post(page, data=form, follow_redirects=False)
    assert response.status_code == 400, response.text
    assert response.json()["field"] == field


def test_nul_in_the_query_and_path_is_a_400(any_client):
    assert any_client.get("/history", params={"module": "a\x00"}).status_code == 400
    assert any_client.get("/summary/abc%00def").status_code == 400


@pytest.mark.parametrize("route", ["/api/sessions", "/api/coding/sessions", "/api/debug/sessions"])
def test_deeply_nested_json_is_a_400(any_client, route):
    csrf = sign_up(any_client, "deep@example.com")
    deep = "[" * 100_000 + "]" * 100_000
    body = '{"track": "backend", "difficulty": "mid", "options": ' + deep + "}"
    response = any_client.post(route, content=body, headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert response.json()["field"] == "body" and str(MAX_JSON_DEPTH) in response.json()["detail"]


def test_nul_in_json_fields_is_a_4xx_and_loses_nothing(any_client, database_url):
    csrf = sign_up(any_client, "nul@example.com")
    headers = {"X-CSRF-Token": csrf}
    created = any_client.post("/api/sessions", json={"track": "backend", "difficulty": "mid"}, headers=headers)
    assert created.status_code in (200, 201), created.text
    session_id = created.json()["id"]
    good = {"segments": [{"speaker": "candidate", "text": "hello", "timeS": 1.0}]}
    assert any_client.post(f"/api/sessions/{session_id}/transcript", json=good, headers=headers).status_code < 300
    bad = {"segments": [{"speaker": "candidate", "text": "hel\x00lo", "timeS": 2.0}]}
    response = any_client.post(f"/api/sessions/{session_id}/transcript", json=bad, headers=headers)
    # PostgreSQL cannot store NUL: a 400 naming the column; SQLite stores it as sent
    assert response.status_code < 500, response.text
    if database_url.startswith("postgresql"):
        assert response.status_code == 400 and response.json()["field"] == "text", response.text
    summary = any_client.get(f"/api/sessions/{session_id}", headers=headers)
    assert summary.status_code == 200 and "hello" in summary.text  # nothing was lost
