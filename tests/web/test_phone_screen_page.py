"""The phone-screen pages: a posted voice mode without a voice key runs typed; a reload shows the whole chat."""

from __future__ import annotations

import pytest

from interview_engine import Engine
from tests.web.conftest import Client, sign_up


def test_a_posted_voice_mode_without_a_key_runs_typed(
    client: Client, web_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ELEVENLABS_API_KEY", raising=False)
    token = sign_up(client, "novoice@example.com")
    response = client.post(
        "/session/start",
        data={"_csrf": token, "track": "backend", "difficulty": "mid", "mode": "voice"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    session_id = response.headers["location"].rsplit("/", 1)[1]
    assert web_engine.get_session(session_id).state["mode"] == "offline"
    page = client.get(f"/session/{session_id}")
    assert 'data-mode="offline"' in page.text and 'id="answer"' in page.text


def test_a_reload_shows_the_conversation_so_far(client: Client, web_engine: Engine) -> None:
    token = sign_up(client, "reload@example.com")
    response = client.post(
        "/session/start", data={"_csrf": token, "track": "backend", "difficulty": "mid"}, follow_redirects=False
    )
    session_id = response.headers["location"].rsplit("/", 1)[1]
    client.get(f"/session/{session_id}")
    headers = {"x-csrf-token": token}
    answer = "An index <b>is</b> a B-tree of keys.\nWrites pay to maintain it."
    url = f"/api/sessions/{session_id}/actions/answer"
    sent = client.post(url, json={"payload": {"text": answer}}, headers=headers)
    assert sent.status_code == 201, sent.text
    page = client.get(f"/session/{session_id}").text
    assert page.count('<li class="interviewer">') == 2
    assert "An index &lt;b&gt;is&lt;/b&gt; a B-tree of keys.\nWrites pay to maintain it." in page
