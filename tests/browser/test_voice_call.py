"""A voice call in Chromium under the app's real CSP: fake microphone, mocked ElevenLabs socket.

The server is ``interview serve`` pointed at the schema-checking fake ElevenLabs API (so the
signed URL comes through the real SDK); the browser's websocket to ``wss://api.elevenlabs.io``
is answered by Playwright, speaking the protocol ``@elevenlabs/client`` speaks. The audio
worklets load from our own origin or the call cannot start, exactly as in production.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Page, Playwright, WebSocketRoute, expect

from interview_voice_screen import knowledge_base
from interview_voice_screen.voice.settings import VoiceSettings
from interview_voice_screen.voice.sync import sync_agent
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, INTERVIEW, _free_port, sign_up
from tests.voice_screen.fake_elevenlabs import API_KEY, FakeElevenLabs

FAKE_MEDIA = [
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
]


@pytest.fixture(scope="module")
def fake_api() -> Iterator[FakeElevenLabs]:
    fake = FakeElevenLabs().start()
    yield fake
    fake.stop()
    assert fake.rejected == [], f"requests the real API would refuse: {fake.rejected}"


@pytest.fixture(scope="module")
def voice_server(tmp_path_factory: pytest.TempPathFactory, fake_api: FakeElevenLabs) -> Iterator[str]:
    """``interview serve`` with ElevenLabs configured against the fake, its agent synced."""
    data = tmp_path_factory.mktemp("voice-server")
    voice_env = {
        "ELEVENLABS_API_KEY": API_KEY,
        "ELEVENLABS_BASE_URL": fake_api.base_url,
        "ELEVENLABS_WEBHOOK_SECRET": "whsec_test",
        "INTERVIEW_AGENT_STATE": str(data / "agent.json"),
    }
    sync_agent(knowledge_base(), VoiceSettings.from_env(voice_env))
    port = _free_port()
    env = dict(
        os.environ,
        INTERVIEW_DATABASE_URL=f"sqlite:///{data / 'web.db'}",
        INTERVIEW_SECRET_KEY="5f" * 32,
        INTERVIEW_RUNS_PER_MINUTE="1000",
        **voice_env,
    )
    log = (data / "server.log").open("w")
    process = subprocess.Popen([str(INTERVIEW), "serve", "--port", str(port)], env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=2) as response:  # noqa: S310 - our own server
                if response.status == 200:
                    break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.close()
                raise RuntimeError("the server did not start:\n" + (data / "server.log").read_text()) from None
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=20)
    log.close()


@pytest.fixture(scope="module")
def media_browser(playwright_driver: Playwright) -> Iterator[Browser]:
    """Chromium with a fake microphone that grants permission by itself."""
    found = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *FAKE_MEDIA])
    yield found
    found.close()


@pytest.fixture
def call_page(media_browser: Browser) -> Iterator[Page]:
    context = media_browser.new_context(viewport={"width": 1280, "height": 860})
    found = context.new_page()
    found.set_default_timeout(20_000)
    yield found
    context.close()


class MockAgent:
    """The ElevenLabs conversation socket, played by the test: it greets, then calls our client tools."""

    def __init__(self, page: Page) -> None:
        self.sent: list[dict[str, Any]] = []
        self.sockets: list[WebSocketRoute] = []
        self.conversation_ids: list[str] = []
        page.route_web_socket("wss://api.elevenlabs.io/**", self._accept)

    def _accept(self, ws: WebSocketRoute) -> None:
        query = parse_qs(urlparse(ws.url).query)
        conversation_id = query.get("conversation_id", [f"conv_ws_{len(self.sockets) + 1}"])[0]
        self.sockets.append(ws)
        self.conversation_ids.append(conversation_id)

        def on_message(message: str | bytes) -> None:
            event = json.loads(message)
            self.sent.append(event)
            if event.get("type") == "conversation_initiation_client_data":
                ws.send(
                    json.dumps(
                        {
                            "type": "conversation_initiation_metadata",
                            "conversation_initiation_metadata_event": {
                                "conversation_id": conversation_id,
                                "agent_output_audio_format": "pcm_16000",
                                "user_input_audio_format": "pcm_16000",
                            },
                        }
                    )
                )

        ws.on_message(on_message)

    def say(self, event: dict[str, Any]) -> None:
        self.sockets[-1].send(json.dumps(event))

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [event for event in self.sent if event.get("type") == kind]


def _start_call(page: Page, server: str) -> None:
    sign_up(page, server, f"voice-{uuid.uuid4().hex[:8]}@example.com")
    page.goto(f"{server}/session")
    page.get_by_role("button", name="Start the call").click()
    page.wait_for_url(f"{server}/session/*")


def test_the_call_connects_under_the_real_csp(call_page: Page, voice_server: str) -> None:
    errors: list[str] = []
    call_page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    agent = MockAgent(call_page)
    _start_call(call_page, voice_server)
    assert "script-src 'self'" in _csp(call_page)
    call_page.get_by_role("button", name="Start the call").click()
    expect(call_page.locator("#speaking")).to_have_text("Connected", timeout=30_000)
    assert agent.of_type("conversation_initiation_client_data"), "the client opened the conversation"
    assert not [e for e in errors if "worklet" in e.lower() or "content security policy" in e.lower()], errors


def _csp(page: Page) -> str:
    response = page.request.get(page.url)
    return response.headers.get("content-security-policy", "")
