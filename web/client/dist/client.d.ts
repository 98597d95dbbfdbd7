import { Ack, ClientEvent, ErrorCode, Snapshot, type ApiError as ApiErrorBody, type StreamFrame } from "./schemas.js";
export type ConnectionState = "connected" | "reconnecting" | "offline";
/** Close codes of the stream (README, API v1). */
export declare const CLOSE_RESUME = 4000;
export declare const CLOSE_TOKEN_EXPIRED = 4001;
export declare const CLOSE_TOO_MANY_SUBSCRIBERS = 4029;
/** The client kept sending events while they were refused with 429. */
export declare const CLOSE_RATE_LIMITED = 4008;
/** The heartbeat (README, API v1): the client sends the text frame `ping`
 * on the open stream, both services answer `pong` at once. Neither is JSON. */
export declare const PING = "ping";
export declare const PONG = "pong";
/** An error answer, or a local failure given the same shape. `status` 0:
 * no answer (network). */
export declare class ApiError extends Error {
    readonly status: number;
    readonly code: ErrorCode | "invalid_frame";
    readonly field?: string | undefined;
    /** With 429: how long to wait before sending again. */
    readonly retryAfterMs?: number | undefined;
    constructor(status: number, code: ErrorCode | "invalid_frame", message: string, field?: string | undefined, 
    /** With 429: how long to wait before sending again. */
    retryAfterMs?: number | undefined);
    static from(status: number, body: ApiErrorBody): ApiError;
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
    backoff?: {
        initialMs?: number;
        maxMs?: number;
    };
    /** The heartbeat: a `ping` every `intervalMs` on the open stream (default
     * 15000); when nothing at all (its `pong` or any frame) arrives within
     * `timeoutMs` of one (default 10000), the link is taken for dead: the
     * socket is dropped and the client reconnects (`reconnecting`), resuming
     * from its cursor. `false`: no heartbeat. */
    heartbeat?: {
        intervalMs?: number;
        timeoutMs?: number;
    } | false;
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
/** A local refusal, with the service's code for the same mistake. */
export declare function validateClientEvent(body: unknown): ClientEvent;
export declare class Connection {
    private readonly opts;
    private ws;
    private cursor;
    private waiting;
    private attempts;
    private timer;
    private beat;
    private deadline;
    private stopped;
    private openedAt;
    private etag;
    private cached;
    private listeners;
    private readonly WS;
    private readonly fetchFn;
    state: ConnectionState;
    constructor(opts: ConnectOptions);
    /** The cursor the client will resume from. */
    cursorQuery(): string;
    /** Adds a frame listener besides `onFrame`; returns its removal. */
    subscribe(listener: (frame: StreamFrame, raw: string) => void): () => void;
    /** Sends a client event: on the open socket (answered in order by an ack
     * or error frame), else by HTTP POST. Rejects with an ApiError. */
    send(body: ClientEvent): Promise<Ack>;
    /** GET /v1/snapshot, with If-None-Match once an ETag is known. */
    snapshot(): Promise<SnapshotResult>;
    /** Drops the socket and resumes at once from the cursor (e.g. after a gap
     * a replica saw). */
    resume(): void;
    /** Closes for good. */
    close(): void;
    private token;
    private initialCursor;
    private url;
    private http;
    private answer;
    private post;
    private setState;
    private open;
    /** False (and stops) when the service refuses the token. */
    private probe;
    private retry;
    private schedule;
    /** The browser says the network is back: try at once. */
    private readonly online;
    /** Pings `ws` every interval; a ping with nothing heard back within the
     * timeout drops it and reconnects. */
    private startHeartbeat;
    /** Something arrived: the link is alive. */
    private heard;
    private stopHeartbeat;
    /** No answer to a ping: the socket may never say it closed (a dead link
     * delivers no close), so it is dropped here and the stream resumes. */
    private dead;
    private dropSocket;
    /** Messages sent on a socket that closed before answering: their outcome
     * is unknown, so each goes again by HTTP (idempotent when it carries a
     * client_action_id or event_id; otherwise it is reported as unavailable). */
    private failWaiting;
    private receive;
    private invalid;
}
/** Opens the stream and returns the connection. */
export declare function connect(opts: ConnectOptions): Connection;
