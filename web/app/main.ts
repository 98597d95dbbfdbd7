// The microcos web app: plain TypeScript and DOM. State comes only from the
// wasm replica's view (confirmed events + this tab's pending ones), through
// the client's store (@microcos/client/store): the stream feeds the replica,
// sends are proposed to it first (optimistic), kept in a persisted outbox
// until the service answers (so work done offline is sent on reconnect,
// exactly once, in order) and rolled back when the service refuses them.

import DOMPurify from "dompurify";
import { marked } from "marked";
import init, { Replica } from "microcos-replica";
import { ApiError, type ClientEvent, type ConnectionState, type StateDetail } from "../client/src/index.js";
import { createStore, type Action, type ChatMessage, type State, type Store, type StoreState } from "../client/src/store.js";
import { SHORT, browserZone, fixedOffset, formatInZone, zoneChoices } from "./time.js";

type LocalError = { code: string; message: string; field?: string };

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
/** Every key the app stores starts with this (sign-out removes them all). */
const PREFIX = "microcos.";
const TOKEN_KEY = `${PREFIX}token`;
const cacheKey = (user: string) => `${PREFIX}cache.${user}`;
const outboxKey = (user: string) => `${PREFIX}outbox.${user}`;
const TITLE = "microcos";

/** Figures the browser test reads (performance.now() times; -1: not yet). */
const metrics = ((window as any).__microcos = { accepted: -1, cachePaint: -1, firstFrame: -1, start: performance.now(), notified: 0 });

let replica: Replica | null = null;
let store: Store | null = null;
let user = "";
let view: StoreState["view"] = null;
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
  const s = store;
  store = null;
  s?.close();
  replica?.free();
  replica = null;
  view = null;
  user = "";
  if (saveTimer) clearTimeout(saveTimer);
  saveTimer = 0;
  chatQueue.length = 0;
  announced = -1;
  notified.clear();
  hideUndo();
  for (const id of ["messages", "orphans", "tasks", "tasks-done", "plan", "reminders", "errors", "announce", "alert"]) $(id).replaceChildren();
  $("who-name").textContent = "";
  $("plan-date").textContent = "";
  $("summary-text").textContent = "No summary yet.";
  ($("summary-box") as HTMLDetailsElement).open = false;
  $("extract-form").querySelector("button")!.textContent = "Extract tasks";
  $("approvals").hidden = true;
  $("outbox").hidden = true;
  $("clear-confirm").hidden = true;
  $("jump").hidden = true;
  document.title = TITLE;
  delete document.body.dataset.pending;
  delete document.body.dataset.seq;
  delete document.body.dataset.outbox;
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

/** Sign out: the page and every key the app stored (token, cached state,
 * cursor and outbox, of this user and of any earlier one) are cleared. */
function signOut(): void {
  showSignIn();
  for (const s of [localStorage, sessionStorage]) {
    for (let i = s.length - 1; i >= 0; i--) {
      const k = s.key(i);
      if (k?.startsWith(PREFIX)) s.removeItem(k);
    }
  }
}

/** The service refused the token: it is forgotten (the user's cache and
 * outbox are kept for their next sign-in, unpainted) and nothing of the
 * user stays shown. */
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
  const e = $("conn");
  e.dataset.state = state;
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
 * allows only for a valid token. Events left in the outbox by an earlier
 * visit are proposed again and sent once the stream opens. */
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
  store = createStore({
    baseUrl: "",
    token,
    replica,
    storage: localStorage,
    outboxKey: outboxKey(user),
    onRefused: (r, body) => {
      if (mine === session) showError(r, body.type);
    },
    onFrame: (frame) => {
      if (mine !== session) return;
      if (metrics.firstFrame < 0) metrics.firstFrame = performance.now();
      if (frame.frame !== "token") saveCacheSoon();
      if (frame.frame === "event" && frame.event.type === "reminder.fired") remindNow(frame.event.payload as { reminder_id: string; due: number });
    },
    onConnection: (state, detail) => {
      if (mine !== session) return;
      setConn(state, detail);
      if (detail.code === 4001 || detail.code === 401) return refused(detail.reason ?? "the service refused the token: sign in again");
      if (state === "connected" && !accepted) accept(token, fromCache);
    },
    onError: (e) => {
      if (mine === session) showError(e, "stream");
    },
  });
  // The store already batches frames per animation frame: paint at once.
  store.subscribe(() => {
    if (mine === session) paint();
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
  // The parser's and sanitiser's first run costs tens of ms: spend them now,
  // not on the first token of the next reply.
  setTimeout(() => renderMarkdown(document.createElement("div"), "**warm** `up`\n\n- a\n\n```\nb\n```"), 0);
}

/** A user who never chose a time zone (the service's snapshot says null)
 * gets the browser's, once, with their other settings kept: a Berlin user
 * is in Europe/Berlin without touching anything. A zone already set, here
 * or elsewhere, is left alone. Should the service not know the browser's
 * zone, its current offset is sent instead (a fixed zone ±HH:MM). */
async function adoptBrowserZone(mine: number): Promise<void> {
  const c = store?.connection;
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

/** Shows `type`/`payload` at once and queues it for the service (the store's
 * outbox). Resolves true once the service stored it, false when it was
 * refused (shown, or given to `refusedBy`). Offline, it waits in the outbox. */
async function act(type: ClientEvent["type"], payload: object, refusedBy?: (e: unknown) => void): Promise<boolean> {
  const s = store;
  const mine = session;
  if (!s || !accepted) return false;
  const shownRefusal = refusedBy ?? ((e: unknown) => showError(e, type));
  const r = s.send(type, payload);
  if (!r.ok) {
    shownRefusal(r.refusal);
    return false;
  }
  const ack = await r.done;
  if (mine !== session) return false;
  return ack !== null;
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

/** What an action does, in the user's words: the service's `description`
 * when it is there, else a sentence made here from the tool and its
 * arguments (task ids resolved to titles). `doomed`: why an action that
 * waits can only fail (then Approve is not offered). */
function describeAction(a: Action, s: State): { text: string; doomed?: string } {
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

/** Markdown to sanitised DOM: marked parses, DOMPurify keeps only inert
 * markup (no script, no handler, no style, no image: the content security
 * policy would refuse outside images and inline styles anyway), links open
 * elsewhere, and each fenced block gets a Copy button. No unsanitised HTML
 * ever reaches the page. */
function renderMarkdown(target: HTMLElement, text: string): void {
  // Text with nothing Markdown would change is shown as it is (most tokens
  // of a reply start so): no parse, no sanitiser, the same result.
  if (!/[*_`#\n<>|~\\&]|\]\(|https?:|www\.|^\s*([-+]|\d+[.)])\s/.test(text)) {
    target.textContent = text;
    return;
  }
  const html = marked.parse(text, { async: false, gfm: true, breaks: true }) as string;
  const frag = DOMPurify.sanitize(html, {
    RETURN_DOM_FRAGMENT: true,
    FORBID_TAGS: ["img", "style", "form", "input", "button", "textarea", "select", "iframe", "svg", "math"],
    FORBID_ATTR: ["style", "class", "id"],
  });
  for (const a of Array.from(frag.querySelectorAll("a"))) {
    a.target = "_blank";
    a.rel = "noopener noreferrer";
  }
  for (const pre of Array.from(frag.querySelectorAll("pre"))) {
    const copy = el("button", { type: "button", className: "plain copy", textContent: "Copy" });
    copy.setAttribute("aria-label", "Copy this code");
    copy.onclick = () => copyText(pre.querySelector("code")?.textContent ?? pre.textContent ?? "", copy);
    pre.prepend(copy);
  }
  target.replaceChildren(frag);
}

/** Renders the Markdown of `items` (message rows shown as text so far) a
 * few at a time, newest first, between frames. */
function renderLater(items: HTMLElement[]): void {
  const mine = session;
  const step = () => {
    if (mine !== session) return;
    for (const li of items.splice(-4).reverse()) {
      const t = li.querySelector<HTMLElement>(".text");
      if (li.isConnected && t && li.dataset.raw !== undefined && t.textContent === li.dataset.raw) renderMarkdown(t, li.dataset.raw);
    }
    if (items.length) setTimeout(step, 0);
  };
  setTimeout(step, 0);
}

function copyText(text: string, button: HTMLButtonElement): void {
  navigator.clipboard.writeText(text).then(
    () => {
      const was = button.textContent;
      button.textContent = "Copied";
      setTimeout(() => (button.textContent = was), 1500);
    },
    (e) => showError({ code: "client_error", message: `copying failed: ${e?.message ?? e}` }),
  );
}

/** Messages sent while a reply is written wait here, and go one at a time
 * in the order typed: each reply follows its own question. */
const chatQueue: string[] = [];
/** The seq of the last assistant message announced to screen readers (-1: none yet this session). */
let announced = -1;

function replying(s: State): boolean {
  return s.operations.some((o) => o.kind === "chat") || (store?.getState().outbox ?? []).some((o) => o.body.type === "user.message" || o.body.type === "chat.regenerate");
}

function sendQueued(): void {
  const v = view;
  if (!v || !chatQueue.length || replying(v.state)) return;
  const text = chatQueue.shift()!;
  act("user.message", { text });
}

/** The action cards of a reply: its proposed actions, in the user's words. */
function paintCards(list: HTMLElement, actions: Action[], s: State): void {
  reconcile(
    list,
    actions,
    (a) => a.action_id,
    (a) => {
      const li = el("li", { tabIndex: -1 }, el("span", { className: "what" }), el("span", { className: "meta" }));
      const approve = el("button", { type: "button", className: "approve", textContent: "Approve" });
      approve.onclick = () => decide(li, "action.approved", a.action_id);
      const decline = el("button", { type: "button", className: "plain decline", textContent: "Decline" });
      decline.onclick = () => decide(li, "action.declined", a.action_id);
      li.append(approve, decline);
      return li;
    },
    (li, a) => {
      const { text, doomed } = describeAction(a, s);
      const waiting = a.status === "awaiting_approval";
      li.classList.toggle("awaiting", waiting);
      li.dataset.status = a.status;
      li.querySelector(".what")!.textContent = waiting && !doomed ? `${text.replace(/[.?!]$/, "")}?` : text;
      li.querySelector(".meta")!.textContent = a.error
        ? `not done: ${a.error.message} (${a.error.code})`
        : waiting
          ? doomed ?? "waits for your approval"
          : ACTION_STATUS[a.status] ?? a.status;
      const approve = li.querySelector<HTMLButtonElement>("button.approve")!;
      const decline = li.querySelector<HTMLButtonElement>("button.decline")!;
      approve.hidden = !waiting || !!doomed;
      decline.hidden = !waiting;
      approve.setAttribute("aria-label", `Approve: ${text}`);
      decline.setAttribute("aria-label", `Decline: ${text}`);
    },
  );
}

/** Approves or declines the action of card `li`; focus goes to the next
 * action that waits, else stays on this card (its buttons go). */
function decide(li: HTMLElement, type: "action.approved" | "action.declined", action_id: string): void {
  act(type, { action_id });
  const next = Array.from(document.querySelectorAll<HTMLButtonElement>(".cards li button.approve, .cards li button.decline")).find((b) => !b.hidden && b.closest("li") !== li);
  focusFirst(next, li);
}

function paint(): void {
  const st = store?.getState();
  if (!st || !accepted || !st.view) return;
  view = st.view;
  const s = view.state;
  document.body.dataset.pending = String(view.pending.length);
  document.body.dataset.seq = String(view.seq);
  document.body.dataset.outbox = String(st.outbox.length);
  const offline = st.connection.state !== "connected";
  $("outbox").hidden = st.outbox.length === 0 || !offline;
  $("outbox").textContent = `${st.outbox.length} change${st.outbox.length === 1 ? "" : "s"} waiting to be sent`;

  // Actions go under the reply that proposed them; those of replies no
  // longer shown (cleared, or older than the window) go above the chat.
  const bySeq = new Map<number, Action[]>();
  const shownSeqs = new Set(s.messages.map((m) => m.seq));
  const orphans: Action[] = [];
  for (const a of st.actions) {
    const seq = (a as { proposed_seq?: number }).proposed_seq;
    if (seq !== undefined && shownSeqs.has(seq)) bySeq.set(seq, [...(bySeq.get(seq) ?? []), a]);
    else orphans.push(a);
  }
  paintCards($("orphans"), orphans.filter((a) => a.status === "awaiting_approval"), s);

  // Messages, replies in progress, then what waits to be sent.
  const msgs: (ChatMessage & { queued?: boolean })[] = [...st.messages, ...chatQueue.map((text, i) => ({ key: `q${i}:${text}`, role: "user" as const, text, queued: true }))];
  const lastAssistant = [...st.messages].reverse().find((m) => m.role === "assistant" && !m.operationId);
  const canRegenerate = !!lastAssistant && st.messages[st.messages.length - 1] === lastAssistant && !replying(s);
  const box = $("messages");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  const firstPaint = !box.firstElementChild;
  const later: HTMLElement[] = [];
  reconcile(
    box,
    msgs,
    (m) => m.key,
    (m) => {
      const li = el("li", { className: m.role }, el("div", { className: "text" }));
      if (m.operationId) {
        li.append(el("span", { className: "caret", ariaHidden: "true" }));
        const stop = el("button", { type: "button", className: "plain stop", textContent: "Stop" });
        stop.setAttribute("aria-label", "Stop this reply");
        stop.onclick = () => {
          act("llm.cancel", { operation_id: m.operationId });
          focusFirst($("chat-input")); // the reply's row is replaced when it ends
        };
        li.append(el("span", { className: "meta" }), stop);
      } else if (m.role === "assistant") {
        const copy = el("button", { type: "button", className: "plain copy-reply", textContent: "Copy" });
        copy.setAttribute("aria-label", "Copy this reply");
        copy.onclick = () => copyText(li.dataset.raw ?? "", copy);
        const regen = el("button", { type: "button", className: "plain regenerate", textContent: "Regenerate" });
        regen.setAttribute("aria-label", "Regenerate this reply");
        regen.onclick = () => {
          act("chat.regenerate", {});
          focusFirst($("chat-input"));
        };
        li.append(el("ul", { className: "cards" }), el("div", { className: "tools" }, copy, regen));
      } else {
        li.append(el("span", { className: "meta sending" }));
      }
      return li;
    },
    (li, m) => {
      li.classList.toggle("streaming", !!m.operationId);
      li.classList.toggle("pending", !!m.pending || !!(m as { queued?: boolean }).queued);
      li.dataset.operation = m.operationId ?? "";
      if (m.operationId) li.setAttribute("aria-busy", "true");
      const t = li.querySelector<HTMLElement>(".text")!;
      if (li.dataset.raw !== m.text) {
        li.dataset.raw = m.text;
        // Rendering Markdown costs: a first paint renders the newest replies
        // at once and the older ones just after (shown as text meanwhile).
        if (m.role !== "assistant") t.textContent = m.text;
        else if (!firstPaint || msgs.length - msgs.indexOf(m) <= 6) renderMarkdown(t, m.text);
        else {
          t.textContent = m.text;
          later.push(li);
        }
      }
      const meta = li.querySelector(".meta");
      if (meta && m.operationId) meta.textContent = m.status === "streaming" ? "replying…" : m.status === "pending" ? "waiting for the model…" : m.status === "retry_scheduled" ? "retrying…" : (m.status ?? "");
      else if (meta) meta.textContent = (m as { queued?: boolean }).queued ? "queued: sent when the reply before it is done" : m.pending ? (offline ? "waiting to be sent" : "sending…") : "";
      if (m.stopped && !li.querySelector(".stopped")) li.querySelector(".text")!.after(el("span", { className: "meta stopped", textContent: "stopped" }));
      const regen = li.querySelector<HTMLButtonElement>("button.regenerate");
      if (regen) regen.hidden = !(canRegenerate && m === lastAssistant);
      const cards = li.querySelector<HTMLElement>("ul.cards");
      const seq = Number(m.key.slice(1));
      if (cards) paintCards(cards, m.key.startsWith("m") ? bySeq.get(seq) ?? [] : [], s);
    },
  );
  if (later.length) renderLater(later);
  if (atBottom) box.scrollTop = box.scrollHeight;
  $("jump").hidden = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  $("clear-chat").hidden = st.messages.length === 0;

  // A finished reply is announced once (the list itself is not a live
  // region: it would read every token).
  const lastDone = [...s.messages].reverse().find((m) => m.role === "assistant");
  if (lastDone && lastDone.seq > announced) {
    if (announced >= 0) $("announce").textContent = `The assistant replied: ${lastDone.text.slice(0, 500)}`;
    announced = lastDone.seq;
  } else if (!lastDone && announced < 0) announced = 0;
  sendQueued();

  // Waiting approvals and due reminders: in the header and the title.
  const fired = s.reminders.filter((r) => r.status === "fired").length;
  $("approvals").hidden = st.awaiting === 0;
  $("approvals").textContent = `${st.awaiting} waiting for your approval`;
  const count = st.awaiting + fired;
  document.title = count ? `(${count}) ${TITLE}` : TITLE;

  // Tasks: open ones in the service's order, done ones below.
  const pendingTasks = new Set(st.outbox.map((o) => (o.body.payload as { task_id?: string }).task_id).filter(Boolean));
  const open = st.tasks.filter((t) => t.status !== "done");
  const done = st.tasks.filter((t) => t.status === "done");
  paintTasks($("tasks"), open, s, pendingTasks);
  paintTasks($("tasks-done"), done, s, pendingTasks);
  $("tasks-empty").hidden = open.length > 0;
  $("done-h").hidden = done.length === 0;

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

  paintReminders(s);

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

type Task = State["tasks"][number];

function paintTasks(list: HTMLElement, tasks: Task[], s: State, pending: Set<unknown>): void {
  reconcile(
    list,
    tasks,
    (t) => t.task_id,
    (t) => {
      const li = el("li");
      const box = el("input", { type: "checkbox", className: "done" });
      box.onchange = () => {
        const cur = view?.state.tasks.find((x) => x.task_id === t.task_id);
        if (!cur) return;
        if (box.checked && cur.status !== "done") {
          act("task.completed", { task_id: t.task_id });
          offerUndo(`Completed “${cur.title}”.`, () => act("task.reopened", { task_id: t.task_id }), box);
        } else if (!box.checked && cur.status === "done") {
          act("task.reopened", { task_id: t.task_id });
          focusFirst(box);
        }
      };
      const title = el("input", { className: "title", maxLength: 200 });
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
        const cur = view?.state.tasks.find((x) => x.task_id === t.task_id);
        if (!cur) return;
        const next = li.nextElementSibling?.querySelector("input.title");
        const prev = li.previousElementSibling?.querySelector("input.title");
        act("task.deleted", { task_id: t.task_id });
        const again: Record<string, unknown> = { task_id: cur.task_id, title: cur.title };
        if (cur.notes) again.notes = cur.notes;
        if (cur.due_date) again.due_date = cur.due_date;
        offerUndo(`Deleted “${cur.title}”.`, () => act("task.created", again), next ?? prev ?? $("task-title"));
      };
      li.append(box, title, el("span", { className: "due" }), del);
      return li;
    },
    (li, t) => {
      li.classList.toggle("done", t.status === "done");
      li.classList.toggle("pending", pending.has(t.task_id));
      const box = li.querySelector<HTMLInputElement>("input.done")!;
      box.checked = t.status === "done";
      const title = li.querySelector<HTMLInputElement>("input.title")!;
      if (document.activeElement !== title && title.value !== t.title) title.value = t.title;
      title.setAttribute("aria-label", `Task: ${t.title}`);
      li.querySelector<HTMLButtonElement>("button.delete")!.setAttribute("aria-label", `Delete task ${t.title}`);
      box.setAttribute("aria-label", t.status === "done" ? `Done (uncheck to reopen): ${t.title}` : `Done: ${t.title}`);
      const due = li.querySelector<HTMLElement>(".due")!;
      const overdue = t.status !== "done" && !!t.due_date && t.due_date < s.settings.today;
      due.textContent = t.due_date ? `${overdue ? "overdue, " : ""}due ${t.due_date}` : "";
      due.classList.toggle("overdue", overdue);
    },
  );
}

// ---------------------------------------------------------------- undo

let undoTimer = 0;
let undoAction: (() => void) | null = null;
/** Shows "`text` Undo" for 10 s, with focus on Undo (the control that had it
 * may be gone); `after` is where focus goes once the offer ends unused. */
function offerUndo(text: string, undo: () => void, after: Element | null): void {
  hideUndo();
  undoAction = undo;
  $("undo-text").textContent = text;
  $("undo").hidden = false;
  const button = $("undo-button");
  button.setAttribute("aria-label", `Undo: ${text}`);
  button.focus();
  undoTimer = window.setTimeout(() => {
    const had = document.activeElement === button;
    hideUndo();
    if (had) focusFirst(after, $("task-title"));
  }, 10_000);
}

function hideUndo(): void {
  if (undoTimer) clearTimeout(undoTimer);
  undoTimer = 0;
  undoAction = null;
  $("undo").hidden = true;
}

$("undo-button").addEventListener("click", () => {
  const undo = undoAction;
  hideUndo();
  undo?.();
  focusFirst($("task-title"));
});

// ---------------------------------------------------------------- reminders

const SNOOZE: [string, number][] = [
  ["10 minutes", 10],
  ["30 minutes", 30],
  ["1 hour", 60],
  ["3 hours", 180],
  ["1 day", 1440],
];

function paintReminders(s: State): void {
  const now = Date.now();
  reconcile(
    $("reminders"),
    [...s.reminders].sort((a, b) => (a.status === b.status ? a.due - b.due : a.status === "fired" ? -1 : 1)),
    (r) => r.reminder_id,
    (r) => {
      const li = el("li", { tabIndex: -1 }, el("span", { className: "what" }));
      const choice = el("select", { className: "snooze-for" }, ...SNOOZE.map(([label, minutes]) => el("option", { value: String(minutes), textContent: label })));
      const snooze = el("button", { type: "button", className: "plain snooze", textContent: "Snooze" });
      snooze.onclick = () => {
        act("reminder.snoozed", { reminder_id: r.reminder_id, minutes: Number(choice.value) });
        focusFirst(snooze);
      };
      const cancel = el("button", { type: "button", className: "plain delete", textContent: "Cancel" });
      cancel.onclick = () => {
        const next = li.nextElementSibling;
        const prev = li.previousElementSibling;
        act("reminder.cancelled", { reminder_id: r.reminder_id });
        focusFirst(next?.querySelector("button"), prev?.querySelector("button"), $("reminder-text"));
      };
      li.append(choice, snooze, cancel);
      return li;
    },
    (li, r) => {
      const at = formatInZone(r.due, s.settings.time_zone, SHORT, [], s.settings.utc_offset_minutes);
      const fired = r.status === "fired";
      li.classList.toggle("fired", fired);
      li.querySelector(".what")!.textContent = fired ? `🔔 Overdue since ${at}: ${r.text}` : `${at} ${r.text}${r.due < now ? " (due now)" : ""}`;
      li.querySelector(".delete")!.textContent = fired ? "Dismiss" : "Cancel";
      li.querySelector<HTMLSelectElement>("select")!.setAttribute("aria-label", `Snooze for how long: ${r.text}`);
      for (const b of li.querySelectorAll<HTMLButtonElement>("button")) b.setAttribute("aria-label", `${b.textContent}: ${r.text}`);
    },
  );
  $("notify-hint").hidden = !("Notification" in window) || Notification.permission !== "default" || s.reminders.length === 0;
}

/** Reminders already notified this session (a reconnect replays the event). */
const notified = new Set<string>();

/** A reminder came due: a notification (when allowed), an announcement,
 * and the title's count (painted). Only for one due within the last 10
 * minutes: a backlog after a long absence shows in the list, quietly. */
function remindNow(p: { reminder_id: string; due: number }): void {
  if (notified.has(p.reminder_id) || Date.now() - p.due > 10 * 60_000) return;
  notified.add(p.reminder_id);
  const text = store?.getState().view?.state.reminders.find((r) => r.reminder_id === p.reminder_id)?.text ?? "a reminder";
  $("alert").textContent = `Reminder: ${text}`;
  if ("Notification" in window && Notification.permission === "granted") {
    try {
      new Notification("microcos reminder", { body: text, tag: p.reminder_id });
      metrics.notified++;
    } catch (e) {
      showError(e, "notification");
    }
  }
}

/** Asks for permission to notify, once, when the user sets a reminder. */
function askToNotify(): void {
  if ("Notification" in window && Notification.permission === "default") void Notification.requestPermission().then(() => paintSoon());
}
$("notify-ask").addEventListener("click", askToNotify);

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
  if (!text || !view) return;
  input.value = "";
  if (replying(view.state) || chatQueue.length) {
    chatQueue.push(text);
    paint();
  } else {
    act("user.message", { text }).then((ok) => {
      if (!ok && !input.value && store?.getState().connection.state === "connected") input.value = text;
    });
  }
  // Your message is in view, whatever was scrolled.
  const box = $("messages");
  box.scrollTop = box.scrollHeight;
});
$("chat-input").addEventListener("keydown", (ev) => {
  if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
    ev.preventDefault();
    ($("chat-form") as HTMLFormElement).requestSubmit();
  }
});
$("messages").addEventListener("scroll", () => {
  const box = $("messages");
  $("jump").hidden = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
});
$("jump").addEventListener("click", () => {
  const box = $("messages");
  box.scrollTop = box.scrollHeight;
  $("jump").hidden = true;
  box.focus();
});

$("clear-chat").addEventListener("click", () => {
  $("clear-confirm").hidden = false;
  $("clear-no").focus();
});
$("clear-no").addEventListener("click", () => {
  $("clear-confirm").hidden = true;
  $("clear-chat").focus();
});
$("clear-yes").addEventListener("click", () => {
  $("clear-confirm").hidden = true;
  act("chat.cleared", {});
  $("chat-input").focus();
});

$("approvals").addEventListener("click", () => {
  const first = document.querySelector<HTMLElement>(".cards li.awaiting");
  first?.scrollIntoView({ block: "center" });
  focusFirst(first?.querySelector("button.approve:not([hidden])"), first?.querySelector("button.decline"), first);
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
  askToNotify();
  // With no date, the service takes today (tomorrow once the time has passed).
  const payload = { reminder_id: crypto.randomUUID(), text: text.value.trim(), time: time.value, ...(date.value ? { date: date.value } : {}) };
  text.value = "";
  act("reminder.set", payload).then((ok) => {
    if (!ok && !text.value && store?.getState().connection.state === "connected") text.value = payload.text;
  });
});

// Times shown relative to now (overdue, due now) move on by themselves.
setInterval(() => store?.refresh(), 30_000);

// ---------------------------------------------------------------- boot

// The zone picker's choices: every zone this browser knows, and UTC.
$("tz-list").replaceChildren(...zoneChoices().map((z) => el("option", { value: z })));

// A first visit shows the sign-in form alone; a stored token is checked by
// the service before anything of its user is painted.
const stored = localStorage.getItem(TOKEN_KEY);
if (stored) start(stored).catch((e) => showError(e, "start"));
else showSignIn();
