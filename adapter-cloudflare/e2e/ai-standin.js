// A local stand-in for the Workers AI binding (Workers AI has no local mode).
// It streams the real SSE format — `data: {"response":"tok"}` frames ending
// with `data: [DONE]` — splitting frames across chunks, and answers like
// microcos's offline stand-in model. A last user message containing
// `[[fail]]` breaks the stream after three tokens, once per distinct prompt
// (as the local service's stand-in does); `[[stall]]` makes it go silent;
// `[[refuse]]` makes run() reject. For the figures, `[[tokens:N]]` answers
// N tokens " w0 … w<N-1>" and `[[delay:D]]` spaces them D ms apart (D = 0:
// as fast as the reader takes them), like the side-by-side bench's stand-in.
const NAME = "[offline stand-in model]";
const DELAY_MS = 25;

function lastUser(messages) {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === "user") return messages[i].content;
  return "";
}

function tasks(messages) {
  const system = (messages[0] && messages[0].content) || "";
  const out = [];
  for (const line of system.split("\n")) {
    const m = /^- (.*?)(?: \(due [^)]*\))? \[id ([^\]]+)\]$/.exec(line);
    if (m) out.push({ title: m[1], id: m[2] });
  }
  return out;
}

// The same as assistant/src/stand_in.rs's MARKDOWN_SAMPLE (tests/blackbox.rs
// checks both transports give it).
const MARKDOWN_SAMPLE =
  "Here is **bold**, *emphasis* and `code`:\n\n- one\n- two\n\n[a link](https://example.com/docs)\n\n" +
  '```rust\nfn main() {\n    println!("hi");\n}\n```\n\n' +
  '<img src=x onerror="document.body.dataset.pwned=1"><script>document.body.dataset.pwned=1</script>';

function reply(inputs) {
  const messages = inputs.messages || [];
  const user = lastUser(messages);
  const kind = inputs.response_format && inputs.response_format.json_schema && inputs.response_format.json_schema.required;
  if (kind && kind[0] === "items") {
    const items = tasks(messages).slice(0, 8).map((t, i) => ({ time: `${String(9 + i).padStart(2, "0")}:00`, title: t.title, task_id: t.id }));
    if (items.length === 0) items.push({ time: "09:00", title: "Review your goals for the day", task_id: null });
    return { json: true, text: JSON.stringify({ items, model: NAME }) };
  }
  if (kind && kind[0] === "priority") {
    // The triage example's answer (examples/triage/domain.rs stand_in_reply, by the same keywords).
    const text = user.toLowerCase();
    const has = (words) => words.some((w) => text.includes(w));
    const priority = has(["down", "outage", "urgent"]) ? "urgent" : has(["crash", "error", "broken"]) ? "high" : has(["refund", "invoice", "charge"]) ? "normal" : "low";
    const category = has(["refund", "invoice", "charge"]) ? "billing" : has(["crash", "error", "broken", "down"]) ? "bug" : has(["password", "login", "account"]) ? "account" : "other";
    const subject = (text.split("\n")[0] || "").replace(/^subject: /, "");
    return { json: true, text: JSON.stringify({ priority, category, summary: `Customer writes: ${subject}` }) };
  }
  if (kind && kind[0] === "tasks") {
    const text = user.split("Text:\n")[1] || "";
    const found = text.split(/[\n.;]/).map((s) => s.trim()).filter((s) => s.length >= 3).slice(0, 10);
    return { json: true, text: JSON.stringify({ tasks: found.map((title) => ({ title, due_date: null })) }) };
  }
  if (user.startsWith("Summarise")) {
    const words = user.split("\n").slice(1).join(" ").split(/\s+/).filter(Boolean).slice(0, 40);
    return { json: false, text: `${NAME} Summary: ${words.join(" ")}` };
  }
  // Asked the date or time: the prompt's line of the user's local date, time
  // and zone (as assistant/src/stand_in.rs answers).
  const now = ((messages[0] && messages[0].content) || "").split("\n").find((l) => l.startsWith("It is "));
  if (now && ["what time", "what day", "what date"].some((q) => user.toLowerCase().includes(q))) {
    return { json: false, text: `${NAME} ${now}` };
  }
  // Asked to show Markdown: MARKDOWN_SAMPLE of assistant/src/stand_in.rs.
  if (user.toLowerCase().includes("show markdown")) {
    return { json: false, text: `${NAME} ${MARKDOWN_SAMPLE}` };
  }
  const count = /\[\[tokens:(\d+)\]\]/.exec(user);
  if (count) return { json: false, count: Number(count[1]), text: "" };
  const n = tasks(messages).length;
  const said = user.length > 160 ? user.slice(0, 160) + "…" : user;
  return { json: false, text: `${NAME} You said: "${said}". You have ${n} open task${n === 1 ? "" : "s"}. Configure a real model to get real answers.` };
}

// Tool calls, deterministic, when the request offers tools and the message
// asks in so many words (the same phrases as the Rust stand-in,
// assistant/src/stand_in.rs), in Workers AI's form: whole calls, arguments
// an object.
function toolCalls(inputs) {
  if (!Array.isArray(inputs.tools) || inputs.tools.length === 0) return [];
  const messages = inputs.messages || [];
  const open = tasks(messages);
  const calls = [];
  for (const line of lastUser(messages).split(/[\n;]/).map((l) => l.trim())) {
    const rest = (prefix) => (line.toLowerCase().startsWith(prefix) ? line.slice(prefix.length).trim().replace(/\.+$/, "") : null);
    let r;
    if ((r = rest("remind me at ")) !== null && r.includes(" to ")) {
      const at = r.indexOf(" to ");
      calls.push({ name: "set_reminder", arguments: { text: r.slice(at + 4), time: r.slice(0, at).trim() } });
    } else if ((r = rest("add a task to ") ?? rest("add task ")) !== null) {
      calls.push({ name: "create_task", arguments: { title: r } });
    } else if ((r = rest("complete task ")) !== null) {
      const t = open.find((t) => t.title.toLowerCase() === r.toLowerCase());
      calls.push({ name: "complete_task", arguments: { task_id: t ? t.id : r } });
    } else if (rest("plan my day") !== null) {
      calls.push({ name: "plan_day", arguments: {} });
    }
  }
  return calls;
}

function tokens(r) {
  if (r.count !== undefined) return Array.from({ length: r.count }, (_, i) => ` w${i}`);
  if (r.json) {
    const out = [];
    for (let i = 0; i < r.text.length; i += 8) out.push(r.text.slice(i, i + 8));
    return out;
  }
  return r.text.match(/[^ ]+ ?| /g) || [];
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const failedOnce = new Set();

class Ai {
  async run(model, inputs) {
    if (model !== "@cf/meta/llama-3.3-70b-instruct-fp8-fast") throw new Error(`5007: no such model ${model}`);
    const user = lastUser(inputs.messages || []);
    if (user.includes("[[refuse]]")) throw new Error("3040: Capacity temporarily exceeded");
    const r = reply(inputs);
    const calls = toolCalls(inputs);
    if (!inputs.stream) {
      const response = r.json ? JSON.parse(r.text) : r.count !== undefined ? tokens(r).join("") : r.text;
      return calls.length ? { response, tool_calls: calls } : { response };
    }
    const encoder = new TextEncoder();
    const toks = tokens(r);
    // The conversation, not the system prompt: that names the attempt's
    // time, so a retry in the next minute would look like another prompt.
    const key = JSON.stringify((inputs.messages || []).filter((m) => m.role !== "system"));
    const fail = user.includes("[[fail]]") && !failedOnce.has(key);
    if (fail) failedOnce.add(key);
    const stall = user.includes("[[stall]]");
    const pace = /\[\[delay:(\d+)\]\]/.exec(user);
    const delay = pace ? Number(pace[1]) : DELAY_MS;
    let i = 0;
    let carry = "";
    return new ReadableStream({
      async pull(controller) {
        if (delay > 0) await sleep(delay);
        if ((fail || stall) && i === 3) {
          if (fail) return controller.error(new Error("network connection lost"));
          await sleep(3_600_000);
        }
        if (i >= toks.length) {
          const tail = calls.length ? `data: ${JSON.stringify({ response: "", tool_calls: calls })}\n\n` : "";
          controller.enqueue(encoder.encode(carry + tail + 'data: {"response":"","usage":{"prompt_tokens":1}}\n\ndata: [DONE]\n\n'));
          return controller.close();
        }
        // Emit one frame plus the first half of the next, to split frames across chunks.
        const frame = carry + `data: ${JSON.stringify({ response: toks[i++] })}\n\n`;
        const cut = Math.max(1, Math.floor(frame.length * 0.6));
        controller.enqueue(encoder.encode(frame.slice(0, cut)));
        carry = frame.slice(cut);
      },
    });
  }
}

export default function makeBinding(_env) {
  return new Ai();
}
