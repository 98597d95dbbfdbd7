import { ApiError, type Connection, type ConnectionState, type StateDetail } from "./client.js";
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
export type Action = State["actions"][number] & {
    description?: string | null;
};
/** One event waiting in the outbox. */
export interface OutboxItem {
    body: ClientEvent;
    /** When it was made (ms since the epoch). */
    madeAt: number;
}
export interface StoreState {
    connection: {
        state: ConnectionState;
        detail: StateDetail;
    };
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
export type SendResult = {
    ok: true;
    done: Promise<Ack | null>;
} | {
    ok: false;
    refusal: Refusal;
};
/** The stored messages, then one per chat reply in progress. Messages
 * beyond the confirmed seq are pending. */
export declare function assembleMessages(state: State, confirmedSeq: number): ChatMessage[];
export declare class Store {
    private readonly opts;
    private conn;
    private listeners;
    private state;
    private outbox;
    private flushing;
    private closed;
    private readonly now;
    constructor(opts: StoreOptions);
    /** The connection (snapshot, resume). */
    get connection(): Connection;
    getState: () => StoreState;
    subscribe: (listener: () => void) => (() => void);
    /** Shows `type`/`payload` at once and queues it for the service. */
    send(type: ClientEvent["type"], payload: object): SendResult;
    /** Re-reads the replica's view (e.g. each minute, for times shown relative to now). */
    refresh(): void;
    close(): void;
    private emit;
    /** Resolvers of `send`'s `done`: the ack, or null when refused. */
    private settle;
    private propose;
    private frame;
    private queued;
    /** Many tokens come at once: one refresh per animation frame (or task). */
    private refreshSoon;
    /** Sends the outbox in order, one event at a time, while connected. */
    private flush;
    private loadOutbox;
    private saveOutbox;
}
/** A store for one signed-in user (see `Store`). */
export declare function createStore(opts: StoreOptions): Store;
