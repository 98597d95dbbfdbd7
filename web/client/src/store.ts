// @microcos/client/store: a framework-free store of one signed-in user's
// assistant, over the stream and a replica of the domain (the wasm build of
// the same reducer the service runs, e.g. `microcos-web`'s `Replica`).
//
// The store owns the connection, the outbox and what a view shows:
//
// - every frame goes to the replica; a gap resumes the stream;
// - `send` proposes the event to the replica (shown at once, or refused
//   locally with the service's code), then puts it in the outbox;
// - the outbox is persisted (a `Storage`, e.g. localStorage) and sent in
//   order, one at a time, whenever the stream is connected; each event
//   carries its `client_action_id` and `event_id`, so a resend after an
//   unknown outcome is stored once (the service deduplicates). A refusal
//   rolls the event back and is reported with its code; a network failure
//   or a 5xx/429 leaves it for the next connection. After a reload the
//   persisted outbox is proposed again and sent;
// - `getState()` gives an immutable snapshot (messages assembled from the
//   stored ones and the replies streaming, tasks in order, actions, the
//   waiting approvals, the connection, the outbox), and `subscribe`
//   tells of each change: the shape `useSyncExternalStore` wants.

import { ApiError, connect, type Connection, type ConnectionState, type StateDetail } from "./client.js";
import type { Ack, ClientEvent, Snapshot, StreamFrame } from "./schemas.js";

/** The assistant's state as the snapshot shows it. */
export type State = Snapshot["state"];
/** What the replica shows: confirmed state plus pending events. */
export interface View {
  seq: number;
  state: State;
  /** Client action ids (or event ids) of the events not yet confirmed. */
  pending: string[];
}
/** A refusal, local or the service's. */
export interface Refusal {
  code: string;
  message: string;
  field?: string;
}

/** The replica the store drives: what `replica!` exports for a domain
 * (strings in, strings out). */
export interface Replica {
  cursorQuery(): string;
  frame(raw: string): string;
  propose(body: string, nowMs: number): string;
  reject(id: string): boolean;
  viewJson(nowMs: number): string;
  cacheJson(): string;
  seq(): number | bigint;
}

/** One message as a chat shows it. */
export interface ChatMessage {
  /** Stable across repaints: `m<seq>` stored, `op<operation_id>` streaming. */
  key: string;
  role: "user" | "assistant";
  text: string;
  /** The operation writing it, while it streams. */
  operationId?: string;
  /** The operation's status while it streams (`pending`, `streaming`, …). */
  status?: string;
  /** The user stopped this reply. */
  stopped?: boolean;
  /** Not yet confirmed by the service (sent offline, or in flight). */
  pending?: boolean;
}

export type Task = State["tasks"][number];
export type Action = State["actions"][number] & { description?: string | null };

/** One event waiting in the outbox. */
export interface OutboxItem {
  body: ClientEvent;
  /** When it was made (ms since the epoch). */
  madeAt: number;
}

export interface StoreState {
  connection: { state: ConnectionState; detail: StateDetail };
  /** Null until the replica has a view. */
  view: View | null;
  messages: ChatMessage[];
  /** As the service orders them: open ones by due date (undated last), then
   * creation; done ones below, the last completed first. */
  tasks: Task[];
  actions: Action[];
  /** Actions that wait for the user's approval. */
  awaiting: number;
  /** Events not yet answered by the service, in the order they go. */
  outbox: OutboxItem[];
}

export interface StoreOptions {
  /** Where the API is (`""`: the page's own origin). */
  baseUrl: string;
  token: string | (() => string);
  replica: Replica;
  /** Where the outbox is kept across reloads (e.g. `localStorage`), under `outboxKey`. */
  storage?: Pick<Storage, "getItem" | "setItem" | "removeItem">;
  outboxKey?: string;
  /** At most this many events wait (default 200): a further `send` is refused with `outbox_full`. */
  maxOutbox?: number;
  /** The service refused an event that was shown (it is rolled back). */
  onRefused?: (refusal: Refusal, body: ClientEvent) => void;
  /** Each new frame, after the replica took it (e.g. to save a cache). */
  onFrame?: (frame: StreamFrame) => void;
  /** Connection state changes (before the store's state shows them). */
  onConnection?: (state: ConnectionState, detail: StateDetail) => void;
  /** A frame the schema refused. */
  onError?: (error: ApiError) => void;
  /** The clock (tests). */
  now?: () => number;
  /** For Node or tests. */
  WebSocket?: typeof WebSocket;
  fetch?: typeof fetch;
  /** Heartbeat and backoff settings, passed to `connect`. */
  connect?: Record<string, unknown>;
}

/** The outcome of `send`: shown and queued, or refused at once. */
export type SendResult = { ok: true; done: Promise<Ack | null> } | { ok: false; refusal: Refusal };

const uuid = (): string => globalThis.crypto.randomUUID();

/** The stored messages, then one per chat reply in progress. Messages
 * beyond the confirmed seq are pending. */
export function assembleMessages(state: State, confirmedSeq: number): ChatMessage[] {
  const out: ChatMessage[] = state.messages.map((m) => ({
    key: `m${m.seq}`,
    role: m.role as "user" | "assistant",
    text: m.text,
    stopped: m.stopped || undefined,
    pending: m.seq > confirmedSeq || undefined,
  }));
  for (const op of state.operations) {
    if (op.kind !== "chat") continue;
    out.push({ key: `op${op.operation_id}`, role: "assistant", text: op.text, operationId: op.operation_id, status: op.status });
  }
  return out;
}

export class Store {
  private conn: Connection;
  private listeners = new Set<() => void>();
  private state: StoreState;
  private outbox: OutboxItem[] = [];
  private flushing = false;
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly opts: StoreOptions) {
    this.now = opts.now ?? Date.now;
    this.state = { connection: { state: "reconnecting", detail: {} }, view: null, messages: [], tasks: [], actions: [], awaiting: 0, outbox: [] };
    // What waited before a reload is shown again (proposed anew: one the
    // service already stored is recognised by its client_action_id). One
    // the rules now refuse is dropped and reported, as a refusal.
    for (const item of this.loadOutbox()) {
      const refusal = this.propose(item.body);
      if (!refusal) this.outbox.push(item);
      else opts.onRefused?.(refusal, item.body);
    }
    this.saveOutbox();
    this.conn = connect({
      baseUrl: opts.baseUrl,
      token: opts.token,
      cursor: () => opts.replica.cursorQuery(),
      WebSocket: opts.WebSocket,
      fetch: opts.fetch,
      ...(opts.connect ?? {}),
      onFrame: (frame, raw) => this.frame(frame, raw),
      onState: (state, detail) => {
        opts.onConnection?.(state, detail);
        if (this.closed) return;
        this.state = { ...this.state, connection: { state, detail } };
        this.emit();
        if (state === "connected") void this.flush();
      },
      onError: (e) => opts.onError?.(e),
    });
    this.refresh();
  }

  /** The connection (snapshot, resume). */
  get connection(): Connection {
    return this.conn;
  }

  getState = (): StoreState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Shows `type`/`payload` at once and queues it for the service. */
  send(type: ClientEvent["type"], payload: object): SendResult {
    const body = { type, payload, client_action_id: uuid(), event_id: uuid() } as ClientEvent;
    const max = this.opts.maxOutbox ?? 200;
    if (this.outbox.length >= max) {
      return { ok: false, refusal: { code: "outbox_full", message: `${max} events already wait to be sent: reconnect first` } };
    }
    const refusal = this.propose(body);
    if (refusal) return { ok: false, refusal };
    const done = new Promise<Ack | null>((resolve) => this.settle.set(body.client_action_id!, resolve));
    this.outbox.push({ body, madeAt: this.now() });
    // Shown first, then kept (in the same task: no reload comes between).
    this.refresh();
    this.saveOutbox();
    void this.flush();
    return { ok: true, done };
  }

  /** Re-reads the replica's view (e.g. each minute, for times shown relative to now). */
  refresh(): void {
    let view: View;
    try {
      view = JSON.parse(this.opts.replica.viewJson(this.now())) as View;
    } catch {
      return;
    }
    const confirmed = Number(this.opts.replica.seq());
    const actions = view.state.actions as Action[];
    this.state = {
      ...this.state,
      view,
      messages: assembleMessages(view.state, confirmed),
      tasks: view.state.tasks,
      actions,
      awaiting: actions.filter((a) => a.status === "awaiting_approval").length,
      outbox: this.outbox.slice(),
    };
    this.emit();
  }

  close(): void {
    this.closed = true;
    for (const resolve of this.settle.values()) resolve(null);
    this.settle.clear();
    this.conn.close();
    this.listeners.clear();
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }

  /** Resolvers of `send`'s `done`: the ack, or null when refused. */
  private settle = new Map<string, (ack: Ack | null) => void>();

  private propose(body: ClientEvent): Refusal | null {
    const r = JSON.parse(this.opts.replica.propose(JSON.stringify(body), this.now())) as { ok?: true; error?: Refusal };
    return r.error ?? null;
  }

  private frame(frame: StreamFrame, raw: string): void {
    if (this.closed) return;
    const r = JSON.parse(this.opts.replica.frame(raw)) as { gap: boolean };
    if (r.gap) {
      this.conn.resume();
      return;
    }
    this.opts.onFrame?.(frame);
    this.refreshSoon();
  }

  private queued = false;
  /** Many tokens come at once: one refresh per animation frame (or task). */
  private refreshSoon(): void {
    if (this.queued) return;
    this.queued = true;
    const run = () => {
      this.queued = false;
      if (!this.closed) this.refresh();
    };
    if (typeof requestAnimationFrame === "function") requestAnimationFrame(run);
    else setTimeout(run, 0);
  }

  /** Sends the outbox in order, one event at a time, while connected. */
  private async flush(): Promise<void> {
    if (this.flushing || this.closed) return;
    this.flushing = true;
    try {
      while (this.outbox.length && this.state.connection.state === "connected" && !this.closed) {
        const item = this.outbox[0];
        let ack: Ack | null = null;
        try {
          ack = await this.conn.send(item.body);
        } catch (e) {
          const err = e instanceof ApiError ? e : new ApiError(0, "unavailable", String(e));
          if (err.status === 0 || err.status >= 500 || err.status === 429 || err.status === 401) {
            // Not answered: it stays first in line for the next connection.
            if (err.status === 429) {
              await new Promise((r) => setTimeout(r, err.retryAfterMs ?? 1000));
              continue;
            }
            // A 5xx over a stream that stays open: try again shortly (a
            // dropped stream tries again when it reconnects).
            if (err.status >= 500) setTimeout(() => void this.flush(), 2000);
            break;
          }
          this.opts.replica.reject(item.body.client_action_id!);
          this.opts.onRefused?.({ code: err.code, message: err.message, field: err.field }, item.body);
        }
        if (this.closed) return;
        this.outbox.shift();
        this.saveOutbox();
        this.settle.get(item.body.client_action_id!)?.(ack);
        this.settle.delete(item.body.client_action_id!);
        this.refresh();
      }
    } finally {
      this.flushing = false;
    }
  }

  private loadOutbox(): OutboxItem[] {
    const { storage, outboxKey } = this.opts;
    if (!storage || !outboxKey) return [];
    try {
      const items = JSON.parse(storage.getItem(outboxKey) ?? "[]");
      return Array.isArray(items) ? items.filter((i) => i && typeof i === "object" && i.body?.client_action_id) : [];
    } catch {
      return [];
    }
  }

  private saveOutbox(): void {
    const { storage, outboxKey } = this.opts;
    if (!storage || !outboxKey) return;
    if (this.outbox.length) storage.setItem(outboxKey, JSON.stringify(this.outbox));
    else storage.removeItem(outboxKey);
  }
}

/** A store for one signed-in user (see `Store`). */
export function createStore(opts: StoreOptions): Store {
  return new Store(opts);
}
