import { act, busy, countdown, el, endSession } from "./api.js";

const root = document.getElementById("screen");
const sessionId = root.dataset.session;

async function main() {
  if (root.dataset.mode === "voice") {
    // The call's own code (and the ElevenLabs client) loads only for voice sessions; its clock starts with the call.
    const { startVoiceScreen } = await import("./voice.js");
    startVoiceScreen(root);
  } else {
    const started = root.dataset.started ? Date.parse(root.dataset.started) : Date.now();
    const limit = Number(root.dataset.limit || 1800);
    const finish = async () => {
      await endSession(sessionId);
      window.location.assign(`/summary/${sessionId}`);
    };
    countdown(document.getElementById("timer"), limit - (Date.now() - started) / 1000, () => finish());

    const chat = document.getElementById("chat");
    const answer = document.getElementById("answer");
    const status = document.getElementById("progress");
    const buttons = [...document.querySelectorAll("#answer-form .controls button")];
    const { setUpSpeech } = await import("./speech.js");
    const speech = await setUpSpeech({
      panel: document.getElementById("speech"),
      readAloud: document.getElementById("read-aloud"),
      dictate: document.getElementById("dictate"),
      answer,
      note: document.getElementById("speech-note"),
    });
    const say = (who, text) => {
      if (!text) return;
      chat.append(el("li", { class: who }, text));
      chat.lastElementChild.scrollIntoView({ block: "nearest" });
      if (who === "interviewer") speech.speak(text);
    };
    document.getElementById("read-aloud").addEventListener("change", (event) => {
      if (event.target.checked) speech.speak(chat.querySelector("li.interviewer:last-of-type")?.textContent ?? "");
    });
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
      speech.stop();
      say("candidate", text);
      answer.value = "";
      send("answer", { text });
    });
    document.getElementById("hint").addEventListener("click", () => send("hint"));
    document.getElementById("skip").addEventListener("click", () => send("skip"));
    document.getElementById("end").addEventListener("click", () => busy(buttons, status, "Scoring the screen…", finish));
  }
}

main();
