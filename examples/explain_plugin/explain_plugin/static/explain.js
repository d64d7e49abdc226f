import { act, endSession } from "/static/dist/kit/api.js";

const session = document.getElementById("explain").dataset.session;
const status = document.getElementById("status");
document.getElementById("explain-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const { data } = await act(session, "explain", { text: document.getElementById("text").value });
  status.textContent = `Scored ${data.score.toFixed(1)} of 5.`;
});
document.getElementById("end").addEventListener("click", async () => {
  await endSession(session);
  window.location.assign(`/summary/${session}`);
});
