"""Errors are mapped at the edge from the engine's error types only.

A database outage is a 503 and signs nobody out; a conflict is a 409 asking to reload; anything we did
not expect is a 500 logged with its traceback, never a 400 or 401.
"""

from __future__ import annotations

import errno
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from interview_engine import Conflict, Engine, NotFound, StorageError
from tests.web.conftest import sign_up

FLASHCARDS = {"module": "flashcards", "track": "backend", "difficulty": "mid"}


def _outage(*args: Any, **kwargs: Any) -> Any:
    raise StorageError("the database failed: connection refused")


def test_a_database_outage_is_a_503_and_signs_nobody_out(
    client: Any, web_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = sign_up(client, "ada@example.com")
    with monkeypatch.context() as patch:
        patch.setattr(web_engine.store, "get_user", _outage)
        api = client.get("/api/sessions")
        assert api.status_code == 503, api.text
        assert "database is unavailable" in api.json()["detail"]
        assert api.headers["retry-after"] == "5"
        page = client.get("/history", follow_redirects=False)
        assert page.status_code == 503
        assert "/signin" not in page.headers.get("location", "")
    # The database is back: the candidate is still signed in with the same CSRF token.
    assert client.get("/api/me").json()["email"] == "ada@example.com"
    created = client.post("/api/sessions", json=FLASHCARDS, headers={"x-csrf-token": token})
    assert created.status_code == 201, created.text


def test_an_outage_inside_an_operation_is_a_503(
    client: Any, web_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = sign_up(client, "ada@example.com")
    monkeypatch.setattr(web_engine.store, "list_sessions", _outage)
    assert client.get("/api/sessions").status_code == 503
    assert client.post("/api/sessions", json=FLASHCARDS, headers={"x-csrf-token": token}).status_code == 201


def test_a_conflict_is_a_409_asking_to_reload(client: Any, web_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    token = sign_up(client, "ada@example.com")
    sid = client.post("/api/sessions", json=FLASHCARDS, headers={"x-csrf-token": token}).json()["id"]

    def stale(*args: Any, **kwargs: Any) -> Any:
        raise Conflict(f"session {sid} changed meanwhile; reload and try again", field="session_id")

    monkeypatch.setattr(web_engine.store, "save_session", stale)
    answered = client.post(
        f"/api/sessions/{sid}/actions/answer", json={"payload": {"text": "syn"}}, headers={"x-csrf-token": token}
    )
    assert answered.status_code == 409
    assert answered.json() == {
        "status_code": 409,
        "detail": f"session {sid} changed meanwhile; reload and try again",
        "field": "session_id",
    }


@pytest.mark.parametrize("error", [ValueError("Session.state: boom"), KeyError("answers"), RuntimeError("bug")])
def test_an_unexpected_exception_is_a_500_logged_with_its_traceback(
    client: Any, web_engine: Engine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, error: Exception
) -> None:
    token = sign_up(client, "ada@example.com")
    sid = client.post("/api/sessions", json=FLASHCARDS, headers={"x-csrf-token": token}).json()["id"]

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise error

    monkeypatch.setattr(web_engine.modules["flashcards"], "act", broken)
    with caplog.at_level(logging.ERROR, logger="interview_web"):
        answered = client.post(
            f"/api/sessions/{sid}/actions/answer", json={"payload": {"text": "syn"}}, headers={"x-csrf-token": token}
        )
        page = client.get(f"/summary/{sid}")
    assert answered.status_code == 500
    assert answered.json() == {"status_code": 500, "detail": "internal error; nothing was changed"}
    assert page.status_code == 200  # the failure changed nothing: the session is still there
    logged = [r for r in caplog.records if r.exc_info and r.exc_info[1] is error]
    assert logged, "the traceback must be logged"
    assert client.get("/api/me").status_code == 200  # and nobody was signed out


def test_an_unexpected_exception_while_loading_the_user_is_a_500_not_a_401(
    client: Any, web_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_up(client, "ada@example.com")

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug in loading users")

    with monkeypatch.context() as patch:
        patch.setattr(web_engine.store, "get_user", broken)
        assert client.get("/api/me").status_code == 500
    assert client.get("/api/me").json()["email"] == "ada@example.com"


def test_a_deleted_account_is_signed_out(client: Any, web_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    sign_up(client, "ada@example.com")

    def gone(*args: Any, **kwargs: Any) -> Any:
        raise NotFound("no user")

    with monkeypatch.context() as patch:
        patch.setattr(web_engine.store, "get_user", gone)
        assert client.get("/api/me").status_code == 401
    assert client.get("/api/me").status_code == 401  # the cookie was cleared


def test_a_full_disk_is_a_503_naming_the_fault_and_keeps_the_data(
    client: Any, web_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = sign_up(client, "ada@example.com")
    kept = client.post("/api/sessions", json=FLASHCARDS, headers={"x-csrf-token": token}).json()["id"]

    def full(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(web_engine.store, "list_sessions", full)
        answered = client.get("/api/sessions")
        assert answered.status_code == 503, answered.text
        assert "disk space" in answered.json()["detail"] and answered.headers["retry-after"] == "30"
    assert kept in [row["id"] for row in client.get("/api/sessions").json()]


def test_two_answers_at_once_one_is_a_409_asking_to_reload(
    client: Any, web_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real stale write, no store patched: both requests read the session, the later save is refused."""
    token = sign_up(client, "ada@example.com")
    sid = client.post("/api/sessions", json=FLASHCARDS, headers={"x-csrf-token": token}).json()["id"]
    module = web_engine.modules["flashcards"]
    both_read = threading.Barrier(2)
    act = module.act

    def overlapping(*args: Any, **kwargs: Any) -> Any:
        both_read.wait(timeout=30)  # each request has read version 1 before either writes
        return act(*args, **kwargs)

    monkeypatch.setattr(module, "act", overlapping)

    def answer(text: str) -> Any:
        return client.post(
            f"/api/flashcards/sessions/{sid}/answer", json={"text": text}, headers={"x-csrf-token": token}
        )

    with ThreadPoolExecutor(2) as pool:
        responses = list(pool.map(answer, ["syn", "syn ack"]))
    assert sorted(r.status_code for r in responses) == [201, 409], [r.text for r in responses]
    refused = next(r for r in responses if r.status_code == 409).json()
    assert refused["field"] == "session_id" and "changed meanwhile; reload" in refused["detail"]
    # The refused answer left nothing behind: one answer, one pair of transcript lines.
    summary = client.get(f"/api/sessions/{sid}").json()
    assert len(summary["view"]["answers"]) == 1 and len(summary["view"]["transcript"]) == 2
