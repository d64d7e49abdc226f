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
