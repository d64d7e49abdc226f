// Talking to the JSON API: the session cookie travels by itself, the CSRF token in a header.
const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content ?? "";

async function request(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { "content-type": "application/json", "x-csrf-token": csrf() },
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

// A run or submit answered 202 is a grading job on a worker: follow it to its end.
export async function act(sessionId, action, payload = {}, progress = () => {}) {
  const { status, data } = await request("POST", `/api/sessions/${sessionId}/actions/${action}`, { payload });
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
export async function busy(buttons, status, message, work) {
  buttons.forEach((b) => (b.disabled = true));
  status.textContent = message;
  try {
    return await work();
  } catch (error) {
    status.textContent = error.message;
    status.classList.add("fail");
    throw error;
  } finally {
    buttons.forEach((b) => (b.disabled = false));
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
