import { act, busy, el, keepDraft, trace, traceBlock, wireWorkspace, words } from "/static/dist/kit/api.js";
import { draft, goToLine, pythonEditor, pythonState } from "/static/dist/kit/editor.js";

const root = document.getElementById("debugging");
const sessionId = root.dataset.session;
const status = document.getElementById("status");
const output = document.getElementById("output");
const runButton = document.getElementById("run");
const submitButton = document.getElementById("submit");
const endButton = document.getElementById("end");
const hintButton = document.getElementById("hint");
const tabs = document.getElementById("tabs");
const diagnosis = document.getElementById("diagnosis");
const location_ = document.getElementById("location");
keepDraft(diagnosis, `interview:${sessionId}:diagnosis`);
keepDraft(location_, `interview:${sessionId}:location`);

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

function openAt(path, line) {
  selectFile(path);
  goToLine(editor, line);
}

function showResult(...nodes) {
  output.replaceChildren(...nodes);
  output.focus();
}

// A test that raised AssertionError failed its check; any other exception is an error in the code it ran.
const testVerdict = (t) => {
  if (t.passed) return "passed";
  if (t.status !== "raised") return words(t.status);
  return /AssertionError/.test(t.message ?? "") ? "failed: an assertion did not hold" : "error: the code raised an exception";
};

function renderRun(data) {
  const list = el("ul", { class: "tests" });
  for (const t of data.tests ?? []) {
    const item = el("li", { class: t.passed ? "pass" : "fail" }, `${t.passed ? "✓" : "✗"} ${t.name} — ${testVerdict(t)}`);
    // A line of one of the candidate's files named in the failure opens in the editor.
    if (t.message) item.append(traceBlock(trace(t.message), openAt, (file) => file in states));
    list.append(item);
  }
  showResult(el("h2", {}, `Tests: ${data.passed} passed, ${data.failed} failed`), list);
}

function renderSubmit(data) {
  const hidden = data.hidden ?? [];
  const passed = hidden.reduce((n, g) => n + g.passed, 0);
  const total = hidden.reduce((n, g) => n + g.total, 0);
  const nodes = [el("h2", {}, `Submitted: hidden tests ${passed} of ${total} passed`)];
  if (data.regression) {
    nodes.push(el("p", {}, `Your regression test: on the bug ${data.regression.onBug}, on your fix ${data.regression.onYourFix}, ` +
      `${data.regression.mutantsCaught} of ${data.regression.mutantsTotal} planted variants caught.`));
  }
  nodes.push(el("p", { class: "meta" }, "Submit again to improve it, or end the session to get your evaluation: the last submission is graded."));
  showResult(...nodes);
  const list = document.getElementById("submissions");
  document.getElementById("no-submissions")?.remove();
  const at = new Date().toISOString().slice(11, 19);
  list.append(el("li", {}, `${list.children.length + 1}. ${at} UTC · ${passed} of ${total} hidden tests passed`));
}

const buttons = [runButton, submitButton, endButton, hintButton];

function markHints(revealed, available) {
  document.getElementById("hint-count").textContent = `${revealed} of ${available} used (each costs a little)`;
  const exhausted = revealed >= available;
  hintButton.dataset.exhausted = String(exhausted);
  hintButton.disabled = exhausted;
  if (exhausted) hintButton.textContent = "No hints left";
}
markHints(Number(hintButton.dataset.revealed), Number(hintButton.dataset.available));

runButton.addEventListener("click", () =>
  busy(buttons, status, "Running the tests on your working copy…", async () => {
    const result = await act(sessionId, "run", { files: workingCopy() }, (text) => (status.textContent = text));
    renderRun(result.data);
    status.textContent = "Tests ran.";
  }),
);

hintButton.addEventListener("click", () =>
  busy(buttons, status, "Getting a hint…", async () => {
    const result = await act(sessionId, "hint", {});
    const list = document.getElementById("hints");
    list.replaceChildren(...result.data.hints.map((h) => el("li", {}, h)));
    markHints(result.data.hintsRevealed, result.data.hintsAvailable);
    status.textContent = `Hint ${result.data.hintsRevealed} is shown above.`;
    list.lastElementChild?.setAttribute("tabindex", "-1");
    list.lastElementChild?.focus();
  }),
);

submitButton.addEventListener("click", () => {
  if (!diagnosis.value.trim() && !window.confirm("Your diagnosis is empty, and the diagnosis is scored. Submit anyway?")) return;
  busy(buttons, status, "Checking your fix, your regression test and the hidden tests…", async () => {
    const payload = { files: workingCopy(), diagnosis: diagnosis.value, location: location_.value };
    const result = await act(sessionId, "submit", payload, (text) => (status.textContent = text));
    renderSubmit(result.data);
    status.textContent = "Submission checked.";
  });
});

wireWorkspace({
  sessionId,
  buttons,
  status,
  endButton,
  unsubmitted: "End the session without submitting a fix? It is graded as not fixed.",
  renderers: { run: renderRun, submit: renderSubmit },
});
