// Talking to the JSON API: the session cookie travels by itself, the CSRF token in a header.
const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content ?? "";

export async function call(method, path, body) {
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
  return data;
}

export const act = (sessionId, action, payload = {}) =>
  call("POST", `/api/sessions/${sessionId}/actions/${action}`, { payload });

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
