// A typed client of microcos API v1: the stream (GET /v1/stream over a
// WebSocket, resumed with the cursor, reconnected with backoff), client events
// sent on the open socket (HTTP POST when it is not open) and the snapshot
// with its ETag. Every frame and answer is checked with the Zod schemas.
import { Cursor } from "./cursor.js";
import { Ack, ClientEvent, ErrorBody, Frame, Snapshot, } from "./schemas.js";
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
    status;
    code;
    field;
    retryAfterMs;
    constructor(status, code, message, field, 
    /** With 429: how long to wait before sending again. */
    retryAfterMs) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
        this.retryAfterMs = retryAfterMs;
        this.name = "ApiError";
    }
    static from(status, body) {
        return new ApiError(status, body.code, body.message, body.field, body.retry_after_ms);
    }
}
/** A local refusal, with the service's code for the same mistake. */
export function validateClientEvent(body) {
    const r = ClientEvent.safeParse(body);
    if (r.success)
        return r.data;
    // The most specific issue: a union reports its branch's issues inside.
    let issue = r.error.issues[0];
    if (issue?.code === "invalid_union" && Array.isArray(issue.errors)) {
        const t = body?.type;
        const branch = issue.errors.find((errs) => !errs.some((e) => e.path?.[0] === "type"));
        if (branch && branch[0])
            issue = branch[0];
        else if (typeof t === "string")
            return fail("unknown_event_type", `unknown event type ${t}`, "type");
    }
    const field = (issue?.path ?? []).join(".") || undefined;
    const code = issueCode(issue, body);
    return fail(code, issue?.message ?? "invalid", issue?.keys?.length ? [field, issue.keys[0]].filter(Boolean).join(".") : field);
}
function fail(code, message, field) {
    throw new ApiError(422, code, message, field);
}
function issueCode(issue, body) {
    switch (issue?.code) {
        case "custom":
            return issue.params?.code ?? "invalid_value";
        case "unrecognized_keys":
            return "unknown_field";
        case "invalid_type": {
            let v = body;
            for (const p of issue.path ?? [])
                v = v?.[p];
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
    opts;
    ws = null;
    cursor;
    waiting = [];
    attempts = 0;
    timer = null;
    beat = null;
    deadline = null;
    stopped = false;
    openedAt = 0;
    etag = null;
    cached = null;
    listeners = new Set();
    WS;
    fetchFn;
    state = "reconnecting";
    constructor(opts) {
        this.opts = opts;
        this.WS = opts.WebSocket ?? globalThis.WebSocket;
        this.fetchFn = opts.fetch ?? globalThis.fetch.bind(globalThis);
        this.cursor = this.initialCursor();
        if (typeof addEventListener === "function")
            addEventListener("online", this.online);
        this.open();
    }
    /** The cursor the client will resume from. */
    cursorQuery() {
        return this.cursor.toQuery();
    }
    /** Adds a frame listener besides `onFrame`; returns its removal. */
    subscribe(listener) {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }
    /** Sends a client event: on the open socket (answered in order by an ack
     * or error frame), else by HTTP POST. Rejects with an ApiError. */
    send(body) {
        let checked;
        try {
            checked = validateClientEvent(body);
        }
        catch (e) {
            return Promise.reject(e);
        }
        if (this.ws && this.ws.readyState === this.WS.OPEN && this.state === "connected") {
            return new Promise((resolve, reject) => {
                this.waiting.push({ body: checked, resolve, reject });
                this.ws.send(JSON.stringify(checked));
            });
        }
        return this.post(checked);
    }
    /** GET /v1/snapshot, with If-None-Match once an ETag is known. */
    async snapshot() {
        const headers = { authorization: `Bearer ${this.token()}` };
        if (this.etag && this.cached)
            headers["if-none-match"] = this.etag;
        const res = await this.http("/v1/snapshot", { headers });
        if (res.status === 304 && this.cached)
            return { snapshot: this.cached, etag: this.etag, notModified: true };
        const body = await this.answer(res);
        const parsed = Snapshot.safeParse(body);
        if (!parsed.success)
            throw new ApiError(res.status, "invalid_frame", `snapshot: ${parsed.error.message}`);
        this.etag = res.headers.get("etag");
        this.cached = parsed.data;
        return { snapshot: parsed.data, etag: this.etag, notModified: false };
    }
    /** Drops the socket and resumes at once from the cursor (e.g. after a gap
     * a replica saw). */
    resume() {
        if (this.stopped)
            return;
        this.dropSocket(CLOSE_RESUME, "resume");
        this.schedule(0, {});
    }
    /** Closes for good. */
    close() {
        this.stopped = true;
        if (this.timer)
            clearTimeout(this.timer);
        if (typeof removeEventListener === "function")
            removeEventListener("online", this.online);
        this.dropSocket(1000, "closed");
        this.setState("offline", { reason: "closed" });
    }
    // ---- internals ----
    token() {
        return typeof this.opts.token === "function" ? this.opts.token() : this.opts.token;
    }
    initialCursor() {
        const c = this.opts.cursor;
        if (c === undefined)
            return this.cursor ?? new Cursor();
        return Cursor.parse(typeof c === "function" ? c() : c);
    }
    url(path) {
        const base = this.opts.baseUrl || (typeof location !== "undefined" ? location.origin : "");
        return base.replace(/\/$/, "") + path;
    }
    http(path, init) {
        return this.fetchFn(this.url(path), init).catch((e) => {
            throw new ApiError(0, "unavailable", `network: ${e?.message ?? e}`);
        });
    }
    async answer(res) {
        let body;
        try {
            body = await res.json();
        }
        catch {
            throw new ApiError(res.status, res.status >= 500 ? "unavailable" : "bad_request", `HTTP ${res.status} without a JSON body`);
        }
        if (!res.ok) {
            const e = ErrorBody.safeParse(body);
            if (e.success)
                throw ApiError.from(res.status, e.data.error);
            throw new ApiError(res.status, "invalid_frame", `HTTP ${res.status}: unexpected body`);
        }
        return body;
    }
    async post(body) {
        const res = await this.http("/v1/events", {
            method: "POST",
            headers: { authorization: `Bearer ${this.token()}`, "content-type": "application/json" },
            body: JSON.stringify(body),
        });
        const ack = Ack.safeParse(await this.answer(res));
        if (!ack.success)
            throw new ApiError(res.status, "invalid_frame", `ack: ${ack.error.message}`);
        return ack.data;
    }
    setState(state, detail) {
        const changed = state !== this.state;
        this.state = state;
        if (changed || detail.code !== undefined)
            this.opts.onState?.(state, detail);
    }
    open() {
        if (this.stopped)
            return;
        this.timer = null;
        if (typeof this.opts.cursor === "function")
            this.cursor = this.initialCursor();
        const wsBase = this.url("").replace(/^http/, "ws");
        const q = this.cursor.toQuery();
        let ws;
        try {
            ws = new this.WS(`${wsBase}/v1/stream?${q}`, ["microcos", `bearer.${this.token()}`]);
        }
        catch (e) {
            this.retry({ reason: String(e) });
            return;
        }
        this.ws = ws;
        let opened = false;
        ws.onopen = () => {
            if (this.ws !== ws)
                return;
            opened = true;
            this.openedAt = Date.now();
            this.startHeartbeat(ws);
            this.setState("connected", {});
        };
        ws.onmessage = (m) => {
            if (this.ws !== ws)
                return;
            this.heard();
            if (m.data === PONG)
                return;
            if (typeof m.data === "string")
                this.receive(m.data);
        };
        ws.onclose = (ev) => {
            if (this.ws !== ws)
                return;
            this.stopHeartbeat();
            this.ws = null;
            this.failWaiting();
            if (this.stopped)
                return;
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
            if (opened && Date.now() - this.openedAt > 5_000)
                this.attempts = 0;
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
                this.probe().then((ok) => {
                    if (ok)
                        this.retry({ code: ev.code, reason: "cannot reach the service" });
                }, () => this.retry({ code: ev.code, reason: "cannot reach the service" }));
                return;
            }
            this.retry({ code: ev.code, reason: ev.reason || "connection lost" });
        };
        ws.onerror = () => { };
    }
    /** False (and stops) when the service refuses the token. */
    async probe() {
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
    retry(detail, floorMs = 0) {
        const initial = this.opts.backoff?.initialMs ?? 250;
        const cap = Math.max(this.opts.backoff?.maxMs ?? 15_000, floorMs);
        const base = Math.min(cap, Math.max(floorMs, initial * 2 ** this.attempts));
        this.attempts = Math.min(this.attempts + 1, 30);
        // "Equal jitter": half fixed, half random, so retries spread out but
        // never come back at once.
        const delay = Math.round(base / 2 + Math.random() * (base / 2));
        this.schedule(delay, { ...detail, retryInMs: delay });
    }
    schedule(delay, detail) {
        if (this.timer)
            clearTimeout(this.timer);
        const offline = typeof navigator !== "undefined" && navigator.onLine === false;
        this.setState(offline ? "offline" : "reconnecting", offline ? { ...detail, reason: "the device is offline" } : detail);
        this.timer = setTimeout(() => this.open(), delay);
    }
    /** The browser says the network is back: try at once. */
    online = () => {
        if (!this.stopped && !this.ws) {
            this.attempts = 0;
            this.schedule(0, { reason: "back online" });
        }
    };
    /** Pings `ws` every interval; a ping with nothing heard back within the
     * timeout drops it and reconnects. */
    startHeartbeat(ws) {
        this.stopHeartbeat();
        const hb = this.opts.heartbeat;
        if (hb === false)
            return;
        const every = hb?.intervalMs ?? 15_000;
        const wait = hb?.timeoutMs ?? 10_000;
        this.beat = setInterval(() => {
            if (this.ws !== ws || ws.readyState !== this.WS.OPEN)
                return;
            try {
                ws.send(PING);
            }
            catch { }
            this.deadline ??= setTimeout(() => this.dead(ws, wait), wait);
        }, every);
    }
    /** Something arrived: the link is alive. */
    heard() {
        if (this.deadline)
            clearTimeout(this.deadline);
        this.deadline = null;
    }
    stopHeartbeat() {
        if (this.beat)
            clearInterval(this.beat);
        this.beat = null;
        this.heard();
    }
    /** No answer to a ping: the socket may never say it closed (a dead link
     * delivers no close), so it is dropped here and the stream resumes. */
    dead(ws, waitedMs) {
        this.deadline = null;
        if (this.ws !== ws || this.stopped)
            return;
        if (Date.now() - this.openedAt > 5_000)
            this.attempts = 0;
        this.dropSocket(CLOSE_RESUME, "no answer to the heartbeat");
        this.retry({ reason: `no answer to the heartbeat in ${waitedMs} ms` });
    }
    dropSocket(code, reason) {
        this.stopHeartbeat();
        const ws = this.ws;
        this.ws = null;
        this.failWaiting();
        if (ws) {
            try {
                ws.close(code === 1000 ? 1000 : 4000, reason);
            }
            catch { }
        }
    }
    /** Messages sent on a socket that closed before answering: their outcome
     * is unknown, so each goes again by HTTP (idempotent when it carries a
     * client_action_id or event_id; otherwise it is reported as unavailable). */
    failWaiting() {
        const waiting = this.waiting;
        this.waiting = [];
        for (const w of waiting) {
            if (w.body.client_action_id || w.body.event_id)
                this.post(w.body).then(w.resolve, w.reject);
            else
                w.reject(new ApiError(0, "unavailable", "the connection closed before the answer; it may or may not have been stored"));
        }
    }
    receive(raw) {
        let json;
        try {
            json = JSON.parse(raw);
        }
        catch {
            return this.invalid(`not JSON: ${raw.slice(0, 80)}`);
        }
        const parsed = Frame.safeParse(json);
        if (!parsed.success) {
            return this.invalid(`${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")} in ${raw.slice(0, 200)}`);
        }
        const frame = parsed.data;
        if (frame.frame === "ack" || frame.frame === "error") {
            const w = this.waiting.shift();
            if (!w)
                return this.invalid(`an answer nobody waits for: ${raw.slice(0, 120)}`);
            if (frame.frame === "ack") {
                const { frame: _f, ...ack } = frame;
                w.resolve(ack);
            }
            else {
                w.reject(ApiError.from(frame.status, frame.error));
            }
            return;
        }
        const delivery = this.cursor.accept(frame);
        if (delivery === "duplicate")
            return;
        if (delivery === "gap") {
            this.resume();
            return;
        }
        this.opts.onFrame(frame, raw);
        for (const l of this.listeners)
            l(frame, raw);
    }
    invalid(message) {
        this.opts.onError?.(new ApiError(0, "invalid_frame", message));
        this.dropSocket(4000, "invalid frame");
        this.retry({ reason: "invalid frame" });
    }
}
/** Opens the stream and returns the connection. */
export function connect(opts) {
    return new Connection(opts);
}
