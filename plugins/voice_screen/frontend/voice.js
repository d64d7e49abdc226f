// The voice phone screen: the browser talks to the ElevenLabs agent, and the agent's client tools
// call our engine, which owns the questions, the follow-ups, the hints, the clock and the scores.
import { act, call, countdown, el, endSession } from "/static/dist/kit/api.js";

const WORKLETS = "/static/modules/voice_screen/dist/elevenlabs";
const CLOSING_NOTE =
  " (The interview is over. Say these closing words to the candidate, then call end_call.)";
const WARN_AT_S = 120; // the agent hears that time is nearly up, so it can close on the engine's terms

// A thrown error, in words a candidate can act on.
export function describe(error) {
  const name = error?.name ?? "";
  if (name === "NotAllowedError" || name === "SecurityError")
    return "The microphone is blocked. Allow it for this site in the browser's settings, then press Start again.";
  if (name === "NotFoundError" || name === "OverconstrainedError")
    return "No microphone was found. Plug one in (or pick one in the system settings), then press Start again.";
  if (name === "NotReadableError")
    return "The microphone is in use by another application. Close it, then press Start again.";
  const message = error?.message || String(error);
  return `The call could not start: ${message}`;
}

export function startVoiceScreen(root) {
  const sessionId = root.dataset.session;
  const limit = Number(root.dataset.limit || 1800);
  const $ = (id) => document.getElementById(id);
  const startButton = $("connect");
  const endButton = $("end");
  const muteButton = $("mute");
  const micState = $("mic");
  const level = $("mic-level");
  const speaking = $("speaking");
  const status = $("voice-status");
  const captions = $("captions");
  const progress = $("progress");
  const timer = $("timer");

  let conversation = null;
  let phase = "idle"; // idle → starting → live → ending
  let heard = []; // the candidate's words since the engine last spoke: what record_answer scores
  let muted = false;
  let clock = null;
  let meter = null;
  let ending = null;
  let warned = false;

  const setPhase = (next) => {
    phase = next;
    startButton.disabled = next !== "idle";
    endButton.disabled = next === "ending";
    muteButton.disabled = next !== "live";
  };
  setPhase("idle");

  const say = (text) => (status.textContent = text);
  const caption = (who, text) => {
    if (!text) return;
    captions.append(el("li", { class: who }, text));
    captions.lastElementChild.scrollIntoView({ block: "nearest" });
  };

  // Each client tool calls the engine's action of the same meaning and hands the agent what to say.
  const engineSays = async (action, payload = {}) => {
    const { data } = await act(sessionId, action, payload);
    if (data.question) progress.textContent = `Question ${data.question.number} of ${data.question.budget}`;
    return data.done ? data.message + CLOSING_NOTE : data.message;
  };
  const clientTools = {
    next_question: () => engineSays("next"),
    record_answer: () => {
      const text = heard.join(" ").trim();
      heard = [];
      if (!text) return "No answer was heard yet. Ask the candidate to answer out loud, then call record_answer.";
      return engineSays("answer", { text });
    },
    give_hint: () => engineSays("hint"),
    skip_question: () => {
      heard = [];
      return engineSays("skip");
    },
    end_interview: () => engineSays("stop"),
  };

  const startClock = () => {
    const tick = countdown(timer, limit, () => finish("Time is up."));
    const deadline = Date.now() + limit * 1000;
    const warn = setInterval(() => {
      if (warned || phase !== "live" || deadline - Date.now() > WARN_AT_S * 1000) return;
      warned = true;
      conversation?.sendContextualUpdate(
        "About two minutes are left in the screen. Let the candidate finish this answer, record it, " +
          "then call end_interview and close.",
      );
    }, 1000);
    clock = { stop: () => (clearInterval(tick), clearInterval(warn)) };
  };

  const showMic = () => {
    micState.textContent = muted ? "Microphone muted" : "Microphone on";
    muteButton.textContent = muted ? "Unmute" : "Mute";
    muteButton.setAttribute("aria-pressed", String(muted));
  };

  // End, hang-up, time-out and a dropped call all come here, once.
  const finish = (why) =>
    (ending ??= (async () => {
      setPhase("ending");
      clock?.stop();
      clearInterval(meter);
      say(`${why} Scoring your answers…`);
      try {
        await conversation?.endSession();
      } catch {
        // the call is gone already; nothing to hang up
      }
      micState.textContent = "Microphone off";
      level.value = 0;
      try {
        await endSession(sessionId);
      } catch (error) {
        say(`${why} The screen could not be closed: ${error.message}`);
      }
      say(`${why} Fetching the interviewer's analysis of the call…`);
      try {
        await call("POST", `/api/sessions/${sessionId}/analysis`);
      } catch {
        // not ready or not reachable: the summary offers "Fetch the analysis"
      }
      window.location.assign(`/summary/${sessionId}`);
    })());

  startButton.addEventListener("click", async () => {
    if (phase !== "idle") return;
    setPhase("starting");
    let stream = null;
    try {
      say("Asking for the microphone…");
      // Permission first: no call link is minted for a candidate whose microphone is blocked.
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      micState.textContent = "Microphone allowed";
      say("Getting a call link…");
      const { data } = await act(sessionId, "signed_url", {});
      const { Conversation } = await import("@elevenlabs/client");
      say("Connecting…");
      conversation = await Conversation.startSession({
        signedUrl: data.signedUrl,
        dynamicVariables: data.dynamicVariables,
        clientTools,
        // Self-hosted worklets and resampler: the page's CSP (script-src 'self') refuses blob:, data: and CDNs.
        workletPaths: {
          rawAudioProcessor: `${WORKLETS}/rawAudioProcessor.js`,
          audioConcatProcessor: `${WORKLETS}/audioConcatProcessor.js`,
        },
        libsampleratePath: `${WORKLETS}/libsamplerate.worklet.js`,
        onMessage: ({ source, message }) => {
          const who = source === "user" ? "candidate" : "interviewer";
          if (who === "candidate" && message) heard.push(message);
          caption(who, message);
        },
        onModeChange: ({ mode }) =>
          (speaking.textContent = mode === "speaking" ? "Interviewer speaking" : "Listening"),
        onDisconnect: (details) => {
          if (phase === "ending") return;
          const why =
            details?.reason === "agent"
              ? "The interviewer ended the call."
              : details?.reason === "error"
                ? `The call dropped (${details.message || "connection lost"}).`
                : "The call ended.";
          finish(why);
        },
        onError: (message) => say(`Call problem: ${message}`),
      });
      // The client opened its own microphone stream; release the page's.
      stream.getTracks().forEach((track) => track.stop());
      stream = null;
      await act(sessionId, "conversation", { conversationId: conversation.getId() });
      speaking.textContent = "Connected";
      setPhase("live");
      showMic();
      startClock();
      meter = setInterval(() => (level.value = conversation?.getInputVolume?.() ?? 0), 200);
      say("");
    } catch (error) {
      stream?.getTracks().forEach((track) => track.stop());
      try {
        await conversation?.endSession();
      } catch {
        // never connected
      }
      conversation = null;
      micState.textContent = "Microphone off";
      setPhase("idle");
      say(describe(error));
    }
  });

  muteButton.addEventListener("click", () => {
    if (phase !== "live") return;
    muted = !muted;
    conversation.setMicMuted(muted);
    showMic();
  });

  endButton.addEventListener("click", () => finish("You ended the call."));
  // Wired: "Start the call" is enabled by setPhase("idle") above, and the page says it is ready (a
  // click before the script ran did nothing, so the button is disabled in the page until then).
  root.dataset.ready = "true";
}
