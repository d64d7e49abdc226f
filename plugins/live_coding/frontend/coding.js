import { act, busy, callArgs, countdown, el, keepDraft, py, trace, traceBlock, wireWorkspace, words } from "/static/dist/kit/api.js";
import { draft, goToLine, pythonEditor } from "/static/dist/kit/editor.js";

const root = document.getElementById("coding");
const sessionId = root.dataset.session;
const entry = root.dataset.entry;
const status = document.getElementById("status");
const output = document.getElementById("output");
const runButton = document.getElementById("run");
const submitButton = document.getElementById("submit");
const endButton = document.getElementById("end");
const customButton = document.getElementById("run-custom");
const customInput = document.getElementById("custom-input");
const buttons = [runButton, submitButton, endButton, customButton];
const starter = JSON.parse(document.getElementById("starter").textContent);
const draftKey = `interview:${sessionId}:solution.py`;
const editor = pythonEditor(document.getElementById("editor"), draft(draftKey, starter), draftKey);
window.interviewEditor = editor;
keepDraft(document.getElementById("complexity"), `interview:${sessionId}:claim`);
keepDraft(document.getElementById("notes"), `interview:${sessionId}:notes`);
keepDraft(customInput, `interview:${sessionId}:custom-input`);

countdown(document.getElementById("timer"), Number(root.dataset.remaining || 0), () => {
  status.textContent = "Time is up: you can still submit, it will count as late.";
});

const source = () => editor.state.doc.toString();
const code = (text) => el("code", { class: "value" }, text);
// A line of solution.py named in a traceback opens in the editor.
const block = (text) => traceBlock(text, (_, line) => goToLine(editor, line), (file) => file === "solution.py");

// The result takes the focus, so a keyboard or screen-reader user lands on what happened.
function showResult(...nodes) {
  output.replaceChildren(...nodes);
  output.focus();
}

function renderRun(data) {
  const samples = data.results ?? [];
  const passed = samples.filter((s) => s.passed).length;
  const heading = el("h2", {}, `Sample tests: ${passed} of ${samples.length} passed`);
  if (data.loadError) {
    // A syntax error or a missing function stops every sample the same way: say it once.
    showResult(heading, el("p", { class: "fail load-error" }, "Your code did not load, so no sample ran:"), block(trace(data.loadError)));
    return;
  }
  const table = el("table", { class: "results" });
  table.append(el("tr", {}, el("th", {}, "Test"), el("th", {}, "Call"), el("th", {}, "Expected"), el("th", {}, "Got"), el("th", {}, "Verdict")));
  const details = [];
  samples.forEach((s, i) => {
    const name = s.name ?? `sample ${i + 1}`;
    const got = s.status === "passed" || s.status === "wrong_answer" ? code(py(s.actual)) : el("span", { class: "meta" }, "—");
    table.append(
      el("tr", { class: s.passed ? "pass" : "fail" },
        el("td", {}, name), el("td", {}, code(`${entry}(${callArgs(s.input)})`)),
        el("td", {}, code(py(s.expected))), el("td", {}, got), el("td", {}, words(s.status))),
    );
    if (s.error) details.push(el("h3", {}, `${name}: ${words(s.status)}`), block(trace(s.error)));
    if (s.stdout) details.push(el("h3", {}, `${name} printed`), block(s.stdout));
  });
  showResult(heading, table, ...details);
}

function renderCustom(data) {
  const rows = [
    ["Call", code(`${entry}(${callArgs(data.input)})`)],
    ["Your code", data.status === "returned" ? code(py(data.actual)) : el("span", { class: "fail" }, words(data.status))],
    ["Reference solution", data.expectedError ? el("span", { class: "meta" }, data.expectedError) : code(py(data.expected))],
  ];
  const table = el("table", { class: "results" });
  rows.forEach(([label, value]) => table.append(el("tr", {}, el("th", {}, label), el("td", {}, value))));
  const verdict = data.expectedError ? "" : data.matches ? "Same as the reference." : "Differs from the reference.";
  const nodes = [el("h2", {}, "Your input"), table];
  if (verdict) nodes.push(el("p", { class: data.matches ? "pass" : "fail" }, verdict));
  if (data.error) nodes.push(el("h3", {}, words(data.status)), block(trace(data.error)));
  if (data.stdout) nodes.push(el("h3", {}, "Printed"), block(data.stdout));
  showResult(...nodes);
}

function renderSubmit(data) {
  if (data.graded === false) {
    // An infrastructure fault: nothing was scored, and submitting again is safe.
    showResult(el("p", { class: "fail", role: "alert" }, data.message ?? "not graded: the sandbox failed, try again"));
    return;
  }
  const nodes = [el("h2", {}, `Hidden tests: ${data.passed} passed, ${data.failed} failed${data.late ? " (late)" : ""}`)];
  const groups = data.groups ?? [];
  if (groups.length) {
    const table = el("table", { class: "results" });
    table.append(el("tr", {}, el("th", {}, "Group"), el("th", {}, "Passed"), el("th", {}, "Verdicts")));
    groups.forEach((g) => {
      const verdicts = Object.entries(g.verdicts ?? {}).map(([k, n]) => `${n} ${words(k)}`).join(", ");
      table.append(el("tr", { class: g.passed === g.total ? "pass" : "fail" }, el("td", {}, `${g.group ?? g.name}${g.reportedOnly ? " (reported, not scored)" : ""}`), el("td", {}, `${g.passed} / ${g.total}`), el("td", {}, verdicts)));
    });
    nodes.push(table);
    for (const g of groups) {
      const first = g.firstFailure ?? g.first_failure;
      if (!first) continue;
      nodes.push(el("h3", {}, `First failing case in ${g.group}: ${words(first.status ?? first.verdict)}`));
      // The engine sends hidden values as JSON text cut to a few hundred characters.
      const shown = (value) => (typeof value === "string" ? value : py(value));
      if (first.errorType) nodes.push(el("p", {}, "Raised ", code(first.errorType)));
      if (first.input !== undefined) nodes.push(el("p", {}, "Input ", code(typeof first.input === "string" ? first.input : `${entry}(${callArgs(first.input)})`)));
      if (first.expected !== undefined) nodes.push(el("p", {}, "Expected ", code(shown(first.expected))));
      if (first.got !== undefined && first.got !== null) nodes.push(el("p", {}, "Got ", code(shown(first.got))));
      if (first.error) nodes.push(block(trace(first.error)));
    }
  }
  nodes.push(el("p", { class: "meta" }, "Submit again to improve it, or end the session to get your evaluation: the last submission is graded."));
  showResult(...nodes);
  const list = document.getElementById("submissions");
  document.getElementById("no-submissions")?.remove();
  const at = new Date().toISOString().slice(11, 19);
  list.append(el("li", {}, `${list.children.length + 1}. ${at} UTC · ${data.passed} of ${data.passed + data.failed} hidden tests passed${data.late ? " · late" : ""}`));
}

runButton.addEventListener("click", () =>
  busy(buttons, status, "Running the sample tests…", async () => {
    const result = await act(sessionId, "run", { source: source() }, (text) => (status.textContent = text));
    renderRun(result.data);
    status.textContent = "Sample tests ran.";
  }),
);

customButton.addEventListener("click", () =>
  busy(buttons, status, "Running your input…", async () => {
    const result = await act(sessionId, "run_custom", { source: source(), input: customInput.value }, (text) => (status.textContent = text));
    renderCustom(result.data);
    status.textContent = "Your input ran.";
  }),
);

submitButton.addEventListener("click", () =>
  busy(buttons, status, "Running the hidden tests and measuring complexity…", async () => {
    const payload = {
      source: source(),
      complexity: document.getElementById("complexity").value,
      notes: document.getElementById("notes").value,
    };
    const result = await act(sessionId, "submit", payload, (text) => (status.textContent = text));
    renderSubmit(result.data);
    status.textContent = result.data.graded === false
      ? "Not graded: the sandbox failed. Your code is kept; submit again."
      : "Submission graded.";
  }),
);


wireWorkspace({
  sessionId,
  buttons,
  status,
  endButton,
  unsubmitted: "End the session without submitting? Nothing you wrote is graded as a solution.",
  renderers: { submit: renderSubmit, run: renderRun, run_custom: renderCustom },
});
