// Speech for the typed screen, with no key and no internet: the interviewer's turns read aloud by the
// browser's own speechSynthesis, answers dictated by speech recognition only where it runs on the device,
// into the answer box to edit before sending. Where the browser has neither, the page says so.
const LANG = "en-US";

function recognitionClass() {
  return window.SpeechRecognition ?? window.webkitSpeechRecognition ?? null;
}

// "available" only when recognition runs on this device (Chrome's processLocally); a browser that would
// send the candidate's voice to a server does not count: this mode promises it stays here.
export async function onDeviceRecognition() {
  const Recognition = recognitionClass();
  if (!Recognition) return "absent";
  try {
    if (typeof Recognition.available === "function") {
      const state = await Recognition.available({ langs: [LANG], processLocally: true });
      return state === "available" ? "available" : state === "unavailable" ? "absent" : "installable";
    }
    if (typeof Recognition.availableOnDevice === "function") {
      const state = await Recognition.availableOnDevice(LANG);
      return state === "available" ? "available" : state === "unavailable" ? "absent" : "installable";
    }
  } catch {
    return "absent";
  }
  return "absent";
}

async function installOnDevice() {
  const Recognition = recognitionClass();
  if (typeof Recognition?.install === "function") return Recognition.install({ langs: [LANG], processLocally: true });
  if (typeof Recognition?.installOnDevice === "function") return Recognition.installOnDevice(LANG);
  return false;
}

export async function setUpSpeech({ panel, readAloud, dictate, answer, note }) {
  const canSpeak = "speechSynthesis" in window && typeof window.SpeechSynthesisUtterance === "function";
  let recognition = await onDeviceRecognition();
  panel.hidden = false;
  readAloud.disabled = !canSpeak;
  dictate.disabled = recognition === "absent";
  if (recognition === "installable") dictate.textContent = "Set up on-device dictation";
  const lacks = [];
  if (!canSpeak) lacks.push("read the interviewer's turns aloud");
  if (recognition === "absent") lacks.push("take dictation on this device");
  note.textContent = lacks.length
    ? `This browser cannot ${lacks.join(" or ")}, so that part of the screen stays typed.`
    : "";

  const speak = (text) => {
    if (!canSpeak || !readAloud.checked || !text) return;
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = LANG;
    window.speechSynthesis.speak(utterance);
  };
  readAloud.addEventListener("change", () => {
    if (!readAloud.checked) window.speechSynthesis?.cancel();
  });

  let listening = null;
  dictate.addEventListener("click", async () => {
    if (listening) {
      listening.stop();
      return;
    }
    if (recognition === "installable") {
      note.textContent = "Downloading the on-device speech model…";
      recognition = (await installOnDevice()) ? "available" : "absent";
      dictate.textContent = "Dictate";
      note.textContent = recognition === "available" ? "" : "On-device dictation could not be set up; type instead.";
      dictate.disabled = recognition !== "available";
      if (recognition !== "available") return;
    }
    const Recognition = recognitionClass();
    const session = new Recognition();
    session.lang = LANG;
    session.interimResults = false;
    session.continuous = true;
    session.processLocally = true;
    if ("mode" in session) session.mode = "ondevice-only";
    const before = answer.value.trim();
    const said = [];
    session.onresult = (event) => {
      for (let i = event.resultIndex; i < event.results.length; i += 1) {
        if (event.results[i].isFinal) said.push(event.results[i][0].transcript.trim());
      }
      // Into the box, never sent by itself: the candidate reads and edits it first.
      answer.value = [before, ...said].filter(Boolean).join(" ");
    };
    session.onerror = (event) => (note.textContent = `Dictation stopped: ${event.error}.`);
    session.onend = () => {
      listening = null;
      dictate.textContent = "Dictate";
      dictate.setAttribute("aria-pressed", "false");
      answer.focus();
    };
    listening = session;
    dictate.textContent = "Stop dictating";
    dictate.setAttribute("aria-pressed", "true");
    session.start();
  });

  return { speak, stop: () => (listening?.stop(), window.speechSynthesis?.cancel()) };
}
