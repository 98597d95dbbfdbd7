#!/usr/bin/env node
// Builds the web app into web/dist/ (committed; the local service and the
// Worker serve these files at /):
//
//   index.html, app.css   copied from web/app (CSS minified)
//   app.js                web/app/main.ts bundled and minified by esbuild
//                         (the client, zod/mini and the replica's JS glue)
//   microcos_web_bg.wasm  copied from web/app/pkg (wasm-bindgen output)
//
//   node web/build.mjs            write web/dist
//   node web/build.mjs --check    exit 1 if web/dist differs from a fresh build
//   node web/build.mjs --pkg DIR  take the replica from DIR instead of web/app/pkg
//
// The output depends only on the inputs: same sources, same bytes.

import { readFileSync, writeFileSync, mkdirSync, existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

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

// The client alone, as one ES module with zod inside (web/client/dist,
// committed): importable from Node or a browser with nothing installed.
const client = await esbuild.build({
  ...common,
  minify: false,
  entryPoints: [join(here, "client", "src", "index.ts")],
  format: "esm",
  platform: "neutral",
});
const clientFile = join(here, "client", "dist", "index.js");
const clientBytes = Buffer.from(client.outputFiles[0].contents);
if (check && !(existsSync(clientFile) && readFileSync(clientFile).equals(clientBytes))) {
  console.error("web/client/dist/index.js is stale: run `node web/build.mjs` and commit it");
  process.exit(1);
} else if (!check && pkgArg < 0) {
  mkdirSync(dirname(clientFile), { recursive: true });
  writeFileSync(clientFile, clientBytes);
}

const files = new Map([
  ["index.html", readFileSync(join(here, "app", "index.html"))],
  ["app.js", Buffer.from(js.outputFiles[0].contents)],
  ["app.css", Buffer.from(css.outputFiles[0].contents)],
  ["microcos_web_bg.wasm", readFileSync(wasm)],
]);

if (check) {
  const stale = [];
  for (const [name, bytes] of files) {
    const p = join(outDir, name);
    if (!existsSync(p) || !readFileSync(p).equals(bytes)) stale.push(name);
  }
  const extra = existsSync(outDir) ? readdirSync(outDir).filter((n) => !files.has(n)) : [];
  if (stale.length || extra.length) {
    console.error(`web/dist is stale (${[...stale, ...extra.map((e) => e + " (extra)")].join(", ")}): run \`node web/build.mjs\` and commit web/dist`);
    process.exit(1);
  }
  console.log("web/dist is up to date");
} else {
  mkdirSync(outDir, { recursive: true });
  for (const [name, bytes] of files) writeFileSync(join(outDir, name), bytes);
}
let raw = 0;
let gz = 0;
for (const [name, bytes] of files) {
  const g = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gz += g;
  if (!check) console.log(`${outDir}/${name}: ${bytes.length} bytes, ${g} gzip`);
}
console.log(`app transfer size: ${raw} bytes, ${gz} gzip (HTML+JS+CSS+wasm)`);
