// The microcos web app: plain TypeScript and DOM. State comes only from the
// wasm replica's view (confirmed events + this tab's pending ones); the
// stream feeds the replica, sends are proposed to it first (optimistic) and
// rolled back when the service refuses them.

import init, { Replica } from "microcos-replica";
import { ApiError, connect, type ClientEvent, type Connection, type ConnectionState, type StateDetail } from "../client/src/index.js";
import type { Snapshot } from "../client/src/schemas.js";
import { SHORT, browserZone, fixedOffset, formatInZone, zoneChoices } from "./time.js";

type State = Snapshot["state"];
/** An action as shown: `description` (the action in the user's words,
 * resolved from state by the service and the replica) is newer than the
 * generated schema, so it is optional here. */
type ActionView = State["actions"][number] & { description?: string | null };
type View = { seq: number; state: State; pending: string[] };
type LocalError = { code: string; message: string; field?: string };

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
/** Every key the app stores starts with this (sign-out removes them all). */
const PREFIX = "microcos.";
const TOKEN_KEY = `${PREFIX}token`;
const cacheKey = (user: string) => `${PREFIX}cache.${user}`;

/** Figures the browser test reads (performance.now() times; -1: not yet). */
const metrics = ((window as any).__microcos = { accepted: -1, cachePaint: -1, firstFrame: -1, start: performance.now() });

let replica: Replica | null = null;
let conn: Connection | null = null;
let user = "";
let view: View | null = null;
/** The service accepted this session's token (its stream opened): only then
 * is anything of the user painted, the cache included. */
let accepted = false;
/** Bumped by each start and each wipe: callbacks and awaits of an earlier
 * session see it changed and do nothing. */
let session = 0;

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

/** Drops the session and everything of its user from the page: the stream,
 * the replica, every list and field (the token's included) and the errors.
 * Storage is left alone (see `signOut`). */
function wipe(): void {
  session++;
  accepted = false;
  const c = conn;
  conn = null;
  c?.close();
  replica?.free();
  replica = null;
  view = null;
  user = "";
  if (saveTimer) clearTimeout(saveTimer);
  saveTimer = 0;
  for (const id of ["messages", "tasks", "plan", "actions", "reminders", "errors"]) $(id).replaceChildren();
  $("who-name").textContent = "";
  $("plan-date").textContent = "";
  $("summary-text").textContent = "No summary yet.";
  ($("summary-box") as HTMLDetailsElement).open = false;
  $("actions-empty").hidden = false;
  $("extract-form").querySelector("button")!.textContent = "Extract tasks";
  delete document.body.dataset.pending;
  delete document.body.dataset.seq;
  for (const form of Array.from(document.forms)) form.reset();
  delete $("settings-form").dataset.dirty;
  ($("tz") as HTMLInputElement).value = browserZone();
  delete reminderDate().dataset.auto;
  $("reminder-zone").textContent = "UTC";
  $("app").hidden = true;
  $("who").hidden = true;
  $("checking").hidden = true;
}

/** The sign-in form alone, with `message` as an error. */
function showSignIn(message?: string): void {
  wipe();
  $("signin").hidden = false;
  setConn("offline", {});
  if (message) showError({ code: "unauthorized", message });
  $("token").focus();
}

/** Sign out: the page and every key the app stored (token, cached state and
 * cursor, of this user and of any earlier one) are cleared. */
function signOut(): void {
  showSignIn();
  for (const store of [localStorage, sessionStorage]) {
    for (let i = store.length - 1; i >= 0; i--) {
      const k = store.key(i);
      if (k?.startsWith(PREFIX)) store.removeItem(k);
    }
  }
}

/** The service refused the token: it is forgotten (the user's cache is kept
 * for their next sign-in, unpainted) and nothing of the user stays shown. */
function refused(reason: string): void {
  localStorage.removeItem(TOKEN_KEY);
  showSignIn(reason);
}

$("signin-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const token = ($("token") as HTMLTextAreaElement).value.trim();
  const claims = tokenClaims(token);
  if (!claims) return showError({ code: "unauthorized", message: "that is not a microcos token (three base64url parts, a `sub` claim)" });
  start(token).catch((e) => showError(e, "start"));
});

$("sign-out").addEventListener("click", signOut);
$("checking-cancel").addEventListener("click", signOut);

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

/** Starts a session for `token`. Nothing of its user is painted until the
 * service accepts the token: the token's signature cannot be checked here,
 * and a cached state is only as private as the token that unlocks it. The
 * replica is restored from the cache meanwhile (it gives the stream its
 * cursor), and painted at once when the stream opens, which the service
 * allows only for a valid token. */
async function start(token: string): Promise<void> {
  wipe();
  const mine = session;
  const claims = tokenClaims(token);
  if (!claims) return refused("the stored token is unreadable: paste a new one");
  if (claims.exp && claims.exp * 1000 < Date.now()) return refused("your token expired: mint and paste a new one");
  user = claims.sub;
  $("signin").hidden = true;
  $("checking").hidden = false;
  $("conn").dataset.state = "reconnecting";
  $("conn-text").textContent = "connecting…";

  await init({ module_or_path: new URL("microcos_web_bg.wasm", import.meta.url) });
  if (mine !== session) return;
  const cached = localStorage.getItem(cacheKey(user));
  let restored: Replica | null = null;
  if (cached) {
    try {
      restored = Replica.restore(user, cached);
    } catch {
      localStorage.removeItem(cacheKey(user));
    }
  }
  const fromCache = !!restored;
  replica = restored ?? new Replica(user);
  conn = connect({
    baseUrl: "",
    token,
    cursor: () => replica!.cursorQuery(),
    onFrame: (_frame, raw) => {
      if (mine !== session || !replica) return;
      if (metrics.firstFrame < 0) metrics.firstFrame = performance.now();
      const r = JSON.parse(replica.frame(raw)) as { gap: boolean; confirmed: string[] };
      if (r.gap) {
        conn?.resume();
        return;
      }
      if (_frame.frame !== "token") saveCacheSoon();
      paintSoon();
    },
    onState: (state, detail) => {
      if (mine !== session) return;
      setConn(state, detail);
      if (detail.code === 4001 || detail.code === 401) return refused(detail.reason ?? "the service refused the token: sign in again");
      if (state === "connected" && !accepted) accept(token, fromCache);
    },
    onError: (e) => {
      if (mine === session) showError(e, "stream");
    },
  });
}

/** The stream opened, so the service accepted the token: keep it, show the
 * app and paint (from the cache, when there was one). */
function accept(token: string, fromCache: boolean): void {
  accepted = true;
  metrics.accepted = performance.now();
  localStorage.setItem(TOKEN_KEY, token);
  $("checking").hidden = true;
  $("app").hidden = false;
  $("who").hidden = false;
  $("who-name").textContent = `Signed in as ${user}`;
  paint();
  if (fromCache) metrics.cachePaint = performance.now();
  const focused = document.activeElement;
  if (!focused || focused === document.body || (focused as HTMLElement).closest("[hidden]")) $("chat-input").focus();
  adoptBrowserZone(session).catch((e) => showError(e, "time zone"));
}

/** A user who never chose a time zone (the service's snapshot says null)
 * gets the browser's, once, with their other settings kept: a Berlin user
 * is in Europe/Berlin without touching anything. A zone already set, here
 * or elsewhere, is left alone. Should the service not know the browser's
 * zone, its current offset is sent instead (a fixed zone ±HH:MM). */
async function adoptBrowserZone(mine: number): Promise<void> {
  const c = conn;
  // A zone, once set, is never unset: one the replica knows needs no check.
  if (!c || (view && view.state.settings.time_zone !== null)) return;
  let settings: State["settings"];
  try {
    settings = (await c.snapshot()).snapshot.state.settings;
  } catch {
    return; // tried again at the next sign-in
  }
  if (mine !== session || settings.time_zone !== null) return;
  if (view && view.state.settings.time_zone !== null) return; // chosen in this tab meanwhile
  const rest = { ...(settings.daily_plan_time ? { daily_plan_time: settings.daily_plan_time } : {}), confirm_actions: settings.confirm_actions };
  let unknown = false;
  const sent = await act("settings.updated", { time_zone: browserZone(), ...rest }, (e) => {
    unknown = (e as LocalError).code === "invalid_value" && (e as LocalError).field === "payload.time_zone";
    if (!unknown) showError(e, "settings.updated");
  });
  if (sent || !unknown || mine !== session || (view && view.state.settings.time_zone !== null)) return;
  await act("settings.updated", { time_zone: offsetZone(-new Date().getTimezoneOffset()), ...rest });
}

/** Minutes east of UTC as a fixed-offset zone: 330 -> "+05:30". */
function offsetZone(east: number): string {
  const abs = Math.abs(east);
  return `${east < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

// ---------------------------------------------------------------- sending

/** Proposes `body` to the replica (painted at once), then sends it. A
 * refusal is shown, or given to `refused` when there is one. */
async function act(type: ClientEvent["type"], payload: object, refused?: (e: unknown) => void): Promise<boolean> {
  const r = replica;
  const c = conn;
  const mine = session;
  if (!r || !c || !accepted) return false;
  const body = { type, payload, client_action_id: crypto.randomUUID(), event_id: crypto.randomUUID() } as ClientEvent;
  const proposed = JSON.parse(r.propose(JSON.stringify(body), Date.now())) as { ok?: true; error?: LocalError };
  if (proposed.error) {
    (refused ?? ((e) => showError(e, type)))(proposed.error);
    return false;
  }
  paint();
  try {
    await c.send(body);
    return true;
  } catch (e) {
    if (mine !== session) return false; // signed out meanwhile: that replica is gone
    r.reject(body.client_action_id!);
    paint();
    (refused ?? ((e) => showError(e, type)))(e);
    return false;
  }
}

/** Moves focus to the first of `els` still in the page and usable, so that
 * it does not fall to <body> when the control that had it goes away or is
 * disabled (a deleted row, a completed task, a decided action). */
function focusFirst(...els: (Element | null | undefined)[]): void {
  for (const e of els) {
    if (!(e instanceof HTMLElement) || !e.isConnected || e.closest("[hidden]") || (e as HTMLInputElement).disabled) continue;
    e.focus();
    return;
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

const ACTION_STATUS: Record<string, string> = { proposed: "deciding…", applied: "done", rejected: "not done", declined: "declined" };

/** Approves or declines the action of row `li`; focus goes to the next
 * action that waits, else stays on this row (its buttons go). */
function decide(li: HTMLElement, type: "action.approved" | "action.declined", action_id: string): void {
  act(type, { action_id });
  const next = Array.from($("actions").querySelectorAll<HTMLButtonElement>("li button.approve, li button.decline")).find((b) => !b.hidden && b.closest("li") !== li);
  focusFirst(next, li);
}

/** What an action does, in the user's words: the service's `description`
 * when it is there, else a sentence made here from the tool and its
 * arguments (task ids resolved to titles). `doomed`: why an action that
 * waits can only fail (then Approve is not offered). */
function describeAction(a: ActionView, s: State): { text: string; doomed?: string } {
  let args: Record<string, unknown> = {};
  try {
    const v = JSON.parse(a.arguments);
    if (v && typeof v === "object" && !Array.isArray(v)) args = v;
  } catch {}
  const str = (k: string) => (typeof args[k] === "string" ? (args[k] as string) : undefined);
  const task = str("task_id") !== undefined ? s.tasks.find((t) => t.task_id === str("task_id")) : undefined;
  let doomed: string | undefined;
  if (a.tool === "complete_task") {
    if (!task) doomed = "the task is no longer in your list: it can only be declined";
    else if (task.status === "done") doomed = "the task is already done: it can only be declined";
  }
  if (a.description) return { text: a.description, doomed };
  const due = (d?: string) => (d ? `, due ${d}` : "");
  let text: string;
  switch (a.tool) {
    case "complete_task":
      text = task ? `Complete “${task.title}”` : "Complete a task that is not in your list";
      break;
    case "create_task":
      text = `Add the task “${str("title") ?? ""}”${due(str("due_date"))}`;
      break;
    case "set_reminder": {
      const at = typeof args.at === "number" ? formatInZone(args.at, s.settings.time_zone, SHORT, [], s.settings.utc_offset_minutes) : [str("date"), str("time")].filter(Boolean).join(" ");
      text = `Remind you “${str("text") ?? ""}”${at ? ` at ${at}` : ""}${task ? ` (for “${task.title}”)` : ""}`;
      break;
    }
    case "plan_day":
      text = `Plan ${str("date") ?? "today"}`;
      break;
    default: {
      const parts = Object.entries(args).map(([k, v]) => {
        const shown = k === "task_id" && task ? `“${task.title}”` : typeof v === "string" ? v : JSON.stringify(v);
        return `${k.replace(/_id$/, "").replace(/_/g, " ")} ${shown}`;
      });
      text = `${a.tool.replace(/_/g, " ")}${parts.length ? `: ${parts.join(", ")}` : ""}`;
    }
  }
  return { text, doomed };
}

type Msg = { key: string; role: string; text: string; streaming?: string; status?: string; stopped?: boolean };

function paint(): void {
  if (!replica || !accepted) return;
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
        stop.onclick = () => {
          act("llm.cancel", { operation_id: m.streaming });
          focusFirst($("chat-input")); // the reply's row is replaced when it ends
        };
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
        if (!done.checked) return;
        act("task.completed", { task_id: t.task_id });
        focusFirst(done, li.querySelector("input.title")); // a done task's box is disabled
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
      del.onclick = () => {
        // The row goes at once: focus the next task's title, else the previous one's, else the new-task field.
        const next = li.nextElementSibling?.querySelector("input.title");
        const prev = li.previousElementSibling?.querySelector("input.title");
        act("task.deleted", { task_id: t.task_id });
        focusFirst(next, prev, $("task-title"));
      };
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

  // The assistant's actions, in the user's words: approve or decline those
  // that wait; the others say what became of them. The raw arguments are
  // only in a collapsed <details>.
  $("actions-empty").hidden = s.actions.length > 0;
  reconcile(
    $("actions"),
    s.actions as ActionView[],
    (a) => a.action_id,
    (a) => {
      const raw = el("details", {}, el("summary", { textContent: "Details" }), el("code", { className: "raw" }));
      const li = el("li", { tabIndex: -1 }, el("span", { className: "what" }), el("span", { className: "meta" }));
      const approve = el("button", { type: "button", className: "approve", textContent: "Approve" });
      approve.onclick = () => decide(li, "action.approved", a.action_id);
      const decline = el("button", { type: "button", className: "plain decline", textContent: "Decline" });
      decline.onclick = () => decide(li, "action.declined", a.action_id);
      li.append(approve, decline, raw);
      return li;
    },
    (li, a) => {
      const { text, doomed } = describeAction(a, s);
      const waiting = a.status === "awaiting_approval";
      li.classList.toggle("awaiting", waiting);
      const what = li.querySelector(".what")!;
      what.textContent = waiting && !doomed ? `${text.replace(/[.?!]$/, "")}?` : text;
      li.querySelector(".meta")!.textContent = a.error
        ? `not done: ${a.error.message} (${a.error.code})`
        : waiting
          ? doomed ?? "waits for your approval"
          : ACTION_STATUS[a.status] ?? a.status;
      li.querySelector(".raw")!.textContent = `${a.tool} ${a.arguments}`;
      const approve = li.querySelector<HTMLButtonElement>("button.approve")!;
      const decline = li.querySelector<HTMLButtonElement>("button.decline")!;
      approve.hidden = !waiting || !!doomed;
      decline.hidden = !waiting;
      approve.setAttribute("aria-label", `Approve: ${text}`);
      decline.setAttribute("aria-label", `Decline: ${text}`);
    },
  );

  // Reminders: scheduled ones can be snoozed or cancelled.
  reconcile(
    $("reminders"),
    s.reminders,
    (r) => r.reminder_id,
    (r) => {
      const li = el("li", { tabIndex: -1 }, el("span", { className: "what" }));
      const snooze = el("button", { type: "button", className: "plain snooze", textContent: "Snooze 10 min" });
      snooze.onclick = () => act("reminder.snoozed", { reminder_id: r.reminder_id, minutes: 10 });
      const cancel = el("button", { type: "button", className: "plain delete", textContent: "Cancel" });
      cancel.onclick = () => {
        const next = li.nextElementSibling;
        const prev = li.previousElementSibling;
        act("reminder.cancelled", { reminder_id: r.reminder_id });
        focusFirst(li, next, prev, $("reminder-text"));
      };
      li.append(snooze, cancel);
      return li;
    },
    (li, r) => {
      const at = formatInZone(r.due, s.settings.time_zone, SHORT, [], s.settings.utc_offset_minutes);
      li.classList.toggle("fired", r.status === "fired");
      li.querySelector(".what")!.textContent = `${r.status === "fired" ? "🔔 " : ""}${at} ${r.text}`;
      for (const b of li.querySelectorAll<HTMLButtonElement>("button")) b.setAttribute("aria-label", `${b.textContent}: ${r.text}`);
    },
  );

  // Settings: not while the user edits them.
  const form = $("settings-form");
  if (!form.contains(document.activeElement) && !form.dataset.dirty) {
    ($("tz") as HTMLInputElement).value = s.settings.time_zone ?? browserZone();
    ($("plan-time") as HTMLInputElement).value = s.settings.daily_plan_time ?? "";
    ($("confirm-actions") as HTMLInputElement).checked = s.settings.confirm_actions;
  }

  // The reminder form: the date is the user's today (in their zone) until
  // they pick another; the label names the zone its times are in.
  const date = reminderDate();
  if (document.activeElement !== date && (!date.value || date.dataset.auto === date.value) && date.value !== s.settings.today) {
    date.value = s.settings.today;
    date.dataset.auto = s.settings.today;
  }
  $("reminder-zone").textContent = zoneLabel(s.settings.time_zone);

  // Summary.
  const summarizing = s.operations.find((o) => o.kind === "summary");
  $("summary-text").textContent = s.summary ?? (summarizing ? "Summarizing…" : "No summary yet.");
}

const reminderDate = () => $("reminder-date") as HTMLInputElement;

/** The zone as the reminder form names it. */
function zoneLabel(zone: string | null): string {
  if (zone === null) return "UTC (no time zone chosen yet)";
  return fixedOffset(zone) !== null ? `UTC${zone}` : zone;
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
  const time_zone = ($("tz") as HTMLInputElement).value.trim() || browserZone();
  const time = ($("plan-time") as HTMLInputElement).value;
  const confirm_actions = ($("confirm-actions") as HTMLInputElement).checked;
  delete $("settings-form").dataset.dirty;
  act("settings.updated", time ? { time_zone, daily_plan_time: time, confirm_actions } : { time_zone, confirm_actions });
});

$("reminder-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const text = $("reminder-text") as HTMLInputElement;
  const time = $("reminder-time") as HTMLInputElement;
  const date = reminderDate();
  if (!text.value.trim() || !time.value) return;
  // With no date, the service takes today (tomorrow once the time has passed).
  const payload = { reminder_id: crypto.randomUUID(), text: text.value.trim(), time: time.value, ...(date.value ? { date: date.value } : {}) };
  act("reminder.set", payload).then((ok) => {
    if (ok) text.value = "";
  });
});

// ---------------------------------------------------------------- boot

// The zone picker's choices: every zone this browser knows, and UTC.
$("tz-list").replaceChildren(...zoneChoices().map((z) => el("option", { value: z })));

// A first visit shows the sign-in form alone; a stored token is checked by
// the service before anything of its user is painted.
const stored = localStorage.getItem(TOKEN_KEY);
if (stored) start(stored).catch((e) => showError(e, "start"));
else showSignIn();
