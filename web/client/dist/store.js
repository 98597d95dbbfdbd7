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
import { ApiError, connect } from "./client.js";
const uuid = () => globalThis.crypto.randomUUID();
/** The stored messages, then one per chat reply in progress. Messages
 * beyond the confirmed seq are pending. */
export function assembleMessages(state, confirmedSeq) {
    const out = state.messages.map((m) => ({
        key: `m${m.seq}`,
        role: m.role,
        text: m.text,
        stopped: m.stopped || undefined,
        pending: m.seq > confirmedSeq || undefined,
    }));
    for (const op of state.operations) {
        if (op.kind !== "chat")
            continue;
        out.push({ key: `op${op.operation_id}`, role: "assistant", text: op.text, operationId: op.operation_id, status: op.status });
    }
    return out;
}
export class Store {
    opts;
    conn;
    listeners = new Set();
    state;
    outbox = [];
    flushing = false;
    closed = false;
    now;
    constructor(opts) {
        this.opts = opts;
        this.now = opts.now ?? Date.now;
        this.state = { connection: { state: "reconnecting", detail: {} }, view: null, messages: [], tasks: [], actions: [], awaiting: 0, outbox: [] };
        // What waited before a reload is shown again (proposed anew: one the
        // service already stored is recognised by its client_action_id). One
        // the rules now refuse is dropped and reported, as a refusal.
        for (const item of this.loadOutbox()) {
            const refusal = this.propose(item.body);
            if (!refusal)
                this.outbox.push(item);
            else
                opts.onRefused?.(refusal, item.body);
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
                if (this.closed)
                    return;
                this.state = { ...this.state, connection: { state, detail } };
                this.emit();
                if (state === "connected")
                    void this.flush();
            },
            onError: (e) => opts.onError?.(e),
        });
        this.refresh();
    }
    /** The connection (snapshot, resume). */
    get connection() {
        return this.conn;
    }
    getState = () => this.state;
    subscribe = (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    };
    /** Shows `type`/`payload` at once and queues it for the service. */
    send(type, payload) {
        const body = { type, payload, client_action_id: uuid(), event_id: uuid() };
        const max = this.opts.maxOutbox ?? 200;
        if (this.outbox.length >= max) {
            return { ok: false, refusal: { code: "outbox_full", message: `${max} events already wait to be sent: reconnect first` } };
        }
        const refusal = this.propose(body);
        if (refusal)
            return { ok: false, refusal };
        const done = new Promise((resolve) => this.settle.set(body.client_action_id, resolve));
        this.outbox.push({ body, madeAt: this.now() });
        // Shown first, then kept (in the same task: no reload comes between).
        this.refresh();
        this.saveOutbox();
        void this.flush();
        return { ok: true, done };
    }
    /** Re-reads the replica's view (e.g. each minute, for times shown relative to now). */
    refresh() {
        let view;
        try {
            view = JSON.parse(this.opts.replica.viewJson(this.now()));
        }
        catch {
            return;
        }
        const confirmed = Number(this.opts.replica.seq());
        const actions = view.state.actions;
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
    close() {
        this.closed = true;
        for (const resolve of this.settle.values())
            resolve(null);
        this.settle.clear();
        this.conn.close();
        this.listeners.clear();
    }
    emit() {
        for (const l of this.listeners)
            l();
    }
    /** Resolvers of `send`'s `done`: the ack, or null when refused. */
    settle = new Map();
    propose(body) {
        const r = JSON.parse(this.opts.replica.propose(JSON.stringify(body), this.now()));
        return r.error ?? null;
    }
    frame(frame, raw) {
        if (this.closed)
            return;
        const r = JSON.parse(this.opts.replica.frame(raw));
        if (r.gap) {
            this.conn.resume();
            return;
        }
        this.opts.onFrame?.(frame);
        this.refreshSoon();
    }
    queued = false;
    /** Many tokens come at once: one refresh per animation frame (or task). */
    refreshSoon() {
        if (this.queued)
            return;
        this.queued = true;
        const run = () => {
            this.queued = false;
            if (!this.closed)
                this.refresh();
        };
        if (typeof requestAnimationFrame === "function")
            requestAnimationFrame(run);
        else
            setTimeout(run, 0);
    }
    /** Sends the outbox in order, one event at a time, while connected. */
    async flush() {
        if (this.flushing || this.closed)
            return;
        this.flushing = true;
        try {
            while (this.outbox.length && this.state.connection.state === "connected" && !this.closed) {
                const item = this.outbox[0];
                let ack = null;
                try {
                    ack = await this.conn.send(item.body);
                }
                catch (e) {
                    const err = e instanceof ApiError ? e : new ApiError(0, "unavailable", String(e));
                    if (err.status === 0 || err.status >= 500 || err.status === 429 || err.status === 401) {
                        // Not answered: it stays first in line for the next connection.
                        if (err.status === 429) {
                            await new Promise((r) => setTimeout(r, err.retryAfterMs ?? 1000));
                            continue;
                        }
                        // A 5xx over a stream that stays open: try again shortly (a
                        // dropped stream tries again when it reconnects).
                        if (err.status >= 500)
                            setTimeout(() => void this.flush(), 2000);
                        break;
                    }
                    this.opts.replica.reject(item.body.client_action_id);
                    this.opts.onRefused?.({ code: err.code, message: err.message, field: err.field }, item.body);
                }
                if (this.closed)
                    return;
                this.outbox.shift();
                this.saveOutbox();
                this.settle.get(item.body.client_action_id)?.(ack);
                this.settle.delete(item.body.client_action_id);
                this.refresh();
            }
        }
        finally {
            this.flushing = false;
        }
    }
    loadOutbox() {
        const { storage, outboxKey } = this.opts;
        if (!storage || !outboxKey)
            return [];
        try {
            const items = JSON.parse(storage.getItem(outboxKey) ?? "[]");
            return Array.isArray(items) ? items.filter((i) => i && typeof i === "object" && i.body?.client_action_id) : [];
        }
        catch {
            return [];
        }
    }
    saveOutbox() {
        const { storage, outboxKey } = this.opts;
        if (!storage || !outboxKey)
            return;
        if (this.outbox.length)
            storage.setItem(outboxKey, JSON.stringify(this.outbox));
        else
            storage.removeItem(outboxKey);
    }
}
/** A store for one signed-in user (see `Store`). */
export function createStore(opts) {
    return new Store(opts);
}
