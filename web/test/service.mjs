// What the browser test and the app's benchmark share: a local service of
// their own, and tokens for it.

import { spawn } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** An HS256 JWT for user `sub`, signed with `secret`. */
export function signToken(secret, sub, ttlSeconds = 3600) {
  const b64 = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const signing = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ sub, iat: now, exp: now + ttlSeconds })}`;
  return `${signing}.${createHmac("sha256", secret).update(signing).digest("base64url")}`;
}

/** Starts MICROCOS_BIN (default target/release/microcos, else
 * target/debug/microcos) on a free port with a fresh data folder and a
 * secret of its own, the stand-in model at `tokenDelayMs` per token, and
 * waits for /healthz. `stop()` ends it and removes the folder. */
export async function startService({ tokenDelayMs = 30 } = {}) {
  const secret = "microcos-web-test-" + randomUUID();
  const dataDir = mkdtempSync(join(tmpdir(), "microcos-web-test-"));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const upstream = `http://127.0.0.1:${port}`;
  const release = join(root, "target", "release", "microcos");
  const bin = process.env.MICROCOS_BIN || (existsSync(release) ? release : join(root, "target", "debug", "microcos"));
  const server = spawn(bin, ["serve", "--addr", `127.0.0.1:${port}`, "--data", dataDir, "--token-delay-ms", String(tokenDelayMs)], {
    env: { ...process.env, MICROCOS_SECRET: secret, MICROCOS_LOG: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${upstream}/healthz`)).ok) break;
    } catch {}
    if (i > 100) throw new Error(`the service did not start at ${upstream}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const stop = async () => {
    server.kill("SIGTERM");
    await new Promise((r) => (server.exitCode !== null ? r() : server.on("exit", r)));
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { upstream, secret, stop };
}
