//! Embedding microcos: one user's assistant in memory, driven by hand.
//!
//! Run: `cargo run --example quickstart`

#![allow(clippy::print_stdout)]

use microcos_assistant::{stand_in, Assistant, Frame};
use microcos_core::validate::parse_client_request;
use microcos_core::{uuid::Uuid, Clock, Config, Driver, Engine, EventId, RequestId, RequestMeta, UserId};
use microcos_memory::{block_on, MemoryPush, MemoryStore, StandIn};
use microcos_server::SystemClock;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let user = UserId::parse("alice").ok_or("bad user id")?;
    let store = MemoryStore::new(); // swap in any `Store`: SQLite, a Durable Object…
    let push = MemoryPush::new(); // your WebSocket fan-out goes here
    let subscriber = push.subscribe(Vec::new());
    let assistant = Assistant::default(); // the domain: swap in your own (see "Your own domain")
    let (engine, _) = Engine::open(user, Config::default(), assistant, store.clone(), push.clone(), SystemClock.now())?;
    let model = StandIn::new(stand_in::reply); // the offline model; any `Llm` goes here
    let driver = Driver::new(engine, model, SystemClock);

    // The transport supplies fresh ids and the time; the core draws no randomness.
    let mut n = 0u128;
    let mut send = |body: &str| -> Result<_, Box<dyn std::error::Error>> {
        n += 1;
        let engine = driver.engine();
        let req = parse_client_request(body.as_bytes(), engine.machine().domain(), &engine.machine().config().limits)?;
        drop(engine);
        let meta = RequestMeta {
            request_id: RequestId(Uuid::from_u128(n)),
            event_id: EventId(Uuid::from_u128(1 << 64 | n)),
            timestamp: SystemClock.now(),
        };
        Ok(driver.submit(req, meta)?)
    };

    let a = send(r#"{"type":"task.created","payload":{"title":"Book flights"},"client_action_id":"t1"}"#)?;
    let again = send(r#"{"type":"task.created","payload":{"title":"Book flights"},"client_action_id":"t1"}"#)?;
    println!("task.created -> seq {} (retry: seq {}, duplicate: {})", a.seq, again.seq, again.duplicate);

    send(r#"{"type":"user.message","payload":{"text":"What should I do first?"}}"#)?;
    block_on(driver.run_pending())?; // streams the reply token by token

    let streamed: String = push
        .received(subscriber)
        .iter()
        .filter_map(|f| match f {
            Frame::Token { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    println!("streamed: {streamed}");
    let engine = driver.engine();
    let state = engine.machine().state();
    println!(
        "messages: {}, open tasks: {}, events stored: {}",
        state.domain.chat.messages.len(),
        state.domain.tasks.open_count(),
        store.len()
    );
    Ok(())
}
