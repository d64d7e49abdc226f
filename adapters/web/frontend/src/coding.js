import { act, busy, countdown, describeJob, el, endSession, followJob, pendingJob, show } from "./api.js";
import { draft, pythonEditor } from "./editor.js";

const root = document.getElementById("coding");
const sessionId = root.dataset.session;
const status = document.getElementById("status");
const output = document.getElementById("output");
const runButton = document.getElementById("run");
const submitButton = document.getElementById("submit");
const starter = JSON.parse(document.getElementById("starter").textContent);
const draftKey = `interview:${sessionId}:solution.py`;
const editor = pythonEditor(document.getElementById("editor"), draft(draftKey, starter), draftKey);
window.interviewEditor = editor;

countdown(document.getElementById("timer"), Number(root.dataset.remaining || 0), () => {
  status.textContent = "Time is up: you can still submit, it will count as late.";
});

const source = () => editor.state.doc.toString();

function renderRun(data) {
  output.replaceChildren();
  const samples = data.results ?? data.samples ?? [];
  const passed = samples.filter((s) => s.passed).length;
  output.append(el("h2", {}, `Sample tests: ${passed} of ${samples.length} passed`));
  const table = el("table", { class: "results" });
  table.append(el("tr", {}, el("th", {}, "Test"), el("th", {}, "Input"), el("th", {}, "Expected"), el("th", {}, "Got"), el("th", {}, "")));
  samples.forEach((s, i) => {
    const got = s.error ? s.error : show(s.actual);
    table.append(
      el("tr", { class: s.passed ? "pass" : "fail" },
        el("td", {}, s.name ?? `sample ${i + 1}`), el("td", {}, el("code", {}, show(s.input ?? s.args))),
        el("td", {}, el("code", {}, show(s.expected))), el("td", {}, el("code", {}, got)),
        el("td", {}, s.passed ? "passed" : s.status ?? "failed")),
    );
    if (s.stdout) table.append(el("tr", {}, el("td", { colspan: "5" }, el("pre", {}, s.stdout))));
  });
  output.append(table);
}

function renderSubmit(data) {
  output.replaceChildren();
  output.append(el("h2", {}, `Hidden tests: ${data.passed} passed, ${data.failed} failed`));
  const groups = data.groups ?? [];
  if (groups.length) {
    const table = el("table", { class: "results" });
    table.append(el("tr", {}, el("th", {}, "Group"), el("th", {}, "Passed"), el("th", {}, "Weight")));
    groups.forEach((g) => table.append(el("tr", {}, el("td", {}, g.group ?? g.name), el("td", {}, `${g.passed} / ${g.total}`), el("td", {}, show(g.weight ?? "")))));
    output.append(table);
  }
}

runButton.addEventListener("click", () =>
  busy([runButton, submitButton], status, "Running the sample tests…", async () => {
    const result = await act(sessionId, "run", { source: source() }, (text) => (status.textContent = text));
    renderRun(result.data);
    status.textContent = "Sample tests ran.";
  }),
);

submitButton.addEventListener("click", () =>
  busy([runButton, submitButton], status, "Running the hidden tests and measuring complexity…", async () => {
    const payload = {
      source: source(),
      complexity: document.getElementById("complexity").value,
      notes: document.getElementById("notes").value,
    };
    const result = await act(sessionId, "submit", payload, (text) => (status.textContent = text));
    renderSubmit(result.data);
    status.textContent = "Scoring the session…";
    await endSession(sessionId);
    window.location.assign(`/summary/${sessionId}`);
  }),
);

// A run or submit still being graded (after a reload) shows "grading…" and its result when it ends.
pendingJob(sessionId)
  .then((job) =>
    job &&
    busy([runButton, submitButton], status, describeJob(job), async () => {
      const result = await followJob(job, (text) => (status.textContent = text));
      if (job.action === "submit") renderSubmit(result.data);
      else renderRun(result.data);
      status.textContent = "Graded.";
    }),
  )
  .catch(() => {});
