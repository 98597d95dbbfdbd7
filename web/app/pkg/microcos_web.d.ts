/* tslint:disable */
/* eslint-disable */

/**
 * The replica, for JavaScript (see the crate docs).
 */
export class Replica {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The confirmed state, to keep for a fast reload.
     */
    cacheJson(): string;
    /**
     * `after=N&tokens=…` for `/v1/stream`.
     */
    cursorQuery(): string;
    /**
     * Feeds one frame; `{"gap","new","confirmed"}`. Throws on a malformed frame.
     */
    frame(frame: string): string;
    /**
     * An empty replica for the token's user (its `sub`).
     */
    constructor(user_id: string);
    /**
     * Proposes a client event body; `{"ok":true}` or `{"error":{…}}`.
     */
    propose(body: string, now_ms: number): string;
    /**
     * Rolls back a pending event the server refused.
     */
    reject(id: string): boolean;
    /**
     * A replica from `cacheJson()`; throws when the cache is unusable.
     */
    static restore(user_id: string, cache: string): Replica;
    /**
     * The last confirmed seq.
     */
    seq(): number;
    /**
     * What to show: `{"seq","state","pending"}`.
     */
    viewJson(now_ms: number): string;
}

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

export interface InitOutput {
    readonly memory: WebAssembly.Memory;
    readonly __wbg_replica_free: (a: number, b: number) => void;
    readonly replica_cacheJson: (a: number) => [number, number];
    readonly replica_cursorQuery: (a: number) => [number, number];
    readonly replica_frame: (a: number, b: number, c: number) => [number, number, number, number];
    readonly replica_new: (a: number, b: number) => [number, number, number];
    readonly replica_propose: (a: number, b: number, c: number, d: number) => [number, number];
    readonly replica_reject: (a: number, b: number, c: number) => number;
    readonly replica_restore: (a: number, b: number, c: number, d: number) => [number, number, number];
    readonly replica_seq: (a: number) => number;
    readonly replica_viewJson: (a: number, b: number) => [number, number];
    readonly __wbindgen_externrefs: WebAssembly.Table;
    readonly __wbindgen_free: (a: number, b: number, c: number) => void;
    readonly __wbindgen_malloc: (a: number, b: number) => number;
    readonly __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
    readonly __externref_table_dealloc: (a: number) => void;
    readonly __wbindgen_start: () => void;
}

export type SyncInitInput = BufferSource | WebAssembly.Module;

/**
 * Instantiates the given `module`, which can either be bytes or
 * a precompiled `WebAssembly.Module`.
 *
 * @param {{ module: SyncInitInput }} module - Passing `SyncInitInput` directly is deprecated.
 *
 * @returns {InitOutput}
 */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;

/**
 * If `module_or_path` is {RequestInfo} or {URL}, makes a request and
 * for everything else, calls `WebAssembly.instantiate` directly.
 *
 * @param {{ module_or_path: InitInput | Promise<InitInput> }} module_or_path - Passing `InitInput` directly is deprecated.
 *
 * @returns {Promise<InitOutput>}
 */
export default function __wbg_init (module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>): Promise<InitOutput>;
