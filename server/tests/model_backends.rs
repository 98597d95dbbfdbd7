//! The HTTP model backends against a local fake provider that replays
//! recorded stream frames: split across network chunks, error frames, a
//! stream that stops without its end marker, a stall, throttling.

#![allow(clippy::unwrap_used)] // helpers of a test crate: a panic is a failed test

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{Response, StatusCode};
use axum::routing::post;
use axum::Router;
use microcos_assistant::prompt::output_schema;
use microcos_assistant::OperationKind;
use microcos_core::{uuid::Uuid, Llm, LlmErrorKind, OperationId, TokenStream, ToolCall};
use microcos_core::{LlmRequest, PromptMessage, PromptRole};
use microcos_server::llm::{Backend, Model, StructuredOutput};
use serde_json::json;

const OPENAI: &str = concat!(
    "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n",
    "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n",
    ": keep-alive\n\n",
    "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo w\\u00f6rld\"}}]}\n\n",
    "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
    "data: [DONE]\n\n",
);

const WORKERS_AI: &str = concat!(
    "data: {\"response\":\"Hel\",\"p\":\"abc\"}\n\n",
    "data: {\"response\":\"lo w\\u00f6rld\"}\n\n",
    "data: {\"response\":\"\",\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3}}\n\n",
    "data: [DONE]\n\n",
);

/// A recorded OpenAI-compatible stream that calls two tools, the arguments
/// of the first in pieces interleaved with the second (by index).
const OPENAI_TOOLS: &str = concat!(
    "data: {\"id\":\"c2\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"On it.\"}}]}\n\n",
    "data: {\"id\":\"c2\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"set_reminder\",\"arguments\":\"{\\\"text\\\":\\\"Call \"}}]}}]}\n\n",
    "data: {\"id\":\"c2\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_2\",\"type\":\"function\",\"function\":{\"name\":\"plan_day\",\"arguments\":\"{}\"}}]}}]}\n\n",
    "data: {\"id\":\"c2\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"Ann\\\",\\\"time\\\":\\\"17:00\\\"}\"}}]}}]}\n\n",
    "data: {\"id\":\"c2\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n",
    "data: [DONE]\n\n",
);

/// A recorded Workers AI stream that calls two tools, whole.
const WORKERS_AI_TOOLS: &str = concat!(
    "data: {\"response\":\"On it.\"}\n\n",
    "data: {\"response\":\"\",\"tool_calls\":[{\"name\":\"set_reminder\",\"arguments\":{\"text\":\"Call Ann\",\"time\":\"17:00\"}},{\"name\":\"plan_day\",\"arguments\":{}}]}\n\n",
    "data: [DONE]\n\n",
);

#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<serde_json::Value>>>);

/// Splits `text` into chunks at awkward places (inside JSON, inside `ö`).
fn chunks(text: &str) -> Vec<Bytes> {
    let b = text.as_bytes().to_vec();
    let mut out = Vec::new();
    let mut i = 0;
    let mut size = 1;
    while i < b.len() {
        let end = (i + size).min(b.len());
        out.push(Bytes::copy_from_slice(&b[i..end]));
        i = end;
        size = size % 7 + 3;
    }
    out
}

fn sse(parts: Vec<Bytes>, then_stall: bool) -> Response<Body> {
    let stream = async_stream(parts, then_stall);
    Response::builder().header("content-type", "text/event-stream").body(Body::from_stream(stream)).unwrap()
}

fn async_stream(parts: Vec<Bytes>, then_stall: bool) -> impl futures_util::Stream<Item = Result<Bytes, Infallible>> {
    futures_util::stream::unfold((parts.into_iter(), then_stall), |(mut it, stall)| async move {
        match it.next() {
            Some(b) => {
                tokio::time::sleep(Duration::from_millis(1)).await;
                Some((Ok(b), (it, stall)))
            }
            None if stall => {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                None
            }
            None => None,
        }
    })
}

async fn provider(Path(scenario): Path<String>, State(seen): State<Seen>, body: Bytes) -> Response<Body> {
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    seen.0.lock().unwrap().push(json);
    let frames = if scenario.starts_with("cf-") { WORKERS_AI } else { OPENAI };
    match scenario.trim_start_matches("cf-") {
        "ok" => sse(chunks(frames), false),
        "tools" => sse(chunks(if scenario.starts_with("cf-") { WORKERS_AI_TOOLS } else { OPENAI_TOOLS }), false),
        "whole-tools" => Response::builder()
            .header("content-type", "application/json")
            .body(Body::from(
                r#"{"result":{"response":null,"tool_calls":[{"name":"plan_day","arguments":{"date":"2026-12-01"}}]},"success":true}"#,
            ))
            .unwrap(),
        "truncated" => sse(chunks(frames.trim_end_matches("data: [DONE]\n\n")), false),
        "error" => {
            let error_frame = if scenario.starts_with("cf-") {
                "data: {\"errors\":[{\"code\":3040,\"message\":\"Capacity temporarily exceeded\"}]}\n\n"
            } else {
                "data: {\"error\":{\"message\":\"model overloaded\"}}\n\n"
            };
            let text = format!("{}{}", frames.split("\n\n").next().unwrap(), "\n\n") + error_frame;
            sse(chunks(&text), false)
        }
        "stall" => sse(
            chunks(frames.split("data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{}").next().unwrap()),
            true,
        ),
        "throttled" => Response::builder().status(StatusCode::TOO_MANY_REQUESTS).body(Body::from("slow down")).unwrap(),
        "refused" => Response::builder().status(StatusCode::BAD_REQUEST).body(Body::from("bad model")).unwrap(),
        "whole" => Response::builder()
            .header("content-type", "application/json")
            .body(Body::from(r#"{"result":{"response":{"tasks":[{"title":"Call Ann"}]}},"success":true}"#))
            .unwrap(),
        _ => Response::builder().status(StatusCode::NOT_FOUND).body(Body::empty()).unwrap(),
    }
}

async fn fake_provider() -> (String, Seen) {
    let seen = Seen::default();
    let app = Router::new()
        .route("/{scenario}/v1/chat/completions", post(provider))
        .route("/{scenario}/accounts/acct/ai/run/@cf/meta/llama-3.3-70b-instruct-fp8-fast", post(provider))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}"), seen)
}

fn request(kind: OperationKind) -> LlmRequest {
    LlmRequest {
        operation_id: OperationId(Uuid::from_u128(1)),
        attempt: 1,
        kind: microcos_core::OperationKind::new(kind.as_str()),
        messages: vec![
            PromptMessage { role: PromptRole::System, content: "be brief".into() },
            PromptMessage { role: PromptRole::User, content: "hi".into() },
        ],
        json: kind != OperationKind::Chat,
        schema: output_schema(kind),
        max_tokens: 64,
        tools: Vec::new(),
    }
}

fn openai(base: &str, scenario: &str) -> Model {
    openai_with(base, scenario, StructuredOutput::default())
}

fn openai_with(base: &str, scenario: &str, structured: StructuredOutput) -> Model {
    Model::new(
        Backend::OpenAi {
            base_url: format!("{base}/{scenario}/v1"),
            model: "llama3.3".into(),
            api_key: Some("k".into()),
            structured,
            temperature: Some(0.0),
            seed: Some(7),
        },
        Duration::from_millis(400),
    )
}

fn workers_ai(base: &str, scenario: &str) -> Model {
    Model::new(
        Backend::WorkersAi {
            base_url: format!("{base}/cf-{scenario}"),
            account_id: "acct".into(),
            api_token: "t".into(),
        },
        Duration::from_millis(400),
    )
}

/// Collects a reply: its text, and how it ended.
async fn collect(model: &Model, kind: OperationKind) -> (String, Result<(), LlmErrorKind>) {
    let mut stream = match model.generate(&request(kind)).await {
        Ok(s) => s,
        Err(e) => return (String::new(), Err(e.kind)),
    };
    let mut text = String::new();
    while let Some(next) = stream.next_token().await {
        match next {
            Ok(t) => text.push_str(&t),
            Err(e) => return (text, Err(e.kind)),
        }
    }
    (text, Ok(()))
}

#[tokio::test]
async fn both_dialects_stream_split_frames_to_the_same_text() {
    let (base, seen) = fake_provider().await;
    assert_eq!(collect(&openai(&base, "ok"), OperationKind::Chat).await, ("Hello wörld".into(), Ok(())));
    assert_eq!(collect(&workers_ai(&base, "ok"), OperationKind::Chat).await, ("Hello wörld".into(), Ok(())));
    let bodies = seen.0.lock().unwrap().clone();
    assert_eq!(bodies[0]["stream"], true);
    assert_eq!(bodies[0]["model"], "llama3.3");
    assert_eq!(bodies[0]["messages"][1]["content"], "hi");
    assert_eq!(bodies[1]["stream"], true);
    assert!(bodies[1].get("response_format").is_none(), "chat asks for free text");
}

#[tokio::test]
async fn both_dialects_send_the_tools_and_assemble_streamed_calls_split_anywhere() {
    let (base, seen) = fake_provider().await;
    let mut req = request(OperationKind::Chat);
    req.tools = microcos_assistant::actions::tools();
    let expected = vec![
        ToolCall {
            id: "call_1".into(),
            name: "set_reminder".into(),
            arguments: r#"{"text":"Call Ann","time":"17:00"}"#.into(),
        },
        ToolCall { id: "call_2".into(), name: "plan_day".into(), arguments: "{}".into() },
    ];
    for (model, ids) in [(openai(&base, "tools"), true), (workers_ai(&base, "tools"), false)] {
        let mut stream = model.generate(&req).await.unwrap();
        let mut text = String::new();
        while let Some(t) = stream.next_token().await {
            text.push_str(&t.unwrap());
        }
        let calls = stream.tool_calls();
        let mut want = expected.clone();
        if !ids {
            want.iter_mut().for_each(|c| c.id.clear()); // Workers AI names no call ids
        }
        assert_eq!((text.as_str(), calls), ("On it.", want));
    }
    let bodies = seen.0.lock().unwrap().clone();
    assert_eq!(bodies[0]["tools"][0]["type"], "function", "OpenAI's form");
    assert_eq!(bodies[0]["tools"][0]["function"]["name"], "create_task");
    assert_eq!(bodies[1]["tools"][2]["name"], "set_reminder", "Workers AI's form");
    assert!(bodies[1]["tools"][2]["parameters"]["properties"]["time"].is_object());
    // A whole (non-streamed) answer that only calls a tool.
    let mut stream = workers_ai(&base, "whole-tools").generate(&req).await.unwrap();
    assert!(stream.next_token().await.is_none(), "no text");
    let call = &stream.tool_calls()[0];
    assert_eq!((call.name.as_str(), call.arguments.as_str()), ("plan_day", r#"{"date":"2026-12-01"}"#));
    // Without tools, none are sent.
    assert!(collect(&openai(&base, "ok"), OperationKind::Chat).await.1.is_ok());
    assert!(seen.0.lock().unwrap().last().unwrap().get("tools").is_none());
}

#[tokio::test]
async fn json_operations_ask_for_structured_output() {
    let (base, seen) = fake_provider().await;
    assert_eq!(collect(&openai(&base, "ok"), OperationKind::ExtractTasks).await.1, Ok(()));
    assert_eq!(collect(&workers_ai(&base, "ok"), OperationKind::DailyPlan).await.1, Ok(()));
    let bodies = seen.0.lock().unwrap().clone();
    // OpenAI's strict json_schema by default: every property required, the
    // optional ones nullable, no others.
    let format = &bodies[0]["response_format"];
    assert_eq!(
        (&format["type"], &format["json_schema"]["name"], &format["json_schema"]["strict"]),
        (&json!("json_schema"), &json!("extract_tasks"), &json!(true))
    );
    let task = &format["json_schema"]["schema"]["properties"]["tasks"]["items"];
    assert_eq!(task["required"], json!(["due_date", "title"]));
    assert_eq!(task["additionalProperties"], false);
    assert_eq!(task["properties"]["due_date"]["type"], json!(["string", "null"]));
    assert_eq!((&bodies[0]["temperature"], &bodies[0]["seed"]), (&json!(0.0), &json!(7)));
    assert_eq!(bodies[1]["response_format"]["type"], "json_schema");
    assert_eq!(bodies[1]["response_format"]["json_schema"]["required"][0], "items", "Workers AI keeps its form");
    // A provider that answers JSON mode in one piece still works.
    let (text, end) = collect(&workers_ai(&base, "whole"), OperationKind::ExtractTasks).await;
    assert_eq!(end, Ok(()));
    assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap()["tasks"][0]["title"], "Call Ann");
}

#[tokio::test]
async fn each_structured_output_form_sends_the_schema_where_its_server_takes_it() {
    let (base, seen) = fake_provider().await;
    let plan = output_schema(OperationKind::DailyPlan).unwrap();
    for form in [StructuredOutput::JsonObjectSchema, StructuredOutput::JsonObject] {
        assert_eq!(collect(&openai_with(&base, "ok", form), OperationKind::DailyPlan).await.1, Ok(()));
    }
    // A free-text operation asks for no format, in any form.
    for form in [StructuredOutput::JsonSchema, StructuredOutput::JsonObjectSchema] {
        assert_eq!(collect(&openai_with(&base, "ok", form), OperationKind::Chat).await.1, Ok(()));
    }
    let bodies = seen.0.lock().unwrap().clone();
    assert_eq!(bodies[0]["response_format"], json!({"type": "json_object", "schema": plan}), "llama-cpp-python");
    assert_eq!(bodies[1]["response_format"], json!({"type": "json_object"}));
    for chat in &bodies[2..] {
        assert_eq!((chat.get("format"), chat.get("response_format")), (None, None), "chat");
    }
}

#[tokio::test]
async fn failures_are_typed_for_the_retry_policy() {
    let (base, _) = fake_provider().await;
    for model in [openai(&base, "truncated"), workers_ai(&base, "truncated")] {
        let (text, end) = collect(&model, OperationKind::Chat).await;
        assert_eq!(
            (text.as_str(), end),
            ("Hello wörld", Err(LlmErrorKind::Provider)),
            "no end marker: retryable failure"
        );
    }
    for model in [openai(&base, "error"), workers_ai(&base, "error")] {
        assert_eq!(collect(&model, OperationKind::Chat).await.1, Err(LlmErrorKind::Provider));
    }
    assert_eq!(
        collect(&openai(&base, "stall"), OperationKind::Chat).await,
        ("Hello wörld".into(), Err(LlmErrorKind::Stalled))
    );
    assert_eq!(collect(&openai(&base, "throttled"), OperationKind::Chat).await.1, Err(LlmErrorKind::RateLimited));
    assert_eq!(collect(&workers_ai(&base, "refused"), OperationKind::Chat).await.1, Err(LlmErrorKind::Rejected));
}
