"""A voice call in Chromium under the app's real CSP: fake microphone, mocked ElevenLabs socket.

The server is ``interview serve`` pointed at the schema-checking fake ElevenLabs API (so the
signed URL comes through the real SDK); the browser's websocket to ``wss://api.elevenlabs.io``
is answered by Playwright, speaking the protocol ``@elevenlabs/client`` speaks. The audio
worklets load from our own origin or the call cannot start, exactly as in production.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Page, Playwright, WebSocketRoute, expect

from interview_voice_screen import knowledge_base
from interview_voice_screen.voice.settings import VoiceSettings
from interview_voice_screen.voice.sync import sync_agent
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, serving, sign_up
from tests.voice_screen.fake_elevenlabs import API_KEY, FakeElevenLabs, conversation_payload

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
    with serving(data, "5f" * 32, voice_env) as base:
        yield base


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
    """The ElevenLabs conversation socket, played by the test: it greets, then calls our client tools.

    ``fail_first`` closes the first socket before the conversation starts, as a dropped connection does.
    """

    def __init__(self, page: Page, *, fail_first: bool = False) -> None:
        self.page = page
        self.sent: list[dict[str, Any]] = []
        self.sockets: list[WebSocketRoute] = []
        self.conversation_ids: list[str] = []
        self.fail_first = fail_first
        self._calls = 0
        page.route_web_socket("wss://api.elevenlabs.io/**", self._accept)

    def _accept(self, ws: WebSocketRoute) -> None:
        query = parse_qs(urlparse(ws.url).query)
        conversation_id = query.get("conversation_id", [f"conv_ws_{len(self.sockets) + 1}"])[0]
        self.sockets.append(ws)
        self.conversation_ids.append(conversation_id)
        refuse = self.fail_first and len(self.sockets) == 1

        def on_message(message: str | bytes) -> None:
            event = json.loads(message)
            self.sent.append(event)
            if event.get("type") == "conversation_initiation_client_data" and refuse:
                ws.close(code=4000, reason="upstream unavailable")
            elif event.get("type") == "conversation_initiation_client_data":
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

    def speaks(self, text: str) -> None:
        self.say({"type": "agent_response", "agent_response_event": {"agent_response": text, "event_id": 1}})

    def hears(self, text: str) -> None:
        self.say({"type": "user_transcript", "user_transcription_event": {"user_transcript": text, "event_id": 2}})

    def tool(self, name: str) -> str:
        """Call one of the page's client tools, as the agent's LLM would; returns what the tool answered."""
        self._calls += 1
        call_id = f"tool_{self._calls}"
        self.say(
            {
                "type": "client_tool_call",
                "client_tool_call": {"tool_name": name, "tool_call_id": call_id, "parameters": {}},
            }
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            for event in self.of_type("client_tool_result"):
                if event.get("tool_call_id") == call_id:
                    assert not event.get("is_error"), event
                    return str(event["result"])
            self.page.wait_for_timeout(100)
        raise AssertionError(f"the page never answered {name}")

    def hangs_up(self) -> None:
        self.say(
            {
                "type": "agent_tool_response",
                "agent_tool_response": {
                    "tool_name": "end_call",
                    "tool_call_id": "end",
                    "tool_type": "system",
                    "is_error": False,
                },
            }
        )

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [event for event in self.sent if event.get("type") == kind]


def _start_call(page: Page, server: str) -> None:
    sign_up(page, server, f"voice-{uuid.uuid4().hex[:8]}@example.com")
    page.goto(f"{server}/session")
    page.get_by_role("button", name="Start the call").click()
    page.wait_for_url(f"{server}/session/*")
    expect(page.locator("#screen[data-ready=true]")).to_be_attached()  # the call's script is wired


def _canonical(prompt_said: str) -> str:
    """The model answer of the question the engine just handed the agent."""
    for track in ("backend", "frontend", "mobile"):
        for question in knowledge_base().track_questions(track):
            if question.prompt in prompt_said:
                return question.canonical
    raise AssertionError(f"no question in {prompt_said!r}")


def _csp(page: Page) -> str:
    response = page.request.get(page.url)
    return response.headers.get("content-security-policy", "")


def _signed_urls(fake: FakeElevenLabs) -> int:
    return fake.paths("GET").count("/v1/convai/conversation/get-signed-url")


def test_the_call_connects_under_the_real_csp(call_page: Page, voice_server: str, fake_api: FakeElevenLabs) -> None:
    errors: list[str] = []
    call_page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    agent = MockAgent(call_page)
    _start_call(call_page, voice_server)
    assert "script-src 'self'" in _csp(call_page)
    session_id = call_page.url.rsplit("/", 1)[1]
    minted = _signed_urls(fake_api)
    start = call_page.get_by_role("button", name="Start the call")
    start.dblclick()  # a double click starts one call
    expect(call_page.locator("#speaking")).to_have_text("Connected", timeout=30_000)
    expect(start).to_be_disabled()
    assert _signed_urls(fake_api) == minted + 1
    assert agent.of_type("conversation_initiation_client_data"), "the client opened the conversation"
    assert not [e for e in errors if "worklet" in e.lower() or "content security policy" in e.lower()], errors
    expect(call_page.locator("#mic")).to_have_text("Microphone on")
    call_page.get_by_role("button", name="Mute").click()
    expect(call_page.locator("#mic")).to_have_text("Microphone muted")
    call_page.get_by_role("button", name="Unmute").click()

    # The agent asks what the engine gives it, hears the answer, records it: our scorer scores it.
    agent.speaks("Hi, thanks for making the time. Ready for the first question?")
    agent.hears("Yes, ready.")
    first = agent.tool("next_question")
    assert "First question" in first
    agent.speaks(first)
    answer = _canonical(first)
    agent.hears(answer)
    expect(call_page.locator("#captions li.candidate").last).to_have_text(answer)
    expect(call_page.locator("#captions li.interviewer").first).to_contain_text("Hi, thanks")
    reply = agent.tool("record_answer")
    assert reply and reply != first
    hint = agent.tool("give_hint")
    assert hint
    closing = agent.tool("end_interview")
    assert "end_call" in closing
    # The agent's analysis is ready when the page asks for it after the call.
    conversation_id = agent.conversation_ids[-1]
    fake_api.conversations[conversation_id] = conversation_payload(conversation_id, session_id)
    agent.speaks(closing)
    agent.hangs_up()
    call_page.wait_for_url(f"{voice_server}/summary/*", timeout=60_000)
    expect(call_page.locator("table.questions")).to_contain_text(answer[:40])
    opinion = call_page.locator("#agent-opinion")
    expect(opinion).to_contain_text("Second opinion")
    expect(opinion).to_contain_text("A solid backend screen.")
    row = call_page.locator("table.questions tbody tr").first
    expect(row.locator("td").nth(3)).to_have_text(re.compile(r"\d\.\d"))  # our scorer's score for the answer


def test_a_failed_start_can_be_retried_and_the_latest_call_is_kept(
    call_page: Page, voice_server: str, fake_api: FakeElevenLabs
) -> None:
    agent = MockAgent(call_page, fail_first=True)
    _start_call(call_page, voice_server)
    session_id = call_page.url.rsplit("/", 1)[1]
    start = call_page.get_by_role("button", name="Start the call")
    start.click()
    expect(call_page.locator("#voice-status")).to_contain_text("upstream unavailable", timeout=30_000)
    expect(start).to_be_enabled()
    start.click()
    expect(call_page.locator("#speaking")).to_have_text("Connected", timeout=30_000)
    first, second = agent.conversation_ids
    assert first != second
    call_page.get_by_role("button", name="End the call").click()
    call_page.wait_for_url(f"{voice_server}/summary/*", timeout=60_000)
    # Nothing to fetch yet: the summary offers to fetch the latest call's analysis later.
    fake_api.conversations[second] = conversation_payload(second, session_id)
    call_page.get_by_role("button", name="Fetch the analysis").click()
    expect(call_page.locator("#agent-opinion")).to_contain_text("A solid backend screen.")
    assert f"/v1/convai/conversations/{first}" not in fake_api.paths("GET")
    # Deleting the session deletes both conversations at ElevenLabs.
    call_page.once("dialog", lambda dialog: dialog.accept())
    call_page.get_by_role("button", name="Delete this session").click()
    call_page.wait_for_url(f"{voice_server}/history*")
    deleted = fake_api.paths("DELETE")
    assert f"/v1/convai/conversations/{first}" in deleted and f"/v1/convai/conversations/{second}" in deleted


def test_a_blocked_microphone_is_said_in_words_and_mints_no_call(
    call_page: Page, voice_server: str, fake_api: FakeElevenLabs
) -> None:
    call_page.add_init_script(
        "navigator.mediaDevices.getUserMedia = () => "
        "Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));"
    )
    _start_call(call_page, voice_server)
    minted = _signed_urls(fake_api)
    call_page.get_by_role("button", name="Start the call").click()
    expect(call_page.locator("#voice-status")).to_contain_text("microphone is blocked")
    expect(call_page.get_by_role("button", name="Start the call")).to_be_enabled()
    assert _signed_urls(fake_api) == minted


# A stand-in for an on-device recogniser (Chrome's processLocally), so the test does not depend on the
# speech model this machine's Chromium may not have: it "hears" one sentence when started.
ON_DEVICE_RECOGNITION = """
class FakeRecognition {
  static async available(options) { return options.processLocally ? "available" : "unavailable"; }
  start() {
    window.recognitionStarted = { lang: this.lang, processLocally: this.processLocally };
    setTimeout(() => {
      const result = [{ transcript: "an index keeps the keys sorted" }];
      result.isFinal = true;
      this.onresult?.({ resultIndex: 0, results: [result] });
      this.onend?.();
    }, 50);
  }
  stop() { this.onend?.(); }
}
window.SpeechRecognition = FakeRecognition;
window.webkitSpeechRecognition = FakeRecognition;
"""

NO_SPEECH = "delete window.SpeechRecognition; delete window.webkitSpeechRecognition; delete window.speechSynthesis;"


def _typed_screen(page: Page, server: str) -> None:
    sign_up(page, server, f"typed-{uuid.uuid4().hex[:8]}@example.com")
    page.goto(f"{server}/session")
    page.get_by_role("button", name="Start the typed screen").click()
    expect(page.locator("#chat li.interviewer")).to_have_count(1)


def test_offline_dictation_fills_the_box_and_waits_for_send(call_page: Page, server: str) -> None:
    call_page.add_init_script(ON_DEVICE_RECOGNITION)
    _typed_screen(call_page, server)
    expect(call_page.get_by_label("Read the interviewer's turns aloud")).to_be_enabled()
    call_page.get_by_role("button", name="Dictate").click()
    box = call_page.get_by_label("Your answer")
    expect(box).to_have_value("an index keeps the keys sorted")
    assert call_page.evaluate("window.recognitionStarted.processLocally") is True
    expect(call_page.locator("#chat li.candidate")).to_have_count(0)  # not sent by itself
    box.fill("An index keeps the keys sorted, so lookups are logarithmic.")
    call_page.get_by_role("button", name="Send answer").click()
    expect(call_page.locator("#chat li.candidate")).to_have_text(
        "An index keeps the keys sorted, so lookups are logarithmic."
    )


def test_without_speech_the_page_says_so_and_stays_typed(call_page: Page, server: str) -> None:
    call_page.add_init_script(NO_SPEECH)
    _typed_screen(call_page, server)
    expect(call_page.locator("#speech-note")).to_contain_text("stays typed")
    expect(call_page.get_by_role("button", name="Dictate")).to_be_disabled()
    expect(call_page.get_by_label("Read the interviewer's turns aloud")).to_be_disabled()
    call_page.get_by_label("Your answer").fill("I would add an index.")
    call_page.get_by_role("button", name="Send answer").click()
    expect(call_page.locator("#chat li.candidate")).to_have_count(1)
