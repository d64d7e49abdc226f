import { act, busy, countdown, el, endSession } from "./api.js";

const root = document.getElementById("screen");
const sessionId = root.dataset.session;
const started = root.dataset.started ? Date.parse(root.dataset.started) : Date.now();
const limit = Number(root.dataset.limit || 1800);
const finish = async () => {
  await endSession(sessionId);
  window.location.assign(`/summary/${sessionId}`);
};
countdown(document.getElementById("timer"), limit - (Date.now() - started) / 1000, () => finish());

if (root.dataset.mode === "voice") {
  const mic = document.getElementById("mic");
  const speaking = document.getElementById("speaking");
  const voiceStatus = document.getElementById("voice-status");
  let conversation = null;
  document.getElementById("connect").addEventListener("click", async () => {
    try {
      voiceStatus.textContent = "Asking the server for a call link…";
      const { data } = await act(sessionId, "signed_url", {});
      await navigator.mediaDevices.getUserMedia({ audio: true });
      mic.textContent = "Microphone on";
      const { Conversation } = await import("@elevenlabs/client");
      conversation = await Conversation.startSession({
        signedUrl: data.signedUrl,
        // Self-hosted worklets and resampler: the page's CSP (script-src 'self') refuses blob:, data: and CDNs.
        workletPaths: {
          rawAudioProcessor: "/static/dist/elevenlabs/rawAudioProcessor.js",
          audioConcatProcessor: "/static/dist/elevenlabs/audioConcatProcessor.js",
        },
        libsampleratePath: "/static/dist/elevenlabs/libsamplerate.worklet.js",
        dynamicVariables: data.dynamicVariables,
        onConnect: () => (speaking.textContent = "Connected"),
        onDisconnect: () => (speaking.textContent = "Call ended"),
        onModeChange: ({ mode }) => (speaking.textContent = mode === "speaking" ? "Interviewer speaking" : "Listening"),
        onError: (message) => (voiceStatus.textContent = `Call error: ${message}`),
      });
      voiceStatus.textContent = "";
    } catch (error) {
      voiceStatus.textContent = error.message;
    }
  });
  document.getElementById("end").addEventListener("click", async () => {
    await conversation?.endSession();
    mic.textContent = "Microphone off";
    voiceStatus.textContent = "Fetching the transcript and the analysis…";
    try {
      await act(sessionId, "ingest", {});
    } catch (error) {
      voiceStatus.textContent = `The analysis is not ready yet (${error.message}); the webhook will deliver it.`;
    }
    await finish();
  });
} else {
  const chat = document.getElementById("chat");
  const answer = document.getElementById("answer");
  const status = document.getElementById("progress");
  const buttons = [...document.querySelectorAll("#answer-form button")];
  const say = (who, text) => {
    if (!text) return;
    chat.append(el("li", { class: who }, text));
    chat.lastElementChild.scrollIntoView({ block: "nearest" });
  };
  const handle = async (data) => {
    say("interviewer", data.message);
    if (data.question) status.textContent = `Question ${data.question.number} of ${data.question.budget}`;
    if (data.done) {
      say("system", "The screen is over. Scoring it…");
      await finish();
    }
  };
  const send = (action, payload = {}) =>
    busy(buttons, status, "…", async () => {
      const result = await act(sessionId, action, payload);
      await handle(result.data);
    });

  document.getElementById("answer-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = answer.value.trim();
    if (!text) return;
    say("candidate", text);
    answer.value = "";
    send("answer", { text });
  });
  document.getElementById("hint").addEventListener("click", () => send("hint"));
  document.getElementById("skip").addEventListener("click", () => send("skip"));
  document.getElementById("end").addEventListener("click", () => busy(buttons, status, "Scoring the screen…", finish));
}
