#!/usr/bin/env node
// Records what a real local service sends into web/client/test/fixtures/recorded.jsonl
// (one {"kind","body"} per line: frame, ack, error, snapshot), for run.mjs to
// check against the schemas. Re-run it when the wire changes:
//
//   cargo build --release --bin microcos && node web/client/test/record.mjs
//
// It starts MICROCOS_BIN (default target/release/microcos, else
// target/debug/microcos) on a free port with a fresh data folder (or uses
// MICROCOS_URL and MICROCOS_SECRET) and drives every client event type over
// the socket and over HTTP, including a failure and a cancel, the time zone
// in both forms (a zone's name and the older tz_offset_minutes) and the
// refusals of an unknown zone and of a reminder in the past.

import { spawn, execFileSync } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

if (typeof WebSocket === "undefined") {
  // Node 20 has the WebSocket client behind a flag.
  execFileSync(process.execPath, ["--experimental-websocket", "--no-warnings", fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(0);
}

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");

export function signToken(secret, sub, ttlSeconds = 3600) {
  const b64 = (v) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const head = b64({ alg: "HS256", typ: "JWT" });
  const claims = b64({ sub, iat: now, exp: now + ttlSeconds });
  const sig = createHmac("sha256", secret).update(`${head}.${claims}`).digest("base64url");
  return `${head}.${claims}.${sig}`;
}

let server = null;
let dataDir = null;
let base = process.env.MICROCOS_URL;
let secret = process.env.MICROCOS_SECRET;
if (!base) {
  secret = "record-secret-" + "x".repeat(32);
  dataDir = mkdtempSync(join(tmpdir(), "microcos-record-"));
  const port = 20000 + Math.floor(Math.random() * 20000);
  base = `http://127.0.0.1:${port}`;
  const release = join(root, "target", "release", "microcos");
  const bin = process.env.MICROCOS_BIN || (existsSync(release) ? release : join(root, "target", "debug", "microcos"));
  server = spawn(bin, ["serve", "--addr", `127.0.0.1:${port}`, "--data", dataDir, "--token-delay-ms", "5"], {
    env: { ...process.env, MICROCOS_SECRET: secret },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {}
    if (i > 100) throw new Error("the service did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
}

const token = signToken(secret, "recorder");
const lines = [];
const record = (kind, body) => lines.push(JSON.stringify({ kind, body }));
const auth = { authorization: `Bearer ${token}` };

const ws = new WebSocket(`${base.replace(/^http/, "ws")}/v1/stream?after=0&tokens=`, ["microcos", `bearer.${token}`]);
const frames = [];
const waiters = [];
ws.onmessage = (m) => {
  const f = JSON.parse(m.data);
  record("frame", f);
  frames.push(f);
  for (const w of [...waiters]) w();
};
await new Promise((res, rej) => {
  ws.onopen = res;
  ws.onerror = rej;
});
function until(pred, ms = 20000) {
  return new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error("timeout waiting for a frame")), ms);
    const check = () => {
      const f = frames.find(pred);
      if (f) {
        clearTimeout(t);
        waiters.splice(waiters.indexOf(check), 1);
        res(f);
      }
    };
    waiters.push(check);
    check();
  });
}
const answers = [];
function sendWs(type, payload) {
  const body = { type, payload, client_action_id: randomUUID(), event_id: randomUUID() };
  ws.send(JSON.stringify(body));
  return until((f) => (f.frame === "ack" || f.frame === "error") && !answers.includes(f)).then((f) => (answers.push(f), f));
}
async function post(type, payload) {
  const res = await fetch(`${base}/v1/events`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ type, payload, client_action_id: randomUUID() }) });
  const body = await res.json();
  record(res.ok ? "ack" : "error", body);
  return body;
}
async function snapshot() {
  const res = await fetch(`${base}/v1/snapshot`, { headers: auth });
  record("snapshot", await res.json());
}
const done = (op) => until((f) => f.frame === "event" && f.event.operation_id === op && ["assistant.message", "plan.generated", "tasks.extracted", "summary.generated"].includes(f.event.type) || (f.frame === "event" && f.event.type === "llm.failed" && f.event.operation_id === op && f.event.payload.terminal));

await snapshot(); // no zone chosen yet: time_zone null
// The older form of the zone (minutes east of UTC), read as "+01:00"; then a
// zone's name, an unknown one and both forms at once (422 invalid_value).
await sendWs("settings.updated", { tz_offset_minutes: 60, daily_plan_time: "07:30" });
await snapshot();
await sendWs("settings.updated", { time_zone: "Mars/Olympus" });
await post("settings.updated", { time_zone: "Europe/Berlin", tz_offset_minutes: 60 });
await sendWs("settings.updated", { time_zone: "Europe/Berlin", daily_plan_time: "07:30" });
await snapshot();
const task = randomUUID();
await sendWs("task.created", { task_id: task, title: "Book flights", due_date: "2026-12-01", notes: "window seat" });
await post("task.created", { title: "Pay rent" });
await sendWs("task.updated", { task_id: task, title: "Book flights to Oslo" });
await sendWs("task.completed", { task_id: randomUUID() }); // 404 task_not_found
await post("task.completed", { task_id: randomUUID() }); // the same over HTTP
await post("task.created", { title: "x".repeat(201) }); // 422 too_long
const chat = await sendWs("user.message", { text: "What is on today? " + "word ".repeat(30) });
await until((f) => f.frame === "token" && f.operation_id === chat.operation_id);
await snapshot(); // an operation in flight, with partial text
await done(chat.operation_id);
const failing = await sendWs("user.message", { text: "[[fail]] then retry" });
await done(failing.operation_id);
const ex = await sendWs("task.extract", { text: "Call Ann. Pay the gas bill; water the plants" });
await done(ex.operation_id);
await sendWs("task.completed", { task_id: task });
await sendWs("task.reopened", { task_id: task }); // undone
await sendWs("task.completed", { task_id: task });
const plan = await sendWs("plan.requested", {});
await done(plan.operation_id);
const sum = await sendWs("summary.requested", {});
await until((f) => f.frame === "event" && f.event.operation_id === sum.operation_id && f.event.type !== "summary.requested").catch(() => {});
await done(sum.operation_id).catch(() => {});
// Regenerate the last reply (refused while one is written), then clear.
const regen = await sendWs("chat.regenerate", {});
await sendWs("chat.cleared", {}); // 409 chat_busy
await done(regen.operation_id);
await sendWs("chat.cleared", {});
await sendWs("chat.regenerate", {}); // 409 nothing_to_regenerate
const long = await sendWs("user.message", { text: "a long one " + "word ".repeat(30) });
await until((f) => f.frame === "token" && f.operation_id === long.operation_id && f.index >= 3);
await sendWs("llm.cancel", { operation_id: long.operation_id });
await new Promise((r) => setTimeout(r, 300));
await sendWs("llm.cancel", { operation_id: long.operation_id }); // 409 operation_finished, or a duplicate
// Reminders: one at a local time, one on a local date, one due at once (it
// fires), snoozed, cancelled, and three refusals.
const later = await sendWs("reminder.set", { text: "Call Ann", time: "17:00", task_id: task });
await sendWs("reminder.set", { text: "Winter call", date: "2037-01-15", time: "17:00" });
await sendWs("reminder.set", { text: "Too late", date: "2020-01-15", time: "17:00" }); // 422 reminder_in_past
const soon = await sendWs("reminder.set", { text: "Stand up", at: Date.now() + 200 });
await until((f) => f.frame === "event" && f.event.type === "reminder.fired");
await snapshot(); // a fired reminder and a scheduled one
await sendWs("reminder.snoozed", { reminder_id: soon.event_id, minutes: 10 });
await sendWs("reminder.cancelled", { reminder_id: later.event_id });
await sendWs("reminder.cancelled", { reminder_id: later.event_id }); // 404 reminder_not_found
await sendWs("reminder.set", { text: "Both", time: "09:00", at: 1 }); // 422 invalid_value
// The assistant's actions (the stand-in calls tools when asked in so many words):
// two run at once, one breaks a rule, completions wait for approval.
const acts = await sendWs("user.message", { text: "add a task to call Ann; remind me at 18:00 to call Ann; complete task Pay rent; add a task to " + "x".repeat(250) });
await done(acts.operation_id);
await until((f) => f.frame === "event" && f.event.type === "action.rejected");
await snapshot(); // actions applied, rejected and awaiting approval
const awaiting = (await (await fetch(`${base}/v1/snapshot`, { headers: auth })).json()).state.actions.find((a) => a.status === "awaiting_approval");
await sendWs("action.approved", { action_id: awaiting.action_id });
await until((f) => f.frame === "event" && f.event.type === "task.completed");
await sendWs("action.declined", { action_id: awaiting.action_id }); // 409 action_not_awaiting
const again = await sendWs("user.message", { text: "complete task call Ann" });
await done(again.operation_id);
const second = (await (await fetch(`${base}/v1/snapshot`, { headers: auth })).json()).state.actions.find((a) => a.status === "awaiting_approval");
await sendWs("action.declined", { action_id: second.action_id });
await sendWs("task.deleted", { task_id: task });
await snapshot();
const all = await (await fetch(`${base}/v1/events?after=0&limit=1000`, { headers: auth })).json();
for (const ev of all.events) record("event", ev);
ws.close();

const out = join(here, "fixtures", "recorded.jsonl");
writeFileSync(out, lines.join("\n") + "\n");
console.log(`recorded ${lines.length} messages into ${out}`);
if (server) {
  server.kill("SIGTERM");
  await new Promise((r) => server.on("exit", r));
  rmSync(dataDir, { recursive: true, force: true });
}
