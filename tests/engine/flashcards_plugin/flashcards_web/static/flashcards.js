// A third-party module's script: a plain ES module that imports the web kit by its URL, no build step.
import { act, el, endSession } from "/static/dist/kit/api.js";

const root = document.getElementById("flashcard");
const session = root.dataset.session;
const status = document.getElementById("status");
const answer = document.getElementById("answer");

document.getElementById("answer-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const { data } = await act(session, "answer", { text: answer.value });
    document.getElementById("answers").append(el("li", {}, `${answer.value} · ${data.score.toFixed(1)} / 5`));
    status.textContent = `Scored ${data.score.toFixed(1)} of 5.`;
    answer.value = "";
  } catch (error) {
    status.textContent = error.message;
  }
});

document.getElementById("end").addEventListener("click", async () => {
  await endSession(session);
  window.location.assign(`/summary/${session}`);
});
