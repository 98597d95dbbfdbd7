import type { StreamFrame } from "./schemas.js";
export type Delivery = "new" | "duplicate" | "gap";
/** At most this many `tokens` items: the service refuses a longer list. */
export declare const MAX_CURSOR_OPERATIONS = 16;
export declare class Cursor {
    after: number;
    /** operation_id -> [attempt, next index] (kept sorted on output). */
    readonly tokens: Map<string, [number, number]>;
    /** Operations finished for good, whose items can go once the list is long. */
    private readonly finished;
    /** Parses `after=N&tokens=op:attempt:next,...` (what `toQuery` writes). */
    static parse(query: string): Cursor;
    /** `after=<seq>&tokens=<op:attempt:next,...>`, operations in id order. */
    toQuery(): string;
    /** Checks that `frame` continues this cursor and, if it does, advances it. */
    accept(frame: StreamFrame): Delivery;
    /** Remembers that no token of `op` comes any more; its item is dropped
     * once the list would pass the service's bound. */
    private finish;
    private trim;
}
