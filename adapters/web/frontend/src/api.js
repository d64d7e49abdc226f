// Talking to the JSON API: the session cookie travels by itself, the CSRF token in a header.
const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content ?? "";

async function request(method, path, body, extraHeaders = {}) {
  const response = await fetch(path, {
    method,
    headers: { "content-type": "application/json", "x-csrf-token": csrf(), ...extraHeaders },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const where = data?.field ? `${data.field}: ` : "";
    throw new Error(`${where}${data?.detail ?? response.statusText}`);
  }
  return { status: response.status, data };
}

export async function call(method, path, body) {
  return (await request(method, path, body)).data;
}

// A run or submit is a grading job: asked for 202 (Prefer: respond-async), the page follows it to its end
// and shows its place in the queue and each step, whether this process or a worker grades it.
export async function act(sessionId, action, payload = {}, progress = () => {}) {
  const path = `/api/sessions/${sessionId}/actions/${action}`;
  const { status, data } = await request("POST", path, { payload }, { prefer: "respond-async" });
  return status === 202 ? followJob(data, progress) : data;
}

export const describeJob = (job) =>
  job.state === "queued" ? `Grading… queued (position ${job.position})` : `Grading… ${job.step || "running"}`;

// Server-sent events from the stored state on: the first message is the job as stored, so a job that
// finished before the page listened still ends here.  A broken stream falls back to polling.
export function followJob(job, progress = () => {}) {
  return new Promise((resolve, reject) => {
    let ended = false;
    const finish = async (final) => {
      if (ended) return;
      ended = true;
      source.close();
      if (final.state !== "done") {
        const why = final.state === "cancelled" ? "The grading was cancelled." : final.error || "Not graded: try again.";
        reject(new Error(why));
        return;
      }
      const summary = await call("GET", `/api/sessions/${final.sessionId}`);
      resolve({ session: summary.session, data: final.result, job: final });
    };
    const seen = (current) => (["done", "failed", "cancelled"].includes(current.state) ? finish(current) : progress(describeJob(current)));
    const source = new EventSource(job.events);
    source.onmessage = (event) => seen(JSON.parse(event.data));
    source.onerror = async () => {
      if (ended) return;
      try {
        seen(await call("GET", `/api/jobs/${job.id}`));
      } catch (error) {
        ended = true;
        source.close();
        reject(error);
      }
    };
    progress(describeJob(job));
  });
}

// On load: a run or submit still being graded (a reload, another tab) shows as "grading…" and is followed.
export async function pendingJob(sessionId) {
  const jobs = await call("GET", `/api/jobs/sessions/${sessionId}`);
  return jobs.find((j) => j.state === "queued" || j.state === "running") ?? null;
}

export const endSession = (sessionId) => call("POST", `/api/sessions/${sessionId}/end`);

// A countdown that keeps going below zero (a late submit is allowed and scored as such).
export function countdown(element, seconds, onZero) {
  const deadline = Date.now() + seconds * 1000;
  let warned = false;
  const tick = () => {
    const left = Math.round((deadline - Date.now()) / 1000);
    const sign = left < 0 ? "-" : "";
    const abs = Math.abs(left);
    element.textContent = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
    element.classList.toggle("late", left < 0);
    if (left <= 0 && !warned) {
      warned = true;
      onZero?.();
    }
  };
  tick();
  return setInterval(tick, 1000);
}

// Buttons wait while the server works: a submit runs many tests in the sandbox.
// A failure is shown in the status line (announced to screen readers), never left as an uncaught error.
export async function busy(buttons, status, message, work) {
  buttons.forEach((b) => (b.disabled = true));
  status.classList.remove("fail");
  status.textContent = message;
  try {
    return await work();
  } catch (error) {
    status.textContent = error.message;
    status.classList.add("fail");
    // The pressed button was disabled meanwhile, so the focus fell to the page: put it on what went wrong.
    if (!status.hasAttribute("tabindex")) status.setAttribute("tabindex", "-1");
    status.focus();
    return undefined;
  } finally {
    // A button that was disabled for its own reason (no hint left) stays disabled.
    buttons.forEach((b) => (b.disabled = b.dataset.exhausted === "true"));
  }
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child?.nodeType ? child : document.createTextNode(String(child ?? "")));
  return node;
}

export const show = (value) => (typeof value === "string" ? value : JSON.stringify(value));

// A wire-encoded value (see interview_engine.wire) as Python source: strings quoted, whitespace kept.
export function py(value, depth = 0) {
  if (depth > 60) return "...";
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return Number.isInteger(value) && !String(value).includes("e") ? String(value) : pyFloat(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => py(v, depth + 1)).join(", ")}]`;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === "$set") return value.$set.length ? `{${value.$set.map((v) => py(v, depth + 1)).join(", ")}}` : "set()";
  if (keys.length === 1 && keys[0] === "$repr") return String(value.$repr);
  if (keys.length === 1 && keys[0] === "$float") return `float(${JSON.stringify(value.$float)})`;
  if (keys.length === 1 && keys[0] === "$map") return `{${value.$map.map(([k, v]) => `${py(k, depth + 1)}: ${py(v, depth + 1)}`).join(", ")}}`;
  return `{${keys.map((k) => `${JSON.stringify(k)}: ${py(value[k], depth + 1)}`).join(", ")}}`;
}
const pyFloat = (n) => (Number.isInteger(n) ? `${n}.0` : String(n));
export const callArgs = (args) => (args ?? []).map((a) => py(a)).join(", ");

// Verdicts in plain words.
const WORDS = {
  passed: "passed",
  returned: "returned",
  wrong_answer: "wrong answer",
  raised: "runtime error",
  runtime_error: "runtime error",
  time_limit: "time limit exceeded",
  fuel_limit: "too slow: instruction budget used up",
  memory_limit: "memory limit exceeded",
  output_limit: "printed too much output",
  not_run: "did not run",
  sandbox_error: "not graded: the sandbox failed (not your code), try again",
  failed: "failed",
};
export const words = (status) => WORDS[status] ?? String(status ?? "").replaceAll("_", " ");

// A traceback as the candidate's own file: the sandbox's path is an implementation detail.
export const trace = (text) => String(text ?? "").replaceAll("/work/solution.py", "solution.py");

// A traceback whose `File "x.py", line N` places in the candidate's files are buttons that open that line
// in the editor: the finding is tied to the line it is about. `open(file, line)` says whether it knows the file.
// Both shapes the sandbox reports: Python's `File "/work/x.py", line 3` and pytest's `x.py:3: in f`.
const PLACE = /File "(?:\/work\/)?([^"]+)", line (\d+)|^(?:\/work\/)?([\w./-]+\.py):(\d+)(?=:)/gm;
export function traceBlock(text, open = () => false, knows = () => false) {
  const block = el("pre", { class: "trace", tabindex: "0" });
  let at = 0;
  for (const match of text.matchAll(PLACE)) {
    const [whole, quoted, quotedLine, bare, bareLine] = match;
    const [file, line] = quoted ? [quoted, quotedLine] : [bare, bareLine];
    if (!knows(file)) continue;
    block.append(text.slice(at, match.index));
    const link = el("button", { type: "button", class: "trace-link", title: `Show ${file} line ${line} in the editor` }, whole);
    link.addEventListener("click", () => open(file, Number(line)));
    block.append(link);
    at = match.index + whole.length;
  }
  block.append(text.slice(at));
  return block;
}

// Keep what the candidate typed in a text field across reloads.
export function keepDraft(field, key) {
  if (!field) return;
  try {
    const saved = localStorage.getItem(key);
    if (saved !== null && !field.value) field.value = saved;
  } catch {
    // storage disabled: the field still works
  }
  field.addEventListener("input", () => {
    try {
      localStorage.setItem(key, field.value);
    } catch {
      // storage full or disabled
    }
  });
}

// The end of a workspace's set-up, shared by the modules' pages: the end button asks first (``unsubmitted``
// is the question when nothing was submitted yet), the buttons (disabled in the page until now, so an early
// press is not lost) start to work, and a run or submit still being graded after a reload shows "grading…"
// and then its result through ``renderers[job.action]``.
export function wireWorkspace({ sessionId, buttons, status, endButton, unsubmitted, renderers }) {
  endButton.addEventListener("click", () => {
    const submitted = document.getElementById("submissions").children.length;
    const question = submitted
      ? "End the session now? Your last submission is graded and you cannot submit again."
      : unsubmitted;
    if (!window.confirm(question)) return;
    busy(buttons, status, "Scoring the session…", async () => {
      await endSession(sessionId);
      window.location.assign(`/summary/${sessionId}`);
    });
  });
  buttons.forEach((b) => (b.disabled = b.dataset.exhausted === "true"));
  pendingJob(sessionId)
    .then((job) =>
      job &&
      busy(buttons, status, describeJob(job), async () => {
        const result = await followJob(job, (text) => (status.textContent = text));
        renderers[job.action]?.(result.data);
        status.textContent = "Graded.";
      }),
    )
    .catch(() => {});
}
