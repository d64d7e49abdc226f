import { act, busy, countdown, el, endSession, keepDraft } from "/static/dist/kit/api.js";

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
    const hintButton = document.getElementById("hint");
    const buttons = [...document.querySelectorAll("#answer-form .controls button")];
    // A half-typed answer survives a reload (the conversation itself is rendered by the server).
    const draftKey = `interview:${sessionId}:answer`;
    keepDraft(answer, draftKey);
    chat.lastElementChild?.scrollIntoView({ block: "nearest" });
    const { setUpSpeech } = await import("./speech.js");
    const speech = await setUpSpeech({
      panel: document.getElementById("speech"),
      readAloud: document.getElementById("read-aloud"),
      dictate: document.getElementById("dictate"),
      answer,
      note: document.getElementById("speech-note"),
    });
    const say = (who, text) => {
      if (!text) return null;
      const item = el("li", { class: who, tabindex: "-1" }, text);
      chat.append(item);
      item.scrollIntoView({ block: "nearest" });
      if (who === "interviewer") speech.speak(text);
      return item;
    };
    // The hint button says when the open question has no hint left, instead of failing when pressed.
    const markHints = (left) => {
      if (left === undefined || left === "") return;
      const exhausted = Number(left) <= 0;
      hintButton.dataset.exhausted = String(exhausted);
      hintButton.disabled = exhausted;
      hintButton.textContent = exhausted ? "No hints left for this question" : "Ask for a hint";
    };
    markHints(hintButton.dataset.left);
    document.getElementById("read-aloud").addEventListener("change", (event) => {
      if (event.target.checked) speech.speak(chat.querySelector("li.interviewer:last-of-type")?.textContent ?? "");
    });
    const handle = async (data) => {
      const reply = say("interviewer", data.message);
      if (data.question) status.textContent = `Question ${data.question.number} of ${data.question.budget}`;
      markHints(data.hintsLeft);
      reply?.focus(); // the reply takes the focus, so a keyboard or screen-reader user lands on it
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

    const form = document.getElementById("answer-form");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = answer.value.trim();
      if (!text || buttons[0].disabled) return;
      speech.stop();
      say("candidate", text);
      answer.value = "";
      try {
        localStorage.removeItem(draftKey);
      } catch {
        // storage disabled
      }
      send("answer", { text });
    });
    answer.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    hintButton.addEventListener("click", () => send("hint"));
    document.getElementById("skip").addEventListener("click", () => send("skip"));
    document.getElementById("end").addEventListener("click", () => {
      const question = "End the screen now? It is scored on the answers you gave; an open question you have not answered is left out.";
      if (!window.confirm(question)) return;
      busy(buttons, status, "Scoring the screen…", finish);
    });
    // Wired: the buttons work now (a hint button with no hint left stays disabled).
    buttons.forEach((b) => (b.disabled = b.dataset.exhausted === "true"));
    root.dataset.ready = "true";
  }
}

main();
