#!/usr/bin/env node
// The web app's figures, side by side: a baseline build of web/dist and
// this one, against the same local service, in the same headless Chromium,
// alternating, so the ratio is fair on a busy machine:
//
//   node web/test/bench.mjs <baseline dist> [<dist>, default web/dist]
//
// e.g. `git worktree add /tmp/before <commit>` then
// `node web/test/bench.mjs /tmp/before/web/dist`. It starts MICROCOS_BIN
// (default target/release/microcos, else target/debug/microcos; the stand-in
// model at 30 ms per token, as the browser test) and prints `name: value`
// lines, medians of MICROCOS_BENCH_RUNS (default 10) sends per build:
//
//   shown_ms        Enter to the message in the list (the optimistic update)
//   confirmed_ms    Enter to the service's confirmation (nothing pending)
//   first_token_ms  Enter to the first token of the reply on screen
//   cache_paint_ms  a reload (the document's start) to the cached state painted
//
// then `<name>_ratio: this / baseline`.

import { randomUUID } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import puppeteer from "puppeteer-core";
import { startProxy } from "./proxy.mjs";
import { signToken, startService } from "./service.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const [baseline, current = join(here, "..", "dist")] = process.argv.slice(2).map((p) => resolve(p));
if (!baseline) {
  console.error("usage: node web/test/bench.mjs <baseline dist> [<dist>]");
  process.exit(2);
}
const runs = Number(process.env.MICROCOS_BENCH_RUNS ?? 10);
const { upstream, secret, stop } = await startService({ tokenDelayMs: 30 });
const token = (sub) => signToken(secret, sub);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu"] });
const builds = { baseline: { dist: baseline, user: "bench-a-" + randomUUID().slice(0, 6) }, current: { dist: current, user: "bench-b-" + randomUUID().slice(0, 6) } };
const figures = { baseline: {}, current: {} };
const push = (b, k, v) => (figures[b][k] ??= []).push(v);

async function round(name) {
  const { dist, user } = builds[name];
  const proxy = await startProxy({ upstream, dist, forceDist: true });
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(proxy.url + "/");
  await page.evaluate((t) => localStorage.setItem("microcos.token", t), token(user));
  await page.reload();
  await page.waitForFunction(() => document.querySelector("#conn")?.dataset.state === "connected" && document.body.dataset.pending === "0", { timeout: 15000 });
  await sleep(1200); // past the first sign-in's settings and the cache save
  // A reload: the cached state painted, from the document's start.
  await page.reload({ waitUntil: "domcontentloaded" });
  await page.waitForFunction(() => window.__microcos?.cachePaint >= 0, { timeout: 15000 });
  push(name, "cache_paint_ms", await page.evaluate(() => window.__microcos.cachePaint));
  await page.waitForFunction(() => document.querySelector("#conn")?.dataset.state === "connected", { timeout: 15000 });
  await sleep(300);
  // One send.
  await page.evaluate(() => {
    const w = window;
    w.__b = { shown: -1, token: -1, confirmed: -1, n: document.querySelectorAll("#messages > li.user, #messages li.user").length };
    new MutationObserver(() => {
      const now = performance.now();
      if (w.__b.shown < 0 && document.querySelectorAll("#messages > li.user, #messages li.user").length > w.__b.n) w.__b.shown = now;
      if (w.__b.token < 0 && document.querySelector("#messages li.streaming .text")?.textContent) w.__b.token = now;
      if (w.__b.shown >= 0 && w.__b.confirmed < 0 && document.body.dataset.pending === "0") w.__b.confirmed = now;
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await page.focus("#chat-input");
  await page.keyboard.type("hello, how are you " + randomUUID().slice(0, 4));
  const t0 = await page.evaluate(() => performance.now());
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => window.__b.token >= 0 && window.__b.confirmed >= 0, { timeout: 15000 });
  const b = await page.evaluate(() => window.__b);
  push(name, "shown_ms", b.shown - t0);
  push(name, "confirmed_ms", b.confirmed - t0);
  push(name, "first_token_ms", b.token - t0);
  await page.waitForFunction(() => !document.querySelector("#messages li.streaming"), { timeout: 30000 });
  await page.close();
  await proxy.close();
}

try {
  for (let i = 0; i < runs; i++) for (const name of i % 2 ? ["current", "baseline"] : ["baseline", "current"]) await round(name);
  console.log(`baseline: ${baseline}\ncurrent: ${current}\nruns: ${runs} per build (medians)`);
  for (const key of ["shown_ms", "confirmed_ms", "first_token_ms", "cache_paint_ms"]) {
    const a = median(figures.baseline[key]);
    const c = median(figures.current[key]);
    console.log(`baseline_${key}: ${a.toFixed(1)}`);
    console.log(`${key}: ${c.toFixed(1)}`);
    console.log(`${key}_ratio: ${(c / a).toFixed(2)}`);
  }
} finally {
  await browser.close();
  await stop();
}
