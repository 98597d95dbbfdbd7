//! Embedding microcos: one user's assistant in memory, driven by hand.
//!
//! Run: `cargo run --example quickstart`

#![allow(clippy::print_stdout)]

use microcos_core::validate::parse_client_request;
use microcos_core::{uuid::Uuid, Clock, Config, Driver, Engine, EventId, Frame, RequestId, RequestMeta, UserId};
use microcos_memory::{block_on, MemoryPush, MemoryStore, StandIn, SystemClock};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let user = UserId::parse("alice").ok_or("bad user id")?;
    let store = MemoryStore::new(); // swap in any `Store`: SQLite, a Durable Object…
    let push = MemoryPush::new(); // your WebSocket fan-out goes here
    let subscriber = push.subscribe(Vec::new());
    let (engine, _) = Engine::open(user, Config::default(), store.clone(), push.clone(), SystemClock.now())?;
    let driver = Driver::new(engine, StandIn, SystemClock); // StandIn: the offline model

    // The transport supplies fresh ids and the time; the core draws no randomness.
    let mut n = 0u128;
    let mut send = |body: &str| -> Result<_, Box<dyn std::error::Error>> {
        n += 1;
        let req = parse_client_request(body.as_bytes(), &driver.engine().machine().config().limits)?;
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
        state.chat.messages.len(),
        state.tasks.open_count(),
        store.len()
    );
    Ok(())
}
