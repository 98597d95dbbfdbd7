//! The assistant's offline stand-in model, for the local service without a
//! configured model and for tests: same request, same reply.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use microcos_core::ToolCall;
use microcos_core::{LlmRequest, PromptRole};

/// Name the stand-in puts in every reply, so nobody mistakes it for a real model.
pub const STAND_IN_NAME: &str = "[offline stand-in model]";

fn last_user(req: &LlmRequest) -> &str {
    req.messages.iter().rev().find(|m| m.role == PromptRole::User).map_or("", |m| m.content.as_str())
}

fn clip(s: &str, n: usize) -> String {
    let mut out: String = s.chars().filter(|c| !c.is_control() || *c == ' ').take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

/// The text of the prompt's data block labelled `label` (empty if none).
fn data_block<'a>(prompt: &'a str, label: &str) -> &'a str {
    let open = format!("<data source=\"{label}\">\n");
    let Some(start) = prompt.find(&open).map(|i| i + open.len()) else { return "" };
    let body = &prompt[start..];
    body.find("\n</data>").map_or(body, |end| &body[..end])
}

/// Open tasks listed in the system prompt as `- title … [id X]`.
fn prompt_tasks(req: &LlmRequest) -> Vec<(String, String)> {
    let system = req.messages.first().map_or("", |m| m.content.as_str());
    system
        .lines()
        .filter_map(|l| {
            let l = l.strip_prefix("- ")?;
            let (title, id) = l.rsplit_once(" [id ")?;
            let title = title.split(" (due ").next().unwrap_or(title);
            Some((title.to_string(), id.trim_end_matches(']').to_string()))
        })
        .collect()
}

/// What the stand-in answers to "show markdown": emphasis, a list, a link,
/// fenced code, and HTML a client must show as text or drop, never run.
pub const MARKDOWN_SAMPLE: &str = "Here is **bold**, *emphasis* and `code`:\n\n\
- one\n- two\n\n\
[a link](https://example.com/docs)\n\n\
```rust\nfn main() {\n    println!(\"hi\");\n}\n```\n\n\
<img src=x onerror=\"document.body.dataset.pwned=1\"><script>document.body.dataset.pwned=1</script>";

/// The assistant's offline stand-in model: a deterministic reply to each of
/// its operations from the prompt alone, with valid JSON for task
/// extraction and plans. Hosts plug it into their stand-in model.
pub fn reply(req: &LlmRequest) -> String {
    match req.kind.as_str() {
        "chat" => {
            // Asked the date or time: the prompt's line of the user's local date, time and zone.
            let asked = last_user(req).to_lowercase();
            let system = req.messages.first().map_or("", |m| m.content.as_str());
            let now = system.lines().find(|l| l.starts_with("It is "));
            if let (true, Some(now)) = (["what time", "what day", "what date"].iter().any(|q| asked.contains(q)), now) {
                return format!("{STAND_IN_NAME} {now}");
            }
            // Asked to show Markdown: a reply in the Markdown a real model writes,
            // with raw HTML in it that a client must not run.
            if asked.contains("show markdown") {
                return format!("{STAND_IN_NAME} {MARKDOWN_SAMPLE}");
            }
            let tasks = prompt_tasks(req).len();
            format!(
                    "{STAND_IN_NAME} You said: \"{}\". You have {tasks} open task{}. Configure a real model to get real answers.",
                    clip(last_user(req), 160),
                    if tasks == 1 { "" } else { "s" }
                )
        }
        "extract_tasks" => {
            let text = data_block(last_user(req), "pasted");
            let tasks: Vec<serde_json::Value> = text
                .split(['\n', '.', ';'])
                .map(str::trim)
                .filter(|s| s.chars().count() >= 3)
                .take(10)
                .map(|s| serde_json::json!({ "title": clip(s, 120), "due_date": null }))
                .collect();
            serde_json::json!({ "tasks": tasks }).to_string()
        }
        "daily_plan" => {
            let mut items: Vec<serde_json::Value> = prompt_tasks(req)
                    .into_iter()
                    .take(8)
                    .enumerate()
                    .map(|(i, (title, id))| serde_json::json!({ "time": format!("{:02}:00", 9 + i), "title": title, "task_id": id }))
                    .collect();
            if items.is_empty() {
                items.push(
                    serde_json::json!({ "time": "09:00", "title": "Review your goals for the day", "task_id": null }),
                );
            }
            serde_json::json!({ "items": items, "model": STAND_IN_NAME }).to_string()
        }
        "summary" => {
            let conversation = data_block(last_user(req), "conversation");
            let words: Vec<&str> = conversation.split_whitespace().take(40).collect();
            format!("{STAND_IN_NAME} Summary: {}", words.join(" "))
        }
        other => format!("{STAND_IN_NAME} No stand-in reply for operations of kind `{other}`."),
    }
}

/// The stand-in's tool calls, deterministic, for a chat message that asks
/// in so many words (one request per line or `;`):
///
/// - `remind me at 17:00 to call Ann` → `set_reminder`;
/// - `add a task to buy milk` (or `add task …`) → `create_task`;
/// - `complete task Buy milk` (or `mark … as done`) → `complete_task`, with
///   the id of the open task of that title in the prompt (else the words as
///   given: the rules refuse it);
/// - `plan my day` → `plan_day`.
pub fn tool_calls(req: &LlmRequest) -> Vec<ToolCall> {
    if req.kind.as_str() != "chat" {
        return Vec::new();
    }
    let tasks = prompt_tasks(req);
    let mut calls = Vec::new();
    for line in last_user(req).split(['\n', ';']).map(str::trim) {
        // ASCII-case-insensitive prefixes, sliced at char boundaries only.
        let rest = |prefix: &str| {
            let head = line.get(..prefix.len()).filter(|h| h.eq_ignore_ascii_case(prefix))?;
            Some(line[head.len()..].trim().trim_end_matches('.'))
        };
        let call = if let Some(r) = rest("remind me at ") {
            r.split_once(" to ")
                .map(|(time, text)| ("set_reminder", serde_json::json!({"text": text, "time": time.trim()})))
        } else if let Some(title) = rest("add a task to ").or_else(|| rest("add task ")) {
            Some(("create_task", serde_json::json!({"title": title})))
        } else if let Some(title) =
            rest("complete task ").or_else(|| rest("mark ").and_then(|r| r.strip_suffix(" as done").map(str::trim)))
        {
            let id = tasks.iter().find(|(t, _)| t.eq_ignore_ascii_case(title)).map_or(title, |(_, id)| id.as_str());
            Some(("complete_task", serde_json::json!({"task_id": id})))
        } else if rest("plan my day").is_some() {
            Some(("plan_day", serde_json::json!({})))
        } else {
            None
        };
        if let Some((name, arguments)) = call {
            let id = format!("standin_{}", calls.len());
            calls.push(ToolCall { id, name: name.to_string(), arguments: arguments.to_string() });
        }
    }
    calls
}
