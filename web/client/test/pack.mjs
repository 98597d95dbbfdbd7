#!/usr/bin/env node
// @microcos/client as a developer gets it: `npm pack` of web/client, the
// tarball installed into a temporary folder beside zod (and react, for the
// ./react entry), then used from plain Node ESM and type-checked by tsc from
// a small consumer. No registry: zod, react and @types/react are packed from
// web/node_modules, so the run is offline.
//
//   node web/client/test/pack.mjs        (after `cd web && npm ci`)
//
// Checks: the tarball holds only dist/*.js, dist/*.d.ts, the README, the
// licences and package.json; every export's files are in it; no JavaScript in
// it carries zod (zod is a peer dependency, imported as "zod/mini"); the
// entry points import and work; the .d.ts resolve under NodeNext and Bundler
// resolution, and a wrong event is a type error.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, rmSync, readdirSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = join(here, "..");
const web = join(pkgDir, "..");
const root = join(web, "..");
const modules = join(web, "node_modules");
const tmp = mkdtempSync(join(tmpdir(), "microcos-client-pack-"));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

let checks = 0;
let failures = 0;
const check = (ok, what) => {
  checks++;
  if (!ok) {
    failures++;
    console.error(`FAIL ${what}`);
  }
};
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_update_notifier: "false" } });

try {
  // 1. The tarball.
  const packs = join(tmp, "packs");
  mkdirSync(packs);
  const [info] = JSON.parse(run(npm, ["pack", "--json", "--pack-destination", packs], pkgDir));
  const files = info.files.map((f) => f.path).sort();
  const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const allowed = (f) => /^dist\/[a-z]+\.(js|d\.ts)$/.test(f) || ["README.md", "LICENSE-MIT", "LICENSE-APACHE", "package.json"].includes(f);
  check(files.every(allowed), `the tarball holds only what ships: ${files.filter((f) => !allowed(f)).join(", ")}`);
  for (const f of ["README.md", "LICENSE-MIT", "LICENSE-APACHE", "package.json"]) check(files.includes(f), `${f} is in the tarball`);
  for (const f of ["LICENSE-MIT", "LICENSE-APACHE"]) check(readFileSync(join(pkgDir, f)).equals(readFileSync(join(root, f))), `web/client/${f} is the repository's`);
  check(!manifest.private, "the package is not private");
  check(manifest.peerDependencies?.zod && !manifest.dependencies, "zod is a peer dependency, and nothing else is a dependency");
  check(manifest.peerDependenciesMeta?.react?.optional === true, "react is an optional peer dependency");
  for (const [entry, target] of Object.entries(manifest.exports)) {
    if (typeof target === "string") continue;
    check(Object.keys(target)[0] === "types", `${entry}: "types" comes first`);
    for (const f of Object.values(target)) check(files.includes(f.replace(/^\.\//, "")), `${entry}: ${f} is in the tarball`);
  }
  const js = files.filter((f) => f.endsWith(".js"));
  for (const f of js) {
    const text = readFileSync(join(pkgDir, f), "utf8");
    check(!/node_modules|\$ZodType|\$constructor|ZodRealError/.test(text), `${f} carries no zod`);
    for (const [, spec] of text.matchAll(/^(?:import|export)\b[^;]*?from\s+"([^"]+)"/gms)) {
      check(spec.startsWith("./") || spec === "zod/mini" || spec === "react", `${f} imports only its own files, zod/mini and react: ${spec}`);
    }
  }
  check(js.some((f) => /from "zod\/mini"/.test(readFileSync(join(pkgDir, f), "utf8"))), "the schemas import zod/mini");

  // 2. Installed beside zod (and react, for ./react), from tarballs only.
  const tarball = join(packs, info.filename);
  const peers = ["zod", "react", "@types/react", "csstype"].map((name) => {
    const [p] = JSON.parse(run(npm, ["pack", "--json", "--pack-destination", packs, join(modules, name)], tmp));
    return join(packs, p.filename);
  });
  const app = join(tmp, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  run(npm, ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball, ...peers], app);
  const installed = join(app, "node_modules", "@microcos", "client");
  check(readdirSync(join(installed, "dist")).every((f) => /\.(js|d\.ts)$/.test(f)), "installed: dist holds JavaScript and types");

  // 3. Plain Node ESM.
  const script = `
    import * as client from "@microcos/client";
    import { createStore, assembleMessages } from "@microcos/client/store";
    import { useMicrocos } from "@microcos/client/react";
    import * as z from "zod/mini";
    const out = {};
    out.connect = typeof client.connect;
    out.store = typeof createStore + typeof assembleMessages + typeof useMicrocos;
    out.ping = client.PING + "/" + client.PONG;
    out.event = client.ClientEvent.safeParse({ type: "task.created", payload: { title: "Call Ann" } }).success;
    out.unknown = client.ClientEvent.safeParse({ type: "no.such", payload: {} }).success;
    try { client.validateClientEvent({ type: "task.created", payload: { title: "x".repeat(1000) } }); } catch (e) {
      out.refusal = [e instanceof client.ApiError, e.status, e.code, e.field].join(" ");
    }
    const cursor = client.Cursor.parse("after=3&tokens=00000000-0000-0000-0000-00000000000b:1:2");
    out.cursor = cursor.after + " " + client.Cursor.parse(cursor.toQuery()).toQuery();
    out.peerZod = client.ClientEvent instanceof z.ZodMiniType;
    console.log(JSON.stringify(out));
  `;
  writeFileSync(join(app, "use.mjs"), script);
  const out = JSON.parse(run(process.execPath, ["use.mjs"], app));
  check(out.connect === "function", `connect is a function (${out.connect})`);
  check(out.store === "functionfunctionfunction", `the store and React entry points load (${out.store})`);
  check(out.ping === "ping/pong", `the heartbeat's messages (${out.ping})`);
  check(out.event === true && out.unknown === false, `the schemas parse and refuse (${out.event}, ${out.unknown})`);
  check(out.refusal === "true 422 too_long payload.title", `a local refusal has the service's code (${out.refusal})`);
  check(out.cursor === "3 after=3&tokens=00000000-0000-0000-0000-00000000000b:1:2", `the cursor round-trips (${out.cursor})`);
  check(out.peerZod === true, "the schemas are the installer's zod (one copy: instanceof holds)");

  // 4. The types, as a TypeScript consumer resolves them.
  writeFileSync(
    join(app, "consumer.ts"),
    `import { connect, ApiError, type ClientEvent, type ConnectOptions, type Snapshot, type StreamFrame } from "@microcos/client";
import { createStore, type StoreState } from "@microcos/client/store";
import { useMicrocos } from "@microcos/client/react";

const event: ClientEvent = { type: "task.created", payload: { title: "Call Ann" }, client_action_id: "a-1" };
// @ts-expect-error an event type the service does not know
const unknown: ClientEvent = { type: "no.such", payload: {} };
// @ts-expect-error a task needs a title
const untitled: ClientEvent = { type: "task.created", payload: {} };
const options: ConnectOptions = {
  baseUrl: "http://127.0.0.1:8787",
  token: "t",
  heartbeat: { intervalMs: 15_000, timeoutMs: 10_000 },
  onFrame: (frame: StreamFrame) => {
    if (frame.frame === "token") frame.text.toUpperCase();
  },
};
export async function use(): Promise<number> {
  const conn = connect(options);
  const ack = await conn.send(event).catch((e: unknown) => (e instanceof ApiError ? null : Promise.reject(e)));
  const { snapshot }: { snapshot: Snapshot } = await conn.snapshot();
  conn.close();
  return (ack?.seq ?? 0) + snapshot.state.tasks.length;
}
export const hook: (s: ReturnType<typeof createStore>) => StoreState = (s) => useMicrocos(s);
export { unknown, untitled };
`,
  );
  const tsc = join(modules, "typescript", "bin", "tsc");
  for (const resolution of ["nodenext", "bundler"]) {
    const module = resolution === "nodenext" ? "nodenext" : "esnext";
    const config = { compilerOptions: { module, moduleResolution: resolution, target: "es2022", lib: ["es2022", "dom"], strict: true, noEmit: true, types: [] }, files: ["consumer.ts"] };
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify(config));
    let result = "";
    try {
      run(process.execPath, [tsc, "-p", "tsconfig.json"], app);
    } catch (e) {
      result = `${e.stdout}${e.stderr}`.trim();
    }
    check(result === "", `tsc (moduleResolution ${resolution}) accepts the consumer:\n${result}`);
  }
} catch (e) {
  check(false, `${e.message}\n${e.stdout ?? ""}${e.stderr ?? ""}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

console.log(`@microcos/client pack: ${checks} checks, ${failures} failures`);
process.exit(failures ? 1 : 0);
