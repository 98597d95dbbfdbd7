#!/usr/bin/env node
// Runs a TypeScript test file: bundles it with esbuild (its imports, zod
// included, resolved from web/node_modules wherever the file lives) and
// imports the bundle; the test throws to fail.
//
//   node web/client/test/run-ts.mjs examples/triage/client/test.ts

import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const [entry] = process.argv.slice(2);
if (!entry) throw new Error("usage: node web/client/test/run-ts.mjs <test.ts>");

const bundle = await esbuild.build({
  entryPoints: [resolve(entry)],
  bundle: true,
  format: "esm",
  platform: "neutral",
  nodePaths: [join(here, "..", "..", "node_modules")],
  write: false,
  logLevel: "error",
});
try {
  await import("data:text/javascript;base64," + Buffer.from(bundle.outputFiles[0].text).toString("base64"));
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
