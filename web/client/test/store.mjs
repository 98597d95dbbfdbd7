#!/usr/bin/env node
// Unit tests of @microcos/client/store (src/store.ts) with a fake WebSocket,
// a fake replica and an in-memory Storage: the outbox keeps its order, sends
// one event at a time and only while connected, survives a "reload" (a new
// store on the same storage), keeps an event whose answer was lost for the
// next connection with the same ids, rolls a refusal back with its code, and
// is bounded. Run by scripts/test's web step:
//
//   node web/client/test/store.mjs

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const bundle = await esbuild.build({
  entryPoints: [join(here, "..", "src", "store.ts")],
  bundle: true,
  format: "esm",
  platform: "neutral",
  write: false,
  logLevel: "warning",
});
const { createStore } = await import("data:text/javascript;base64," + Buffer.from(bundle.outputFiles[0].text).toString("base64"));

let checks = 0;
let failures = 0;
const check = (ok, what) => {
  checks++;
  if (!ok) {
    failures++;
    console.error(`FAIL ${what}`);
  }
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const until = async (cond, ms = 2000) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await sleep(2);
  return cond();
};

// The service behind the fake socket: answers each event with an ack (or
// the error `refuse` gives for it), unless `mute` (the answer is lost).
const service = { stored: [], mute: false, refuse: () => null, inFlight: 0, maxInFlight: 0, seq: 0 };
const sockets = [];
class FakeSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
  constructor(url) {
    Object.assign(this, { url, readyState: 0 });
    sockets.push(this);
    if (service.up) setTimeout(() => this.open(), 1);
  }
  open() {
    if (this.readyState !== 0) return;
    this.readyState = 1;
    this.onopen?.({});
  }
  send(data) {
    if (data === "ping") return;
    const body = JSON.parse(data);
    service.inFlight++;
    service.maxInFlight = Math.max(service.maxInFlight, service.inFlight);
    setTimeout(() => {
      service.inFlight--;
      if (this.readyState !== 1) return;
      const refusal = service.refuse(body);
      if (refusal) return this.onmessage?.({ data: JSON.stringify({ frame: "error", status: refusal.status, error: { code: refusal.code, message: "no", field: refusal.field } }) });
      const known = service.stored.find((s) => s.client_action_id === body.client_action_id);
      if (!known) service.stored.push(body);
      if (service.mute) return; // stored, but the answer is lost
      this.onmessage?.({ data: JSON.stringify({ frame: "ack", duplicate: !!known, event_id: body.event_id, request_id: body.event_id, seq: ++service.seq }) });
    }, 3);
  }
  close(code) {
    if (this.readyState >= 2) return;
    this.readyState = 3;
    setTimeout(() => this.onclose?.({ code: code ?? 1006, reason: "" }), 1);
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({ code: 1006, reason: "gone" });
  }
}
// HTTP: the probe and any POST fail like a dead network while the service is down.
const fetchFn = async (url, init) => {
  if (!service.up) throw new TypeError("Failed to fetch");
  if (String(url).includes("/v1/events") && init?.method === "POST") {
    const body = JSON.parse(init.body);
    if (!service.stored.some((s) => s.client_action_id === body.client_action_id)) service.stored.push(body);
    return new Response(JSON.stringify({ duplicate: false, event_id: body.event_id, request_id: body.event_id, seq: ++service.seq }), { status: 202, headers: { "content-type": "application/json" } });
  }
  return new Response(JSON.stringify({ events: [], next_after: 0 }), { status: 200, headers: { "content-type": "application/json" } });
};

// The replica: records what it was asked; a proposal of `refuseLocally`'s type is refused.
function fakeReplica() {
  const r = {
    proposed: [],
    rejected: [],
    refuseLocally: null,
    cursorQuery: () => "after=0",
    frame: () => JSON.stringify({ gap: false, new: true, confirmed: [] }),
    propose(body) {
      const b = JSON.parse(body);
      if (b.type === r.refuseLocally) return JSON.stringify({ error: { code: "too_long", message: "too long", field: "payload.title" } });
      r.proposed.push(b);
      return JSON.stringify({ ok: true });
    },
    reject(id) {
      r.rejected.push(id);
      return true;
    },
    viewJson: () => JSON.stringify({ seq: 0, state: { messages: [], tasks: [], actions: [], operations: [], reminders: [] }, pending: [] }),
    cacheJson: () => "{}",
    seq: () => 0,
  };
  return r;
}
const storage = new Map();
const memoryStorage = { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => storage.set(k, String(v)), removeItem: (k) => storage.delete(k) };
const refusals = [];
const make = (replica, extra = {}) =>
  createStore({
    baseUrl: "http://service.test",
    token: "t",
    replica,
    storage: memoryStorage,
    outboxKey: "outbox.alice",
    WebSocket: FakeSocket,
    fetch: fetchFn,
    onRefused: (r, body) => refusals.push([r.code, body.type]),
    connect: { heartbeat: false, backoff: { initialMs: 5, maxMs: 20 } },
    ...extra,
  });
const saved = () => JSON.parse(storage.get("outbox.alice") ?? "[]").map((i) => i.body.payload.title ?? i.body.type);

// 1. Offline: sends are shown (proposed) and kept, in order, in storage.
service.up = false;
const replica = fakeReplica();
let store = make(replica);
const sent = ["one", "two", "three"].map((title) => store.send("task.created", { title }));
check(sent.every((s) => s.ok), "offline sends are taken");
check(replica.proposed.map((b) => b.payload.title).join() === "one,two,three", "each is proposed to the replica at once");
check(saved().join() === "one,two,three" && store.getState().outbox.length === 3, `the outbox holds them in order and in storage (${saved()})`);
check(sent.every((s) => s.ok && s.body === undefined) && new Set(replica.proposed.map((b) => b.client_action_id)).size === 3 && replica.proposed.every((b) => b.event_id), "each carries its own client_action_id and event_id");
await sleep(50);
check(service.stored.length === 0, "nothing reaches the service while it is down");

// 2. A local refusal is not queued.
replica.refuseLocally = "task.updated";
const local = store.send("task.updated", { task_id: "x" });
check(!local.ok && local.refusal.code === "too_long" && store.getState().outbox.length === 3, "a local refusal is returned, not queued");

// 3. "Reload": a new store on the same storage proposes the outbox again, in order.
store.close();
const replica2 = fakeReplica();
store = make(replica2);
check(replica2.proposed.map((b) => b.payload.title).join() === "one,two,three", "after a reload the outbox is proposed again, in order");
check(replica2.proposed.map((b) => b.client_action_id).join() === replica.proposed.map((b) => b.client_action_id).join(), "with the same ids");

// 4. Back online: sent in order, one at a time, stored once each; the outbox empties.
service.refuse = (b) => (b.payload.title === "two" ? { status: 404, code: "task_not_found", field: "payload.task_id" } : null);
service.up = true;
for (const s of sockets) s.open();
const ok = await until(() => store.getState().outbox.length === 0 && store.getState().connection.state === "connected");
check(ok, "back online, the outbox empties");
check(service.stored.map((b) => b.payload.title).join() === "one,three" && service.maxInFlight === 1, `stored in order, one in flight at a time (${service.stored.map((b) => b.payload.title)}, at most ${service.maxInFlight} in flight)`);
check(refusals.length === 1 && refusals[0].join() === "task_not_found,task.created" && replica2.rejected.length === 1 && replica2.rejected[0] === replica2.proposed[1].client_action_id, "the refused one is rolled back and reported with its code");
check(!storage.has("outbox.alice"), "an empty outbox leaves nothing in storage");

// 5. An answer lost with the socket: the event goes again, with the same ids, stored once.
service.mute = true;
const lost = store.send("task.created", { title: "four" });
check(await until(() => service.stored.some((b) => b.payload.title === "four"), 500), "the event reached the service (its answer is lost)");
service.up = false; // the re-POST of the lost answer fails: the event stays first in line
sockets.at(-1).drop();
await sleep(40);
check(store.getState().outbox.length === 1 && saved().join() === "four", "an event whose answer was lost stays in the outbox");
service.mute = false;
service.up = true;
for (const s of sockets) s.open();
const ack = await Promise.race([lost.done, sleep(2000).then(() => "timeout")]);
check(ack && ack !== "timeout" && ack.duplicate === true, `sent again on the next connection, answered as the duplicate it is (${JSON.stringify(ack)})`);
check(service.stored.filter((b) => b.payload.title === "four").length === 1, "stored once");

// 6. A 5xx over a stream that stays open: the event stays first and goes
// again shortly, without waiting for a reconnect.
let unavailable = 1;
service.refuse = (b) => (b.payload.title === "five" && unavailable-- > 0 ? { status: 503, code: "unavailable" } : null);
const socketsBefore = sockets.length;
const five = store.send("task.created", { title: "five" });
const fiveAck = await Promise.race([five.done, sleep(4000).then(() => "timeout")]);
check(fiveAck && fiveAck !== "timeout" && service.stored.filter((b) => b.payload.title === "five").length === 1 && sockets.length === socketsBefore, `a 503 is tried again on the same stream and stored once (${JSON.stringify(fiveAck)})`);
service.refuse = () => null;

// 7. An event the rules refuse by now is dropped at a reload, and reported.
{
  service.up = false;
  sockets.at(-1).drop();
  await sleep(20);
  store.close();
  storage.set("outbox.alice", JSON.stringify([{ body: { type: "task.created", payload: { title: "late" }, client_action_id: "ca-late", event_id: "00000000-0000-4000-8000-0000000000aa" }, madeAt: 0 }]));
  const strict = fakeReplica();
  strict.refuseLocally = "task.created";
  const before = refusals.length;
  store = make(strict);
  check(refusals.length === before + 1 && refusals[before].join() === "too_long,task.created" && store.getState().outbox.length === 0 && !storage.has("outbox.alice"), "a reloaded event the rules now refuse is dropped and reported");
}

// 8. Bounded.
store.close();
storage.clear();
store = make(fakeReplica(), { maxOutbox: 2 });
store.send("task.created", { title: "a" });
store.send("task.created", { title: "b" });
const full = store.send("task.created", { title: "c" });
check(!full.ok && full.refusal.code === "outbox_full" && store.getState().outbox.length === 2, "at maxOutbox a further send is refused with outbox_full");
store.close();

console.log(`store: ${checks} checks, ${failures} failures`);
process.exit(failures ? 1 : 0);
