"""POST /webhooks/elevenlabs through the app (mounted by the phone-screen plugin's ``web_routes(engine)``).

Forged, stale and future signatures get 401 and change nothing; every accepted or ignored event gets
200 (ElevenLabs disables a webhook that keeps failing); a valid one lands once.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import attrs
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


def _session(engine: Engine, conversation_id: str = "conv_route") -> str:
    """A voice session whose browser connected to ``conversation_id``."""
    user = engine.store.ensure_user("caller@example.com")
    session = engine.start_session(
        user_id=user.id, module="voice_screen", track="backend", difficulty="mid", options={"mode": "voice"}
    )
    engine.act(session.id, "conversation", {"conversationId": conversation_id})
    return session.id


def _body(session_id: str, conversation_id: str = "conv_route", **data: Any) -> bytes:
    event = {
        "type": "post_call_transcription",
        "event_timestamp": int(time.time()),
        "data": {**conversation_payload(conversation_id, session_id), **data},
    }
    return json.dumps(event).encode()


def _post(client: TestClient[Any], body: bytes) -> Any:
    headers = {"content-type": "application/json", "ElevenLabs-Signature": sign(body, SECRET, int(time.time()))}
    return client.post("/webhooks/elevenlabs", content=body, headers=headers)


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
    # 200, as ElevenLabs documents (the route answered 201 before: wrong)
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "ingested"
    segments = len(engine.store.transcript(session_id))
    assert segments > 0
    replay = client.post("/webhooks/elevenlabs", content=body, headers=headers)
    assert replay.status_code == 200 and replay.json()["status"] == "duplicate"
    assert len(engine.store.transcript(session_id)) == segments
    assert engine.get_session(session_id).status is SessionStatus.EVALUATED


def test_without_a_secret_the_webhook_refuses(monkeypatch: pytest.MonkeyPatch, sqlite_engine: Engine) -> None:
    monkeypatch.delenv("ELEVENLABS_WEBHOOK_SECRET", raising=False)
    with TestClient(app=create_app(engine=sqlite_engine)) as client:
        response = client.post("/webhooks/elevenlabs", content=b"{}", headers={"content-type": "application/json"})
    assert response.status_code == 401
    assert "ELEVENLABS_WEBHOOK_SECRET" in response.json()["detail"]


def test_the_session_is_found_by_conversation_id_not_by_the_browsers_variable(voice_app: Any) -> None:
    client, engine = voice_app
    mine = _session(engine, "conv_mine")
    other = _session(engine, "conv_other")
    # Found by its conversation id: the session that connected to conv_mine.
    response = _post(client, _body(mine, "conv_mine"))
    assert response.status_code == 200 and response.json()["sessionId"] == mine
    # A conversation no session of ours made, claiming a real session: ignored, nothing stored.
    response = _post(client, _body(other, "conv_stranger"))
    assert response.status_code == 200 and response.json()["status"] == "ignored"
    # A call whose variable names another session than the one that connected to it: nothing is stored.
    response = _post(client, _body(mine, "conv_other"))
    assert response.status_code == 200 and response.json()["status"] == "foreign"
    assert engine.store.transcript(other) == []


def test_a_call_with_another_agent_is_ignored(voice_app: Any) -> None:
    client, engine = voice_app
    session_id = _session(engine, "conv_agent")
    session = engine.get_session(session_id)
    voice = {**session.state["voice"], "agentId": "agent_ours"}
    engine.store.save_session(attrs.evolve(session, state={**session.state, "voice": voice}))
    response = _post(client, _body(session_id, "conv_agent", agent_id="agent_theirs"))
    assert response.status_code == 200 and response.json()["status"] == "ignored"
    assert _post(client, _body(session_id, "conv_agent", agent_id="agent_ours")).json()["status"] == "ingested"


def test_audio_and_other_events_get_200_within_the_routes_own_limit(voice_app: Any) -> None:
    client, engine = voice_app
    session_id = _session(engine, "conv_audio")
    # A 30-minute call's audio is tens of MB of base64: far past the app-wide body limit.
    audio = {"type": "post_call_audio", "data": {"conversation_id": "conv_audio", "full_audio": "A" * 3_000_000}}
    response = _post(client, json.dumps(audio).encode())
    assert response.status_code == 200 and response.json()["status"] == "ignored"
    failure = {"type": "call_initiation_failure", "data": {"conversation_id": "conv_audio"}}
    assert _post(client, json.dumps(failure).encode()).status_code == 200
    assert engine.store.transcript(session_id) == []
    # The app-wide limit still holds everywhere else.
    big = client.post(
        "/api/sessions", content=b"{" + b" " * 3_000_000 + b"}", headers={"content-type": "application/json"}
    )
    assert big.status_code == 413
