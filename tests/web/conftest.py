"""Web fixtures: an app on a fresh engine and candidates who signed up through the real forms."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from interview_engine import Engine
from interview_web import create_app
from interview_web.ratelimit import RateLimiter

FLASHCARDS = Path(__file__).parents[1] / "engine" / "flashcards_plugin"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
CSRF_FIELD = re.compile(r'name="_csrf" value="([^"]+)"')

Client = TestClient[Any]


def sign_up(client: Client, email: str, password: str = "correct horse battery") -> str:
    """Sign up through the form; returns the CSRF token scripts send in X-CSRF-Token."""
    form = client.get("/signup")
    token = CSRF_FIELD.search(form.text)
    assert token, form.text
    response = client.post(
        "/signup",
        data={"_csrf": token.group(1), "email": email, "password": password, "confirm": password, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return str(client.get("/api/me").json()["csrfToken"])


def coding_session(client: Client, token: str, problem: str = "backend-lru-cache") -> str:
    """A live-coding session on ``problem`` started through the API; its id."""
    created = client.post(
        "/api/coding/sessions/",
        json={"track": "backend", "difficulty": "mid", "problemId": problem},
        headers={"x-csrf-token": token},
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


@pytest.fixture
def web_engine(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> Iterator[Engine]:
    monkeypatch.syspath_prepend(str(FLASHCARDS))
    engine = Engine.create(sqlite_url, migrate=True)
    yield engine
    engine.close()


@pytest.fixture
def app_factory(web_engine: Engine) -> Any:
    def make(limit: int = 30) -> Client:
        return TestClient(app=create_app(engine=web_engine, limiter=RateLimiter(limit, 60)))

    return make


@pytest.fixture
def client(app_factory: Any) -> Iterator[Client]:
    with app_factory() as found:
        yield found
