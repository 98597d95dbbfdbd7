//! Embedding microcos: one user's assistant in memory, driven by hand
//! through the kernel's one input/output API and its drain rule.
//!
//! Run: `cargo run --example quickstart`

#![allow(clippy::print_stdout)]

use std::collections::VecDeque;

use microcos_assistant::{stand_in, Assistant, Frame};
use microcos_core::validate::{parse_client_request, Limits};
use microcos_core::{
    uuid::Uuid, Clock, Config, Engine, EngineError, EventId, Llm, OperationId, RequestId, RequestMeta, TokenStream,
    UserId,
};
use microcos_core::{Answer, Input, Output};
use microcos_memory::{block_on, MemoryStore, StandIn};
use microcos_server::SystemClock;

type Kernel = Engine<Assistant, MemoryStore>;

/// The drain rule: after every input, take outputs until `Wait`. Frames go
/// to subscribers; each `Start` begins an attempt whose model tokens go back
/// in as inputs (which may start more work: a summary after a reply). A
/// real host runs each attempt as a task of its own (see `microcos_host`).
fn drain(engine: &mut Kernel, model: &StandIn, frames: &mut Vec<Frame>) -> Result<(), EngineError> {
    let mut ready: VecDeque<OperationId> = VecDeque::new();
    loop {
        match engine.poll_output() {
            Output::Push(frame) => frames.push(frame), // your WebSocket fan-out goes here
            Output::Start(operation_id) => ready.push_back(operation_id),
            Output::Wait(_) => break, // a real host sets a timer and feeds `Input::Tick` then
        }
    }
    while let Some(operation_id) = ready.pop_front() {
        // Stores `llm.started`: the model is called only once that is durable.
        let Some(request) = engine.begin(operation_id, SystemClock.now())? else { continue };
        drain(engine, model, frames)?;
        let attempt = request.attempt;
        let mut stream = match block_on(model.generate(&request)) {
            Ok(stream) => stream,
            Err(error) => {
                let now = SystemClock.now();
                engine.handle_input(Input::StreamError { operation_id, attempt, error, now })?;
                drain(engine, model, frames)?;
                continue;
            }
        };
        loop {
            let now = SystemClock.now();
            let (input, last) = match block_on(stream.next_token()) {
                Some(Ok(text)) => (Input::Token { operation_id, attempt, text, now }, false),
                Some(Err(error)) => (Input::StreamError { operation_id, attempt, error, now }, true),
                None => (Input::StreamEnd { operation_id, attempt, tool_calls: stream.tool_calls(), now }, true),
            };
            let answer = engine.handle_input(input)?;
            drain(engine, model, frames)?;
            if last || answer == Answer::Stop {
                break;
            }
        }
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let user = UserId::parse("alice").ok_or("bad user id")?;
    let store = MemoryStore::new(); // swap in any `Store`: SQLite, a Durable Object…
    let assistant = Assistant::default(); // the domain: swap in your own (see "Your own domain")
    let (mut engine, _) = Engine::open(user, Config::default(), assistant.clone(), store.clone(), SystemClock.now())?;
    let model = StandIn::new(stand_in::reply); // the offline model; any `Llm` goes here
    let mut frames: Vec<Frame> = Vec::new();
    drain(&mut engine, &model, &mut frames)?;

    // The transport supplies fresh ids and the time; the kernel draws no randomness.
    let mut n = 0u128;
    let mut send =
        |engine: &mut Kernel, frames: &mut Vec<Frame>, body: &str| -> Result<_, Box<dyn std::error::Error>> {
            n += 1;
            let request = parse_client_request::<Assistant>(body.as_bytes(), &assistant, &Limits::default())?;
            let meta = RequestMeta {
                request_id: RequestId(Uuid::from_u128(n)),
                event_id: EventId(Uuid::from_u128(1 << 64 | n)),
                timestamp: SystemClock.now(),
            };
            let accepted = engine.submit(request, meta)?;
            drain(engine, &model, frames)?; // streams the reply token by token
            Ok(accepted)
        };

    let body = r#"{"type":"task.created","payload":{"title":"Book flights"},"client_action_id":"t1"}"#;
    let a = send(&mut engine, &mut frames, body)?;
    let again = send(&mut engine, &mut frames, body)?;
    println!("task.created -> seq {} (retry: seq {}, duplicate: {})", a.seq, again.seq, again.duplicate);

    send(&mut engine, &mut frames, r#"{"type":"user.message","payload":{"text":"What should I do first?"}}"#)?;
    let streamed: String = frames
        .iter()
        .filter_map(|f| match f {
            Frame::Token { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    println!("streamed: {streamed}");
    let state = engine.state();
    println!(
        "messages: {}, open tasks: {}, events stored: {}",
        state.domain.chat.messages.len(),
        state.domain.tasks.open_count(),
        store.len()
    );
    Ok(())
}
