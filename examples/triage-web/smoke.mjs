#!/usr/bin/env node
// The triage replica in JavaScript: this crate built for wasm32 and bound
// by wasm-bindgen (`--target nodejs`) into <pkg>, then driven as a web app
// drives the assistant's: a ticket shows at once, triage's own rule refuses
// locally, a bad frame or cache throws.
//
//   cargo build -p microcos-triage-web --target wasm32-unknown-unknown
//   wasm-bindgen --target nodejs --out-dir <pkg> target/wasm32-unknown-unknown/debug/microcos_triage_web.wasm
//   node examples/triage-web/smoke.mjs <pkg>

import { createRequire } from "node:module";
import { resolve } from "node:path";

const [pkg] = process.argv.slice(2);
if (!pkg) throw new Error("usage: node examples/triage-web/smoke.mjs <pkg>");
const { Replica } = createRequire(import.meta.url)(resolve(pkg, "microcos_triage_web.js"));

let checks = 0;
function check(what, ok, detail) {
  checks++;
  if (!ok) {
    console.error(`FAIL ${what}${detail === undefined ? "" : ": " + detail}`);
    process.exit(1);
  }
}
function throws(f) {
  try {
    f();
    return false;
  } catch {
    return true;
  }
}

const ticket = "6f1c2a3e-0b1d-4c5e-8f90-1a2b3c4d5e6f";
const replica = new Replica("acme");
check("an empty replica resumes from the start", replica.cursorQuery() === "after=0&tokens=", replica.cursorQuery());
const opened = replica.propose(
  JSON.stringify({ type: "ticket.opened", payload: { subject: "Site is down", body: "Nothing loads." }, client_action_id: "ca-1", event_id: ticket }),
  Date.now(),
);
check("a ticket is proposed", opened === '{"ok":true}', opened);
const view = JSON.parse(replica.viewJson(Date.now()));
check("and shown at once, pending", view.pending[0] === "ca-1" && view.state.open[0][0] === ticket, JSON.stringify(view));
check("with its triage on the way", view.state.operations[0]?.kind === "triage", JSON.stringify(view.state.operations));
const closed = JSON.parse(
  replica.propose(JSON.stringify({ type: "ticket.closed", payload: { ticket_id: "00000000-0000-4000-8000-000000000001" }, event_id: crypto.randomUUID() }), Date.now()),
);
check("triage's own rule refuses locally", closed.error?.code === "ticket_not_found", JSON.stringify(closed));
check("a pending event rolls back", replica.reject("ca-1") && JSON.parse(replica.viewJson(0)).state.open.length === 0);
check("a malformed frame throws", throws(() => replica.frame("{}")));
check("an unusable cache throws", throws(() => Replica.restore("acme", '{"version":99}')));
check("a cache restores", Replica.restore("acme", replica.cacheJson()).seq() === 0);
replica.free();
console.log(`triage replica (wasm): ${checks} checks passed`);
