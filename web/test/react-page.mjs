// A page of the browser test (web/test/browser.mjs bundles it with esbuild
// and serves it at /__test/react.html): @microcos/client/react's hook over
// the store and the assistant's replica, rendered by React for real. The
// token comes in the page's #fragment.

import { createElement as h, useMemo } from "react";
import { createRoot } from "react-dom/client";
import init, { Replica } from "microcos-replica";
import { createStore } from "../client/src/store.js";
import { useMicrocos } from "../client/src/react.js";

const token = decodeURIComponent(location.hash.slice(1));
const sub = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).sub;

function App({ replica }) {
  const store = useMemo(() => createStore({ baseUrl: "", token, replica }), [replica]);
  const { connection, tasks, messages, outbox } = useMicrocos(store);
  const waiting = useMicrocos(store, (s) => s.awaiting);
  return h(
    "main",
    null,
    h("p", { id: "conn" }, connection.state),
    h("p", { id: "outbox" }, String(outbox.length)),
    h("p", { id: "awaiting" }, String(waiting)),
    h("ul", { id: "tasks" }, tasks.map((t) => h("li", { key: t.task_id }, t.title))),
    h("p", { id: "messages" }, String(messages.length)),
    h("button", { id: "add", onClick: () => store.send("task.created", { task_id: crypto.randomUUID(), title: "Added with React" }) }, "Add"),
  );
}

await init({ module_or_path: new URL("microcos_web_bg.wasm", import.meta.url) });
createRoot(document.getElementById("root")).render(h(App, { replica: new Replica(sub) }));
