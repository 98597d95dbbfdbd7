#!/usr/bin/env node
// Builds the web app into web/dist/ (committed; the local service and the
// Worker serve these files at /):
//
//   index.html                 web/app/index.html, naming the hashed files below
//   app.<hash>.js              web/app/main.ts bundled and minified by esbuild
//                              (the client, zod/mini and the replica's JS glue),
//                              loading the wasm by its hashed name
//   app.<hash>.css             web/app/app.css, minified
//   microcos_web_bg.<hash>.wasm  web/app/pkg's (wasm-bindgen output)
//   <each of those>.br, .gz    precompressed (brotli at quality 11, gzip at
//                              level 9), written where smaller than the file:
//                              the local service sends them to a browser that
//                              accepts them
//   .assetsignore              keeps the .br and .gz out of the Worker's
//                              static assets (Cloudflare compresses itself)
//
// and web/client/dist: @microcos/client as its package ships it (ES modules
// and .d.ts by TypeScript's emit, zod and react left to the installer).
//
// <hash> is the first 8 hex digits of the file's SHA-256: a name stands for
// one content, so the services let browsers cache those files for good
// (microcos_host::web::content_hashed) and only index.html revalidates.
// Nothing lists these names by hand: the binary embeds whatever web/dist
// holds (build.rs), and the Worker serves the index and hashed names.
//
//   node web/build.mjs            write web/dist (and remove what it no longer holds)
//   node web/build.mjs --check    exit 1 if web/dist differs from a fresh build
//   node web/build.mjs --pkg DIR  take the replica from DIR instead of web/app/pkg
//
// The output depends only on the inputs: same sources, same bytes.

import { readFileSync, writeFileSync, mkdirSync, existsSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";
import { gzipSync, gunzipSync, brotliCompressSync, brotliDecompressSync, constants as zlib } from "node:zlib";
import * as esbuild from "esbuild";
import ts from "typescript";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const check = args.includes("--check");
const pkgArg = args.indexOf("--pkg");
const pkg = pkgArg >= 0 ? resolve(args[pkgArg + 1]) : join(here, "app", "pkg");
const outDir = pkgArg >= 0 && !check ? join(here, "test", "out", "dist") : join(here, "dist");
const glue = join(pkg, "microcos_web.js");
const wasm = join(pkg, "microcos_web_bg.wasm");
if (!existsSync(glue) || !existsSync(wasm)) {
  console.error(`no replica in ${pkg}: build web/replica first (wasm-bindgen --target web output microcos_web.js and microcos_web_bg.wasm)`);
  process.exit(1);
}

const common = { bundle: true, minify: true, write: false, logLevel: "warning", legalComments: "none", charset: "utf8", target: "es2022" };
const js = await esbuild.build({
  ...common,
  entryPoints: [join(here, "app", "main.ts")],
  format: "esm",
  platform: "browser",
  alias: { "microcos-replica": glue },
  define: { "process.env.NODE_ENV": '"production"' },
});
const css = await esbuild.build({ ...common, entryPoints: [join(here, "app", "app.css")] });

// The client as a package (@microcos/client, web/client/dist, committed):
// TypeScript's own emit, one ES module and one .d.ts per source file, the
// imports left as they are, so zod (a peer dependency) and react (an
// optional one, for ./react only) are the installer's, never inside. The
// entry points are the package's exports: index.ts, and store.ts and
// react.ts when they exist.
const clientSrc = join(here, "client", "src");
const clientDist = join(here, "client", "dist");
const entries = ["index.ts", "store.ts", "react.ts"].filter((f) => existsSync(join(clientSrc, f)));
const program = ts.createProgram(
  entries.map((f) => join(clientSrc, f)),
  {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
    types: [],
    strict: true,
    skipLibCheck: true,
    isolatedModules: true,
    declaration: true,
    rootDir: clientSrc,
    outDir: clientDist,
    newLine: ts.NewLineKind.LineFeed,
  },
);
const diagnostics = ts.getPreEmitDiagnostics(program);
const clientFiles = new Map();
const emitted = program.emit(undefined, (file, text) => clientFiles.set(relative(clientDist, file), Buffer.from(text, "utf8")));
if (diagnostics.length || emitted.emitSkipped) {
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => here, getNewLine: () => "\n" };
  console.error(ts.formatDiagnostics([...diagnostics, ...emitted.diagnostics], host));
  process.exit(1);
}
if (check) {
  const stale = [...clientFiles].filter(([n, b]) => !(existsSync(join(clientDist, n)) && readFileSync(join(clientDist, n)).equals(b))).map(([n]) => n);
  const extra = existsSync(clientDist) ? readdirSync(clientDist).filter((n) => !clientFiles.has(n)) : [];
  if (stale.length || extra.length) {
    console.error(`web/client/dist is stale (${[...stale, ...extra.map((e) => e + " (extra)")].join(", ")}): run \`node web/build.mjs\` and commit it`);
    process.exit(1);
  }
} else if (pkgArg < 0) {
  mkdirSync(clientDist, { recursive: true });
  for (const old of readdirSync(clientDist)) if (!clientFiles.has(old)) rmSync(join(clientDist, old), { recursive: true });
  for (const [name, bytes] of clientFiles) writeFileSync(join(clientDist, name), bytes);
}

// Content-hashed names. The wasm's first, since the JavaScript names it:
// main.ts (and the wasm-bindgen glue's default) load it as
// new URL("microcos_web_bg.wasm", import.meta.url), rewritten here.
const hashed = (stem, ext, bytes) => `${stem}.${createHash("sha256").update(bytes).digest("hex").slice(0, 8)}.${ext}`;
const wasmBytes = readFileSync(wasm);
const wasmName = hashed("microcos_web_bg", "wasm", wasmBytes);
const jsSource = Buffer.from(js.outputFiles[0].contents).toString("utf8");
if (!jsSource.includes("microcos_web_bg.wasm")) {
  console.error("web/app/main.ts no longer names microcos_web_bg.wasm: web/build.mjs cannot point it at the hashed wasm");
  process.exit(1);
}
const jsBytes = Buffer.from(jsSource.replaceAll("microcos_web_bg.wasm", wasmName), "utf8");
const cssBytes = Buffer.from(css.outputFiles[0].contents);
const jsName = hashed("app", "js", jsBytes);
const cssName = hashed("app", "css", cssBytes);
let index = readFileSync(join(here, "app", "index.html"), "utf8");
for (const [plain, name] of [["app.js", jsName], ["app.css", cssName]]) {
  const ref = new RegExp(`(\\b(?:src|href)=["']?)${plain.replace(".", "\\.")}(?=["'\\s>])`, "g");
  const n = index.match(ref)?.length ?? 0;
  if (n !== 1) {
    console.error(`web/app/index.html names ${plain} ${n} times (src= or href=): web/build.mjs expects once`);
    process.exit(1);
  }
  index = index.replace(ref, `$1${name}`);
}

const app = new Map([
  ["index.html", Buffer.from(index, "utf8")],
  [jsName, jsBytes],
  [cssName, cssBytes],
  [wasmName, wasmBytes],
]);
// Precompressed copies, where smaller. The gzip header carries no name or
// time; its OS byte is set to Unix so every platform writes the same bytes.
const files = new Map();
const sizes = [];
for (const [name, bytes] of app) {
  files.set(name, bytes);
  const gz = gzipSync(bytes, { level: 9 });
  gz[9] = 3;
  const mode = name.endsWith(".wasm") ? zlib.BROTLI_MODE_GENERIC : zlib.BROTLI_MODE_TEXT;
  const br = brotliCompressSync(bytes, {
    params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY, [zlib.BROTLI_PARAM_MODE]: mode, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
  if (gz.length < bytes.length) files.set(`${name}.gz`, gz);
  if (br.length < bytes.length) files.set(`${name}.br`, br);
  sizes.push([name, bytes.length, Math.min(gz.length, bytes.length), Math.min(br.length, bytes.length)]);
}
files.set(".assetsignore", Buffer.from("# The Worker's static assets: identity only (Cloudflare compresses at its edge).\n*.br\n*.gz\n"));

if (check) {
  const stale = [];
  // A precompressed copy is checked by what it decompresses to: another
  // zlib or brotli may write other bytes for the same file, equally good.
  const same = (name, bytes, onDisk) =>
    onDisk.equals(bytes) ||
    (name.endsWith(".gz") && app.get(name.slice(0, -3))?.equals(gunzipSync(onDisk))) ||
    (name.endsWith(".br") && app.get(name.slice(0, -3))?.equals(brotliDecompressSync(onDisk)));
  for (const [name, bytes] of files) {
    const p = join(outDir, name);
    let ok = false;
    try {
      ok = existsSync(p) && same(name, bytes, readFileSync(p));
    } catch {}
    if (!ok) stale.push(name);
  }
  const extra = existsSync(outDir) ? readdirSync(outDir).filter((n) => !files.has(n)) : [];
  if (stale.length || extra.length) {
    console.error(`web/dist is stale (${[...stale, ...extra.map((e) => e + " (extra)")].join(", ")}): run \`node web/build.mjs\` and commit web/dist`);
    process.exit(1);
  }
  console.log("web/dist is up to date");
} else {
  mkdirSync(outDir, { recursive: true });
  for (const old of readdirSync(outDir)) if (!files.has(old)) rmSync(join(outDir, old), { recursive: true });
  for (const [name, bytes] of files) writeFileSync(join(outDir, name), bytes);
}
const total = [0, 0, 0];
for (const [name, raw, gz, br] of sizes) {
  [raw, gz, br].forEach((n, i) => (total[i] += n));
  if (!check) console.log(`${outDir}/${name}: ${raw} bytes, ${gz} gzip, ${br} brotli`);
}
console.log(`app transfer size: ${total[0]} bytes uncompressed, ${total[1]} gzip, ${total[2]} brotli (HTML+JS+CSS+wasm: a first load)`);
