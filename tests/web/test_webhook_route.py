"""POST /webhooks/elevenlabs through the app: forged signatures get 401 and change nothing; a valid one lands once."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from interview_engine import Engine, SessionStatus
from interview_voice_screen import sign
from interview_web import create_app
from tests.voice_screen.fake_elevenlabs import conversation_payload

SECRET = "whsec_route_test"


@pytest.fixture
def voice_app(monkeypatch: pytest.MonkeyPatch, sqlite_engine: Engine) -> Iterator[tuple[TestClient[Any], Engine]]:
    monkeypatch.setenv("ELEVENLABS_WEBHOOK_SECRET", SECRET)
    with TestClient(app=create_app(engine=sqlite_engine)) as client:
        yield client, sqlite_engine


def _session(engine: Engine) -> str:
    user = engine.store.ensure_user("caller@example.com")
    session = engine.start_session(
        user_id=user.id, module="voice_screen", track="backend", difficulty="mid", options={"mode": "voice"}
    )
    return session.id


def _body(session_id: str) -> bytes:
    event = {
        "type": "post_call_transcription",
        "event_timestamp": int(time.time()),
        "data": conversation_payload("conv_route", session_id),
    }
    return json.dumps(event).encode()


def test_forged_stale_and_future_signatures_are_401_and_change_nothing(voice_app: Any) -> None:
    client, engine = voice_app
    session_id = _session(engine)
    body = _body(session_id)
    now = int(time.time())
    for header in (
        None,
        sign(body, "not-the-secret", now),
        sign(body, SECRET, now - 31 * 60),
        sign(body, SECRET, now + 10 * 60),
        sign(body + b" ", SECRET, now),
    ):
        headers = {"content-type": "application/json"} | ({"ElevenLabs-Signature": header} if header else {})
        response = client.post("/webhooks/elevenlabs", content=body, headers=headers)
        assert response.status_code == 401, response.text
    assert engine.store.transcript(session_id) == []
    assert engine.get_session(session_id).status is SessionStatus.ACTIVE


def test_a_valid_webhook_is_ingested_once(voice_app: Any) -> None:
    client, engine = voice_app
    session_id = _session(engine)
    body = _body(session_id)
    headers = {"content-type": "application/json", "ElevenLabs-Signature": sign(body, SECRET, int(time.time()))}
    first = client.post("/webhooks/elevenlabs", content=body, headers=headers)
    assert first.status_code == 201, first.text
    segments = len(engine.store.transcript(session_id))
    assert segments > 0
    assert client.post("/webhooks/elevenlabs", content=body, headers=headers).status_code == 201
    assert len(engine.store.transcript(session_id)) == segments
    assert engine.get_session(session_id).status is SessionStatus.EVALUATED


def test_without_a_secret_the_webhook_refuses(monkeypatch: pytest.MonkeyPatch, sqlite_engine: Engine) -> None:
    monkeypatch.delenv("ELEVENLABS_WEBHOOK_SECRET", raising=False)
    with TestClient(app=create_app(engine=sqlite_engine)) as client:
        response = client.post("/webhooks/elevenlabs", content=b"{}", headers={"content-type": "application/json"})
    assert response.status_code == 401
    assert "ELEVENLABS_WEBHOOK_SECRET" in response.json()["detail"]
