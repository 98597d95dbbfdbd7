// A typed client of microcos API v1: the stream (GET /v1/stream over a
// WebSocket, resumed with the cursor, reconnected with backoff), client events
// sent on the open socket (HTTP POST when it is not open) and the snapshot
// with its ETag. Every frame and answer is checked with the Zod schemas.

import { Cursor } from "./cursor.js";
import {
  Ack,
  ClientEvent,
  ErrorBody,
  ErrorCode,
  Frame,
  Snapshot,
  type ApiError as ApiErrorBody,
  type StreamFrame,
} from "./schemas.js";

export type ConnectionState = "connected" | "reconnecting" | "offline";

/** Close codes of the stream (README, API v1). */
export const CLOSE_RESUME = 4000;
export const CLOSE_TOKEN_EXPIRED = 4001;
export const CLOSE_TOO_MANY_SUBSCRIBERS = 4029;
/** The client kept sending events while they were refused with 429. */
export const CLOSE_RATE_LIMITED = 4008;

/** The heartbeat (README, API v1): the client sends the text frame `ping`
 * on the open stream, both services answer `pong` at once. Neither is JSON. */
export const PING = "ping";
export const PONG = "pong";

/** An error answer, or a local failure given the same shape. `status` 0:
 * no answer (network). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | "invalid_frame",
    message: string,
    readonly field?: string,
    /** With 429: how long to wait before sending again. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "ApiError";
  }
  static from(status: number, body: ApiErrorBody): ApiError {
    return new ApiError(status, body.code, body.message, body.field, body.retry_after_ms);
  }
}

export interface StateDetail {
  /** The close code that caused the change, if any. */
  code?: number;
  /** Why, in words. */
  reason?: string;
  /** Milliseconds until the next attempt (reconnecting). */
  retryInMs?: number;
}

export interface ConnectOptions {
  /** Where the API is: `https://host` or `""` for the page's own origin. */
  baseUrl: string;
  /** The bearer token (a JWT), or a function asked at each (re)connect. */
  token: string | (() => string);
  /** Where to resume: `after=N&tokens=...`, or a function asked at each
   * (re)connect (e.g. a replica's `cursorQuery`). Default: from the start,
   * then the client's own cursor. */
  cursor?: string | (() => string);
  /** Each new event, token and progress frame, in order, exactly once. */
  onFrame: (frame: StreamFrame, raw: string) => void;
  /** Connection state changes. */
  onState?: (state: ConnectionState, detail: StateDetail) => void;
  /** A frame that does not match the schema (dropped; the stream reconnects). */
  onError?: (error: ApiError) => void;
  /** Backoff: first delay and cap, in ms (defaults 250 and 15000). */
  backoff?: { initialMs?: number; maxMs?: number };
  /** The heartbeat: a `ping` every `intervalMs` on the open stream (default
   * 15000); when nothing at all (its `pong` or any frame) arrives within
   * `timeoutMs` of one (default 10000), the link is taken for dead: the
   * socket is dropped and the client reconnects (`reconnecting`), resuming
   * from its cursor. `false`: no heartbeat. */
  heartbeat?: { intervalMs?: number; timeoutMs?: number } | false;
  /** For Node or tests: the WebSocket and fetch to use. */
  WebSocket?: typeof WebSocket;
  fetch?: typeof fetch;
}

export interface SnapshotResult {
  snapshot: Snapshot;
  etag: string | null;
  /** True when the service answered 304 (the cached body is returned). */
  notModified: boolean;
}

type Waiter = { body: ClientEvent; resolve: (ack: Ack) => void; reject: (e: ApiError) => void };

/** A local refusal, with the service's code for the same mistake. */
export function validateClientEvent(body: unknown): ClientEvent {
  const r = ClientEvent.safeParse(body);
  if (r.success) return r.data;
  // The most specific issue: a union reports its branch's issues inside.
  let issue: any = r.error.issues[0];
  if (issue?.code === "invalid_union" && Array.isArray(issue.errors)) {
    const t = (body as any)?.type;
    const branch = (issue.errors as any[][]).find((errs) => !errs.some((e) => e.path?.[0] === "type"));
    if (branch && branch[0]) issue = branch[0];
    else if (typeof t === "string") return fail("unknown_event_type", `unknown event type ${t}`, "type");
  }
  const field = (issue?.path ?? []).join(".") || undefined;
  const code = issueCode(issue, body);
  return fail(code, issue?.message ?? "invalid", issue?.keys?.length ? [field, issue.keys[0]].filter(Boolean).join(".") : field);
}

function fail(code: ErrorCode, message: string, field?: string): never {
  throw new ApiError(422, code, message, field);
}

function issueCode(issue: any, body: unknown): ErrorCode {
  switch (issue?.code) {
    case "custom":
      return issue.params?.code ?? "invalid_value";
    case "unrecognized_keys":
      return "unknown_field";
    case "invalid_type": {
      let v: any = body;
      for (const p of issue.path ?? []) v = v?.[p];
      return v === undefined ? "missing_field" : "invalid_type";
    }
    case "too_big":
      return issue.origin === "string" ? "too_long" : "out_of_range";
    case "too_small":
      return issue.origin === "string" ? "empty" : "out_of_range";
    case "invalid_union":
    case "invalid_value":
      return (issue.path ?? [])[0] === "type" ? "unknown_event_type" : "invalid_value";
    default:
      return "invalid_value";
  }
}

export class Connection {
  private ws: WebSocket | null = null;
  private cursor: Cursor;
  private waiting: Waiter[] = [];
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private beat: ReturnType<typeof setInterval> | null = null;
  private deadline: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private openedAt = 0;
  private etag: string | null = null;
  private cached: Snapshot | null = null;
  private listeners = new Set<(f: StreamFrame, raw: string) => void>();
  private readonly WS: typeof WebSocket;
  private readonly fetchFn: typeof fetch;
  state: ConnectionState = "reconnecting";

  constructor(private readonly opts: ConnectOptions) {
    this.WS = opts.WebSocket ?? globalThis.WebSocket;
    this.fetchFn = opts.fetch ?? globalThis.fetch.bind(globalThis);
    this.cursor = this.initialCursor();
    if (typeof addEventListener === "function") addEventListener("online", this.online);
    this.open();
  }

  /** The cursor the client will resume from. */
  cursorQuery(): string {
    return this.cursor.toQuery();
  }

  /** Adds a frame listener besides `onFrame`; returns its removal. */
  subscribe(listener: (frame: StreamFrame, raw: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends a client event: on the open socket (answered in order by an ack
   * or error frame), else by HTTP POST. Rejects with an ApiError. */
  send(body: ClientEvent): Promise<Ack> {
    let checked: ClientEvent;
    try {
      checked = validateClientEvent(body);
    } catch (e) {
      return Promise.reject(e);
    }
    if (this.ws && this.ws.readyState === this.WS.OPEN && this.state === "connected") {
      return new Promise<Ack>((resolve, reject) => {
        this.waiting.push({ body: checked, resolve, reject });
        this.ws!.send(JSON.stringify(checked));
      });
    }
    return this.post(checked);
  }

  /** GET /v1/snapshot, with If-None-Match once an ETag is known. */
  async snapshot(): Promise<SnapshotResult> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token()}` };
    if (this.etag && this.cached) headers["if-none-match"] = this.etag;
    const res = await this.http("/v1/snapshot", { headers });
    if (res.status === 304 && this.cached) return { snapshot: this.cached, etag: this.etag, notModified: true };
    const body = await this.answer(res);
    const parsed = Snapshot.safeParse(body);
    if (!parsed.success) throw new ApiError(res.status, "invalid_frame", `snapshot: ${parsed.error.message}`);
    this.etag = res.headers.get("etag");
    this.cached = parsed.data;
    return { snapshot: parsed.data, etag: this.etag, notModified: false };
  }

  /** Drops the socket and resumes at once from the cursor (e.g. after a gap
   * a replica saw). */
  resume(): void {
    if (this.stopped) return;
    this.dropSocket(CLOSE_RESUME, "resume");
    this.schedule(0, {});
  }

  /** Closes for good. */
  close(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (typeof removeEventListener === "function") removeEventListener("online", this.online);
    this.dropSocket(1000, "closed");
    this.setState("offline", { reason: "closed" });
  }

  // ---- internals ----

  private token(): string {
    return typeof this.opts.token === "function" ? this.opts.token() : this.opts.token;
  }

  private initialCursor(): Cursor {
    const c = this.opts.cursor;
    if (c === undefined) return this.cursor ?? new Cursor();
    return Cursor.parse(typeof c === "function" ? c() : c);
  }

  private url(path: string): string {
    const base = this.opts.baseUrl || (typeof location !== "undefined" ? location.origin : "");
    return base.replace(/\/$/, "") + path;
  }

  private http(path: string, init: RequestInit): Promise<Response> {
    return this.fetchFn(this.url(path), init).catch((e: unknown) => {
      throw new ApiError(0, "unavailable", `network: ${(e as Error)?.message ?? e}`);
    });
  }

  private async answer(res: Response): Promise<unknown> {
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new ApiError(res.status, res.status >= 500 ? "unavailable" : "bad_request", `HTTP ${res.status} without a JSON body`);
    }
    if (!res.ok) {
      const e = ErrorBody.safeParse(body);
      if (e.success) throw ApiError.from(res.status, e.data.error);
      throw new ApiError(res.status, "invalid_frame", `HTTP ${res.status}: unexpected body`);
    }
    return body;
  }

  private async post(body: ClientEvent): Promise<Ack> {
    const res = await this.http("/v1/events", {
      method: "POST",
      headers: { authorization: `Bearer ${this.token()}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const ack = Ack.safeParse(await this.answer(res));
    if (!ack.success) throw new ApiError(res.status, "invalid_frame", `ack: ${ack.error.message}`);
    return ack.data;
  }

  private setState(state: ConnectionState, detail: StateDetail): void {
    const changed = state !== this.state;
    this.state = state;
    if (changed || detail.code !== undefined) this.opts.onState?.(state, detail);
  }

  private open(): void {
    if (this.stopped) return;
    this.timer = null;
    if (typeof this.opts.cursor === "function") this.cursor = this.initialCursor();
    const wsBase = this.url("").replace(/^http/, "ws");
    const q = this.cursor.toQuery();
    let ws: WebSocket;
    try {
      ws = new this.WS(`${wsBase}/v1/stream?${q}`, ["microcos", `bearer.${this.token()}`]);
    } catch (e) {
      this.retry({ reason: String(e) });
      return;
    }
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      opened = true;
      this.openedAt = Date.now();
      this.startHeartbeat(ws);
      this.setState("connected", {});
    };
    ws.onmessage = (m: MessageEvent) => {
      if (this.ws !== ws) return;
      this.heard();
      if (m.data === PONG) return;
      if (typeof m.data === "string") this.receive(m.data);
    };
    ws.onclose = (ev: CloseEvent) => {
      if (this.ws !== ws) return;
      this.stopHeartbeat();
      this.ws = null;
      this.failWaiting();
      if (this.stopped) return;
      if (ev.code === CLOSE_TOKEN_EXPIRED) {
        this.stopped = true;
        this.setState("offline", { code: ev.code, reason: "token expired: sign in again" });
        return;
      }
      if (ev.code === CLOSE_RESUME) {
        this.schedule(0, { code: ev.code, reason: "resume from the cursor" });
        return;
      }
      // A connection that held for a while starts the backoff afresh.
      if (opened && Date.now() - this.openedAt > 5_000) this.attempts = 0;
      if (ev.code === CLOSE_TOO_MANY_SUBSCRIBERS) {
        this.retry({ code: ev.code, reason: "too many open streams for this user" }, 5_000);
        return;
      }
      if (ev.code === CLOSE_RATE_LIMITED) {
        this.retry({ code: ev.code, reason: "too many refused events: slowing down" }, 2_000);
        return;
      }
      if (!opened) {
        // A refused handshake says nothing in the browser: ask over HTTP
        // whether the token is still good.
        this.probe().then(
          (ok) => {
            if (ok) this.retry({ code: ev.code, reason: "cannot reach the service" });
          },
          () => this.retry({ code: ev.code, reason: "cannot reach the service" }),
        );
        return;
      }
      this.retry({ code: ev.code, reason: ev.reason || "connection lost" });
    };
    ws.onerror = () => {};
  }

  /** False (and stops) when the service refuses the token. */
  private async probe(): Promise<boolean> {
    const res = await this.fetchFn(this.url("/v1/events?after=0&limit=1"), {
      headers: { authorization: `Bearer ${this.token()}` },
    });
    if (res.status === 401) {
      this.stopped = true;
      this.setState("offline", { code: 401, reason: "the service refused the token: sign in again" });
      return false;
    }
    return true;
  }

  private retry(detail: StateDetail, floorMs = 0): void {
    const initial = this.opts.backoff?.initialMs ?? 250;
    const cap = Math.max(this.opts.backoff?.maxMs ?? 15_000, floorMs);
    const base = Math.min(cap, Math.max(floorMs, initial * 2 ** this.attempts));
    this.attempts = Math.min(this.attempts + 1, 30);
    // "Equal jitter": half fixed, half random, so retries spread out but
    // never come back at once.
    const delay = Math.round(base / 2 + Math.random() * (base / 2));
    this.schedule(delay, { ...detail, retryInMs: delay });
  }

  private schedule(delay: number, detail: StateDetail): void {
    if (this.timer) clearTimeout(this.timer);
    const offline = typeof navigator !== "undefined" && navigator.onLine === false;
    this.setState(offline ? "offline" : "reconnecting", offline ? { ...detail, reason: "the device is offline" } : detail);
    this.timer = setTimeout(() => this.open(), delay);
  }

  /** The browser says the network is back: try at once. */
  private readonly online = () => {
    if (!this.stopped && !this.ws) {
      this.attempts = 0;
      this.schedule(0, { reason: "back online" });
    }
  };

  /** Pings `ws` every interval; a ping with nothing heard back within the
   * timeout drops it and reconnects. */
  private startHeartbeat(ws: WebSocket): void {
    this.stopHeartbeat();
    const hb = this.opts.heartbeat;
    if (hb === false) return;
    const every = hb?.intervalMs ?? 15_000;
    const wait = hb?.timeoutMs ?? 10_000;
    this.beat = setInterval(() => {
      if (this.ws !== ws || ws.readyState !== this.WS.OPEN) return;
      try {
        ws.send(PING);
      } catch {}
      this.deadline ??= setTimeout(() => this.dead(ws, wait), wait);
    }, every);
  }

  /** Something arrived: the link is alive. */
  private heard(): void {
    if (this.deadline) clearTimeout(this.deadline);
    this.deadline = null;
  }

  private stopHeartbeat(): void {
    if (this.beat) clearInterval(this.beat);
    this.beat = null;
    this.heard();
  }

  /** No answer to a ping: the socket may never say it closed (a dead link
   * delivers no close), so it is dropped here and the stream resumes. */
  private dead(ws: WebSocket, waitedMs: number): void {
    this.deadline = null;
    if (this.ws !== ws || this.stopped) return;
    if (Date.now() - this.openedAt > 5_000) this.attempts = 0;
    this.dropSocket(CLOSE_RESUME, "no answer to the heartbeat");
    this.retry({ reason: `no answer to the heartbeat in ${waitedMs} ms` });
  }

  private dropSocket(code: number, reason: string): void {
    this.stopHeartbeat();
    const ws = this.ws;
    this.ws = null;
    this.failWaiting();
    if (ws) {
      try {
        ws.close(code === 1000 ? 1000 : 4000, reason);
      } catch {}
    }
  }

  /** Messages sent on a socket that closed before answering: their outcome
   * is unknown, so each goes again by HTTP (idempotent when it carries a
   * client_action_id or event_id; otherwise it is reported as unavailable). */
  private failWaiting(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) {
      if (w.body.client_action_id || w.body.event_id) this.post(w.body).then(w.resolve, w.reject);
      else w.reject(new ApiError(0, "unavailable", "the connection closed before the answer; it may or may not have been stored"));
    }
  }

  private receive(raw: string): void {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return this.invalid(`not JSON: ${raw.slice(0, 80)}`);
    }
    const parsed = Frame.safeParse(json);
    if (!parsed.success) {
      return this.invalid(`${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")} in ${raw.slice(0, 200)}`);
    }
    const frame = parsed.data;
    if (frame.frame === "ack" || frame.frame === "error") {
      const w = this.waiting.shift();
      if (!w) return this.invalid(`an answer nobody waits for: ${raw.slice(0, 120)}`);
      if (frame.frame === "ack") {
        const { frame: _f, ...ack } = frame;
        w.resolve(ack);
      } else {
        w.reject(ApiError.from(frame.status, frame.error));
      }
      return;
    }
    const delivery = this.cursor.accept(frame);
    if (delivery === "duplicate") return;
    if (delivery === "gap") {
      this.resume();
      return;
    }
    this.opts.onFrame(frame, raw);
    for (const l of this.listeners) l(frame, raw);
  }

  private invalid(message: string): void {
    this.opts.onError?.(new ApiError(0, "invalid_frame", message));
    this.dropSocket(4000, "invalid frame");
    this.retry({ reason: "invalid frame" });
  }
}

/** Opens the stream and returns the connection. */
export function connect(opts: ConnectOptions): Connection {
  return new Connection(opts);
}
