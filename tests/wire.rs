//! Golden wire formats: every event type, error bodies, frames, and the
//! checked-in JSON Schema of client requests.

mod common;

use microcos_assistant::event::*;
use microcos_assistant::{Frame, API_ERROR_CODES};
use microcos_core::time::{LocalDate, LocalTime};
use microcos_core::uuid::Uuid;
use microcos_core::Origin;
use microcos_core::{
    ClientActionId, EventId, FailureCode, LlmCancel, LlmCheckpoint, LlmCompleted, LlmEvent, LlmEventType, LlmFailed,
    LlmRetryScheduled, LlmStarted, LlmToken, OperationId, RequestId, Seq, Timestamp, UserId,
};
use microcos_core::{ErrorCode, Rejection, SCHEMA_VERSION};

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn sample(event: Event) -> Envelope {
    let op = match event.event_type() {
        EventType::Llm(_) => true,
        EventType::Domain(t) => t.starts_operation().is_some() || t == AssistantEventType::AssistantMessage,
    };
    Envelope {
        v: SCHEMA_VERSION,
        seq: Seq(42),
        event_id: EventId(id(0xe1)),
        timestamp: Timestamp(1_764_316_800_000),
        user_id: UserId::parse("alice").unwrap(),
        request_id: RequestId(id(0x4e)),
        client_action_id: ClientActionId::parse("ca-1"),
        operation_id: op.then(|| OperationId(id(0x0b))),
        causation_id: None,
        event,
    }
}

fn dom<P>(variant: fn(P) -> AssistantEvent) -> impl Fn(P) -> Event {
    move |p| Event::Domain(variant(p))
}

fn llm<P>(variant: fn(P) -> LlmEvent) -> impl Fn(P) -> Event {
    move |p| Event::Llm(variant(p))
}

fn every_type() -> Vec<Event> {
    let date = LocalDate::parse("2026-11-28").unwrap();
    let task = TaskId(id(0x7a));
    vec![
        dom(AssistantEvent::UserMessage)(UserMessage { text: "What is on today?".into() }),
        dom(AssistantEvent::AssistantMessage)(AssistantMessage {
            text: "Two tasks.".into(),
            actions: vec![],
            untrusted_input: false,
        }),
        dom(AssistantEvent::SettingsUpdated)(SettingsUpdated {
            time_zone: Some("Europe/Berlin".into()),
            time_zone_rule: Some("CET-1CEST,M3.5.0,M10.5.0/3".into()),
            tz_offset_minutes: None,
            daily_plan_time: LocalTime::new(7, 30),
            confirm_actions: None,
        }),
        dom(AssistantEvent::TaskCreated)(TaskCreated {
            task_id: Some(task),
            title: "Book flights".into(),
            notes: None,
            due_date: Some(date),
        }),
        dom(AssistantEvent::TaskUpdated)(TaskUpdated {
            task_id: task,
            title: Some("Book flights to Oslo".into()),
            notes: None,
            due_date: None,
        }),
        dom(AssistantEvent::TaskCompleted)(TaskCompleted { task_id: task }),
        dom(AssistantEvent::TaskDeleted)(TaskDeleted { task_id: task }),
        dom(AssistantEvent::TaskReopened)(TaskReopened { task_id: task }),
        dom(AssistantEvent::PlanRequested)(PlanRequested { date: Some(date) }),
        dom(AssistantEvent::WorkflowDailyPlan)(WorkflowDailyPlan { date }),
        dom(AssistantEvent::PlanGenerated)(PlanGenerated {
            date,
            items: vec![PlanItem { time: LocalTime::new(9, 0), title: "Book flights".into(), task_id: Some(task) }],
        }),
        dom(AssistantEvent::SummaryRequested)(SummaryRequested {}),
        dom(AssistantEvent::WorkflowGenerateSummary)(WorkflowGenerateSummary { through_seq: Seq(40) }),
        dom(AssistantEvent::SummaryGenerated)(SummaryGenerated {
            text: "Planning a trip.".into(),
            through_seq: Seq(40),
        }),
        dom(AssistantEvent::ChatRegenerate)(ChatRegenerate {}),
        dom(AssistantEvent::ChatCleared)(ChatCleared {}),
        dom(AssistantEvent::TaskExtract)(TaskExtract { text: "Call Ann. Pay rent.".into() }),
        dom(AssistantEvent::TasksExtracted)(TasksExtracted {
            tasks: vec![ExtractedTask { task_id: task, title: "Call Ann".into(), due_date: None }],
        }),
        dom(AssistantEvent::ReminderSet)(ReminderSet {
            reminder_id: Some(ReminderId(id(0x7e))),
            text: "Call Ann".into(),
            at: None,
            date: Some(date),
            time: LocalTime::new(17, 0),
            task_id: Some(task),
        }),
        dom(AssistantEvent::ReminderSnoozed)(ReminderSnoozed { reminder_id: ReminderId(id(0x7e)), minutes: 10 }),
        dom(AssistantEvent::ReminderCancelled)(ReminderCancelled { reminder_id: ReminderId(id(0x7e)) }),
        dom(AssistantEvent::ReminderFired)(ReminderFired {
            reminder_id: ReminderId(id(0x7e)),
            due: Timestamp(1_764_345_600_000),
        }),
        dom(AssistantEvent::ActionApplied)(ActionApplied { action_id: ActionId(id(0xac)) }),
        dom(AssistantEvent::ActionRejected)(ActionRejected {
            action_id: ActionId(id(0xac)),
            code: "task_not_found".into(),
            message: "no task 00000000-0000-0000-0000-00000000007a".into(),
            field: Some("payload.task_id".into()),
        }),
        dom(AssistantEvent::ActionApproved)(ActionApproved { action_id: ActionId(id(0xac)) }),
        dom(AssistantEvent::ActionDeclined)(ActionDeclined { action_id: ActionId(id(0xac)) }),
        llm(LlmEvent::Started)(LlmStarted { kind: microcos_core::OperationKind::new("chat"), attempt: 1 }),
        llm(LlmEvent::Token)(LlmToken { attempt: 1, index: 0, text: "Two".into() }),
        llm(LlmEvent::Checkpoint)(LlmCheckpoint {
            attempt: 1,
            from_index: 0,
            tokens: ["Two", " tasks"].into_iter().collect(),
        }),
        llm(LlmEvent::Completed)(LlmCompleted {
            attempt: 1,
            from_index: 2,
            tokens: ["."].into_iter().collect(),
            tool_calls: Vec::new(),
        }),
        llm(LlmEvent::Failed)(LlmFailed {
            attempt: 1,
            code: FailureCode::RateLimited,
            message: "429".into(),
            terminal: false,
        }),
        llm(LlmEvent::RetryScheduled)(LlmRetryScheduled { attempt: 2, at: Timestamp(1_764_316_801_000) }),
        llm(LlmEvent::Cancel)(LlmCancel { operation_id: OperationId(id(0x0b)) }),
    ]
}

#[test]
fn every_event_type_has_a_sample() {
    let mut types: Vec<EventType> = every_type().iter().map(Event::event_type).collect();
    types.sort();
    let mut all: Vec<EventType> = EventType::all().collect();
    all.sort();
    assert_eq!(types, all);
}

#[test]
fn wire_format_of_every_event_type() {
    for event in every_type() {
        let env = sample(event);
        let json = env.to_json();
        assert_eq!(Envelope::from_json(&json).unwrap(), env, "round trip of {json}");
        // Pinned byte for byte: field order is part of the format.
        insta::assert_snapshot!(env.event_type().as_str(), json);
    }
}

#[test]
fn a_reply_with_actions_and_settings_that_confirm_nothing() {
    let reply = sample(dom(AssistantEvent::AssistantMessage)(AssistantMessage {
        text: "Done.".into(),
        actions: vec![ProposedAction {
            action_id: ActionId(id(0xac)),
            tool: "create_task".into(),
            arguments: r#"{"title":"Call Ann"}"#.into(),
        }],
        untrusted_input: false,
    }));
    // The older form of the zone, as logs written before zones hold it.
    let settings = sample(dom(AssistantEvent::SettingsUpdated)(SettingsUpdated {
        time_zone: None,
        time_zone_rule: None,
        tz_offset_minutes: Some(0),
        daily_plan_time: None,
        confirm_actions: Some(false),
    }));
    for (name, env) in [("assistant.message_with_actions", reply), ("settings.updated_confirm_actions", settings)] {
        let json = env.to_json();
        assert_eq!(Envelope::from_json(&json).unwrap(), env);
        insta::assert_snapshot!(name, json);
    }
}

#[test]
fn a_completion_with_tool_calls_keeps_them_in_order() {
    let calls = vec![
        microcos_core::ToolCall {
            id: "call_1".into(),
            name: "set_reminder".into(),
            arguments: r#"{"text":"Call Ann","time":"17:00"}"#.into(),
        },
        microcos_core::ToolCall { id: String::new(), name: "plan_day".into(), arguments: "{}".into() },
    ];
    let env = sample(llm(LlmEvent::Completed)(LlmCompleted {
        attempt: 1,
        from_index: 0,
        tokens: ["Done."].into_iter().collect(),
        tool_calls: calls,
    }));
    let json = env.to_json();
    assert_eq!(Envelope::from_json(&json).unwrap(), env);
    insta::assert_snapshot!("llm.completed_with_tool_calls", json);
}

#[test]
fn payload_before_type_still_decodes() {
    let env = sample(dom(AssistantEvent::TaskCompleted)(TaskCompleted { task_id: TaskId(id(0x7a)) }));
    let mut v: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&env.to_json()).unwrap();
    let payload = v.remove("payload").unwrap();
    let mut reordered = serde_json::Map::new();
    reordered.insert("payload".into(), payload);
    reordered.extend(v);
    // serde_json's Map is ordered by key unless preserve_order; build the text by hand.
    let text = format!(
        "{{\"payload\":{},{}}}",
        reordered["payload"],
        reordered
            .iter()
            .filter(|(k, _)| *k != "payload")
            .map(|(k, v)| format!("{k:?}:{v}"))
            .collect::<Vec<_>>()
            .join(",")
    );
    assert!(text.starts_with("{\"payload\""));
    assert_eq!(Envelope::from_json(&text).unwrap(), env);
}

#[test]
fn stored_events_reject_unknown_fields_and_versions() {
    let env = sample(dom(AssistantEvent::TaskCompleted)(TaskCompleted { task_id: TaskId(id(0x7a)) }));
    let json = env.to_json();
    let extra = json.replace("\"payload\":{", "\"payload\":{\"x\":1,");
    assert!(Envelope::from_json(&extra).is_err());
    let future = json.replace("\"v\":1", "\"v\":99");
    assert!(Envelope::from_json(&future).unwrap_err().to_string().contains("unsupported schema version 99"));
}

#[test]
fn wire_format_of_frames_and_errors() {
    let op = OperationId(id(0x0b));
    let frames = [
        Frame::Event {
            seq: Seq(7),
            event: sample(dom(AssistantEvent::UserMessage)(UserMessage { text: "hi".into() })),
        },
        Frame::Token { after: Seq(8), operation_id: op, attempt: 1, index: 3, text: " there".into() },
        Frame::Progress {
            seq: Seq(9),
            event_id: EventId(id(0xe9)),
            event_type: LlmEventType::Checkpoint,
            timestamp: Timestamp(1_764_316_800_500),
            operation_id: op,
            attempt: 1,
            through_index: 32,
        },
    ];
    let json: Vec<String> = frames.iter().map(Frame::to_json).collect();
    for (frame, line) in frames.iter().zip(&json) {
        assert_eq!(&Frame::from_json(line).unwrap(), frame, "a frame reads back as it was written: {line}");
    }
    insta::assert_snapshot!("frames", json.join("\n"));
    let err = Rejection::field(ErrorCode::TooLong, "payload.title", "at most 200 characters");
    insta::assert_snapshot!("error_body", err.to_json());
    for kernel in ErrorCode::ALL {
        assert!(API_ERROR_CODES.contains(kernel), "{} is missing from API_ERROR_CODES", kernel.as_str());
    }
    let codes: Vec<String> = API_ERROR_CODES.iter().map(|c| format!("{} {}", c.http_status(), c.as_str())).collect();
    insta::assert_snapshot!("error_codes", codes.join("\n"));
    // The hand-written frame schema lists the same codes, in the same order.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/frames.schema.json");
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let listed: Vec<&str> =
        schema["$defs"]["ErrorCode"]["enum"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    let ours: Vec<&str> = API_ERROR_CODES.iter().map(|c| c.as_str()).collect();
    assert_eq!(listed, ours, "schema/frames.schema.json's ErrorCode");
}

/// The schema file frontend teams consume must match the code. Run with
/// `MICROCOS_BLESS=1` to rewrite it after a deliberate change.
#[test]
fn client_schema_file_is_current() {
    let schema = microcos_assistant::schema::client_request_schema();
    let text = serde_json::to_string_pretty(&schema).unwrap() + "\n";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/client-events.schema.json");
    if std::env::var_os("MICROCOS_BLESS").is_some() {
        std::fs::write(path, &text).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(on_disk == text, "schema/client-events.schema.json is stale: rerun with MICROCOS_BLESS=1 and commit it");
    let branches = schema["oneOf"].as_array().unwrap();
    let client_types = EventType::all().filter(|t| t.origin() == Origin::Client).count();
    assert_eq!(branches.len(), client_types);
}
