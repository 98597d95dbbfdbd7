// The resume cursor, as core/src/frame.rs defines it: the last stored `seq`
// received and, per streaming operation, its attempt and the next token index
// expected. Fed every event/token/progress frame, it says whether the frame is
// new, a duplicate, or follows a lost frame (a gap: reconnect with the cursor).
/** At most this many `tokens` items: the service refuses a longer list. */
export const MAX_CURSOR_OPERATIONS = 16;
export class Cursor {
    after = 0;
    /** operation_id -> [attempt, next index] (kept sorted on output). */
    tokens = new Map();
    /** Operations finished for good, whose items can go once the list is long. */
    finished = new Set();
    /** Parses `after=N&tokens=op:attempt:next,...` (what `toQuery` writes). */
    static parse(query) {
        const c = new Cursor();
        const params = new URLSearchParams(query.startsWith("?") ? query.slice(1) : query);
        const after = Number(params.get("after") ?? "0");
        if (!Number.isSafeInteger(after) || after < 0)
            throw new Error(`bad cursor: ${query}`);
        c.after = after;
        const tokens = params.get("tokens") ?? "";
        if (tokens) {
            for (const item of tokens.split(",")) {
                const [op, attempt, next, extra] = item.split(":");
                const a = Number(attempt);
                const n = Number(next);
                if (!op || extra !== undefined || !Number.isSafeInteger(a) || !Number.isSafeInteger(n)) {
                    throw new Error(`bad cursor item: ${item}`);
                }
                c.tokens.set(op.toLowerCase(), [a, n]);
            }
        }
        return c;
    }
    /** `after=<seq>&tokens=<op:attempt:next,...>`, operations in id order. */
    toQuery() {
        this.trim();
        const ops = [...this.tokens.keys()].sort();
        return `after=${this.after}&tokens=${ops.map((op) => `${op}:${this.tokens.get(op)[0]}:${this.tokens.get(op)[1]}`).join(",")}`;
    }
    /** Checks that `frame` continues this cursor and, if it does, advances it. */
    accept(frame) {
        switch (frame.frame) {
            case "event": {
                if (frame.seq <= this.after)
                    return "duplicate";
                if (frame.seq > this.after + 1)
                    return "gap";
                this.after = frame.seq;
                const ev = frame.event;
                if (ev.type === "llm.started" && ev.operation_id) {
                    const cur = this.tokens.get(ev.operation_id);
                    if (!cur || cur[0] !== ev.payload.attempt)
                        this.tokens.set(ev.operation_id, [ev.payload.attempt, 0]);
                }
                else if (ev.type === "llm.failed" && ev.payload.terminal && ev.operation_id) {
                    this.finish(ev.operation_id);
                }
                else if (ev.type === "llm.cancel") {
                    this.finish(ev.payload.operation_id);
                }
                return "new";
            }
            case "progress": {
                if (frame.seq <= this.after)
                    return "duplicate";
                if (frame.seq > this.after + 1)
                    return "gap";
                const cur = this.tokens.get(frame.operation_id);
                // Stored tokens the client never received: they were lost.
                if (cur && cur[0] === frame.attempt && cur[1] < frame.through_index)
                    return "gap";
                this.after = frame.seq;
                if (frame.type === "llm.completed") {
                    this.tokens.delete(frame.operation_id);
                    this.finished.delete(frame.operation_id);
                }
                return "new";
            }
            case "token": {
                if (frame.after > this.after)
                    return "gap"; // a stored frame was lost
                const cur = this.tokens.get(frame.operation_id);
                if (cur) {
                    const [a, next] = cur;
                    if (a === frame.attempt && frame.index < next)
                        return "duplicate";
                    if (a === frame.attempt && frame.index > next)
                        return "gap";
                    if (a > frame.attempt)
                        return "duplicate"; // a stale attempt
                    if (a < frame.attempt)
                        return "gap"; // missed llm.started
                }
                this.tokens.set(frame.operation_id, [frame.attempt, frame.index + 1]);
                return "new";
            }
        }
    }
    /** Remembers that no token of `op` comes any more; its item is dropped
     * once the list would pass the service's bound. */
    finish(op) {
        this.finished.add(op);
        this.trim();
    }
    trim() {
        if (this.tokens.size <= MAX_CURSOR_OPERATIONS)
            return;
        for (const f of this.finished) {
            this.tokens.delete(f);
            this.finished.delete(f);
            if (this.tokens.size <= MAX_CURSOR_OPERATIONS)
                break;
        }
    }
}
