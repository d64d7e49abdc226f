import { act, busy, describeJob, el, endSession, followJob, pendingJob } from "./api.js";
import { draft, pythonEditor, pythonState } from "./editor.js";

const root = document.getElementById("debugging");
const sessionId = root.dataset.session;
const status = document.getElementById("status");
const output = document.getElementById("output");
const runButton = document.getElementById("run");
const submitButton = document.getElementById("submit");
const hintButton = document.getElementById("hint");
const tabs = document.getElementById("tabs");

// The candidate's working copy: the scenario's files plus a regression-test file of their own.
const files = {
  ...JSON.parse(document.getElementById("files").textContent),
  ...JSON.parse(document.getElementById("visible-tests").textContent),
};
const REGRESSION = "test_regression.py";
files[REGRESSION] ??= "# Add a test that fails on the bug and passes on your fix.\n\n\ndef test_regression():\n    assert True\n";
const key = (path) => `interview:${sessionId}:${path}`;
const states = Object.fromEntries(
  Object.entries(files).map(([path, text]) => [path, pythonState(draft(key(path), text), key(path))]),
);
let current = Object.keys(files)[0];
const editor = pythonEditor(document.getElementById("editor"), files[current]);
editor.setState(states[current]);
window.interviewEditor = editor;
window.interviewSelectFile = (path) => selectFile(path);

function selectFile(path) {
  states[current] = editor.state;
  current = path;
  editor.setState(states[path]);
  for (const button of tabs.querySelectorAll("button")) button.setAttribute("aria-selected", String(button.dataset.path === path));
  window.interviewFile = path;
}

for (const path of Object.keys(files)) {
  const button = el("button", { type: "button", role: "tab", "data-path": path, "aria-selected": "false" }, path);
  button.addEventListener("click", () => selectFile(path));
  tabs.append(button);
}
selectFile(current);

const workingCopy = () => {
  states[current] = editor.state;
  return Object.fromEntries(Object.entries(states).map(([path, state]) => [path, state.doc.toString()]));
};

function renderRun(data) {
  output.replaceChildren(el("h2", {}, `Tests: ${data.passed} passed, ${data.failed} failed`));
  const list = el("ul", { class: "tests" });
  for (const t of data.tests ?? []) list.append(el("li", { class: t.passed ? "pass" : "fail" }, `${t.passed ? "✓" : "✗"} ${t.name}${t.message ? ` — ${t.message}` : ""}`));
  output.append(list);
  if (data.output) output.append(el("pre", {}, data.output));
}

runButton.addEventListener("click", () =>
  busy([runButton, submitButton], status, "Running the tests on your working copy…", async () => {
    const result = await act(sessionId, "run", { files: workingCopy() }, (text) => (status.textContent = text));
    renderRun(result.data);
    status.textContent = "Tests ran.";
  }),
);

hintButton.addEventListener("click", () =>
  busy([hintButton], status, "Getting a hint…", async () => {
    const result = await act(sessionId, "hint", {});
    const list = document.getElementById("hints");
    list.replaceChildren(...result.data.hints.map((h) => el("li", {}, h)));
    document.getElementById("hint-count").textContent = `${result.data.hintsRevealed} of ${result.data.hintsAvailable} used (each costs a little)`;
    status.textContent = "";
  }),
);

submitButton.addEventListener("click", () =>
  busy([runButton, submitButton, hintButton], status, "Checking your fix, your regression test and the hidden tests…", async () => {
    const payload = {
      files: workingCopy(),
      diagnosis: document.getElementById("diagnosis").value,
      location: document.getElementById("location").value,
    };
    await act(sessionId, "submit", payload, (text) => (status.textContent = text));
    status.textContent = "Scoring the session…";
    await endSession(sessionId);
    window.location.assign(`/summary/${sessionId}`);
  }),
);

// A run or submit still being graded (after a reload) shows "grading…" and its result when it ends.
pendingJob(sessionId)
  .then((job) =>
    job &&
    busy([runButton, submitButton, hintButton], status, describeJob(job), async () => {
      const result = await followJob(job, (text) => (status.textContent = text));
      if (job.action === "run") renderRun(result.data);
      status.textContent = "Graded.";
    }),
  )
  .catch(() => {});
