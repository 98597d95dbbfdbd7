#!/usr/bin/env node
// The web app in a real headless Chromium (Debian's package, driven by
// puppeteer-core), against a running service:
//
//   MICROCOS_URL=http://127.0.0.1:8787 MICROCOS_SECRET=<secret> node web/test/browser.mjs
//
// Without MICROCOS_URL it starts MICROCOS_BIN (default target/release/microcos,
// else target/debug/microcos) itself (fresh data
// folder, the stand-in model at 30 ms per token). The browser talks to a
// same-origin proxy in front of the service (web/test/proxy.mjs), which also
// serves web/dist when the service does not serve `/` yet
// (MICROCOS_WEB_DIST=<dir> serves that build instead) and injects the faults.
//
// Checks: a first visit shows the sign-in form alone; a chat reply appears
// token by token and ends equal to the stored reply; a created task shows
// before the service answers and stays after the ack; a refused action rolls
// back with its error code shown; a connection dropped mid-reply shows the
// reply exactly once; an action that waits for approval reads in the user's
// words, and focus stays off <body> after approve, complete and delete; a
// reload paints nothing before the service accepts the token, then the cache
// at once, then catches up; a forged token with the user's state cached
// paints nothing of it; after sign-out nothing of the user is left in the
// page or in storage; no console errors. The browser runs in Europe/Berlin:
// on first sign-in the app sets the user's zone to it unasked, once; a
// reminder for 17:00 on a winter date is stored for 16:00 UTC and shown at
// 17:00; a zone picked in Settings (a name, then a fixed offset) moves every
// shown time, an unknown one and a reminder in the past are refused with
// their codes shown, and a zone the user chose is never overwritten.
// Screenshots: MICROCOS_SCREENSHOTS (default web/test/out/). Figures are
// printed as `name: value` lines.

import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import puppeteer from "puppeteer-core";
import { startProxy } from "./proxy.mjs";
import { signToken, startService } from "./service.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const shots = process.env.MICROCOS_SCREENSHOTS || join(here, "out");
mkdirSync(shots, { recursive: true });
const dist = process.env.MICROCOS_WEB_DIST || join(here, "..", "dist");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

// Debian's chromium, installed once.
if (!existsSync(CHROMIUM)) {
  console.log("installing chromium (apt-get)…");
  try {
    execFileSync("apt-get", ["install", "-y", "chromium"], { stdio: "inherit" });
  } catch {
    execFileSync("apt-get", ["update"], { stdio: "inherit" });
    execFileSync("apt-get", ["install", "-y", "chromium"], { stdio: "inherit" });
  }
}

let service = null;
let upstream = process.env.MICROCOS_URL;
let secret = process.env.MICROCOS_SECRET;
if (!upstream) ({ upstream, secret } = service = await startService({ tokenDelayMs: 30 }));
if (!secret) throw new Error("MICROCOS_SECRET is needed with MICROCOS_URL");

// The React hook's page (section 13): bundled here, served at /__test/.
const extra = mkdtempSync(join(tmpdir(), "microcos-react-page-"));
{
  const esbuild = await import("esbuild");
  await esbuild.build({
    entryPoints: [join(here, "react-page.mjs")],
    bundle: true,
    format: "esm",
    target: "es2022",
    outfile: join(extra, "react.js"),
    alias: { "microcos-replica": join(here, "..", "app", "pkg", "microcos_web.js") },
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "warning",
  });
  copyFileSync(join(here, "..", "app", "pkg", "microcos_web_bg.wasm"), join(extra, "microcos_web_bg.wasm"));
  writeFileSync(join(extra, "react.html"), '<!doctype html><meta charset="utf-8"><title>react hook</title><div id="root"></div><script type="module" src="react.js"></script>');
}
const proxy = await startProxy({ upstream, dist, forceDist: !!process.env.MICROCOS_WEB_DIST, extra });
const base = proxy.url;
const user = "browser-" + randomUUID().slice(0, 8);
const token = signToken(secret, user);
const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
const api = async (path, init = {}) => {
  const res = await fetch(upstream + path, { ...init, headers: { ...auth, ...(init.headers ?? {}) } });
  return { status: res.status, body: await res.json() };
};
const post = (type, payload) => api("/v1/events", { method: "POST", body: JSON.stringify({ type, payload, client_action_id: randomUUID() }) });
const snapshot = async () => (await api("/v1/snapshot")).body;
const storedOfType = async (type) => (await api("/v1/events?after=0&limit=1000")).body.events.filter((e) => e.type === type);
/** The browser's zone: the app must show the user's chosen zone, not this one. */
const BROWSER_ZONE = "Europe/Berlin";

const failures = [];
const figures = [];
let step = 0;
function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
}
const figure = (name, value) => figures.push(`${name}: ${value}`);

const browser = await puppeteer.launch({
  executablePath: CHROMIUM,
  headless: true,
  userDataDir: mkdtempSync(join(tmpdir(), "microcos-chromium-")),
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const consoleErrors = [];
await browser.defaultBrowserContext().overridePermissions(base, ["notifications", "clipboard-read", "clipboard-write", "clipboard-sanitized-write"]);
const page = await browser.newPage();
await page.setViewport({ width: 1280, height: 900 });
await page.emulateTimezone(BROWSER_ZONE);
page.on("console", (m) => {
  if (m.type() === "error") consoleErrors.push(m.text());
});
page.on("pageerror", (e) => consoleErrors.push(String(e)));
async function shot(name, fullPage = false) {
  step++;
  await page.screenshot({ path: join(shots, `${String(step).padStart(2, "0")}-${name}.png`), fullPage });
}
const waitFor = (fn, arg, timeout = 15000) => page.waitForFunction(fn, { timeout, polling: "mutation" }, arg);
const visible = (sel) => page.$eval(sel, (e) => e.checkVisibility()).catch(() => false);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Counts rows the app adds to its lists in each document, from before its
// script runs: "painted nothing" means none was ever added, not only none left.
await page.evaluateOnNewDocument(() => {
  // Notifications the app shows, kept for the checks (the real one too).
  window.__notifications = [];
  const Real = window.Notification;
  if (Real) {
    window.Notification = class extends Real {
      constructor(title, opts) {
        super(title, opts);
        window.__notifications.push({ title, body: opts?.body });
      }
    };
  }
  window.__painted = 0;
  new MutationObserver((records) => {
    for (const r of records)
      for (const n of r.addedNodes)
        if (n.nodeType === 1 && n.matches("li") && n.parentElement?.matches("#messages, #tasks, #tasks-done, #plan, .cards, #orphans, #reminders")) window.__painted++;
  }).observe(document, { subtree: true, childList: true });
});
/** What of `needles` the page holds anywhere: its markup, its text, its form fields' values. */
const leaks = (needles) =>
  page.evaluate((needles) => {
    const hay = [document.body.innerHTML, document.body.innerText, ...[...document.querySelectorAll("input, textarea")].map((e) => e.value)].join("\n");
    return needles.filter((n) => n && hay.includes(n));
  }, needles);
/** The app's keys in storage, and any key or value holding one of `needles`. */
const inStorage = (needles) =>
  page.evaluate((needles) => {
    const out = [];
    for (const store of [localStorage, sessionStorage])
      for (let i = 0; i < store.length; i++) {
        const k = store.key(i);
        const v = store.getItem(k) ?? "";
        if (k.startsWith("microcos.") || needles.some((n) => k.includes(n) || v.includes(n))) out.push(k);
      }
    return out;
  }, needles);

let exitCode = 1;
try {
  // 1. Sign in.
  await page.goto(base + "/", { waitUntil: "load" });
  await page.waitForSelector("#token", { visible: true });
  const first = { signin: await visible("#signin"), app: await visible("#app"), checking: await visible("#checking"), who: await visible("#who") };
  check(first.signin && !first.app && !first.checking && !first.who, `a first visit shows the sign-in form alone (${JSON.stringify(first)})`);
  await shot("signin");
  await page.type("#token", token);
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter"); // keyboard: the Sign in button
  await waitFor(() => document.querySelector("#conn")?.dataset.state === "connected");
  check(true, "signed in with a pasted token, connected");
  await shot("connected");

  // 1b. Time zones. The user never chose one; the app sets the browser's
  // (their other settings kept), once, without being asked.
  const pageZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  check(pageZone === BROWSER_ZONE, `the browser runs in ${BROWSER_ZONE} (${pageZone})`);
  let zoned = null;
  for (let i = 0; i < 100 && zoned?.time_zone !== BROWSER_ZONE; i++) (await sleep(100), (zoned = (await snapshot()).state.settings));
  check(
    zoned.time_zone === BROWSER_ZONE && zoned.daily_plan_time === null && zoned.confirm_actions === true && [60, 120].includes(zoned.utc_offset_minutes),
    `after the first sign-in the user's zone is the browser's, unasked, the other settings kept (${JSON.stringify(zoned)})`,
  );
  const autoSent = await storedOfType("settings.updated");
  check(autoSent.length === 1 && autoSent[0].payload.time_zone === BROWSER_ZONE && !("tz_offset_minutes" in autoSent[0].payload), `the app sent settings.updated once, with time_zone (${autoSent.length} stored)`);
  await waitFor((z) => document.getElementById("tz").value === z && document.getElementById("reminder-zone").textContent === z, BROWSER_ZONE);
  const dateShown = await page.$eval("#reminder-date", (e) => e.value);
  check(dateShown === zoned.today, `the reminder form's date is the user's today (${dateShown}, the snapshot's ${zoned.today})`);
  const hhmm = (h, m) => new RegExp(`\\b(${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}|${h % 12 || 12}:${String(m).padStart(2, "0")}[\\s\\u202f]?${h < 12 ? "AM" : "PM"})\\b`, "i");
  /** Fills the reminder form (date, time: set as a picker would) and submits it. */
  const setReminder = async (text, date, time) => {
    await page.$eval("#reminder-text", (e, v) => ((e.value = v), e.dispatchEvent(new Event("input", { bubbles: true }))), text);
    for (const [sel, v] of [["#reminder-date", date], ["#reminder-time", time]]) await page.$eval(sel, (e, v) => ((e.value = v), e.dispatchEvent(new Event("input", { bubbles: true }))), v);
    await page.click("#reminder-form button[type=submit]");
  };
  const shownReminder = (text) => page.evaluate((t) => [...document.querySelectorAll("#reminders li .what")].find((e) => e.textContent.includes(t))?.textContent ?? null, text);
  // 17:00 on 15 January 2027 in Berlin (+01:00) is 16:00 UTC.
  const winterText = "Winter call " + randomUUID().slice(0, 4);
  await setReminder(winterText, "2027-01-15", "17:00");
  await waitFor((t) => [...document.querySelectorAll("#reminders li .what")].some((e) => e.textContent.includes(t)) && document.body.dataset.pending === "0", winterText);
  const winter = (await snapshot()).state.reminders.find((r) => r.text === winterText);
  check(winter?.due === Date.UTC(2027, 0, 15, 16, 0) && winter.due === 1_800_028_800_000, `a reminder for 2027-01-15 17:00 in Berlin is stored due at 16:00 UTC (${winter && new Date(winter.due).toISOString()})`);
  const winterShown = await shownReminder(winterText);
  check(hhmm(17, 0).test(winterShown) && /15/.test(winterShown), `it is shown at 17:00 on the 15th (${JSON.stringify(winterShown)})`);
  // A date and time already past: refused (reminder_in_past), nothing stored.
  const pastText = "Too late " + randomUUID().slice(0, 4);
  await setReminder(pastText, "2020-01-15", "17:00");
  await waitFor(() => !!document.querySelector('#errors [data-code="reminder_in_past"]'), undefined, 10000);
  await waitFor(() => document.body.dataset.pending === "0");
  const pastStored = (await snapshot()).state.reminders.some((r) => r.text === pastText);
  check(!pastStored && (await shownReminder(pastText)) === null, "a reminder on a date already past is refused: reminder_in_past shown, none stored or shown");
  await shot("reminder-in-berlin", true);
  // The user picks a zone in Settings: every time shown moves to it.
  const pickZone = async (zone) => {
    await page.$eval("#tz", (e) => (e.focus(), e.select()));
    await page.keyboard.type(zone);
    await page.keyboard.press("Escape"); // the datalist's suggestions
    await page.click("#settings-form button[type=submit]");
  };
  await pickZone("America/New_York");
  await waitFor((t) => /\b(11:00|11:00[\s\u202f]?AM)\b/i.test([...document.querySelectorAll("#reminders li .what")].find((e) => e.textContent.includes(t))?.textContent ?? ""), winterText);
  const nySettings = (await snapshot()).state.settings;
  const nyShown = await shownReminder(winterText);
  check(nySettings.time_zone === "America/New_York" && hhmm(11, 0).test(nyShown), `picked America/New_York: stored, and the reminder shows at 11:00 (${JSON.stringify(nyShown)})`);
  await pickZone("Mars/Olympus");
  await waitFor(() => !!document.querySelector('#errors [data-code="invalid_value"]'), undefined, 10000);
  await waitFor(() => document.body.dataset.pending === "0");
  const marsError = await page.$eval('#errors [data-code="invalid_value"]', (e) => e.textContent);
  check((await snapshot()).state.settings.time_zone === "America/New_York" && marsError.includes("payload.time_zone"), `an unknown zone is refused with its error shown (${JSON.stringify(marsError)}); the zone stays`);
  await pickZone("-03:00");
  await waitFor((t) => /\b(13:00|1:00[\s\u202f]?PM)\b/i.test([...document.querySelectorAll("#reminders li .what")].find((e) => e.textContent.includes(t))?.textContent ?? ""), winterText);
  const fixedShown = await shownReminder(winterText);
  const fixedLabel = await page.$eval("#reminder-zone", (e) => e.textContent);
  check((await snapshot()).state.settings.time_zone === "-03:00" && hhmm(13, 0).test(fixedShown) && fixedLabel === "UTC-03:00", `picked the fixed offset -03:00: the reminder shows at 13:00 (${JSON.stringify(fixedShown)}, ${fixedLabel})`);
  const userSettings = (await storedOfType("settings.updated")).length;
  check(userSettings === 3, `each saved zone sent settings.updated with time_zone, the refused one none (${userSettings} stored)`);
  await shot("zone-picked", true);

  // 2. A chat reply streams token by token and ends equal to the stored one.
  await page.evaluate(() => {
    const w = window;
    w.__texts = [];
    w.__firstToken = -1;
    new MutationObserver(() => {
      const t = document.querySelector("#messages > li.streaming")?.dataset.raw ?? "";
      if (t && w.__texts[w.__texts.length - 1] !== t) {
        if (w.__firstToken < 0) w.__firstToken = performance.now();
        w.__texts.push(t);
      }
    }).observe(document.getElementById("messages"), { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["data-raw"] });
  });
  const question = "Plan my week please: " + "alpha beta gamma delta ".repeat(6);
  await page.focus("#chat-input");
  await page.keyboard.type(question.trim());
  const sentAt = await page.evaluate(() => performance.now());
  await page.keyboard.press("Enter");
  await waitFor(() => document.querySelectorAll("#messages li.assistant:not(.streaming)").length >= 1, undefined, 30000);
  const chat = await page.evaluate(() => ({ texts: window.__texts, first: window.__firstToken }));
  const snap1 = await snapshot();
  const stored = snap1.state.messages.filter((m) => m.role === "assistant").pop()?.text;
  const shown = await page.evaluate(() => [...document.querySelectorAll("#messages > li.assistant:not(.streaming)")].pop()?.dataset.raw);
  check(chat.texts.length >= 5, `the reply appeared token by token (${chat.texts.length} growing states)`);
  check(chat.texts.every((t, i) => i === 0 || t.startsWith(chat.texts[i - 1])), "each streamed state extends the previous one");
  check(!!stored && shown === stored, "the reply shown equals the stored reply (GET /v1/snapshot)");
  figure("send to first streamed token (ms)", (chat.first - sentAt).toFixed(1));
  await shot("chat");

  // 3. A created task shows before the service answers, and stays after the ack.
  proxy.holdUp(800); // the service hears of it 800 ms late
  const title = "Buy milk " + randomUUID().slice(0, 4);
  await page.focus("#task-title");
  await page.keyboard.type(title);
  const t0 = await page.evaluate(() => performance.now());
  await page.keyboard.press("Enter");
  await waitFor((t) => [...document.querySelectorAll(":is(#tasks,#tasks-done) input.title")].some((i) => i.value === t), title);
  const t1 = await page.evaluate(() => performance.now());
  const pendingShown = await page.evaluate(() => document.body.dataset.pending);
  check(pendingShown !== "0", `the task showed while its event was pending (pending=${pendingShown}, ${(t1 - t0).toFixed(1)} ms after Enter)`);
  await shot("task-optimistic");
  await waitFor(() => document.body.dataset.pending === "0", undefined, 10000);
  const t2 = await page.evaluate(() => performance.now());
  proxy.holdUp(0);
  const stillThere = await page.evaluate((t) => [...document.querySelectorAll(":is(#tasks,#tasks-done) input.title")].some((i) => i.value === t), title);
  check(t2 - t0 > 700 && stillThere, `confirmed ${(t2 - t0).toFixed(0)} ms after Enter, still shown`);
  check((await snapshot()).state.tasks.some((t) => t.title === title), "the task is stored");
  figure("send to optimistic update (ms)", (t1 - t0).toFixed(1));
  await shot("task-confirmed");

  // 4. A refused action rolls back with its error shown: another client
  // deletes the task while this tab, not told yet, completes it.
  const task = (await snapshot()).state.tasks.find((t) => t.title === title);
  proxy.pauseDown();
  check((await post("task.deleted", { task_id: task.task_id })).status === 202, "another client deleted the task");
  await page.click(`:is(#tasks,#tasks-done) li[data-key="${task.task_id}"] input.done`);
  await waitFor((id) => document.querySelector(`:is(#tasks,#tasks-done) li[data-key="${id}"]`)?.classList.contains("done"), task.task_id);
  check(true, "the completion showed at once (optimistic)");
  await shot("reject-optimistic");
  await new Promise((r) => setTimeout(r, 300));
  proxy.resumeDown();
  await waitFor(() => !!document.querySelector('#errors [data-code="task_not_found"]'));
  await waitFor(() => document.body.dataset.pending === "0");
  const gone = await page.evaluate((id) => !document.querySelector(`:is(#tasks,#tasks-done) li[data-key="${id}"]`), task.task_id);
  check(gone, "rolled back: the error task_not_found is shown and the view is the service's (the task is gone)");
  const serverTasks = (await snapshot()).state.tasks.map((t) => t.task_id).sort().join();
  const shownTasks = (await page.$$eval("#tasks li, #tasks-done li", (l) => l.map((e) => e.dataset.key))).sort().join();
  check(serverTasks === shownTasks, "the tasks shown are exactly the stored ones");
  await shot("reject-rolled-back");

  // 5. Dropping the connection mid-reply: the reply shows exactly once.
  await page.evaluate(() => (window.__texts = []));
  const q2 = "Tell me more: " + "one two three four five six seven eight ".repeat(4);
  await page.focus("#chat-input");
  await page.keyboard.type(q2.trim());
  await page.keyboard.press("Enter");
  await waitFor(() => (window.__texts?.length ?? 0) >= 6, undefined, 20000);
  await page.evaluate(() => {
    window.__states = [];
    new MutationObserver(() => window.__states.push(document.querySelector("#conn").dataset.state)).observe(document.querySelector("#conn"), { attributes: true });
  });
  const dropAt = await page.evaluate(() => window.__texts.length);
  proxy.dropSockets();
  await waitFor(() => document.querySelector("#conn")?.dataset.state !== "connected", undefined, 5000).catch(() => {});
  await shot("dropped");
  const assistantsBefore = snap1.state.messages.filter((m) => m.role === "assistant").length;
  await waitFor((n) => document.querySelectorAll("#messages li.assistant:not(.streaming)").length > n, assistantsBefore, 30000);
  await waitFor(() => document.querySelector("#conn")?.dataset.state === "connected");
  const texts2 = await page.evaluate(() => window.__texts);
  const states = await page.evaluate(() => window.__states);
  check(states.includes("reconnecting") && states[states.length - 1] === "connected" && texts2.length > dropAt, `the connection dropped mid-reply (after ${dropAt} states) and came back (${states.join(" -> ")})`);
  const stored2 = (await snapshot()).state.messages.filter((m) => m.role === "assistant").pop()?.text;
  const shownAll = await page.$$eval("#messages > li", (l) => l.map((e) => e.dataset.raw));
  if (process.env.DEBUG) console.log(JSON.stringify({ texts2, shownAll, stored2 }, null, 1));
  check(texts2.every((t, i) => i === 0 || t.startsWith(texts2[i - 1])), `streamed text only grew across the reconnect (${texts2.length} states)`);
  check(shownAll.filter((t) => t === stored2).length === 1 && !shownAll.some((t) => t !== stored2 && t.includes(stored2)), "the reply is shown exactly once, equal to the stored reply");
  await shot("reconnected");

  // 5b. Stop a reply mid-stream: what was shown stays, marked stopped, and is stored.
  const q3 = "Keep going: " + "nine ten eleven twelve ".repeat(8);
  await page.focus("#chat-input");
  await page.keyboard.type(q3.trim());
  await page.keyboard.press("Enter");
  await waitFor(() => (document.querySelector("#messages li.streaming .text")?.textContent ?? "").length > 40, undefined, 20000);
  await page.click("#messages li.streaming button.stop");
  await waitFor(() => !!document.querySelector("#messages li .stopped"), undefined, 10000);
  const stoppedShown = await page.evaluate(() => document.querySelector("#messages li .stopped")?.closest("li")?.dataset.raw);
  const stoppedStored = (await snapshot()).state.messages.filter((m) => m.stopped);
  check(stoppedStored.length === 1 && stoppedStored[0].text === stoppedShown && stoppedShown.length > 40,
    `a stopped reply keeps the ${stoppedShown?.length} characters shown, marked stopped, and the service stored exactly that text`);
  await shot("stopped");

  // 5c. The assistant acts: asked in the chat, it sets a reminder at once and
  // proposes completing a task, which waits for the user's approval.
  await page.type("#task-title", "Water the plants");
  await page.keyboard.press("Enter");
  await waitFor(() => [...document.querySelectorAll(":is(#tasks,#tasks-done) input.title")].some((i) => i.value === "Water the plants"));
  await page.focus("#chat-input");
  await page.keyboard.type("remind me at 23:59 to water the plants; complete task Water the plants");
  await page.keyboard.press("Enter");
  // The completion waits from the moment the reply is stored; the reminder
  // follows in the next batch (each action is decided in its own).
  await waitFor(() => [...document.querySelectorAll(".cards li button.approve")].some((b) => !b.hidden), undefined, 20000);
  const reminderShown = await waitFor(
    () => [...document.querySelectorAll("#reminders li .what")].some((e) => e.textContent.includes("water the plants")),
    undefined,
    10000,
  ).then(() => true, () => false);
  const stillOpen = await page.evaluate(() => [...document.querySelectorAll("#tasks li, #tasks-done li")].some((li) => li.querySelector("input.title").value === "Water the plants" && !li.querySelector("input.done").checked));
  check(reminderShown && stillOpen, "a tool call set a reminder at once; the completion it proposed waits for approval");
  const plantsId = (await snapshot()).state.tasks.find((t) => t.title === "Water the plants")?.task_id;
  const shownAction = await page.evaluate(() => {
    const li = [...document.querySelectorAll(".cards li")].find((l) => !l.querySelector("button.approve").hidden);
    return { what: li.querySelector(".what").textContent, text: li.innerText, html: li.innerHTML, label: li.querySelector("button.approve").getAttribute("aria-label"), reply: li.closest("#messages > li.assistant")?.dataset.key ?? null };
  });
  check(
    // The service's `description` or the app's own sentence: "Complete “Water the plants”?".
    /^Complete\b.*“Water the plants”.*\?$/.test(shownAction.what) && !shownAction.html.includes(plantsId) && !shownAction.html.includes("complete_task") && !!shownAction.reply &&
      /^Approve: Complete\b.*“Water the plants”/.test(shownAction.label),
    `the action that waits reads in the user's words (${JSON.stringify(shownAction.what)}), shown as a card under the reply that proposed it (${shownAction.reply}), no task id or tool JSON in it`,
  );
  const offered = await page.evaluate(async () => {
    return [...document.querySelectorAll(".cards li")].map((li) => ({ id: li.dataset.key, approve: li.querySelector("button.approve").checkVisibility(), decline: li.querySelector("button.decline").checkVisibility() }));
  });
  const actionsNow = (await snapshot()).state.actions;
  check(
    offered.length === actionsNow.length && offered.every((o) => { const a = actionsNow.find((x) => x.action_id === o.id); return a && o.approve === (a.status === "awaiting_approval") && o.decline === o.approve; }),
    `Approve and Decline are offered only for the actions that await approval (${actionsNow.map((a) => `${a.tool}:${a.status}`).join(", ")})`,
  );
  await shot("action-awaiting");
  await page.focus(".cards li button.approve:not([hidden])");
  await page.keyboard.press("Enter");
  await waitFor(() => !document.querySelector(".cards li button.approve:not([hidden])"));
  const focusAfterApprove = await page.evaluate(() => ({ body: document.activeElement === document.body, inActions: !!document.activeElement?.closest(".cards") }));
  check(!focusAfterApprove.body && focusAfterApprove.inActions, "after Approve (keyboard), focus stays on the action, not on <body>");
  await waitFor(() => [...document.querySelectorAll("#tasks li, #tasks-done li")].some((li) => li.querySelector("input.title").value === "Water the plants" && li.querySelector("input.done").checked));
  const afterApproval = (await snapshot()).state;
  const watered = afterApproval.tasks.find((t) => t.title === "Water the plants");
  check(watered?.status === "done" && afterApproval.actions.some((a) => a.tool === "complete_task" && a.status === "applied"), "approved, the completion ran: the task is done, as stored");
  await shot("action-approved");

  // 5d. Focus does not fall to <body> when a task is completed or deleted from the keyboard.
  for (const t of ["Focus one", "Focus two"]) {
    await page.type("#task-title", t);
    await page.keyboard.press("Enter");
    await waitFor((t) => [...document.querySelectorAll(":is(#tasks,#tasks-done) input.title")].some((i) => i.value === t), t);
  }
  await waitFor(() => document.body.dataset.pending === "0");
  const rowOf = (t) => page.evaluate((t) => [...document.querySelectorAll("#tasks li, #tasks-done li")].find((li) => li.querySelector("input.title").value === t)?.dataset.key, t);
  const focusOne = await rowOf("Focus one");
  await page.focus(`:is(#tasks,#tasks-done) li[data-key="${focusOne}"] input.done`);
  await page.keyboard.press("Space");
  await waitFor((id) => document.querySelector(`:is(#tasks,#tasks-done) li[data-key="${id}"]`)?.classList.contains("done"), focusOne);
  const afterDone = await page.evaluate(() => ({ body: document.activeElement === document.body, undo: document.activeElement?.id === "undo-button", text: document.getElementById("undo").innerText }));
  check(!afterDone.body && afterDone.undo && afterDone.text.includes("Completed “Focus one”"), `after completing a task with the keyboard, focus goes to its Undo (${JSON.stringify(afterDone)})`);
  await page.focus(`:is(#tasks,#tasks-done) li[data-key="${focusOne}"] button.delete`);
  await page.keyboard.press("Enter");
  await waitFor((id) => !document.querySelector(`:is(#tasks,#tasks-done) li[data-key="${id}"]`), focusOne);
  const afterDelete = await page.evaluate(() => ({ body: document.activeElement === document.body, undo: document.activeElement?.id === "undo-button", text: document.getElementById("undo").innerText }));
  check(!afterDelete.body && afterDelete.undo && afterDelete.text.includes("Deleted “Focus one”"), `after deleting a task with the keyboard, focus goes to its Undo, not to <body> (${JSON.stringify(afterDelete)})`);
  await waitFor(() => document.body.dataset.pending === "0");

  // 5e. A reply in Markdown renders as such, safely: emphasis, a list, a
  // link that opens elsewhere, fenced code with a Copy button; the HTML in
  // it runs nothing (the stand-ins' MARKDOWN_SAMPLE).
  const repliesBefore = (await snapshot()).state.messages.filter((m) => m.role === "assistant").length;
  await page.focus("#chat-input");
  await page.keyboard.type("show markdown please");
  await page.keyboard.press("Enter");
  const caretSeen = await waitFor(() => !!document.querySelector("#messages > li.streaming .caret") && document.querySelector("#messages > li.streaming")?.getAttribute("aria-busy") === "true", undefined, 15000).then(() => true, () => false);
  await waitFor((n) => document.querySelectorAll("#messages > li.assistant:not(.streaming)").length > n, repliesBefore, 30000);
  const md = await page.evaluate(() => {
    const li = [...document.querySelectorAll("#messages > li.assistant:not(.streaming)")].pop();
    const t = li.querySelector(".text");
    const a = t.querySelector("a");
    return {
      strong: t.querySelector("strong")?.textContent, em: t.querySelector("em")?.textContent, items: t.querySelectorAll("ul li").length,
      link: a && { href: a.href, target: a.target, rel: a.rel }, code: t.querySelector("pre code")?.textContent, copy: !!t.querySelector("pre button.copy"),
      dangerous: t.querySelectorAll("img, script, [onerror], [style]").length, pwned: document.body.dataset.pwned ?? null, literal: t.textContent.includes("**"),
    };
  });
  check(caretSeen, "a caret shows while the reply streams, and the streaming reply is aria-busy");
  check(md.strong === "bold" && md.em === "emphasis" && md.items === 2 && !md.literal, `Markdown renders: bold, emphasis, a two-item list, no literal ** (${JSON.stringify(md)})`);
  check(md.link?.href === "https://example.com/docs" && md.link.target === "_blank" && /noopener/.test(md.link.rel) && md.code?.includes('println!("hi");') && md.copy, "a link opens elsewhere with noopener; fenced code has a Copy button");
  check(md.dangerous === 0 && md.pwned === null, "the reply's <img onerror> and <script> are dropped and ran nothing");
  await page.click("#messages > li.assistant:last-of-type pre button.copy");
  const copied = await page.evaluate(() => navigator.clipboard.readText()).catch((e) => `error: ${e}`);
  check(copied.includes('println!("hi");') && !copied.includes("Copy"), `Copy puts the code on the clipboard (${JSON.stringify(copied.slice(0, 60))})`);
  await shot("markdown", true);

  // 5f. Regenerate the last reply: it leaves and a new one is written; the
  // service holds one reply to the question.
  const lastReplyKey = await page.$eval("#messages > li.assistant:not(.streaming):last-of-type", (e) => e.dataset.key);
  const regenVisible = await page.$eval(`#messages > li[data-key="${lastReplyKey}"] button.regenerate`, (b) => b.checkVisibility());
  await page.click(`#messages > li[data-key="${lastReplyKey}"] button.regenerate`);
  await waitFor((k) => !document.querySelector(`#messages > li[data-key="${k}"]`) && !document.querySelector("#messages > li.streaming"), lastReplyKey, 30000);
  const regen = await snapshot();
  const lastTwo = regen.state.messages.slice(-2).map((m) => `${m.role}:${m.text.slice(0, 20)}`);
  check(regenVisible && lastTwo[0] === "user:show markdown please" && lastTwo[1].startsWith("assistant:") && (await storedOfType("chat.regenerate")).length === 1,
    `Regenerate replaced the last reply: one new reply to the question (${lastTwo.join(" | ")})`);

  // 5g. Two messages sent at once: the second waits for the first reply, so
  // each reply follows its own question, in the order typed. The finished
  // replies are announced once each, never token by token.
  await page.evaluate(() => {
    window.__announced = [];
    new MutationObserver(() => window.__announced.push(document.getElementById("announce").textContent)).observe(document.getElementById("announce"), { childList: true, characterData: true, subtree: true });
  });
  for (const q of ["First question [[x]]", "Second question [[y]]"]) {
    await page.focus("#chat-input");
    await page.keyboard.type(q);
    await page.keyboard.press("Enter");
  }
  const queuedShown = await page.evaluate(() => [...document.querySelectorAll("#messages > li.pending .meta")].some((m) => m.textContent.startsWith("queued")));
  await waitFor(() => !document.querySelector("#messages > li.streaming, #messages > li.pending"), undefined, 40000);
  const order = (await snapshot()).state.messages.slice(-4).map((m) => `${m.role}:${m.role === "user" ? m.text : /First question|Second question/.exec(m.text)?.[0]}`);
  check(queuedShown && order.join(",") === "user:First question [[x]],assistant:First question,user:Second question [[y]],assistant:Second question",
    `a message sent while a reply streams is queued, and replies follow their questions (${order.join(", ")})`);
  const announced = await page.evaluate(() => window.__announced.filter(Boolean));
  const live = await page.evaluate(() => ({ list: document.getElementById("messages").getAttribute("aria-live"), focusable: document.getElementById("messages").tabIndex }));
  check(announced.length === 2 && announced.every((a) => a.startsWith("The assistant replied:")) && live.list === null && live.focusable === 0,
    `each finished reply is announced once (${announced.length} announcements for 2 replies); the message list is focusable and not a live region`);

  // 5h. Scrolled up, a new reply offers "Jump to latest", which goes there.
  await page.$eval("#messages", (e) => (e.scrollTop = 0));
  await post("user.message", { text: "Elsewhere: " + "more words ".repeat(20) });
  await waitFor(() => !document.getElementById("jump").hidden, undefined, 20000);
  await page.click("#jump");
  const atEnd = await page.$eval("#messages", (e) => e.scrollHeight - e.scrollTop - e.clientHeight < 40);
  check(atEnd, "scrolled up, Jump to latest shows and goes to the newest message");
  await waitFor(() => !document.querySelector("#messages > li.streaming"), undefined, 30000);

  // 5i. Tasks: open ones by due date then creation, done ones below; Undo
  // brings back a completed or deleted task.
  const tag = randomUUID().slice(0, 4);
  for (const [t, due] of [[`Later ${tag}`, "2027-02-01"], [`Undated ${tag}`, ""], [`Sooner ${tag}`, "2027-01-10"]]) {
    await page.type("#task-title", t);
    if (due) await page.$eval("#task-due", (e, v) => (e.value = v), due);
    await page.keyboard.press("Enter");
    await waitFor((t) => [...document.querySelectorAll("#tasks input.title")].some((i) => i.value === t), t);
  }
  const ordered = await page.$$eval("#tasks input.title", (l, tag) => l.map((i) => i.value).filter((v) => v.endsWith(tag)), tag);
  check(ordered.join(",") === `Sooner ${tag},Later ${tag},Undated ${tag}`, `open tasks show by due date, undated last (${ordered.join(", ")})`);
  const laterKey = await rowOf(`Later ${tag}`);
  await page.click(`#tasks li[data-key="${laterKey}"] input.done`);
  await waitFor((k) => !!document.querySelector(`#tasks-done li[data-key="${k}"]`), laterKey);
  await shot("task-undo-offered");
  await page.click("#undo-button");
  await waitFor((k) => !!document.querySelector(`#tasks li[data-key="${k}"]`) && document.body.dataset.outbox === "0", laterKey);
  check((await snapshot()).state.tasks.find((t) => t.task_id === laterKey)?.status === "open" && (await storedOfType("task.reopened")).length === 1, "Undo after a completion reopens the task (task.reopened), back among the open ones");
  await page.click(`#tasks li[data-key="${laterKey}"] button.delete`);
  await waitFor((k) => !document.querySelector(`#tasks li[data-key="${k}"]`), laterKey);
  await page.click("#undo-button");
  await waitFor((k) => !!document.querySelector(`#tasks li[data-key="${k}"]`) && document.body.dataset.outbox === "0", laterKey);
  const revived = (await snapshot()).state.tasks.find((t) => t.task_id === laterKey);
  check(revived?.title === `Later ${tag}` && revived.due_date === "2027-02-01" && revived.status === "open", "Undo after a delete brings the task back, same id, title and due date");

  // 5j. Reminders remind: a notification when one fires, the title's count,
  // overdue shown, snooze choices.
  const ringText = "Stand up " + tag;
  const waitingNow = (await snapshot()).state.actions.filter((a) => a.status === "awaiting_approval").length;
  const notifiedBefore = await page.evaluate(() => window.__microcos.notified);
  await post("reminder.set", { text: ringText, at: Date.now() + 1500 });
  await waitFor((n) => window.__microcos.notified > n, notifiedBefore, 15000);
  await waitFor((t) => [...document.querySelectorAll("#reminders li.fired .what")].some((e) => e.textContent.includes(t)), ringText);
  const rung = await page.evaluate((t) => ({ title: document.title, alert: document.getElementById("alert").textContent, notes: window.__notifications.slice(-1)[0], what: [...document.querySelectorAll("#reminders li.fired")].find((li) => li.textContent.includes(t))?.querySelector(".what").textContent, choices: [...document.querySelector("#reminders li select").options].map((o) => o.textContent) }), ringText);
  check(rung.notes?.body === ringText && rung.alert.includes(ringText), `a reminder that fires notifies (${JSON.stringify(rung.notes)}) and is announced`);
  check(rung.title === `(${waitingNow + 1}) microcos` && /^🔔 Overdue since/.test(rung.what) && rung.choices.length === 5, `the title counts it (${rung.title}), it shows overdue (${rung.what}), snooze offers ${rung.choices.join(", ")}`);
  const ringId = (await snapshot()).state.reminders.find((r) => r.text === ringText).reminder_id;
  await page.select(`#reminders li[data-key="${ringId}"] select`, "60");
  const snoozedAt = Date.now();
  await page.click(`#reminders li[data-key="${ringId}"] button.snooze`);
  await waitFor((id) => !document.querySelector(`#reminders li[data-key="${id}"]`)?.classList.contains("fired") && document.body.dataset.outbox === "0", ringId);
  const snoozed = (await snapshot()).state.reminders.find((r) => r.reminder_id === ringId);
  check(snoozed.status === "scheduled" && Math.abs(snoozed.due - (snoozedAt + 3_600_000)) < 30_000 && (await page.title()) === (waitingNow ? `(${waitingNow}) microcos` : "microcos"), `snoozed for 1 hour: due again in an hour, the title's count drops (${await page.title()})`);
  await shot("reminders", true);

  // 6. A reload paints nothing before the service accepts the token (API and
  // stream delayed 1.5 s), then the cache at once, then catches up.
  const before = await page.$$eval("#messages > li", (l) => l.length);
  await sleep(400); // the cache is saved shortly after each batch
  const extra = "Added elsewhere " + randomUUID().slice(0, 4);
  await post("task.created", { title: extra });
  proxy.delayApi(1500);
  await page.reload({ waitUntil: "domcontentloaded" });
  await sleep(700);
  const during = await page.evaluate(() => ({ m: { ...window.__microcos }, painted: window.__painted, app: document.getElementById("app").checkVisibility(), checking: !!document.getElementById("checking")?.checkVisibility() }));
  const duringLeaks = await leaks(["Water the plants", stoppedShown.slice(0, 40)]);
  check(
    during.m.accepted < 0 && during.m.cachePaint < 0 && during.painted === 0 && !during.app && during.checking && duringLeaks.length === 0,
    `before the service accepted the token nothing of the user is painted, only “checking” (${JSON.stringify({ ...during, duringLeaks })})`,
  );
  await shot("reload-checking");
  const early = await (await waitFor(() => window.__microcos?.cachePaint >= 0 && { m: { ...window.__microcos }, msgs: document.querySelectorAll("#messages > li").length }, undefined, 10000)).jsonValue();
  check(
    (early.m.firstFrame < 0 || early.m.cachePaint <= early.m.firstFrame) && early.msgs >= before - 1,
    `painted ${early.msgs} messages from the cache ${(early.m.cachePaint - early.m.accepted).toFixed(1)} ms after the service accepted the token, before the stream's first frame`,
  );
  figure("reload to first paint from cache, service answering after 1.5 s (ms)", early.m.cachePaint.toFixed(1));
  figure("token accepted to paint from cache (ms)", (early.m.cachePaint - early.m.accepted).toFixed(1));
  await shot("reload-from-cache");
  proxy.delayApi(0);
  await waitFor((t) => [...document.querySelectorAll(":is(#tasks,#tasks-done) input.title")].some((i) => i.value === t), extra, 15000);
  const seqNow = (await snapshot()).seq;
  await waitFor((s) => Number(document.body.dataset.seq) >= s, seqNow);
  check(true, "caught up after the reload (the task added elsewhere shows)");
  const stoppedAfter = await page.evaluate(() => [...document.querySelectorAll("#messages > li")].filter((li) => li.querySelector(".stopped")).map((li) => li.dataset.raw));
  check(stoppedAfter.length === 1 && stoppedAfter[0] === stoppedShown, `the stopped reply is still shown, marked stopped, after the reload (${JSON.stringify(stoppedAfter)})`);
  await shot("caught-up");

  // 7. No console errors.
  check(consoleErrors.length === 0, `no console errors${consoleErrors.length ? ": " + consoleErrors.join(" | ") : ""}`);

  // 7a. Stop pressed while the service is unreachable: a pending
  // llm.cancel, sent once it is back. The stand-in's reply lasts about a
  // second, so the outage is short; should the reply end first, the Stop
  // is refused with operation_finished and rolled back (either is right,
  // and the check says which happened).
  await page.focus("#chat-input");
  await page.keyboard.type("Stop me offline: " + "slow words ".repeat(30));
  await page.keyboard.press("Enter");
  await waitFor(() => (document.querySelector("#messages > li.streaming")?.dataset.raw ?? "").length > 0, undefined, 20000);
  const stoppedBefore = (await snapshot()).state.messages.filter((m) => m.stopped).length;
  const cancelsBefore = (await storedOfType("llm.cancel")).length;
  proxy.unreachable(true);
  await waitFor(() => document.querySelector("#conn")?.dataset.state !== "connected", undefined, 5000);
  await page.click("#messages > li.streaming button.stop");
  const cancelPending = await page.evaluate(() => document.body.dataset.outbox);
  proxy.unreachable(false);
  await waitFor(() => document.querySelector("#conn")?.dataset.state === "connected" && document.body.dataset.outbox === "0", undefined, 15000);
  await waitFor(() => !document.querySelector("#messages > li.streaming"), undefined, 30000);
  const cancelled = (await storedOfType("llm.cancel")).length === cancelsBefore + 1 && (await snapshot()).state.messages.filter((m) => m.stopped).length === stoppedBefore + 1;
  const cancelRefused = !cancelled && (await page.evaluate(() => !!document.querySelector('#errors [data-code="operation_finished"]')));
  check(cancelPending === "1" && (cancelled || cancelRefused), `Stop while unreachable waits as a pending llm.cancel and goes when the service is back (${cancelled ? "the reply stopped there, stored as stopped" : "the reply had ended: operation_finished shown, rolled back"})`);
  figure("stop pressed offline", cancelled ? "stopped the reply" : "came after the reply ended");

  // 7b. Offline: the service unreachable, the user adds a task, sends a
  // message and completes a task another client deletes meanwhile,
  // reloads, and comes back: each event is stored once, in order; the
  // refused one rolls back with its code.
  const doomed = `Doomed ${tag}`;
  await page.type("#task-title", doomed);
  await page.keyboard.press("Enter");
  await waitFor(() => document.body.dataset.outbox === "0");
  const doomedId = await rowOf(doomed);
  const eventsBefore = (await api("/v1/events?after=0&limit=1000")).body.events.length;
  const stoppedNow0 = (await snapshot()).state.messages.filter((m) => m.stopped).length;
  proxy.unreachable(true);
  await waitFor(() => document.querySelector("#conn")?.dataset.state !== "connected", undefined, 10000);
  const offlineTask = `Offline task ${tag}`;
  await page.type("#task-title", offlineTask);
  await page.keyboard.press("Enter");
  await page.focus("#chat-input");
  await page.keyboard.type(`Offline message ${tag}`);
  await page.keyboard.press("Enter");
  await page.click(`#tasks li[data-key="${doomedId}"] input.done`);
  check((await post("task.deleted", { task_id: doomedId })).status === 202, "another client deleted a task meanwhile");
  const offlineView = await page.evaluate((t) => ({ outbox: document.body.dataset.outbox, banner: document.getElementById("outbox").checkVisibility() && document.getElementById("outbox").textContent, task: [...document.querySelectorAll("#tasks li")].find((li) => li.querySelector("input.title").value === t)?.classList.contains("pending"), msg: [...document.querySelectorAll("#messages > li.user.pending .meta")].map((m) => m.textContent) }), offlineTask);
  check(offlineView.outbox === "3" && /3 changes waiting/.test(offlineView.banner) && offlineView.task && offlineView.msg.includes("waiting to be sent"), `offline, the three changes show as pending (${JSON.stringify(offlineView)})`);
  await shot("offline-pending", true);
  await page.reload({ waitUntil: "domcontentloaded" });
  await sleep(800);
  const kept = await page.evaluate((k) => JSON.parse(localStorage.getItem(k) ?? "[]").map((i) => i.body.type), `microcos.outbox.${user}`);
  check(kept.join(",") === "task.created,user.message,task.completed", `reloaded while the service is unreachable: the outbox is kept (${kept.join(", ")})`);
  const storedOffline = (await api("/v1/events?after=0&limit=1000")).body.events.slice(eventsBefore).filter((e) => ["llm.cancel", "task.created", "user.message", "task.completed"].includes(e.type)).length;
  proxy.unreachable(false);
  await waitFor(() => document.querySelector("#conn")?.dataset.state === "connected" && document.body.dataset.outbox === "0", undefined, 30000);
  await waitFor(() => !!document.querySelector('#errors [data-code="task_not_found"]'), undefined, 10000);
  await waitFor(() => !document.querySelector("#messages > li.streaming"), undefined, 30000);
  const after = (await api("/v1/events?after=0&limit=1000")).body.events;
  const fresh = after.slice(eventsBefore);
  const sent = fresh.filter((e) => ["llm.cancel", "task.created", "user.message", "task.completed", "task.deleted"].includes(e.type)).map((e) => e.type);
  const count = (pred) => after.filter(pred).length;
  check(storedOffline === 0 && sent.join(",") === "task.deleted,task.created,user.message",
    `came back: sent once each, in order, the completion refused (${sent.join(", ")})`);
  check(count((e) => e.type === "task.created" && e.payload.title === offlineTask) === 1 && count((e) => e.type === "user.message" && e.payload.text === `Offline message ${tag}`) === 1,
    "the offline task and message are stored exactly once");
  const final = await snapshot();
  check(!final.state.tasks.some((t) => t.task_id === doomedId) && final.state.messages.filter((m) => m.stopped).length === stoppedNow0 && (await page.evaluate(() => document.body.dataset.pending)) === "0",
    "the refused completion rolled back (task_not_found shown), and nothing else changed");
  await shot("back-online", true);

  // The failed requests and handshakes while unreachable are logged by the browser.
  consoleErrors.splice(0).filter((e) => !/ERR_|WebSocket|Failed to load resource|net::/.test(e)).forEach((e) => check(false, `console error while offline: ${e}`));

  // 8. A forged token (a wrong signature) for this user, with the user's
  // state cached: nothing of that state is painted, the sign-in form shows
  // with the refusal, and the forged token is forgotten.
  await sleep(400);
  check(await page.evaluate((k) => !!localStorage.getItem(k), `microcos.cache.${user}`), "the user's state is cached");
  const forged = signToken("not-the-secret-" + randomUUID(), user);
  await page.evaluate((t) => localStorage.setItem("microcos.token", t), forged);
  await page.reload({ waitUntil: "domcontentloaded" });
  await waitFor(() => !!document.querySelector('#errors [data-code="unauthorized"]') && document.getElementById("signin").checkVisibility(), undefined, 15000);
  await sleep(300);
  const forgedSeen = await page.evaluate(() => ({ m: { ...window.__microcos }, painted: window.__painted, app: document.getElementById("app").checkVisibility(), token: localStorage.getItem("microcos.token"), error: document.querySelector("#errors").innerText }));
  const forgedLeaks = await leaks(["Water the plants", extra, stoppedShown.slice(0, 40), forged]);
  check(
    forgedSeen.m.accepted < 0 && forgedSeen.m.cachePaint < 0 && forgedSeen.painted === 0 && !forgedSeen.app && forgedLeaks.length === 0 && forgedSeen.token === null,
    `a forged token with the state cached painted nothing of it and was forgotten; the sign-in form shows “${forgedSeen.error.replace(/\s+/g, " ").trim()}”${forgedLeaks.length ? ` (leaked: ${forgedLeaks.join(", ")})` : ""}`,
  );
  await shot("forged-token");
  consoleErrors.length = 0; // the refused handshake and the 401 are logged by the browser
  proxy.dropSockets(); // the refused handshake's connection stays open (keep-alive): start the count at 0

  // 9. Sign in again (the kept cache paints once the token is accepted),
  // then sign out: nothing of the user is left in the page or in storage.
  await page.focus("#token");
  await page.keyboard.type(token);
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await waitFor((t) => [...document.querySelectorAll(":is(#tasks,#tasks-done) input.title")].some((i) => i.value === t) && document.querySelector("#conn")?.dataset.state === "connected", extra);
  const again = await page.evaluate(() => ({ ...window.__microcos }));
  check(again.cachePaint >= again.accepted && again.accepted >= 0, "signed in again: the cached state painted once the service accepted the token");
  await sleep(400);
  const socketsIn = proxy.openSockets();
  await page.click("#sign-out");
  await sleep(600); // past any cache save that was due
  const outLeaks = await leaks(["Water the plants", extra, stoppedShown.slice(0, 40), token, user, "-03:00"]);
  const outStored = await inStorage([token, user]);
  const out = { app: await visible("#app"), signin: await visible("#signin"), tokenField: await page.$eval("#token", (e) => e.value), lists: await page.$$eval("#messages li, #tasks li, #tasks-done li, .cards li, #reminders li, #plan li", (l) => l.length) };
  let sockets = proxy.openSockets();
  for (let i = 0; i < 30 && sockets; i++) (await sleep(100), (sockets = proxy.openSockets()));
  check(outLeaks.length === 0 && out.lists === 0, `after sign-out no message, task, token, user id or chosen time zone is in the page${outLeaks.length ? ` (found: ${outLeaks.join(", ")})` : ""}`);
  check(outStored.length === 0, `after sign-out nothing of the user is in localStorage or sessionStorage${outStored.length ? ` (found: ${outStored.join(", ")})` : ""}`);
  check(out.tokenField === "" && !out.app && out.signin && socketsIn === 1 && sockets === 0, `after sign-out the token field is empty, the app section hidden, the sign-in form shown, the stream closed (${JSON.stringify({ ...out, sockets: `${socketsIn} -> ${sockets}` })})`);
  await shot("signed-out");

  // 10. Signing in after a sign-out starts afresh (no cache: the stream brings the state).
  await page.focus("#token");
  await page.keyboard.type(token);
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await waitFor((t) => [...document.querySelectorAll(":is(#tasks,#tasks-done) input.title")].some((i) => i.value === t), extra);
  check(true, "signed in again after a sign-out: the state came from the stream");
  await sleep(1000); // past the app's check of the user's zone
  const zoneAfter = (await snapshot()).state.settings.time_zone;
  const settingsAfter = (await storedOfType("settings.updated")).length;
  check(zoneAfter === "-03:00" && settingsAfter === userSettings, `the zone the user chose is kept across reloads and sign-ins, never sent again (${zoneAfter}, ${settingsAfter} settings.updated stored)`);
  check(consoleErrors.length === 0, `no console errors since the forged token${consoleErrors.length ? ": " + consoleErrors.join(" | ") : ""}`);

  // 10b. A dead link (the socket stays open, nothing gets through): the
  // heartbeat (a ping every 15 s, 10 s to answer) finds it, so the header
  // leaves "connected", and the app reconnects once the link is back.
  await waitFor(() => document.querySelector("#conn")?.dataset.state === "connected");
  const deadAt = Date.now();
  proxy.blackhole(true);
  const noticed = await waitFor(() => document.querySelector("#conn")?.dataset.state !== "connected", undefined, 40000).then(() => true, () => false);
  const noticedMs = Date.now() - deadAt;
  proxy.blackhole(false);
  await waitFor(() => document.querySelector("#conn")?.dataset.state === "connected", undefined, 30000);
  check(noticed && noticedMs <= 30000, `a dead link stops showing "connected" after ${(noticedMs / 1000).toFixed(1)} s (the heartbeat: a ping every 15 s, 10 s to answer), and the stream comes back`);
  figure("dead link noticed after (s)", (noticedMs / 1000).toFixed(1));
  consoleErrors.splice(0).filter((e) => !/WebSocket|ERR_|net::/.test(e)).forEach((e) => check(false, `console error on the dead link: ${e}`));

  // 11. Clear the conversation, confirmed first; it stays clear across a reload.
  await page.click("#clear-chat");
  const confirmShown = await page.evaluate(() => document.getElementById("clear-confirm").checkVisibility() && document.activeElement?.id === "clear-no");
  await page.click("#clear-yes");
  await waitFor(() => document.querySelectorAll("#messages > li").length === 0, undefined, 10000);
  await waitFor(() => document.body.dataset.outbox === "0");
  await page.reload({ waitUntil: "domcontentloaded" });
  await waitFor(() => document.querySelector("#conn")?.dataset.state === "connected", undefined, 15000);
  await sleep(300);
  const cleared = { shown: await page.$$eval("#messages > li", (l) => l.length), stored: (await snapshot()).state.messages.length, events: (await storedOfType("chat.cleared")).length };
  check(confirmShown && cleared.shown === 0 && cleared.stored === 0 && cleared.events === 1, `Clear conversation asks first (focus on Keep), then clears it, stored as chat.cleared, and a reload keeps it clear (${JSON.stringify(cleared)})`);

  // 12. Accessibility (axe-core: no serious or critical violation) and a
  // phone: 390×844, a sticky composer, 44 px targets, 3:1 control borders.
  const axeSource = readFileSync(join(here, "..", "node_modules", "axe-core", "axe.min.js"), "utf8");
  const axeCheck = async (name) => {
    await page.evaluate(axeSource); // DevTools evaluation: the page's CSP does not apply
    const r = await page.evaluate(async () => {
      const res = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } });
      return res.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, target: v.nodes[0]?.target?.join(" ") }));
    });
    const bad = r.filter((v) => v.impact === "serious" || v.impact === "critical");
    figure(`axe violations, ${name} (serious+critical / all)`, `${bad.length} / ${r.length}`);
    check(bad.length === 0, `axe-core, ${name}: no serious or critical violation${bad.length ? `: ${JSON.stringify(bad)}` : ""}${r.length ? ` (minor: ${r.map((v) => v.id).join(", ")})` : ""}`);
  };
  // Something in every list, an action waiting and a reminder fired, so their markup is checked too.
  await page.focus("#chat-input");
  await page.keyboard.type("show markdown; add a task to check axe; complete task check axe");
  await page.keyboard.press("Enter");
  await waitFor(() => !document.querySelector("#messages > li.streaming") && document.querySelectorAll("#messages > li").length >= 2, undefined, 30000);
  await axeCheck("desktop 1280×900");
  await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
  await sleep(300);
  await axeCheck("phone 390×844");
  const phone = await page.evaluate(() => {
    const small = [];
    for (const e of document.querySelectorAll("#app button, #app input, #app select, #app textarea, header button")) {
      if (!e.checkVisibility()) continue;
      const r = e.getBoundingClientRect();
      if (r.height < 44 || r.width < 44) small.push(`${e.tagName.toLowerCase()}${e.className ? "." + e.className.split(" ")[0] : ""} ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    const composer = document.getElementById("chat-form");
    const lum = (c) => {
      const [r, g, b] = c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
    const input = document.getElementById("task-title");
    const bg = getComputedStyle(document.body).backgroundColor;
    return {
      small, total: document.querySelectorAll("#app button, #app input, #app select, #app textarea, header button").length,
      sticky: getComputedStyle(composer).position, border: ratio(getComputedStyle(input).borderTopColor, bg === "rgba(0, 0, 0, 0)" ? "rgb(255, 255, 255)" : bg),
    };
  });
  check(phone.small.length === 0, `on a phone every visible control is at least 44×44 px${phone.small.length ? ` (${phone.small.length} smaller: ${phone.small.slice(0, 8).join(", ")})` : ""}`);
  check(phone.sticky === "sticky" && phone.border >= 3, `the composer is sticky (${phone.sticky}); input borders are ${phone.border.toFixed(2)}:1 against the page (3:1 needed)`);
  figure("controls under 44 px on a phone", phone.small.length);
  await page.$eval("#messages", (e) => e.scrollIntoView());
  await shot("phone-chat");
  await shot("phone-full", true);
  await page.setViewport({ width: 2560, height: 1200 });
  await shot("wide");
  await page.setViewport({ width: 1280, height: 900 });

  // 13. The client's React hook, rendered for real: a page of its own
  // (web/test/react-page.mjs, bundled here) on the same origin, with the
  // store over the replica; it shows the user's tasks and adds one.
  const reactPage = await browser.newPage();
  reactPage.on("pageerror", (e) => consoleErrors.push(`react page: ${e}`));
  await reactPage.goto(`${base}/__test/react.html#${token}`, { waitUntil: "load" });
  await reactPage.waitForFunction(() => document.getElementById("conn")?.textContent === "connected" && document.querySelectorAll("#tasks li").length > 0, { timeout: 15000 });
  const reactTasks = await reactPage.$$eval("#tasks li", (l) => l.map((e) => e.textContent));
  const storedTitles = (await snapshot()).state.tasks.map((t) => t.title);
  await reactPage.click("#add");
  await reactPage.waitForFunction(() => [...document.querySelectorAll("#tasks li")].some((e) => e.textContent === "Added with React") && document.getElementById("outbox").textContent === "0", { timeout: 10000 });
  const reactStored = (await snapshot()).state.tasks.some((t) => t.title === "Added with React");
  check(reactTasks.length === storedTitles.length && reactTasks.every((t) => storedTitles.includes(t)) && reactStored, `useMicrocos renders the store in React: ${reactTasks.length} tasks as stored, and one added through the store is stored`);
  await reactPage.screenshot({ path: join(shots, "react-hook.png") });
  await reactPage.close();
  check(consoleErrors.length === 0, `no console errors at the end${consoleErrors.length ? ": " + consoleErrors.join(" | ") : ""}`);

  // The app's size.
  let gz = 0;
  for (const f of readdirSync(dist).filter((f) => !f.startsWith(".") && !/\.(br|gz)$/.test(f))) gz += gzipSync(readFileSync(join(dist, f)), { level: 9 }).length;
  figure("app transfer size gzip (HTML+JS+CSS+wasm, bytes)", gz);
  exitCode = failures.length ? 1 : 0;
} catch (e) {
  console.error("FAIL", e);
  await shot("failure").catch(() => {});
} finally {
  for (const f of figures) console.log(f);
  console.log(`screenshots: ${shots} (${readdirSync(shots).filter((f) => f.endsWith(".png")).length})`);
  await browser.close().catch(() => {});
  await proxy.close();
  await service?.stop();
  rmSync(extra, { recursive: true, force: true });
}
if (failures.length) console.error(`${failures.length} failed: ${failures.join("; ")}`);
process.exit(exitCode);
