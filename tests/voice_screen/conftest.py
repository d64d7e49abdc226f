from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.voice_screen.fake_elevenlabs import API_KEY, FakeElevenLabs

VOICE_ENV = ("ELEVENLABS_API_KEY", "ELEVENLABS_BASE_URL", "ELEVENLABS_AGENT_ID", "ELEVENLABS_WEBHOOK_SECRET")


@pytest.fixture(autouse=True)
def no_elevenlabs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every test starts without ElevenLabs settings and with its own agent state file."""
    for name in VOICE_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INTERVIEW_AGENT_STATE", str(tmp_path / "agent.json"))


@pytest.fixture
def fake_elevenlabs(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeElevenLabs]:
    """A running fake API, with the environment pointing the SDK at it.

    Every request the test made must have been valid by ElevenLabs' request schema.
    """
    server = FakeElevenLabs().start()
    monkeypatch.setenv("ELEVENLABS_API_KEY", API_KEY)
    monkeypatch.setenv("ELEVENLABS_BASE_URL", server.base_url)
    monkeypatch.setenv("ELEVENLABS_WEBHOOK_SECRET", "whsec_test")
    try:
        yield server
    finally:
        server.stop()
    assert server.rejected == [], f"requests the real API would refuse: {server.rejected}"
