// A same-origin front for the browser test (and for development): forwards
// every request and WebSocket to the service at `upstream`, serves the app's
// built files itself when the service does not serve `/` (or when `dist` is
// forced), and can inject network faults:
//
//   holdUp(ms)      delay bytes the browser sends on its sockets (the service
//                   answers later: optimistic updates show first)
//   pauseDown()/resumeDown()  hold everything the service sends on sockets
//   delayApi(ms)    delay /v1/ requests and socket handshakes
//   dropSockets()   cut every open socket (a lost connection mid-reply)
//
// As a program: node web/test/proxy.mjs <upstream-url> [port] [dist-dir]

import http from "node:http";
import net from "node:net";
import { readFileSync, existsSync } from "node:fs";
import { join, extname } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".wasm": "application/wasm" };

export async function startProxy({ upstream, port = 0, dist = null, forceDist = false, extra = null }) {
  const up = new URL(upstream);
  const sockets = new Set();
  let holdUpMs = 0;
  let apiDelayMs = 0;
  let downPaused = false;
  // The service unreachable (API and stream fail as on a dead network; the
  // page's own files still load), or a dead link (sockets stay open, nothing
  // goes through either way).
  let unreachable = false;
  let blackhole = false;
  const downQueue = [];
  let serveDist = forceDist;
  if (!forceDist && dist) {
    // Does the service serve the app itself?
    const res = await fetch(new URL("/", up)).catch(() => null);
    serveDist = !res || res.status === 404;
  }
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  const server = http.createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (extra && path.startsWith("/__test/")) {
      const file = path.slice("/__test/".length);
      const p = join(extra, file);
      if (!file.includes("..") && existsSync(p)) res.writeHead(200, { "content-type": TYPES[extname(p)] ?? "application/octet-stream", "cache-control": "no-store" }).end(readFileSync(p));
      else res.writeHead(404).end();
      return;
    }
    if (unreachable && (path.startsWith("/v1/") || path === "/healthz")) return req.socket.destroy();
    if (serveDist && !path.startsWith("/v1/") && path !== "/healthz") {
      const file = path === "/" ? "index.html" : path.slice(1);
      const p = join(dist, file);
      if (!file.includes("..") && existsSync(p)) {
        // As the services do (microcos_host::web): a content-hashed name is cached for good.
        const cache = /^[^/]+\.[0-9a-f]{8,}\.[a-z0-9]+$/.test(file) ? "public, max-age=31536000, immutable" : "no-cache";
        res.writeHead(200, { "content-type": TYPES[extname(p)] ?? "application/octet-stream", "cache-control": cache });
        res.end(readFileSync(p));
      } else {
        res.writeHead(404).end();
      }
      return;
    }
    if (path.startsWith("/v1/") && apiDelayMs) await sleep(apiDelayMs);
    const fwd = http.request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    fwd.on("error", () => res.headersSent ? res.destroy() : res.writeHead(502).end());
    req.pipe(fwd);
  });

  server.on("upgrade", async (req, client, head) => {
    if (unreachable) return client.destroy();
    if (apiDelayMs) await sleep(apiDelayMs);
    const target = net.connect(Number(up.port), up.hostname);
    const pair = { client, target };
    sockets.add(pair);
    const close = () => {
      sockets.delete(pair);
      client.destroy();
      target.destroy();
    };
    client.on("error", close).on("close", close);
    target.on("error", close).on("close", close);
    target.on("connect", () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      target.write(lines.join("\r\n") + "\r\n\r\n");
      if (head.length) target.write(head);
    });
    client.on("data", (d) => {
      if (blackhole) return;
      if (holdUpMs) setTimeout(() => target.writable && target.write(d), holdUpMs);
      else target.write(d);
    });
    target.on("data", (d) => {
      if (blackhole) return;
      if (downPaused) downQueue.push([client, d]);
      else client.write(d);
    });
  });

  await new Promise((r) => server.listen(port, "127.0.0.1", r));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    servesDist: serveDist,
    holdUp: (ms) => (holdUpMs = ms),
    /** The service unreachable: API requests and stream upgrades fail (the
     * open sockets are dropped); the page's files still load. */
    unreachable: (on) => {
      unreachable = on;
      if (on) for (const { client, target } of sockets) (client.destroy(), target.destroy());
    },
    /** A dead link: open sockets stay open but carry nothing, either way. */
    blackhole: (on) => (blackhole = on),
    delayApi: (ms) => (apiDelayMs = ms),
    pauseDown: () => (downPaused = true),
    resumeDown: () => {
      downPaused = false;
      for (const [c, d] of downQueue.splice(0)) if (c.writable) c.write(d);
    },
    dropSockets: () => {
      for (const { client, target } of sockets) {
        client.destroy();
        target.destroy();
      }
      sockets.clear();
    },
    openSockets: () => sockets.size,
    close: () => new Promise((r) => {
      for (const { client, target } of sockets) (client.destroy(), target.destroy());
      server.closeAllConnections?.();
      server.close(r);
    }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [upstream, port = "8788", dist = join(fileURLToPath(new URL(".", import.meta.url)), "..", "dist")] = process.argv.slice(2);
  if (!upstream) {
    console.error("usage: node web/test/proxy.mjs <upstream-url> [port] [dist-dir]");
    process.exit(2);
  }
  const p = await startProxy({ upstream, port: Number(port), dist, forceDist: !!process.argv[4] });
  console.log(`${p.url} -> ${upstream}${p.servesDist ? ` (app from ${dist})` : ""}`);
}
