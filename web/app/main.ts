// The microcos web app: plain TypeScript and DOM. State comes only from the
// wasm replica's view (confirmed events + this tab's pending ones); the
// stream feeds the replica, sends are proposed to it first (optimistic) and
// rolled back when the service refuses them.

import init, { Replica } from "microcos-replica";
import { ApiError, connect, type ClientEvent, type Connection, type ConnectionState, type StateDetail } from "../client/src/index.js";
import type { Snapshot } from "../client/src/schemas.js";

type State = Snapshot["state"];
type View = { seq: number; state: State; pending: string[] };
type LocalError = { code: string; message: string; field?: string };

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const TOKEN_KEY = "microcos.token";
const cacheKey = (user: string) => `microcos.cache.${user}`;

/** Figures the browser test reads (performance.now() times). */
const metrics = ((window as any).__microcos = { cachePaint: -1, firstFrame: -1, start: performance.now() });

let replica: Replica | null = null;
let conn: Connection | null = null;
let user = "";
let view: View | null = null;

// ---------------------------------------------------------------- errors

function showError(e: LocalError | ApiError | unknown, what?: string): void {
  const err: LocalError =
    e instanceof ApiError || (e && typeof e === "object" && "code" in e)
      ? (e as LocalError)
      : { code: "client_error", message: String((e as Error)?.message ?? e) };
  const box = document.createElement("div");
  box.setAttribute("role", "alert");
  box.className = "error";
  box.dataset.code = err.code;
  const code = document.createElement("code");
  code.textContent = err.code;
  const msg = document.createElement("span");
  msg.textContent = `${what ? what + ": " : ""}${err.message}${err.field ? ` (${err.field})` : ""}`;
  const close = document.createElement("button");
  close.type = "button";
  close.textContent = "Dismiss";
  close.setAttribute("aria-label", `Dismiss error ${err.code}`);
  close.onclick = () => box.remove();
  box.append(code, msg, close);
  const list = $("errors");
  list.append(box);
  while (list.children.length > 5) list.firstElementChild!.remove();
}

// ---------------------------------------------------------------- sign in

function tokenClaims(token: string): { sub: string; exp?: number } | null {
  try {
    const part = token.split(".")[1];
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "="));
    const claims = JSON.parse(json);
    return typeof claims.sub === "string" ? claims : null;
  } catch {
    return null;
  }
}

function showSignIn(message?: string): void {
  conn?.close();
  conn = null;
  $("app").hidden = true;
  $("who").hidden = true;
  $("signin").hidden = false;
  setConn("offline", {});
  if (message) showError({ code: "unauthorized", message });
  $("token").focus();
}

$("signin-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const token = ($("token") as HTMLTextAreaElement).value.trim();
  const claims = tokenClaims(token);
  if (!claims) return showError({ code: "unauthorized", message: "that is not a microcos token (three base64url parts, a `sub` claim)" });
  localStorage.setItem(TOKEN_KEY, token);
  start(token).catch((e) => showError(e, "start"));
});

$("sign-out").addEventListener("click", () => {
  localStorage.removeItem(TOKEN_KEY);
  if (user) localStorage.removeItem(cacheKey(user));
  replica?.free();
  replica = null;
  showSignIn();
});

// ---------------------------------------------------------------- connection

function setConn(state: ConnectionState, detail: StateDetail): void {
  const el = $("conn");
  el.dataset.state = state;
  let text: string = state;
  if (state === "reconnecting" && detail.retryInMs !== undefined) text += ` (in ${(detail.retryInMs / 1000).toFixed(1)} s)`;
  if (detail.reason && state !== "connected") text += ` — ${detail.reason}`;
  if (detail.code !== undefined && state !== "connected") text += ` [${detail.code}]`;
  $("conn-text").textContent = text;
}

let saveTimer = 0;
function saveCacheSoon(): void {
  if (saveTimer) return;
  saveTimer = window.setTimeout(() => {
    saveTimer = 0;
    if (replica && user) {
      try {
        localStorage.setItem(cacheKey(user), replica.cacheJson());
      } catch (e) {
        showError(e, "saving the cache");
      }
    }
  }, 150);
}

async function start(token: string): Promise<void> {
  const claims = tokenClaims(token);
  if (!claims) return showSignIn("the stored token is unreadable: paste a new one");
  if (claims.exp && claims.exp * 1000 < Date.now()) return showSignIn("your token expired: mint and paste a new one");
  user = claims.sub;
  $("signin").hidden = true;
  $("app").hidden = false;
  $("who").hidden = false;
  $("who-name").textContent = `Signed in as ${user}`;

  await init({ module_or_path: new URL("microcos_web_bg.wasm", import.meta.url) });
  const cached = localStorage.getItem(cacheKey(user));
  replica = null;
  if (cached) {
    try {
      replica = Replica.restore(user, cached);
    } catch {
      localStorage.removeItem(cacheKey(user));
    }
  }
  if (replica) {
    paint();
    metrics.cachePaint = performance.now();
  } else {
    replica = new Replica(user);
    paint();
  }
  conn = connect({
    baseUrl: "",
    token,
    cursor: () => replica!.cursorQuery(),
    onFrame: (_frame, raw) => {
      if (metrics.firstFrame < 0) metrics.firstFrame = performance.now();
      const r = JSON.parse(replica!.frame(raw)) as { gap: boolean; confirmed: string[] };
      if (r.gap) {
        conn?.resume();
        return;
      }
      if (_frame.frame !== "token") saveCacheSoon();
      paintSoon();
    },
    onState: (state, detail) => {
      setConn(state, detail);
      if (detail.code === 4001 || detail.code === 401) showSignIn(detail.reason);
    },
    onError: (e) => showError(e, "stream"),
  });
}

// ---------------------------------------------------------------- sending

/** Proposes `body` to the replica (painted at once), then sends it. */
async function act(type: ClientEvent["type"], payload: object): Promise<boolean> {
  if (!replica || !conn) return false;
  const body = { type, payload, client_action_id: crypto.randomUUID(), event_id: crypto.randomUUID() } as ClientEvent;
  const proposed = JSON.parse(replica.propose(JSON.stringify(body), Date.now())) as { ok?: true; error?: LocalError };
  if (proposed.error) {
    showError(proposed.error, type);
    return false;
  }
  paint();
  try {
    await conn.send(body);
    return true;
  } catch (e) {
    replica.reject(body.client_action_id!);
    paint();
    showError(e, type);
    return false;
  }
}

// ---------------------------------------------------------------- painting

let paintQueued = false;
function paintSoon(): void {
  if (paintQueued) return;
  paintQueued = true;
  requestAnimationFrame(() => {
    paintQueued = false;
    paint();
  });
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, unknown> = {}, ...kids: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), props) as HTMLElementTagNameMap[K];
  e.append(...kids);
  return e;
}

/** Keeps `list`'s children equal to `items` by key, reusing elements (so
 * focus and edits in progress survive a repaint). */
function reconcile<T>(list: HTMLElement, items: T[], key: (t: T) => string, make: (t: T) => HTMLElement, update: (e: HTMLElement, t: T) => void): void {
  const old = new Map<string, HTMLElement>();
  for (const c of Array.from(list.children) as HTMLElement[]) old.set(c.dataset.key!, c);
  let prev: Element | null = null;
  for (const item of items) {
    const k = key(item);
    let e = old.get(k);
    if (e) old.delete(k);
    else {
      e = make(item);
      e.dataset.key = k;
    }
    update(e, item);
    const want: Element | null = prev ? prev.nextElementSibling : list.firstElementChild;
    if (want !== e) list.insertBefore(e, want);
    prev = e;
  }
  for (const e of old.values()) e.remove();
}

type Msg = { key: string; role: string; text: string; streaming?: string; status?: string; stopped?: boolean };

function paint(): void {
  if (!replica) return;
  view = JSON.parse(replica.viewJson(Date.now())) as View;
  const s = view.state;
  const pending = view.pending.length;
  document.body.dataset.pending = String(pending);
  document.body.dataset.seq = String(view.seq);

  // Messages, then replies in progress.
  const msgs: Msg[] = s.messages.map((m) => ({ key: `m${m.seq}`, role: m.role, text: m.text, stopped: m.stopped }));
  for (const op of s.operations) if (op.kind === "chat") msgs.push({ key: `op${op.operation_id}`, role: "assistant", text: op.text, streaming: op.operation_id, status: op.status });
  const box = $("messages");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  reconcile(
    box,
    msgs,
    (m) => m.key,
    (m) => {
      const li = el("li", { className: m.role }, el("span", { className: "text" }));
      if (m.streaming) {
        const stop = el("button", { type: "button", className: "plain stop", textContent: "Stop" });
        stop.setAttribute("aria-label", "Stop this reply");
        stop.onclick = () => act("llm.cancel", { operation_id: m.streaming });
        li.append(el("span", { className: "meta" }), stop);
      }
      return li;
    },
    (li, m) => {
      li.classList.toggle("streaming", !!m.streaming);
      li.dataset.operation = m.streaming ?? "";
      const t = li.querySelector(".text")!;
      if (t.textContent !== m.text) t.textContent = m.text;
      const meta = li.querySelector(".meta");
      if (meta) meta.textContent = m.status === "streaming" ? "replying…" : m.status === "pending" ? "waiting for the model…" : m.status === "retry_scheduled" ? "retrying…" : (m.status ?? "");
      if (m.stopped && !li.querySelector(".stopped")) li.append(el("span", { className: "meta stopped", textContent: "stopped" }));
    },
  );
  if (atBottom) box.scrollTop = box.scrollHeight;

  // Tasks.
  reconcile(
    $("tasks"),
    s.tasks,
    (t) => t.task_id,
    (t) => {
      const li = el("li");
      const done = el("input", { type: "checkbox", className: "done" });
      done.setAttribute("aria-label", "Done");
      done.onchange = () => {
        if (done.checked) act("task.completed", { task_id: t.task_id });
      };
      const title = el("input", { className: "title", maxLength: 200 });
      title.setAttribute("aria-label", "Task title");
      const save = () => {
        const cur = view?.state.tasks.find((x) => x.task_id === t.task_id);
        const v = title.value.trim();
        if (cur && v && v !== cur.title) act("task.updated", { task_id: t.task_id, title: v });
        else if (cur) title.value = cur.title;
      };
      title.onkeydown = (e) => {
        if (e.key === "Enter") save();
        if (e.key === "Escape") {
          const cur = view?.state.tasks.find((x) => x.task_id === t.task_id);
          if (cur) title.value = cur.title;
        }
      };
      title.onblur = save;
      const del = el("button", { type: "button", className: "plain delete", textContent: "Delete" });
      del.onclick = () => act("task.deleted", { task_id: t.task_id });
      li.append(done, title, el("span", { className: "due" }), del);
      return li;
    },
    (li, t) => {
      li.classList.toggle("done", t.status === "done");
      const done = li.querySelector<HTMLInputElement>("input.done")!;
      done.checked = t.status === "done";
      done.disabled = t.status === "done";
      const title = li.querySelector<HTMLInputElement>("input.title")!;
      if (document.activeElement !== title && title.value !== t.title) title.value = t.title;
      title.setAttribute("aria-label", `Task: ${t.title}`);
      li.querySelector<HTMLButtonElement>("button.delete")!.setAttribute("aria-label", `Delete task ${t.title}`);
      done.setAttribute("aria-label", `Done: ${t.title}`);
      li.querySelector(".due")!.textContent = t.due_date ? `due ${t.due_date}` : "";
    },
  );

  // Plan.
  $("plan-date").textContent = s.plan ? `Plan for ${s.plan.date}` : "No plan yet.";
  const planOps = s.operations.filter((o) => o.kind === "daily_plan");
  if (planOps.length) $("plan-date").textContent += " Planning…";
  reconcile(
    $("plan"),
    s.plan?.items ?? [],
    (i) => `${i.time ?? ""}|${i.title}|${i.task_id ?? ""}`,
    () => el("li"),
    (li, i) => {
      li.textContent = `${i.time ? i.time + " " : ""}${i.title}`;
    },
  );
  const extracting = s.operations.some((o) => o.kind === "extract_tasks");
  $("extract-form").querySelector("button")!.textContent = extracting ? "Extracting…" : "Extract tasks";

  // The assistant's actions: approve or decline those that wait; the others say what became of them.
  $("actions-empty").hidden = s.actions.length > 0;
  reconcile(
    $("actions"),
    s.actions,
    (a) => a.action_id,
    (a) => {
      const li = el("li", {}, el("span", { className: "what" }), el("span", { className: "meta" }));
      const approve = el("button", { type: "button", className: "approve", textContent: "Approve" });
      approve.onclick = () => act("action.approved", { action_id: a.action_id });
      const decline = el("button", { type: "button", className: "plain decline", textContent: "Decline" });
      decline.onclick = () => act("action.declined", { action_id: a.action_id });
      li.append(approve, decline);
      return li;
    },
    (li, a) => {
      li.querySelector(".what")!.textContent = `${a.tool} ${a.arguments}`;
      const waiting = a.status === "awaiting_approval";
      li.querySelector(".meta")!.textContent = a.error ? `rejected: ${a.error.code} (${a.error.message})` : waiting ? "waits for your approval" : a.status;
      for (const b of li.querySelectorAll<HTMLButtonElement>("button")) {
        b.hidden = !waiting;
        b.setAttribute("aria-label", `${b.textContent} ${a.tool} ${a.arguments}`);
      }
    },
  );

  // Reminders: scheduled ones can be snoozed or cancelled.
  reconcile(
    $("reminders"),
    s.reminders,
    (r) => r.reminder_id,
    (r) => {
      const li = el("li", {}, el("span", { className: "what" }));
      const snooze = el("button", { type: "button", className: "plain snooze", textContent: "Snooze 10 min" });
      snooze.onclick = () => act("reminder.snoozed", { reminder_id: r.reminder_id, minutes: 10 });
      const cancel = el("button", { type: "button", className: "plain delete", textContent: "Cancel" });
      cancel.onclick = () => act("reminder.cancelled", { reminder_id: r.reminder_id });
      li.append(snooze, cancel);
      return li;
    },
    (li, r) => {
      const at = new Date(r.due).toLocaleString([], { dateStyle: "short", timeStyle: "short" });
      li.classList.toggle("fired", r.status === "fired");
      li.querySelector(".what")!.textContent = `${r.status === "fired" ? "🔔 " : ""}${at} ${r.text}`;
      for (const b of li.querySelectorAll<HTMLButtonElement>("button")) b.setAttribute("aria-label", `${b.textContent}: ${r.text}`);
    },
  );

  // Settings: not while the user edits them.
  const form = $("settings-form");
  if (!form.contains(document.activeElement) && !form.dataset.dirty) {
    ($("tz") as HTMLInputElement).value = String(s.settings.tz_offset_minutes);
    ($("plan-time") as HTMLInputElement).value = s.settings.daily_plan_time ?? "";
    ($("confirm-actions") as HTMLInputElement).checked = s.settings.confirm_actions;
  }

  // Summary.
  const summarizing = s.operations.find((o) => o.kind === "summary");
  $("summary-text").textContent = s.summary ?? (summarizing ? "Summarizing…" : "No summary yet.");
}

// ---------------------------------------------------------------- controls

$("chat-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const input = $("chat-input") as HTMLTextAreaElement;
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  act("user.message", { text }).then((ok) => {
    if (!ok && !input.value) input.value = text;
  });
});
$("chat-input").addEventListener("keydown", (ev) => {
  if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
    ev.preventDefault();
    ($("chat-form") as HTMLFormElement).requestSubmit();
  }
});

$("task-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const title = $("task-title") as HTMLInputElement;
  const due = $("task-due") as HTMLInputElement;
  if (!title.value.trim()) return;
  const payload: Record<string, unknown> = { task_id: crypto.randomUUID(), title: title.value.trim() };
  if (due.value) payload.due_date = due.value;
  title.value = "";
  due.value = "";
  act("task.created", payload);
});

$("extract-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const text = $("extract-text") as HTMLTextAreaElement;
  if (!text.value.trim()) return;
  act("task.extract", { text: text.value }).then((ok) => {
    if (ok) text.value = "";
  });
});

$("plan-request").addEventListener("click", () => act("plan.requested", {}));
$("summarize").addEventListener("click", () => act("summary.requested", {}));

$("settings-form").addEventListener("input", () => ($("settings-form").dataset.dirty = "1"));
$("settings-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const tz = Number(($("tz") as HTMLInputElement).value);
  const time = ($("plan-time") as HTMLInputElement).value;
  const confirm_actions = ($("confirm-actions") as HTMLInputElement).checked;
  delete $("settings-form").dataset.dirty;
  act("settings.updated", time ? { tz_offset_minutes: tz, daily_plan_time: time, confirm_actions } : { tz_offset_minutes: tz, confirm_actions });
});

$("reminder-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const text = $("reminder-text") as HTMLInputElement;
  const time = $("reminder-time") as HTMLInputElement;
  if (!text.value.trim() || !time.value) return;
  act("reminder.set", { reminder_id: crypto.randomUUID(), text: text.value.trim(), time: time.value }).then((ok) => {
    if (ok) text.value = "";
  });
});

// ---------------------------------------------------------------- boot

const stored = localStorage.getItem(TOKEN_KEY);
if (stored) start(stored).catch((e) => showError(e, "start"));
else {
  showSignIn();
  ($("tz") as HTMLInputElement).value = String(-new Date().getTimezoneOffset());
}
