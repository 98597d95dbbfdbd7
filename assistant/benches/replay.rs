//! Replay benchmark: typed replay (parse + exact dedupe + reduce) against the
//! baseline of merely parsing the same log into `serde_json::Value`.
//!
//! Also the decoding of the payload alone (`payload_only`), what a store
//! that kept the envelope's metadata in columns would leave to parse.
//!
//! Run: `cargo bench -p microcos-assistant --bench replay` (set `MICROCOS_BENCH_EVENTS` to change
//! the log size; default 1,000,000). Prints `name: value` lines. `MICROCOS_BENCH_WRITE=<file>`
//! writes the generated log there as JSON lines and stops (scripts/wasm-figures replays it).

#![allow(clippy::print_stdout, missing_docs)]
// The counting allocator needs `unsafe impl GlobalAlloc`; it only forwards to `System`.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::Instant;

use microcos_assistant::event::*;
use microcos_assistant::Assistant;
use microcos_core::replay::Replayer;
use microcos_core::time::{LocalDate, LocalTime};
use microcos_core::uuid::Uuid;
use microcos_core::Bounds;
use microcos_core::SCHEMA_VERSION;
use microcos_core::{ClientActionId, EventId, OperationId, RequestId, Seq, Timestamp, UserId};
use microcos_core::{LlmCheckpoint, LlmCompleted, LlmEvent, LlmStarted};

/// Counts live heap bytes, to measure the final state's footprint.
struct Counting;
static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        LIVE.fetch_add(new as isize - l.size() as isize, Ordering::Relaxed);
        unsafe { System.realloc(p, l, new) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Deterministic xorshift generator (the benchmark must be repeatable).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const WORDS: &[&str] = &[
    "plan", "the", "meeting", "with", "Ann", "tomorrow", "call", "report", "budget", "review", "flight", "to", "Oslo",
    "and", "send", "notes", "before", "lunch", "draft", "slides", "for", "Monday", "book", "dentist", "pay", "rent",
];

fn sentence(rng: &mut Rng, words: u64) -> String {
    (0..words).map(|_| WORDS[rng.below(WORDS.len() as u64) as usize]).collect::<Vec<_>>().join(" ")
}

struct Gen {
    rng: Rng,
    seq: u64,
    now: u64,
    user: UserId,
    tasks: Vec<TaskId>,
    out: Vec<String>,
}

impl Gen {
    fn emit(&mut self, event: impl Into<Event>, op: Option<OperationId>, ca: bool) -> EventId {
        self.seq += 1;
        self.now += 1 + self.rng.below(5_000);
        let event_id = EventId(Uuid::from_u128((u128::from(self.rng.next()) << 64) | u128::from(self.seq)));
        let env = Envelope {
            v: SCHEMA_VERSION,
            seq: Seq(self.seq),
            event_id,
            timestamp: Timestamp(self.now),
            user_id: self.user.clone(),
            request_id: RequestId(Uuid::from_u128(u128::from(self.rng.next()))),
            client_action_id: ca.then(|| ClientActionId(format!("ca-{}", self.seq))),
            operation_id: op,
            causation_id: None,
            event: event.into(),
        };
        let line = env.to_json();
        // About 1% of lines are delivered twice (an at-least-once transport).
        if self.rng.below(100) == 0 {
            self.out.push(line.clone());
        }
        self.out.push(line);
        event_id
    }

    fn generation(&mut self, op: OperationId, kind: OperationKind, text: &str) {
        self.emit(
            Event::Llm(LlmEvent::Started(LlmStarted {
                kind: microcos_core::OperationKind::new(kind.as_str()),
                attempt: 1,
            })),
            Some(op),
            false,
        );
        let tokens: Vec<String> = text.split_inclusive(' ').map(String::from).collect();
        let mut from = 0u32;
        for chunk in tokens.chunks(32) {
            let last = from as usize + chunk.len() == tokens.len();
            let payload = if last {
                Event::Llm(LlmEvent::Completed(LlmCompleted {
                    attempt: 1,
                    from_index: from,
                    tokens: chunk.iter().collect(),
                    tool_calls: Vec::new(),
                }))
            } else {
                Event::Llm(LlmEvent::Checkpoint(LlmCheckpoint {
                    attempt: 1,
                    from_index: from,
                    tokens: chunk.iter().collect(),
                }))
            };
            self.emit(payload, Some(op), false);
            from += chunk.len() as u32;
        }
    }

    fn step(&mut self) {
        match self.rng.below(100) {
            0..=44 => {
                let text = {
                    let k = 6 + self.rng.below(20);
                    sentence(&mut self.rng, k)
                };
                let id = self.emit(AssistantEvent::UserMessage(UserMessage { text }), None, true);
                let op = OperationId::for_request(id);
                let reply = {
                    let k = 20 + self.rng.below(60);
                    sentence(&mut self.rng, k)
                };
                self.generation(op, OperationKind::Chat, &reply);
                self.emit(
                    AssistantEvent::AssistantMessage(AssistantMessage {
                        text: reply,
                        actions: Vec::new(),
                        untrusted_input: false,
                    }),
                    Some(op),
                    false,
                );
            }
            45..=69 => {
                let task_id = TaskId(Uuid::from_u128(u128::from(self.rng.next())));
                let title = {
                    let k = 3 + self.rng.below(5);
                    sentence(&mut self.rng, k)
                };
                let due_date = LocalDate::new(2026, 1 + self.rng.below(12) as u8, 1 + self.rng.below(28) as u8);
                self.emit(
                    AssistantEvent::TaskCreated(TaskCreated { task_id: Some(task_id), title, notes: None, due_date }),
                    None,
                    true,
                );
                self.tasks.push(task_id);
            }
            70..=79 if !self.tasks.is_empty() => {
                let task_id = self.tasks[self.rng.below(self.tasks.len() as u64) as usize];
                let title = Some(sentence(&mut self.rng, 4));
                self.emit(
                    AssistantEvent::TaskUpdated(TaskUpdated { task_id, title, notes: None, due_date: None }),
                    None,
                    true,
                );
            }
            80..=91 if !self.tasks.is_empty() => {
                let i = self.rng.below(self.tasks.len() as u64) as usize;
                let task_id = self.tasks.swap_remove(i);
                if self.rng.below(4) == 0 {
                    self.emit(AssistantEvent::TaskDeleted(TaskDeleted { task_id }), None, true);
                } else {
                    self.emit(AssistantEvent::TaskCompleted(TaskCompleted { task_id }), None, true);
                }
            }
            92..=96 => {
                let date = LocalDate::new(2026, 1 + self.rng.below(12) as u8, 1 + self.rng.below(28) as u8);
                let id = self.emit(AssistantEvent::PlanRequested(PlanRequested { date }), None, true);
                let op = OperationId::for_request(id);
                let plan_json =
                    format!("{{\"items\":[{{\"time\":\"09:00\",\"title\":\"{}\"}}]}}", sentence(&mut self.rng, 4));
                self.generation(op, OperationKind::DailyPlan, &plan_json);
                let items = (0..4)
                    .map(|h| PlanItem {
                        time: LocalTime::new(9 + h, 0),
                        title: sentence(&mut self.rng, 4),
                        task_id: self.tasks.first().copied(),
                    })
                    .collect();
                let date = date.unwrap_or(LocalDate { year: 2026, month: 11, day: 28 });
                self.emit(AssistantEvent::PlanGenerated(PlanGenerated { date, items }), Some(op), false);
            }
            _ => {
                let zones = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"];
                let zone = zones[self.rng.below(zones.len() as u64) as usize];
                let settings = SettingsUpdated {
                    time_zone: Some(zone.into()),
                    time_zone_rule: microcos_core::tz::zone_rule(zone).map(Into::into),
                    tz_offset_minutes: None,
                    daily_plan_time: LocalTime::new(7, 30),
                    confirm_actions: None,
                };
                self.emit(AssistantEvent::SettingsUpdated(settings), None, true);
            }
        }
    }
}

fn generate(n: usize) -> Vec<String> {
    let mut g = Gen {
        rng: Rng(0x9e37_79b9_7f4a_7c15),
        seq: 0,
        now: 1_795_852_800_000,
        user: UserId(String::from("bench-user")),
        tasks: Vec::new(),
        out: Vec::with_capacity(n + 64),
    };
    while g.out.len() < n {
        g.step();
    }
    g.out.truncate(n);
    g.out
}

fn time<T>(f: impl FnOnce() -> T) -> (f64, T) {
    let t = Instant::now();
    let v = f();
    (t.elapsed().as_secs_f64(), v)
}

fn main() {
    let n: usize = std::env::var("MICROCOS_BENCH_EVENTS").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let lines = generate(n);
    let bytes: usize = lines.iter().map(String::len).sum();
    if let Ok(path) = std::env::var("MICROCOS_BENCH_WRITE") {
        let mut text = lines.join("\n");
        text.push('\n');
        std::fs::write(&path, text).expect("write the log");
        println!("written: {path} ({n} events, {bytes} bytes)");
        return;
    }

    // `MICROCOS_BENCH_ONLY=replay` skips the baselines (for profiling the replay alone).
    let only_replay = std::env::var("MICROCOS_BENCH_ONLY").is_ok_and(|v| v == "replay");
    let parse_value = || {
        let mut count = 0usize;
        for line in &lines {
            let v: serde_json::Value = serde_json::from_str(line).expect("valid JSON");
            count += usize::from(v.is_object());
            black_box(&v);
        }
        count
    };
    let parse_typed = || {
        let mut count = 0usize;
        for line in &lines {
            let env = Envelope::from_json(line).expect("valid envelope");
            count += usize::from(env.seq.0 > 0);
            black_box(&env);
        }
        count
    };
    // The payload alone, as a store that kept the metadata in columns would
    // leave to decode (issue 21's question: would the envelope fast path
    // still be needed?). The lines are split outside the timing.
    let split: Vec<(microcos_core::EventType<AssistantEventType>, String)> = lines
        .iter()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).expect("valid JSON");
            let ty = microcos_core::EventType::parse(v["type"].as_str().expect("a type")).expect("known type");
            (ty, v["payload"].to_string())
        })
        .collect();
    let payload_only = || {
        let mut count = 0usize;
        for (ty, payload) in &split {
            let mut d = serde_json::Deserializer::from_str(payload);
            let event =
                microcos_core::Event::<AssistantEvent>::deserialize_payload(*ty, &mut d).expect("valid payload");
            count += usize::from(matches!(event, microcos_core::Event::Domain(_)));
            black_box(&event);
        }
        count
    };
    let replay = || {
        let mut r = Replayer::new(Assistant::default(), Bounds::default());
        for line in &lines {
            r.apply_json(line).expect("valid envelope");
        }
        black_box(r.state());
        r.duplicates()
    };
    // Round-robin rounds, best of each: a noisy neighbour slows all three alike.
    let (mut parse_s, mut typed_s, mut replay_s, mut payload_s) = (f64::NAN, f64::NAN, f64::NAN, f64::NAN);
    let mut duplicates = 0;
    for _ in 0..3 {
        if !only_replay {
            parse_s = parse_s.min(time(parse_value).0);
            typed_s = typed_s.min(time(parse_typed).0);
            payload_s = payload_s.min(time(payload_only).0);
        }
        let (t, d) = time(replay);
        replay_s = replay_s.min(t);
        duplicates = d;
    }

    // Footprint of the final state alone (the dedupe set is dropped by `finish`).
    let before = LIVE.load(Ordering::Relaxed);
    let mut r = Replayer::new(Assistant::default(), Bounds::default());
    for line in &lines {
        r.apply_json(line).expect("valid envelope");
    }
    let state = r.finish();
    let state_bytes = LIVE.load(Ordering::Relaxed) - before + std::mem::size_of_val(&state) as isize;
    let canonical = state.to_bytes().len();

    println!("events: {n}");
    println!("log_bytes: {bytes}");
    println!("duplicates_dropped: {duplicates}");
    println!("parse_value_events_per_s: {:.0}", n as f64 / parse_s);
    println!("parse_typed_events_per_s: {:.0}", n as f64 / typed_s);
    println!("payload_only_events_per_s: {:.0}", n as f64 / payload_s);
    println!("envelope_vs_payload_only: {:.2}", payload_s / typed_s);
    println!("replay_events_per_s: {:.0}", n as f64 / replay_s);
    println!("replay_vs_parse_value: {:.2}", parse_s / replay_s);
    println!("state_bytes: {state_bytes}");
    println!("state_canonical_json_bytes: {canonical}");
    println!("open_tasks: {}", state.domain.tasks.open_count());
}
