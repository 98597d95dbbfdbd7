import * as z from "zod/mini";
/** (client-events.schema.json) */
export declare const ActionId: z.ZodMiniGUID;
export type ActionId = z.infer<typeof ActionId>;
/** `action.approved`: the user lets an action that waits for approval go ahead. (client-events.schema.json) */
export declare const ActionApproved: z.ZodMiniObject<{
    action_id: z.ZodMiniGUID;
}, z.core.$strict>;
export type ActionApproved = z.infer<typeof ActionApproved>;
/** `action.declined`: the user refuses an action that waits for approval. (client-events.schema.json) */
export declare const ActionDeclined: z.ZodMiniObject<{
    action_id: z.ZodMiniGUID;
}, z.core.$strict>;
export type ActionDeclined = z.infer<typeof ActionDeclined>;
/** `chat.cleared`: the conversation starts afresh: its messages and its
summary leave the assistant's memory (the log keeps them). (client-events.schema.json) */
export declare const ChatCleared: z.ZodMiniObject<{}, z.core.$strict>;
export type ChatCleared = z.infer<typeof ChatCleared>;
/** `chat.regenerate`: answer the user's last message again. The reply
after it (if any) leaves the conversation and a new one is written. (client-events.schema.json) */
export declare const ChatRegenerate: z.ZodMiniObject<{}, z.core.$strict>;
export type ChatRegenerate = z.infer<typeof ChatRegenerate>;
/** (client-events.schema.json) */
export declare const OperationId: z.ZodMiniGUID;
export type OperationId = z.infer<typeof OperationId>;
/** `llm.cancel`: the user cancels a generation. (client-events.schema.json) */
export declare const LlmCancel: z.ZodMiniObject<{
    operation_id: z.ZodMiniGUID;
}, z.core.$strict>;
export type LlmCancel = z.infer<typeof LlmCancel>;
/** (client-events.schema.json) */
export declare const LocalDate: z.ZodMiniString<string>;
export type LocalDate = z.infer<typeof LocalDate>;
/** (client-events.schema.json) */
export declare const LocalTime: z.ZodMiniString<string>;
export type LocalTime = z.infer<typeof LocalTime>;
/** `plan.requested`: plan a day now (default: the user's local today). (client-events.schema.json) */
export declare const PlanRequested: z.ZodMiniObject<{
    date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
}, z.core.$strict>;
export type PlanRequested = z.infer<typeof PlanRequested>;
/** (client-events.schema.json) */
export declare const ReminderId: z.ZodMiniGUID;
export type ReminderId = z.infer<typeof ReminderId>;
/** `reminder.cancelled`: the reminder is dropped. (client-events.schema.json) */
export declare const ReminderCancelled: z.ZodMiniObject<{
    reminder_id: z.ZodMiniGUID;
}, z.core.$strict>;
export type ReminderCancelled = z.infer<typeof ReminderCancelled>;
/** (client-events.schema.json) */
export declare const TaskId: z.ZodMiniGUID;
export type TaskId = z.infer<typeof TaskId>;
/** milliseconds since the Unix epoch (client-events.schema.json) */
export declare const Timestamp: z.ZodMiniInt;
export type Timestamp = z.infer<typeof Timestamp>;
/** `reminder.set`: remind the user of `text` at a time: `at` (ms since the
epoch), or `time` (`HH:MM`) on `date` (default: the user's local today) in
the user's time zone. (client-events.schema.json) */
export declare const ReminderSet: z.ZodMiniObject<{
    at: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniInt>>;
    date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
    reminder_id: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniGUID>>;
    task_id: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniGUID>>;
    text: z.ZodMiniString<string>;
    time: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
}, z.core.$strict>;
export type ReminderSet = z.infer<typeof ReminderSet>;
/** `reminder.snoozed`: the reminder fires again `minutes` from now. (client-events.schema.json) */
export declare const ReminderSnoozed: z.ZodMiniObject<{
    minutes: z.ZodMiniInt;
    reminder_id: z.ZodMiniGUID;
}, z.core.$strict>;
export type ReminderSnoozed = z.infer<typeof ReminderSnoozed>;
/** `settings.updated`: replaces the user's settings.

The zone is `time_zone`, a name of the time-zone database or a fixed
offset `±HH:MM`; the service records the rule it resolves the name with
in `time_zone_rule`, so replay never looks the name up. An older client's
`tz_offset_minutes` is read as the fixed-offset zone of that offset. (client-events.schema.json) */
export declare const SettingsUpdated: z.ZodMiniObject<{
    confirm_actions: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniBoolean<boolean>>>;
    daily_plan_time: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
    time_zone: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
    tz_offset_minutes: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniInt>>;
}, z.core.$strict>;
export type SettingsUpdated = z.infer<typeof SettingsUpdated>;
/** `summary.requested`: summarise old chat context now. (client-events.schema.json) */
export declare const SummaryRequested: z.ZodMiniObject<{}, z.core.$strict>;
export type SummaryRequested = z.infer<typeof SummaryRequested>;
/** `task.completed`. (client-events.schema.json) */
export declare const TaskCompleted: z.ZodMiniObject<{
    task_id: z.ZodMiniGUID;
}, z.core.$strict>;
export type TaskCompleted = z.infer<typeof TaskCompleted>;
/** `task.created`. (client-events.schema.json) */
export declare const TaskCreated: z.ZodMiniObject<{
    due_date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
    notes: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
    task_id: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniGUID>>;
    title: z.ZodMiniString<string>;
}, z.core.$strict>;
export type TaskCreated = z.infer<typeof TaskCreated>;
/** `task.deleted`. (client-events.schema.json) */
export declare const TaskDeleted: z.ZodMiniObject<{
    task_id: z.ZodMiniGUID;
}, z.core.$strict>;
export type TaskDeleted = z.infer<typeof TaskDeleted>;
/** `task.extract`: find tasks in a text. (client-events.schema.json) */
export declare const TaskExtract: z.ZodMiniObject<{
    text: z.ZodMiniString<string>;
}, z.core.$strict>;
export type TaskExtract = z.infer<typeof TaskExtract>;
/** `task.reopened`: a done task is open again (an undo of `task.completed`). (client-events.schema.json) */
export declare const TaskReopened: z.ZodMiniObject<{
    task_id: z.ZodMiniGUID;
}, z.core.$strict>;
export type TaskReopened = z.infer<typeof TaskReopened>;
/** `task.updated`: changes the given fields, leaves the others. (client-events.schema.json) */
export declare const TaskUpdated: z.ZodMiniObject<{
    due_date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
    notes: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
    task_id: z.ZodMiniGUID;
    title: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
}, z.core.$strict>;
export type TaskUpdated = z.infer<typeof TaskUpdated>;
/** `user.message`: the user says something to the assistant. (client-events.schema.json) */
export declare const UserMessage: z.ZodMiniObject<{
    text: z.ZodMiniString<string>;
}, z.core.$strict>;
export type UserMessage = z.infer<typeof UserMessage>;
/** Body of POST /v1/events. At most 65536 bytes, nesting at most 16 levels. (client-events.schema.json) */
export declare const ClientEvent: z.ZodMiniDiscriminatedUnion<[z.ZodMiniObject<{
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    event_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        text: z.ZodMiniString<string>;
    }, z.core.$strict>;
    type: z.ZodMiniLiteral<"user.message">;
}, z.core.$strict>, z.ZodMiniObject<{
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    event_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        confirm_actions: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniBoolean<boolean>>>;
        daily_plan_time: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        time_zone: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        tz_offset_minutes: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniInt>>;
    }, z.core.$strict>;
    type: z.ZodMiniLiteral<"settings.updated">;
}, z.core.$strict>, z.ZodMiniObject<{
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    event_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        due_date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        notes: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        task_id: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniGUID>>;
        title: z.ZodMiniString<string>;
    }, z.core.$strict>;
    type: z.ZodMiniLiteral<"task.created">;
}, z.core.$strict>, z.ZodMiniObject<{
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    event_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        due_date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        notes: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        task_id: z.ZodMiniGUID;
        title: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
    }, z.core.$strict>;
    type: z.ZodMiniLiteral<"task.updated">;
}, z.core.$strict>, z.ZodMiniObject<{
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    event_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        task_id: z.ZodMiniGUID;
    }, z.core.$strict>;
    type: z.ZodMiniLiteral<"task.completed">;
}, z.core.$strict>, z.ZodMiniObject<{
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    event_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        task_id: z.ZodMiniGUID;
    }, z.core.$strict>;
    type: z.ZodMiniLiteral<"task.deleted">;
}, z.core.$strict>, z.ZodMiniObject<{
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    event_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        task_id: z.ZodMiniGUID;
    }, z.core.$strict>;
    type: z.ZodMiniLiteral<"task.reopened">;
}, z.core.$strict>, z.ZodMiniObject<{
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    event_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
    }, z.core.$strict>;
    type: z.ZodMiniLiteral<"plan.requested">;
}, z.core.$strict>, z.ZodMiniObject<{
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    event_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{}, z.core.$strict>;
    type: z.ZodMiniLiteral<"summary.requested">;
}, z.core.$strict>, z.ZodMiniObject<{
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    event_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        text: z.ZodMiniString<string>;
    }, z.core.$strict>;
    type: z.ZodMiniLiteral<"task.extract">;
}, z.core.$strict>, z.ZodMiniObject<{
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    event_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{}, z.core.$strict>;
    type: z.ZodMiniLiteral<"chat.regenerate">;
}, z.core.$strict>, z.ZodMiniObject<{
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    event_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{}, z.core.$strict>;
    type: z.ZodMiniLiteral<"chat.cleared">;
}, z.core.$strict>, z.ZodMiniObject<{
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    event_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        at: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniInt>>;
        date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        reminder_id: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniGUID>>;
        task_id: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniGUID>>;
        text: z.ZodMiniString<string>;
        time: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
    }, z.core.$strict>;
    type: z.ZodMiniLiteral<"reminder.set">;
}, z.core.$strict>, z.ZodMiniObject<{
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    event_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        minutes: z.ZodMiniInt;
        reminder_id: z.ZodMiniGUID;
    }, z.core.$strict>;
    type: z.ZodMiniLiteral<"reminder.snoozed">;
}, z.core.$strict>, z.ZodMiniObject<{
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    event_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        reminder_id: z.ZodMiniGUID;
    }, z.core.$strict>;
    type: z.ZodMiniLiteral<"reminder.cancelled">;
}, z.core.$strict>, z.ZodMiniObject<{
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    event_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        action_id: z.ZodMiniGUID;
    }, z.core.$strict>;
    type: z.ZodMiniLiteral<"action.approved">;
}, z.core.$strict>, z.ZodMiniObject<{
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    event_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        action_id: z.ZodMiniGUID;
    }, z.core.$strict>;
    type: z.ZodMiniLiteral<"action.declined">;
}, z.core.$strict>, z.ZodMiniObject<{
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    event_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        operation_id: z.ZodMiniGUID;
    }, z.core.$strict>;
    type: z.ZodMiniLiteral<"llm.cancel">;
}, z.core.$strict>], "type">;
export type ClientEvent = z.infer<typeof ClientEvent>;
/** Position in the user's log, from 1. (frames.schema.json) */
export declare const Seq: z.ZodMiniInt;
export type Seq = z.infer<typeof Seq>;
/** A seq, or 0 before the first event. (frames.schema.json) */
export declare const SeqOrZero: z.ZodMiniInt;
export type SeqOrZero = z.infer<typeof SeqOrZero>;
/** (frames.schema.json) */
export declare const Uuid: z.ZodMiniGUID;
export type Uuid = z.infer<typeof Uuid>;
/** The token's user. (frames.schema.json) */
export declare const UserId: z.ZodMiniString<string>;
export type UserId = z.infer<typeof UserId>;
/** (frames.schema.json) */
export declare const ClientActionId: z.ZodMiniString<string>;
export type ClientActionId = z.infer<typeof ClientActionId>;
/** Attempt number, 1 for the first. (frames.schema.json) */
export declare const Attempt: z.ZodMiniInt;
export type Attempt = z.infer<typeof Attempt>;
/** Index of a token within its attempt, from 0. (frames.schema.json) */
export declare const TokenIndex: z.ZodMiniInt;
export type TokenIndex = z.infer<typeof TokenIndex>;
/** What an operation produces. (frames.schema.json) */
export declare const OperationKind: z.ZodMiniEnum<{
    chat: "chat";
    extract_tasks: "extract_tasks";
    daily_plan: "daily_plan";
    summary: "summary";
}>;
export type OperationKind = z.infer<typeof OperationKind>;
/** Why an attempt failed. (frames.schema.json) */
export declare const FailureCode: z.ZodMiniEnum<{
    provider: "provider";
    rate_limited: "rate_limited";
    stalled: "stalled";
    malformed_output: "malformed_output";
    interrupted: "interrupted";
    rejected: "rejected";
    output_too_large: "output_too_large";
    too_many_operations: "too_many_operations";
}>;
export type FailureCode = z.infer<typeof FailureCode>;
/** A stable error code (tests/snapshots/wire__error_codes.snap). (frames.schema.json) */
export declare const ErrorCode: z.ZodMiniEnum<{
    too_long: "too_long";
    invalid_type: "invalid_type";
    rate_limited: "rate_limited";
    too_many_operations: "too_many_operations";
    malformed_json: "malformed_json";
    too_deep: "too_deep";
    bad_request: "bad_request";
    unauthorized: "unauthorized";
    not_found: "not_found";
    method_not_allowed: "method_not_allowed";
    request_timeout: "request_timeout";
    task_not_found: "task_not_found";
    reminder_not_found: "reminder_not_found";
    action_not_found: "action_not_found";
    operation_not_found: "operation_not_found";
    operation_finished: "operation_finished";
    client_action_conflict: "client_action_conflict";
    event_id_conflict: "event_id_conflict";
    too_many_tasks: "too_many_tasks";
    too_many_reminders: "too_many_reminders";
    action_not_awaiting: "action_not_awaiting";
    action_stale: "action_stale";
    nothing_to_regenerate: "nothing_to_regenerate";
    chat_busy: "chat_busy";
    body_too_large: "body_too_large";
    unsupported_media_type: "unsupported_media_type";
    unknown_field: "unknown_field";
    missing_field: "missing_field";
    invalid_value: "invalid_value";
    empty: "empty";
    out_of_range: "out_of_range";
    reminder_in_past: "reminder_in_past";
    unknown_event_type: "unknown_event_type";
    event_type_not_allowed: "event_type_not_allowed";
    upgrade_required: "upgrade_required";
    unavailable: "unavailable";
    storage_corrupt: "storage_corrupt";
}>;
export type ErrorCode = z.infer<typeof ErrorCode>;
/** The `error` member of an error answer. (frames.schema.json) */
export declare const ApiError: z.ZodMiniObject<{
    code: z.ZodMiniEnum<{
        too_long: "too_long";
        invalid_type: "invalid_type";
        rate_limited: "rate_limited";
        too_many_operations: "too_many_operations";
        malformed_json: "malformed_json";
        too_deep: "too_deep";
        bad_request: "bad_request";
        unauthorized: "unauthorized";
        not_found: "not_found";
        method_not_allowed: "method_not_allowed";
        request_timeout: "request_timeout";
        task_not_found: "task_not_found";
        reminder_not_found: "reminder_not_found";
        action_not_found: "action_not_found";
        operation_not_found: "operation_not_found";
        operation_finished: "operation_finished";
        client_action_conflict: "client_action_conflict";
        event_id_conflict: "event_id_conflict";
        too_many_tasks: "too_many_tasks";
        too_many_reminders: "too_many_reminders";
        action_not_awaiting: "action_not_awaiting";
        action_stale: "action_stale";
        nothing_to_regenerate: "nothing_to_regenerate";
        chat_busy: "chat_busy";
        body_too_large: "body_too_large";
        unsupported_media_type: "unsupported_media_type";
        unknown_field: "unknown_field";
        missing_field: "missing_field";
        invalid_value: "invalid_value";
        empty: "empty";
        out_of_range: "out_of_range";
        reminder_in_past: "reminder_in_past";
        unknown_event_type: "unknown_event_type";
        event_type_not_allowed: "event_type_not_allowed";
        upgrade_required: "upgrade_required";
        unavailable: "unavailable";
        storage_corrupt: "storage_corrupt";
    }>;
    message: z.ZodMiniString<string>;
    field: z.ZodMiniOptional<z.ZodMiniString<string>>;
    retry_after_ms: z.ZodMiniOptional<z.ZodMiniInt>;
}, z.core.$strict>;
export type ApiError = z.infer<typeof ApiError>;
/** Every 4xx/5xx answer of the HTTP API. (frames.schema.json) */
export declare const ErrorBody: z.ZodMiniObject<{
    error: z.ZodMiniObject<{
        code: z.ZodMiniEnum<{
            too_long: "too_long";
            invalid_type: "invalid_type";
            rate_limited: "rate_limited";
            too_many_operations: "too_many_operations";
            malformed_json: "malformed_json";
            too_deep: "too_deep";
            bad_request: "bad_request";
            unauthorized: "unauthorized";
            not_found: "not_found";
            method_not_allowed: "method_not_allowed";
            request_timeout: "request_timeout";
            task_not_found: "task_not_found";
            reminder_not_found: "reminder_not_found";
            action_not_found: "action_not_found";
            operation_not_found: "operation_not_found";
            operation_finished: "operation_finished";
            client_action_conflict: "client_action_conflict";
            event_id_conflict: "event_id_conflict";
            too_many_tasks: "too_many_tasks";
            too_many_reminders: "too_many_reminders";
            action_not_awaiting: "action_not_awaiting";
            action_stale: "action_stale";
            nothing_to_regenerate: "nothing_to_regenerate";
            chat_busy: "chat_busy";
            body_too_large: "body_too_large";
            unsupported_media_type: "unsupported_media_type";
            unknown_field: "unknown_field";
            missing_field: "missing_field";
            invalid_value: "invalid_value";
            empty: "empty";
            out_of_range: "out_of_range";
            reminder_in_past: "reminder_in_past";
            unknown_event_type: "unknown_event_type";
            event_type_not_allowed: "event_type_not_allowed";
            upgrade_required: "upgrade_required";
            unavailable: "unavailable";
            storage_corrupt: "storage_corrupt";
        }>;
        message: z.ZodMiniString<string>;
        field: z.ZodMiniOptional<z.ZodMiniString<string>>;
        retry_after_ms: z.ZodMiniOptional<z.ZodMiniInt>;
    }, z.core.$strict>;
}, z.core.$strict>;
export type ErrorBody = z.infer<typeof ErrorBody>;
/** One item of a daily plan. (frames.schema.json) */
export declare const PlanItem: z.ZodMiniObject<{
    time: z.ZodMiniOptional<z.ZodMiniString<string>>;
    title: z.ZodMiniString<string>;
    task_id: z.ZodMiniOptional<z.ZodMiniGUID>;
}, z.core.$strict>;
export type PlanItem = z.infer<typeof PlanItem>;
/** One task found by task extraction. (frames.schema.json) */
export declare const ExtractedTask: z.ZodMiniObject<{
    task_id: z.ZodMiniGUID;
    title: z.ZodMiniString<string>;
    due_date: z.ZodMiniOptional<z.ZodMiniString<string>>;
}, z.core.$strict>;
export type ExtractedTask = z.infer<typeof ExtractedTask>;
/** One tool call of the assistant's reply. (frames.schema.json) */
export declare const ProposedAction: z.ZodMiniObject<{
    action_id: z.ZodMiniGUID;
    tool: z.ZodMiniString<string>;
    arguments: z.ZodMiniString<string>;
}, z.core.$strict>;
export type ProposedAction = z.infer<typeof ProposedAction>;
/** `assistant.message`: the assistant's final reply. (frames.schema.json) */
export declare const AssistantMessage: z.ZodMiniObject<{
    text: z.ZodMiniString<string>;
    actions: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniObject<{
        action_id: z.ZodMiniGUID;
        tool: z.ZodMiniString<string>;
        arguments: z.ZodMiniString<string>;
    }, z.core.$strict>>>;
    untrusted_input: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
}, z.core.$strict>;
export type AssistantMessage = z.infer<typeof AssistantMessage>;
/** `workflow.daily_plan`: the daily-plan job fired for `date`. (frames.schema.json) */
export declare const WorkflowDailyPlan: z.ZodMiniObject<{
    date: z.ZodMiniString<string>;
}, z.core.$strict>;
export type WorkflowDailyPlan = z.infer<typeof WorkflowDailyPlan>;
/** `plan.generated`: the result of a daily-plan operation. (frames.schema.json) */
export declare const PlanGenerated: z.ZodMiniObject<{
    date: z.ZodMiniString<string>;
    items: z.ZodMiniArray<z.ZodMiniObject<{
        time: z.ZodMiniOptional<z.ZodMiniString<string>>;
        title: z.ZodMiniString<string>;
        task_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    }, z.core.$strict>>;
}, z.core.$strict>;
export type PlanGenerated = z.infer<typeof PlanGenerated>;
/** `workflow.generate_summary`: summarise messages up to `through_seq`. (frames.schema.json) */
export declare const WorkflowGenerateSummary: z.ZodMiniObject<{
    through_seq: z.ZodMiniInt;
}, z.core.$strict>;
export type WorkflowGenerateSummary = z.infer<typeof WorkflowGenerateSummary>;
/** `summary.generated`: the new rolling summary. (frames.schema.json) */
export declare const SummaryGenerated: z.ZodMiniObject<{
    text: z.ZodMiniString<string>;
    through_seq: z.ZodMiniInt;
}, z.core.$strict>;
export type SummaryGenerated = z.infer<typeof SummaryGenerated>;
/** `tasks.extracted`: tasks found by an extraction; each is created. (frames.schema.json) */
export declare const TasksExtracted: z.ZodMiniObject<{
    tasks: z.ZodMiniArray<z.ZodMiniObject<{
        task_id: z.ZodMiniGUID;
        title: z.ZodMiniString<string>;
        due_date: z.ZodMiniOptional<z.ZodMiniString<string>>;
    }, z.core.$strict>>;
}, z.core.$strict>;
export type TasksExtracted = z.infer<typeof TasksExtracted>;
/** `reminder.fired`: a reminder came due (once per due time). (frames.schema.json) */
export declare const ReminderFired: z.ZodMiniObject<{
    reminder_id: z.ZodMiniGUID;
    due: z.ZodMiniInt;
}, z.core.$strict>;
export type ReminderFired = z.infer<typeof ReminderFired>;
/** `action.applied`: a proposed action passed the rules; the equivalent event follows it. (frames.schema.json) */
export declare const ActionApplied: z.ZodMiniObject<{
    action_id: z.ZodMiniGUID;
}, z.core.$strict>;
export type ActionApplied = z.infer<typeof ActionApplied>;
/** `action.rejected`: a proposed action broke a rule (or its arguments were unusable). (frames.schema.json) */
export declare const ActionRejected: z.ZodMiniObject<{
    action_id: z.ZodMiniGUID;
    code: z.ZodMiniString<string>;
    message: z.ZodMiniString<string>;
    field: z.ZodMiniOptional<z.ZodMiniString<string>>;
}, z.core.$strict>;
export type ActionRejected = z.infer<typeof ActionRejected>;
/** `llm.started`: attempt `attempt` of an operation began (drop the text of earlier attempts). (frames.schema.json) */
export declare const LlmStarted: z.ZodMiniObject<{
    kind: z.ZodMiniEnum<{
        chat: "chat";
        extract_tasks: "extract_tasks";
        daily_plan: "daily_plan";
        summary: "summary";
    }>;
    attempt: z.ZodMiniInt;
}, z.core.$strict>;
export type LlmStarted = z.infer<typeof LlmStarted>;
/** `llm.token`: one generated token (pushed as a token frame, never stored). (frames.schema.json) */
export declare const LlmToken: z.ZodMiniObject<{
    attempt: z.ZodMiniInt;
    index: z.ZodMiniInt;
    text: z.ZodMiniString<string>;
}, z.core.$strict>;
export type LlmToken = z.infer<typeof LlmToken>;
/** `llm.checkpoint`: tokens `from_index..from_index+tokens.length`, stored together. (frames.schema.json) */
export declare const LlmCheckpoint: z.ZodMiniObject<{
    attempt: z.ZodMiniInt;
    from_index: z.ZodMiniInt;
    tokens: z.ZodMiniArray<z.ZodMiniString<string>>;
}, z.core.$strict>;
export type LlmCheckpoint = z.infer<typeof LlmCheckpoint>;
/** A tool call of a reply: the provider's call id (may be empty), the tool's name, and its arguments as the text of a JSON object. (frames.schema.json) */
export declare const ToolCall: z.ZodMiniObject<{
    id: z.ZodMiniString<string>;
    name: z.ZodMiniString<string>;
    arguments: z.ZodMiniString<string>;
}, z.core.$strict>;
export type ToolCall = z.infer<typeof ToolCall>;
/** `llm.completed`: the attempt finished; the tokens since the last checkpoint. (frames.schema.json) */
export declare const LlmCompleted: z.ZodMiniObject<{
    attempt: z.ZodMiniInt;
    from_index: z.ZodMiniInt;
    tokens: z.ZodMiniArray<z.ZodMiniString<string>>;
    tool_calls: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniObject<{
        id: z.ZodMiniString<string>;
        name: z.ZodMiniString<string>;
        arguments: z.ZodMiniString<string>;
    }, z.core.$strict>>>;
}, z.core.$strict>;
export type LlmCompleted = z.infer<typeof LlmCompleted>;
/** `llm.failed`: the attempt failed; `terminal`: no retry follows. (frames.schema.json) */
export declare const LlmFailed: z.ZodMiniObject<{
    attempt: z.ZodMiniInt;
    code: z.ZodMiniEnum<{
        provider: "provider";
        rate_limited: "rate_limited";
        stalled: "stalled";
        malformed_output: "malformed_output";
        interrupted: "interrupted";
        rejected: "rejected";
        output_too_large: "output_too_large";
        too_many_operations: "too_many_operations";
    }>;
    message: z.ZodMiniString<string>;
    terminal: z.ZodMiniBoolean<boolean>;
}, z.core.$strict>;
export type LlmFailed = z.infer<typeof LlmFailed>;
/** `llm.retry_scheduled`: attempt `attempt` will start at `at`. (frames.schema.json) */
export declare const LlmRetryScheduled: z.ZodMiniObject<{
    attempt: z.ZodMiniInt;
    at: z.ZodMiniInt;
}, z.core.$strict>;
export type LlmRetryScheduled = z.infer<typeof LlmRetryScheduled>;
/** The members every stored event has, in this order on the wire. (frames.schema.json) */
export declare const EnvelopeHeader: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniString<string>;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{}, z.core.$strip>;
}, z.core.$strip>;
export type EnvelopeHeader = z.infer<typeof EnvelopeHeader>;
/** A stored `user.message` event. (frames.schema.json) */
export declare const UserMessageEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"user.message">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        text: z.ZodMiniString<string>;
    }, z.core.$strict>;
}, z.core.$strict>;
export type UserMessageEvent = z.infer<typeof UserMessageEvent>;
/** A stored `assistant.message` event. (frames.schema.json) */
export declare const AssistantMessageEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"assistant.message">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        text: z.ZodMiniString<string>;
        actions: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniObject<{
            action_id: z.ZodMiniGUID;
            tool: z.ZodMiniString<string>;
            arguments: z.ZodMiniString<string>;
        }, z.core.$strict>>>;
        untrusted_input: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
    }, z.core.$strict>;
}, z.core.$strict>;
export type AssistantMessageEvent = z.infer<typeof AssistantMessageEvent>;
/** A stored `settings.updated` payload: the client's (client-events.schema.json#/$defs/SettingsUpdated), with the POSIX TZ rule the service resolved `time_zone` with. (frames.schema.json) */
export declare const StoredSettingsUpdated: z.ZodMiniObject<{
    time_zone: z.ZodMiniOptional<z.ZodMiniString<string>>;
    time_zone_rule: z.ZodMiniOptional<z.ZodMiniString<string>>;
    tz_offset_minutes: z.ZodMiniOptional<z.ZodMiniInt>;
    daily_plan_time: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
    confirm_actions: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
}, z.core.$strict>;
export type StoredSettingsUpdated = z.infer<typeof StoredSettingsUpdated>;
/** A stored `settings.updated` event. (frames.schema.json) */
export declare const SettingsUpdatedEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"settings.updated">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        time_zone: z.ZodMiniOptional<z.ZodMiniString<string>>;
        time_zone_rule: z.ZodMiniOptional<z.ZodMiniString<string>>;
        tz_offset_minutes: z.ZodMiniOptional<z.ZodMiniInt>;
        daily_plan_time: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        confirm_actions: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
    }, z.core.$strict>;
}, z.core.$strict>;
export type SettingsUpdatedEvent = z.infer<typeof SettingsUpdatedEvent>;
/** A stored `task.created` event. (frames.schema.json) */
export declare const TaskCreatedEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"task.created">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        due_date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        notes: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        task_id: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniGUID>>;
        title: z.ZodMiniString<string>;
    }, z.core.$strict>;
}, z.core.$strict>;
export type TaskCreatedEvent = z.infer<typeof TaskCreatedEvent>;
/** A stored `task.updated` event. (frames.schema.json) */
export declare const TaskUpdatedEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"task.updated">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        due_date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        notes: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        task_id: z.ZodMiniGUID;
        title: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
    }, z.core.$strict>;
}, z.core.$strict>;
export type TaskUpdatedEvent = z.infer<typeof TaskUpdatedEvent>;
/** A stored `task.completed` event. (frames.schema.json) */
export declare const TaskCompletedEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"task.completed">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        task_id: z.ZodMiniGUID;
    }, z.core.$strict>;
}, z.core.$strict>;
export type TaskCompletedEvent = z.infer<typeof TaskCompletedEvent>;
/** A stored `task.deleted` event. (frames.schema.json) */
export declare const TaskDeletedEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"task.deleted">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        task_id: z.ZodMiniGUID;
    }, z.core.$strict>;
}, z.core.$strict>;
export type TaskDeletedEvent = z.infer<typeof TaskDeletedEvent>;
/** A stored `task.reopened` event. (frames.schema.json) */
export declare const TaskReopenedEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"task.reopened">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        task_id: z.ZodMiniGUID;
    }, z.core.$strict>;
}, z.core.$strict>;
export type TaskReopenedEvent = z.infer<typeof TaskReopenedEvent>;
/** A stored `plan.requested` event. (frames.schema.json) */
export declare const PlanRequestedEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"plan.requested">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
    }, z.core.$strict>;
}, z.core.$strict>;
export type PlanRequestedEvent = z.infer<typeof PlanRequestedEvent>;
/** A stored `workflow.daily_plan` event. (frames.schema.json) */
export declare const WorkflowDailyPlanEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"workflow.daily_plan">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        date: z.ZodMiniString<string>;
    }, z.core.$strict>;
}, z.core.$strict>;
export type WorkflowDailyPlanEvent = z.infer<typeof WorkflowDailyPlanEvent>;
/** A stored `plan.generated` event. (frames.schema.json) */
export declare const PlanGeneratedEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"plan.generated">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        date: z.ZodMiniString<string>;
        items: z.ZodMiniArray<z.ZodMiniObject<{
            time: z.ZodMiniOptional<z.ZodMiniString<string>>;
            title: z.ZodMiniString<string>;
            task_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        }, z.core.$strict>>;
    }, z.core.$strict>;
}, z.core.$strict>;
export type PlanGeneratedEvent = z.infer<typeof PlanGeneratedEvent>;
/** A stored `summary.requested` event. (frames.schema.json) */
export declare const SummaryRequestedEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"summary.requested">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{}, z.core.$strict>;
}, z.core.$strict>;
export type SummaryRequestedEvent = z.infer<typeof SummaryRequestedEvent>;
/** A stored `chat.regenerate` event. (frames.schema.json) */
export declare const ChatRegenerateEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"chat.regenerate">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{}, z.core.$strict>;
}, z.core.$strict>;
export type ChatRegenerateEvent = z.infer<typeof ChatRegenerateEvent>;
/** A stored `chat.cleared` event. (frames.schema.json) */
export declare const ChatClearedEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"chat.cleared">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{}, z.core.$strict>;
}, z.core.$strict>;
export type ChatClearedEvent = z.infer<typeof ChatClearedEvent>;
/** A stored `workflow.generate_summary` event. (frames.schema.json) */
export declare const WorkflowGenerateSummaryEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"workflow.generate_summary">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        through_seq: z.ZodMiniInt;
    }, z.core.$strict>;
}, z.core.$strict>;
export type WorkflowGenerateSummaryEvent = z.infer<typeof WorkflowGenerateSummaryEvent>;
/** A stored `summary.generated` event. (frames.schema.json) */
export declare const SummaryGeneratedEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"summary.generated">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        text: z.ZodMiniString<string>;
        through_seq: z.ZodMiniInt;
    }, z.core.$strict>;
}, z.core.$strict>;
export type SummaryGeneratedEvent = z.infer<typeof SummaryGeneratedEvent>;
/** A stored `task.extract` event. (frames.schema.json) */
export declare const TaskExtractEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"task.extract">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        text: z.ZodMiniString<string>;
    }, z.core.$strict>;
}, z.core.$strict>;
export type TaskExtractEvent = z.infer<typeof TaskExtractEvent>;
/** A stored `tasks.extracted` event. (frames.schema.json) */
export declare const TasksExtractedEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"tasks.extracted">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        tasks: z.ZodMiniArray<z.ZodMiniObject<{
            task_id: z.ZodMiniGUID;
            title: z.ZodMiniString<string>;
            due_date: z.ZodMiniOptional<z.ZodMiniString<string>>;
        }, z.core.$strict>>;
    }, z.core.$strict>;
}, z.core.$strict>;
export type TasksExtractedEvent = z.infer<typeof TasksExtractedEvent>;
/** A stored `reminder.set` event. (frames.schema.json) */
export declare const ReminderSetEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"reminder.set">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        at: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniInt>>;
        date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        reminder_id: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniGUID>>;
        task_id: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniGUID>>;
        text: z.ZodMiniString<string>;
        time: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
    }, z.core.$strict>;
}, z.core.$strict>;
export type ReminderSetEvent = z.infer<typeof ReminderSetEvent>;
/** A stored `reminder.snoozed` event. (frames.schema.json) */
export declare const ReminderSnoozedEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"reminder.snoozed">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        minutes: z.ZodMiniInt;
        reminder_id: z.ZodMiniGUID;
    }, z.core.$strict>;
}, z.core.$strict>;
export type ReminderSnoozedEvent = z.infer<typeof ReminderSnoozedEvent>;
/** A stored `reminder.cancelled` event. (frames.schema.json) */
export declare const ReminderCancelledEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"reminder.cancelled">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        reminder_id: z.ZodMiniGUID;
    }, z.core.$strict>;
}, z.core.$strict>;
export type ReminderCancelledEvent = z.infer<typeof ReminderCancelledEvent>;
/** A stored `reminder.fired` event. (frames.schema.json) */
export declare const ReminderFiredEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"reminder.fired">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        reminder_id: z.ZodMiniGUID;
        due: z.ZodMiniInt;
    }, z.core.$strict>;
}, z.core.$strict>;
export type ReminderFiredEvent = z.infer<typeof ReminderFiredEvent>;
/** A stored `action.applied` event. (frames.schema.json) */
export declare const ActionAppliedEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"action.applied">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        action_id: z.ZodMiniGUID;
    }, z.core.$strict>;
}, z.core.$strict>;
export type ActionAppliedEvent = z.infer<typeof ActionAppliedEvent>;
/** A stored `action.rejected` event. (frames.schema.json) */
export declare const ActionRejectedEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"action.rejected">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        action_id: z.ZodMiniGUID;
        code: z.ZodMiniString<string>;
        message: z.ZodMiniString<string>;
        field: z.ZodMiniOptional<z.ZodMiniString<string>>;
    }, z.core.$strict>;
}, z.core.$strict>;
export type ActionRejectedEvent = z.infer<typeof ActionRejectedEvent>;
/** A stored `action.approved` event. (frames.schema.json) */
export declare const ActionApprovedEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"action.approved">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        action_id: z.ZodMiniGUID;
    }, z.core.$strict>;
}, z.core.$strict>;
export type ActionApprovedEvent = z.infer<typeof ActionApprovedEvent>;
/** A stored `action.declined` event. (frames.schema.json) */
export declare const ActionDeclinedEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"action.declined">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        action_id: z.ZodMiniGUID;
    }, z.core.$strict>;
}, z.core.$strict>;
export type ActionDeclinedEvent = z.infer<typeof ActionDeclinedEvent>;
/** A stored `llm.started` event. (frames.schema.json) */
export declare const LlmStartedEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"llm.started">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        kind: z.ZodMiniEnum<{
            chat: "chat";
            extract_tasks: "extract_tasks";
            daily_plan: "daily_plan";
            summary: "summary";
        }>;
        attempt: z.ZodMiniInt;
    }, z.core.$strict>;
}, z.core.$strict>;
export type LlmStartedEvent = z.infer<typeof LlmStartedEvent>;
/** A stored `llm.token` event. (frames.schema.json) */
export declare const LlmTokenEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"llm.token">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        attempt: z.ZodMiniInt;
        index: z.ZodMiniInt;
        text: z.ZodMiniString<string>;
    }, z.core.$strict>;
}, z.core.$strict>;
export type LlmTokenEvent = z.infer<typeof LlmTokenEvent>;
/** A stored `llm.checkpoint` event. (frames.schema.json) */
export declare const LlmCheckpointEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"llm.checkpoint">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        attempt: z.ZodMiniInt;
        from_index: z.ZodMiniInt;
        tokens: z.ZodMiniArray<z.ZodMiniString<string>>;
    }, z.core.$strict>;
}, z.core.$strict>;
export type LlmCheckpointEvent = z.infer<typeof LlmCheckpointEvent>;
/** A stored `llm.completed` event. (frames.schema.json) */
export declare const LlmCompletedEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"llm.completed">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        attempt: z.ZodMiniInt;
        from_index: z.ZodMiniInt;
        tokens: z.ZodMiniArray<z.ZodMiniString<string>>;
        tool_calls: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniObject<{
            id: z.ZodMiniString<string>;
            name: z.ZodMiniString<string>;
            arguments: z.ZodMiniString<string>;
        }, z.core.$strict>>>;
    }, z.core.$strict>;
}, z.core.$strict>;
export type LlmCompletedEvent = z.infer<typeof LlmCompletedEvent>;
/** A stored `llm.failed` event. (frames.schema.json) */
export declare const LlmFailedEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"llm.failed">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        attempt: z.ZodMiniInt;
        code: z.ZodMiniEnum<{
            provider: "provider";
            rate_limited: "rate_limited";
            stalled: "stalled";
            malformed_output: "malformed_output";
            interrupted: "interrupted";
            rejected: "rejected";
            output_too_large: "output_too_large";
            too_many_operations: "too_many_operations";
        }>;
        message: z.ZodMiniString<string>;
        terminal: z.ZodMiniBoolean<boolean>;
    }, z.core.$strict>;
}, z.core.$strict>;
export type LlmFailedEvent = z.infer<typeof LlmFailedEvent>;
/** A stored `llm.retry_scheduled` event. (frames.schema.json) */
export declare const LlmRetryScheduledEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"llm.retry_scheduled">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        attempt: z.ZodMiniInt;
        at: z.ZodMiniInt;
    }, z.core.$strict>;
}, z.core.$strict>;
export type LlmRetryScheduledEvent = z.infer<typeof LlmRetryScheduledEvent>;
/** A stored `llm.cancel` event. (frames.schema.json) */
export declare const LlmCancelEvent: z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"llm.cancel">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        operation_id: z.ZodMiniGUID;
    }, z.core.$strict>;
}, z.core.$strict>;
export type LlmCancelEvent = z.infer<typeof LlmCancelEvent>;
/** A stored event: the envelope of GET /v1/events and of `event` frames. (frames.schema.json) */
export declare const Event: z.ZodMiniDiscriminatedUnion<[z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"user.message">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        text: z.ZodMiniString<string>;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"assistant.message">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        text: z.ZodMiniString<string>;
        actions: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniObject<{
            action_id: z.ZodMiniGUID;
            tool: z.ZodMiniString<string>;
            arguments: z.ZodMiniString<string>;
        }, z.core.$strict>>>;
        untrusted_input: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"settings.updated">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        time_zone: z.ZodMiniOptional<z.ZodMiniString<string>>;
        time_zone_rule: z.ZodMiniOptional<z.ZodMiniString<string>>;
        tz_offset_minutes: z.ZodMiniOptional<z.ZodMiniInt>;
        daily_plan_time: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        confirm_actions: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"task.created">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        due_date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        notes: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        task_id: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniGUID>>;
        title: z.ZodMiniString<string>;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"task.updated">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        due_date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        notes: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        task_id: z.ZodMiniGUID;
        title: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"task.completed">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        task_id: z.ZodMiniGUID;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"task.deleted">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        task_id: z.ZodMiniGUID;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"task.reopened">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        task_id: z.ZodMiniGUID;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"plan.requested">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"workflow.daily_plan">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        date: z.ZodMiniString<string>;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"plan.generated">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        date: z.ZodMiniString<string>;
        items: z.ZodMiniArray<z.ZodMiniObject<{
            time: z.ZodMiniOptional<z.ZodMiniString<string>>;
            title: z.ZodMiniString<string>;
            task_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        }, z.core.$strict>>;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"summary.requested">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{}, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"chat.regenerate">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{}, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"chat.cleared">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{}, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"workflow.generate_summary">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        through_seq: z.ZodMiniInt;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"summary.generated">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        text: z.ZodMiniString<string>;
        through_seq: z.ZodMiniInt;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"task.extract">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        text: z.ZodMiniString<string>;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"tasks.extracted">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        tasks: z.ZodMiniArray<z.ZodMiniObject<{
            task_id: z.ZodMiniGUID;
            title: z.ZodMiniString<string>;
            due_date: z.ZodMiniOptional<z.ZodMiniString<string>>;
        }, z.core.$strict>>;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"reminder.set">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        at: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniInt>>;
        date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        reminder_id: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniGUID>>;
        task_id: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniGUID>>;
        text: z.ZodMiniString<string>;
        time: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"reminder.snoozed">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        minutes: z.ZodMiniInt;
        reminder_id: z.ZodMiniGUID;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"reminder.cancelled">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        reminder_id: z.ZodMiniGUID;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"reminder.fired">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        reminder_id: z.ZodMiniGUID;
        due: z.ZodMiniInt;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"action.applied">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        action_id: z.ZodMiniGUID;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"action.rejected">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        action_id: z.ZodMiniGUID;
        code: z.ZodMiniString<string>;
        message: z.ZodMiniString<string>;
        field: z.ZodMiniOptional<z.ZodMiniString<string>>;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"action.approved">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        action_id: z.ZodMiniGUID;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"action.declined">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        action_id: z.ZodMiniGUID;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"llm.started">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        kind: z.ZodMiniEnum<{
            chat: "chat";
            extract_tasks: "extract_tasks";
            daily_plan: "daily_plan";
            summary: "summary";
        }>;
        attempt: z.ZodMiniInt;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"llm.token">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        attempt: z.ZodMiniInt;
        index: z.ZodMiniInt;
        text: z.ZodMiniString<string>;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"llm.checkpoint">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        attempt: z.ZodMiniInt;
        from_index: z.ZodMiniInt;
        tokens: z.ZodMiniArray<z.ZodMiniString<string>>;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"llm.completed">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        attempt: z.ZodMiniInt;
        from_index: z.ZodMiniInt;
        tokens: z.ZodMiniArray<z.ZodMiniString<string>>;
        tool_calls: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniObject<{
            id: z.ZodMiniString<string>;
            name: z.ZodMiniString<string>;
            arguments: z.ZodMiniString<string>;
        }, z.core.$strict>>>;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"llm.failed">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        attempt: z.ZodMiniInt;
        code: z.ZodMiniEnum<{
            provider: "provider";
            rate_limited: "rate_limited";
            stalled: "stalled";
            malformed_output: "malformed_output";
            interrupted: "interrupted";
            rejected: "rejected";
            output_too_large: "output_too_large";
            too_many_operations: "too_many_operations";
        }>;
        message: z.ZodMiniString<string>;
        terminal: z.ZodMiniBoolean<boolean>;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"llm.retry_scheduled">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        attempt: z.ZodMiniInt;
        at: z.ZodMiniInt;
    }, z.core.$strict>;
}, z.core.$strict>, z.ZodMiniObject<{
    v: z.ZodMiniLiteral<1>;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniLiteral<"llm.cancel">;
    timestamp: z.ZodMiniInt;
    user_id: z.ZodMiniString<string>;
    request_id: z.ZodMiniGUID;
    client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    payload: z.ZodMiniObject<{
        operation_id: z.ZodMiniGUID;
    }, z.core.$strict>;
}, z.core.$strict>], "type">;
export type Event = z.infer<typeof Event>;
/** A stored event; `seq` is the event's. (frames.schema.json) */
export declare const EventFrame: z.ZodMiniObject<{
    frame: z.ZodMiniLiteral<"event">;
    seq: z.ZodMiniInt;
    event: z.ZodMiniDiscriminatedUnion<[z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"user.message">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            text: z.ZodMiniString<string>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"assistant.message">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            text: z.ZodMiniString<string>;
            actions: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniObject<{
                action_id: z.ZodMiniGUID;
                tool: z.ZodMiniString<string>;
                arguments: z.ZodMiniString<string>;
            }, z.core.$strict>>>;
            untrusted_input: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"settings.updated">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            time_zone: z.ZodMiniOptional<z.ZodMiniString<string>>;
            time_zone_rule: z.ZodMiniOptional<z.ZodMiniString<string>>;
            tz_offset_minutes: z.ZodMiniOptional<z.ZodMiniInt>;
            daily_plan_time: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
            confirm_actions: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"task.created">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            due_date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
            notes: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
            task_id: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniGUID>>;
            title: z.ZodMiniString<string>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"task.updated">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            due_date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
            notes: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
            task_id: z.ZodMiniGUID;
            title: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"task.completed">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            task_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"task.deleted">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            task_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"task.reopened">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            task_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"plan.requested">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"workflow.daily_plan">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            date: z.ZodMiniString<string>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"plan.generated">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            date: z.ZodMiniString<string>;
            items: z.ZodMiniArray<z.ZodMiniObject<{
                time: z.ZodMiniOptional<z.ZodMiniString<string>>;
                title: z.ZodMiniString<string>;
                task_id: z.ZodMiniOptional<z.ZodMiniGUID>;
            }, z.core.$strict>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"summary.requested">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{}, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"chat.regenerate">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{}, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"chat.cleared">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{}, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"workflow.generate_summary">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            through_seq: z.ZodMiniInt;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"summary.generated">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            text: z.ZodMiniString<string>;
            through_seq: z.ZodMiniInt;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"task.extract">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            text: z.ZodMiniString<string>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"tasks.extracted">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            tasks: z.ZodMiniArray<z.ZodMiniObject<{
                task_id: z.ZodMiniGUID;
                title: z.ZodMiniString<string>;
                due_date: z.ZodMiniOptional<z.ZodMiniString<string>>;
            }, z.core.$strict>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"reminder.set">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            at: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniInt>>;
            date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
            reminder_id: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniGUID>>;
            task_id: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniGUID>>;
            text: z.ZodMiniString<string>;
            time: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"reminder.snoozed">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            minutes: z.ZodMiniInt;
            reminder_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"reminder.cancelled">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            reminder_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"reminder.fired">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            reminder_id: z.ZodMiniGUID;
            due: z.ZodMiniInt;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"action.applied">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            action_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"action.rejected">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            action_id: z.ZodMiniGUID;
            code: z.ZodMiniString<string>;
            message: z.ZodMiniString<string>;
            field: z.ZodMiniOptional<z.ZodMiniString<string>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"action.approved">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            action_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"action.declined">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            action_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"llm.started">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            kind: z.ZodMiniEnum<{
                chat: "chat";
                extract_tasks: "extract_tasks";
                daily_plan: "daily_plan";
                summary: "summary";
            }>;
            attempt: z.ZodMiniInt;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"llm.token">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            attempt: z.ZodMiniInt;
            index: z.ZodMiniInt;
            text: z.ZodMiniString<string>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"llm.checkpoint">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            attempt: z.ZodMiniInt;
            from_index: z.ZodMiniInt;
            tokens: z.ZodMiniArray<z.ZodMiniString<string>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"llm.completed">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            attempt: z.ZodMiniInt;
            from_index: z.ZodMiniInt;
            tokens: z.ZodMiniArray<z.ZodMiniString<string>>;
            tool_calls: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniObject<{
                id: z.ZodMiniString<string>;
                name: z.ZodMiniString<string>;
                arguments: z.ZodMiniString<string>;
            }, z.core.$strict>>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"llm.failed">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            attempt: z.ZodMiniInt;
            code: z.ZodMiniEnum<{
                provider: "provider";
                rate_limited: "rate_limited";
                stalled: "stalled";
                malformed_output: "malformed_output";
                interrupted: "interrupted";
                rejected: "rejected";
                output_too_large: "output_too_large";
                too_many_operations: "too_many_operations";
            }>;
            message: z.ZodMiniString<string>;
            terminal: z.ZodMiniBoolean<boolean>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"llm.retry_scheduled">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            attempt: z.ZodMiniInt;
            at: z.ZodMiniInt;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"llm.cancel">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            operation_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>], "type">;
}, z.core.$strict>;
export type EventFrame = z.infer<typeof EventFrame>;
/** One generated token, pushed at once; `after`: the last stored seq before it. (frames.schema.json) */
export declare const TokenFrame: z.ZodMiniObject<{
    frame: z.ZodMiniLiteral<"token">;
    after: z.ZodMiniInt;
    operation_id: z.ZodMiniGUID;
    attempt: z.ZodMiniInt;
    index: z.ZodMiniInt;
    text: z.ZodMiniString<string>;
}, z.core.$strict>;
export type TokenFrame = z.infer<typeof TokenFrame>;
/** A stored `llm.checkpoint` or `llm.completed` whose tokens were sent as token frames: tokens `0..through_index` of the attempt are stored. (frames.schema.json) */
export declare const ProgressFrame: z.ZodMiniObject<{
    frame: z.ZodMiniLiteral<"progress">;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniEnum<{
        "llm.checkpoint": "llm.checkpoint";
        "llm.completed": "llm.completed";
    }>;
    timestamp: z.ZodMiniInt;
    operation_id: z.ZodMiniGUID;
    attempt: z.ZodMiniInt;
    through_index: z.ZodMiniInt;
}, z.core.$strict>;
export type ProgressFrame = z.infer<typeof ProgressFrame>;
/** The answer to an accepted event (the body of a 202 or 200 to POST /v1/events). (frames.schema.json) */
export declare const Ack: z.ZodMiniObject<{
    event_id: z.ZodMiniGUID;
    request_id: z.ZodMiniGUID;
    seq: z.ZodMiniInt;
    duplicate: z.ZodMiniBoolean<boolean>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
}, z.core.$strict>;
export type Ack = z.infer<typeof Ack>;
/** The socket's answer to a client event it accepted, after the frames the event produced. (frames.schema.json) */
export declare const AckFrame: z.ZodMiniObject<{
    event_id: z.ZodMiniGUID;
    request_id: z.ZodMiniGUID;
    seq: z.ZodMiniInt;
    duplicate: z.ZodMiniBoolean<boolean>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    frame: z.ZodMiniLiteral<"ack">;
}, z.core.$strict>;
export type AckFrame = z.infer<typeof AckFrame>;
/** The socket's answer to a client event it refused: the HTTP status and error it would have had. (frames.schema.json) */
export declare const ErrorFrame: z.ZodMiniObject<{
    frame: z.ZodMiniLiteral<"error">;
    status: z.ZodMiniInt;
    error: z.ZodMiniObject<{
        code: z.ZodMiniEnum<{
            too_long: "too_long";
            invalid_type: "invalid_type";
            rate_limited: "rate_limited";
            too_many_operations: "too_many_operations";
            malformed_json: "malformed_json";
            too_deep: "too_deep";
            bad_request: "bad_request";
            unauthorized: "unauthorized";
            not_found: "not_found";
            method_not_allowed: "method_not_allowed";
            request_timeout: "request_timeout";
            task_not_found: "task_not_found";
            reminder_not_found: "reminder_not_found";
            action_not_found: "action_not_found";
            operation_not_found: "operation_not_found";
            operation_finished: "operation_finished";
            client_action_conflict: "client_action_conflict";
            event_id_conflict: "event_id_conflict";
            too_many_tasks: "too_many_tasks";
            too_many_reminders: "too_many_reminders";
            action_not_awaiting: "action_not_awaiting";
            action_stale: "action_stale";
            nothing_to_regenerate: "nothing_to_regenerate";
            chat_busy: "chat_busy";
            body_too_large: "body_too_large";
            unsupported_media_type: "unsupported_media_type";
            unknown_field: "unknown_field";
            missing_field: "missing_field";
            invalid_value: "invalid_value";
            empty: "empty";
            out_of_range: "out_of_range";
            reminder_in_past: "reminder_in_past";
            unknown_event_type: "unknown_event_type";
            event_type_not_allowed: "event_type_not_allowed";
            upgrade_required: "upgrade_required";
            unavailable: "unavailable";
            storage_corrupt: "storage_corrupt";
        }>;
        message: z.ZodMiniString<string>;
        field: z.ZodMiniOptional<z.ZodMiniString<string>>;
        retry_after_ms: z.ZodMiniOptional<z.ZodMiniInt>;
    }, z.core.$strict>;
}, z.core.$strict>;
export type ErrorFrame = z.infer<typeof ErrorFrame>;
/** A frame that advances the resume cursor. (frames.schema.json) */
export declare const StreamFrame: z.ZodMiniDiscriminatedUnion<[z.ZodMiniObject<{
    frame: z.ZodMiniLiteral<"event">;
    seq: z.ZodMiniInt;
    event: z.ZodMiniDiscriminatedUnion<[z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"user.message">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            text: z.ZodMiniString<string>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"assistant.message">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            text: z.ZodMiniString<string>;
            actions: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniObject<{
                action_id: z.ZodMiniGUID;
                tool: z.ZodMiniString<string>;
                arguments: z.ZodMiniString<string>;
            }, z.core.$strict>>>;
            untrusted_input: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"settings.updated">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            time_zone: z.ZodMiniOptional<z.ZodMiniString<string>>;
            time_zone_rule: z.ZodMiniOptional<z.ZodMiniString<string>>;
            tz_offset_minutes: z.ZodMiniOptional<z.ZodMiniInt>;
            daily_plan_time: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
            confirm_actions: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"task.created">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            due_date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
            notes: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
            task_id: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniGUID>>;
            title: z.ZodMiniString<string>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"task.updated">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            due_date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
            notes: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
            task_id: z.ZodMiniGUID;
            title: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"task.completed">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            task_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"task.deleted">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            task_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"task.reopened">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            task_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"plan.requested">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"workflow.daily_plan">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            date: z.ZodMiniString<string>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"plan.generated">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            date: z.ZodMiniString<string>;
            items: z.ZodMiniArray<z.ZodMiniObject<{
                time: z.ZodMiniOptional<z.ZodMiniString<string>>;
                title: z.ZodMiniString<string>;
                task_id: z.ZodMiniOptional<z.ZodMiniGUID>;
            }, z.core.$strict>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"summary.requested">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{}, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"chat.regenerate">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{}, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"chat.cleared">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{}, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"workflow.generate_summary">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            through_seq: z.ZodMiniInt;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"summary.generated">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            text: z.ZodMiniString<string>;
            through_seq: z.ZodMiniInt;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"task.extract">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            text: z.ZodMiniString<string>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"tasks.extracted">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            tasks: z.ZodMiniArray<z.ZodMiniObject<{
                task_id: z.ZodMiniGUID;
                title: z.ZodMiniString<string>;
                due_date: z.ZodMiniOptional<z.ZodMiniString<string>>;
            }, z.core.$strict>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"reminder.set">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            at: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniInt>>;
            date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
            reminder_id: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniGUID>>;
            task_id: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniGUID>>;
            text: z.ZodMiniString<string>;
            time: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"reminder.snoozed">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            minutes: z.ZodMiniInt;
            reminder_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"reminder.cancelled">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            reminder_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"reminder.fired">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            reminder_id: z.ZodMiniGUID;
            due: z.ZodMiniInt;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"action.applied">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            action_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"action.rejected">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            action_id: z.ZodMiniGUID;
            code: z.ZodMiniString<string>;
            message: z.ZodMiniString<string>;
            field: z.ZodMiniOptional<z.ZodMiniString<string>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"action.approved">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            action_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"action.declined">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            action_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"llm.started">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            kind: z.ZodMiniEnum<{
                chat: "chat";
                extract_tasks: "extract_tasks";
                daily_plan: "daily_plan";
                summary: "summary";
            }>;
            attempt: z.ZodMiniInt;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"llm.token">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            attempt: z.ZodMiniInt;
            index: z.ZodMiniInt;
            text: z.ZodMiniString<string>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"llm.checkpoint">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            attempt: z.ZodMiniInt;
            from_index: z.ZodMiniInt;
            tokens: z.ZodMiniArray<z.ZodMiniString<string>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"llm.completed">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            attempt: z.ZodMiniInt;
            from_index: z.ZodMiniInt;
            tokens: z.ZodMiniArray<z.ZodMiniString<string>>;
            tool_calls: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniObject<{
                id: z.ZodMiniString<string>;
                name: z.ZodMiniString<string>;
                arguments: z.ZodMiniString<string>;
            }, z.core.$strict>>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"llm.failed">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            attempt: z.ZodMiniInt;
            code: z.ZodMiniEnum<{
                provider: "provider";
                rate_limited: "rate_limited";
                stalled: "stalled";
                malformed_output: "malformed_output";
                interrupted: "interrupted";
                rejected: "rejected";
                output_too_large: "output_too_large";
                too_many_operations: "too_many_operations";
            }>;
            message: z.ZodMiniString<string>;
            terminal: z.ZodMiniBoolean<boolean>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"llm.retry_scheduled">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            attempt: z.ZodMiniInt;
            at: z.ZodMiniInt;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"llm.cancel">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            operation_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>], "type">;
}, z.core.$strict>, z.ZodMiniObject<{
    frame: z.ZodMiniLiteral<"token">;
    after: z.ZodMiniInt;
    operation_id: z.ZodMiniGUID;
    attempt: z.ZodMiniInt;
    index: z.ZodMiniInt;
    text: z.ZodMiniString<string>;
}, z.core.$strict>, z.ZodMiniObject<{
    frame: z.ZodMiniLiteral<"progress">;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniEnum<{
        "llm.checkpoint": "llm.checkpoint";
        "llm.completed": "llm.completed";
    }>;
    timestamp: z.ZodMiniInt;
    operation_id: z.ZodMiniGUID;
    attempt: z.ZodMiniInt;
    through_index: z.ZodMiniInt;
}, z.core.$strict>], "frame">;
export type StreamFrame = z.infer<typeof StreamFrame>;
/** Every text message GET /v1/stream sends: `event`, `token` and `progress` frames (the stream; see Cursor in core/src/frame.rs) and `ack` / `error` answers to client events sent on the socket, in the order they were sent. Besides these JSON frames, the one other text message is `pong`, the answer to the heartbeat `ping` a client sends (both plain text, not JSON; README, API v1). Hand-written from core/src/frame.rs, core/src/event.rs, core/src/operation.rs and assistant/src/event.rs; checked against the recorded frames by web/client/test. (frames.schema.json) */
export declare const Frame: z.ZodMiniDiscriminatedUnion<[z.ZodMiniObject<{
    frame: z.ZodMiniLiteral<"event">;
    seq: z.ZodMiniInt;
    event: z.ZodMiniDiscriminatedUnion<[z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"user.message">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            text: z.ZodMiniString<string>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"assistant.message">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            text: z.ZodMiniString<string>;
            actions: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniObject<{
                action_id: z.ZodMiniGUID;
                tool: z.ZodMiniString<string>;
                arguments: z.ZodMiniString<string>;
            }, z.core.$strict>>>;
            untrusted_input: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"settings.updated">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            time_zone: z.ZodMiniOptional<z.ZodMiniString<string>>;
            time_zone_rule: z.ZodMiniOptional<z.ZodMiniString<string>>;
            tz_offset_minutes: z.ZodMiniOptional<z.ZodMiniInt>;
            daily_plan_time: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
            confirm_actions: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"task.created">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            due_date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
            notes: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
            task_id: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniGUID>>;
            title: z.ZodMiniString<string>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"task.updated">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            due_date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
            notes: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
            task_id: z.ZodMiniGUID;
            title: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"task.completed">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            task_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"task.deleted">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            task_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"task.reopened">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            task_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"plan.requested">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"workflow.daily_plan">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            date: z.ZodMiniString<string>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"plan.generated">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            date: z.ZodMiniString<string>;
            items: z.ZodMiniArray<z.ZodMiniObject<{
                time: z.ZodMiniOptional<z.ZodMiniString<string>>;
                title: z.ZodMiniString<string>;
                task_id: z.ZodMiniOptional<z.ZodMiniGUID>;
            }, z.core.$strict>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"summary.requested">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{}, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"chat.regenerate">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{}, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"chat.cleared">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{}, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"workflow.generate_summary">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            through_seq: z.ZodMiniInt;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"summary.generated">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            text: z.ZodMiniString<string>;
            through_seq: z.ZodMiniInt;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"task.extract">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            text: z.ZodMiniString<string>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"tasks.extracted">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            tasks: z.ZodMiniArray<z.ZodMiniObject<{
                task_id: z.ZodMiniGUID;
                title: z.ZodMiniString<string>;
                due_date: z.ZodMiniOptional<z.ZodMiniString<string>>;
            }, z.core.$strict>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"reminder.set">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            at: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniInt>>;
            date: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
            reminder_id: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniGUID>>;
            task_id: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniGUID>>;
            text: z.ZodMiniString<string>;
            time: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniString<string>>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"reminder.snoozed">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            minutes: z.ZodMiniInt;
            reminder_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"reminder.cancelled">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            reminder_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"reminder.fired">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            reminder_id: z.ZodMiniGUID;
            due: z.ZodMiniInt;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"action.applied">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            action_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"action.rejected">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            action_id: z.ZodMiniGUID;
            code: z.ZodMiniString<string>;
            message: z.ZodMiniString<string>;
            field: z.ZodMiniOptional<z.ZodMiniString<string>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"action.approved">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            action_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"action.declined">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            action_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"llm.started">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            kind: z.ZodMiniEnum<{
                chat: "chat";
                extract_tasks: "extract_tasks";
                daily_plan: "daily_plan";
                summary: "summary";
            }>;
            attempt: z.ZodMiniInt;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"llm.token">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            attempt: z.ZodMiniInt;
            index: z.ZodMiniInt;
            text: z.ZodMiniString<string>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"llm.checkpoint">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            attempt: z.ZodMiniInt;
            from_index: z.ZodMiniInt;
            tokens: z.ZodMiniArray<z.ZodMiniString<string>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"llm.completed">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            attempt: z.ZodMiniInt;
            from_index: z.ZodMiniInt;
            tokens: z.ZodMiniArray<z.ZodMiniString<string>>;
            tool_calls: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniObject<{
                id: z.ZodMiniString<string>;
                name: z.ZodMiniString<string>;
                arguments: z.ZodMiniString<string>;
            }, z.core.$strict>>>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"llm.failed">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            attempt: z.ZodMiniInt;
            code: z.ZodMiniEnum<{
                provider: "provider";
                rate_limited: "rate_limited";
                stalled: "stalled";
                malformed_output: "malformed_output";
                interrupted: "interrupted";
                rejected: "rejected";
                output_too_large: "output_too_large";
                too_many_operations: "too_many_operations";
            }>;
            message: z.ZodMiniString<string>;
            terminal: z.ZodMiniBoolean<boolean>;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"llm.retry_scheduled">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            attempt: z.ZodMiniInt;
            at: z.ZodMiniInt;
        }, z.core.$strict>;
    }, z.core.$strict>, z.ZodMiniObject<{
        v: z.ZodMiniLiteral<1>;
        seq: z.ZodMiniInt;
        event_id: z.ZodMiniGUID;
        type: z.ZodMiniLiteral<"llm.cancel">;
        timestamp: z.ZodMiniInt;
        user_id: z.ZodMiniString<string>;
        request_id: z.ZodMiniGUID;
        client_action_id: z.ZodMiniOptional<z.ZodMiniString<string>>;
        operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        causation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        payload: z.ZodMiniObject<{
            operation_id: z.ZodMiniGUID;
        }, z.core.$strict>;
    }, z.core.$strict>], "type">;
}, z.core.$strict>, z.ZodMiniObject<{
    frame: z.ZodMiniLiteral<"token">;
    after: z.ZodMiniInt;
    operation_id: z.ZodMiniGUID;
    attempt: z.ZodMiniInt;
    index: z.ZodMiniInt;
    text: z.ZodMiniString<string>;
}, z.core.$strict>, z.ZodMiniObject<{
    frame: z.ZodMiniLiteral<"progress">;
    seq: z.ZodMiniInt;
    event_id: z.ZodMiniGUID;
    type: z.ZodMiniEnum<{
        "llm.checkpoint": "llm.checkpoint";
        "llm.completed": "llm.completed";
    }>;
    timestamp: z.ZodMiniInt;
    operation_id: z.ZodMiniGUID;
    attempt: z.ZodMiniInt;
    through_index: z.ZodMiniInt;
}, z.core.$strict>, z.ZodMiniObject<{
    event_id: z.ZodMiniGUID;
    request_id: z.ZodMiniGUID;
    seq: z.ZodMiniInt;
    duplicate: z.ZodMiniBoolean<boolean>;
    operation_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    frame: z.ZodMiniLiteral<"ack">;
}, z.core.$strict>, z.ZodMiniObject<{
    frame: z.ZodMiniLiteral<"error">;
    status: z.ZodMiniInt;
    error: z.ZodMiniObject<{
        code: z.ZodMiniEnum<{
            too_long: "too_long";
            invalid_type: "invalid_type";
            rate_limited: "rate_limited";
            too_many_operations: "too_many_operations";
            malformed_json: "malformed_json";
            too_deep: "too_deep";
            bad_request: "bad_request";
            unauthorized: "unauthorized";
            not_found: "not_found";
            method_not_allowed: "method_not_allowed";
            request_timeout: "request_timeout";
            task_not_found: "task_not_found";
            reminder_not_found: "reminder_not_found";
            action_not_found: "action_not_found";
            operation_not_found: "operation_not_found";
            operation_finished: "operation_finished";
            client_action_conflict: "client_action_conflict";
            event_id_conflict: "event_id_conflict";
            too_many_tasks: "too_many_tasks";
            too_many_reminders: "too_many_reminders";
            action_not_awaiting: "action_not_awaiting";
            action_stale: "action_stale";
            nothing_to_regenerate: "nothing_to_regenerate";
            chat_busy: "chat_busy";
            body_too_large: "body_too_large";
            unsupported_media_type: "unsupported_media_type";
            unknown_field: "unknown_field";
            missing_field: "missing_field";
            invalid_value: "invalid_value";
            empty: "empty";
            out_of_range: "out_of_range";
            reminder_in_past: "reminder_in_past";
            unknown_event_type: "unknown_event_type";
            event_type_not_allowed: "event_type_not_allowed";
            upgrade_required: "upgrade_required";
            unavailable: "unavailable";
            storage_corrupt: "storage_corrupt";
        }>;
        message: z.ZodMiniString<string>;
        field: z.ZodMiniOptional<z.ZodMiniString<string>>;
        retry_after_ms: z.ZodMiniOptional<z.ZodMiniInt>;
    }, z.core.$strict>;
}, z.core.$strict>], "frame">;
export type Frame = z.infer<typeof Frame>;
/** A chat message. (snapshot.schema.json) */
export declare const MessageView: z.ZodMiniObject<{
    seq: z.ZodMiniInt;
    role: z.ZodMiniEnum<{
        user: "user";
        assistant: "assistant";
    }>;
    text: z.ZodMiniString<string>;
    stopped: z.ZodMiniOptional<z.ZodMiniLiteral<true>>;
}, z.core.$strict>;
export type MessageView = z.infer<typeof MessageView>;
/** A task: the open ones and the recently completed ones. (snapshot.schema.json) */
export declare const TaskView: z.ZodMiniObject<{
    task_id: z.ZodMiniGUID;
    title: z.ZodMiniString<string>;
    status: z.ZodMiniEnum<{
        open: "open";
        done: "done";
    }>;
    notes: z.ZodMiniOptional<z.ZodMiniString<string>>;
    due_date: z.ZodMiniOptional<z.ZodMiniString<string>>;
}, z.core.$strict>;
export type TaskView = z.infer<typeof TaskView>;
/** A reminder: the scheduled ones and the recently fired ones, by due time. (snapshot.schema.json) */
export declare const ReminderView: z.ZodMiniObject<{
    reminder_id: z.ZodMiniGUID;
    text: z.ZodMiniString<string>;
    due: z.ZodMiniInt;
    status: z.ZodMiniEnum<{
        scheduled: "scheduled";
        fired: "fired";
    }>;
    task_id: z.ZodMiniOptional<z.ZodMiniGUID>;
}, z.core.$strict>;
export type ReminderView = z.infer<typeof ReminderView>;
/** An action of the assistant (a tool call of a reply): waiting for approval, or recently decided. (snapshot.schema.json) */
export declare const ActionView: z.ZodMiniObject<{
    action_id: z.ZodMiniGUID;
    tool: z.ZodMiniString<string>;
    arguments: z.ZodMiniString<string>;
    description: z.ZodMiniOptional<z.ZodMiniString<string>>;
    status: z.ZodMiniEnum<{
        rejected: "rejected";
        proposed: "proposed";
        awaiting_approval: "awaiting_approval";
        applied: "applied";
        declined: "declined";
    }>;
    proposed_seq: z.ZodMiniOptional<z.ZodMiniInt>;
    error: z.ZodMiniOptional<z.ZodMiniObject<{
        code: z.ZodMiniString<string>;
        message: z.ZodMiniString<string>;
        field: z.ZodMiniOptional<z.ZodMiniString<string>>;
    }, z.core.$strict>>;
}, z.core.$strict>;
export type ActionView = z.infer<typeof ActionView>;
/** A day's plan. (snapshot.schema.json) */
export declare const PlanView: z.ZodMiniObject<{
    date: z.ZodMiniString<string>;
    items: z.ZodMiniArray<z.ZodMiniObject<{
        time: z.ZodMiniOptional<z.ZodMiniString<string>>;
        title: z.ZodMiniString<string>;
        task_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    }, z.core.$strict>>;
}, z.core.$strict>;
export type PlanView = z.infer<typeof PlanView>;
/** The user's settings. (snapshot.schema.json) */
export declare const SettingsView: z.ZodMiniObject<{
    time_zone: z.ZodMiniNullable<z.ZodMiniString<string>>;
    utc_offset_minutes: z.ZodMiniInt;
    today: z.ZodMiniString<string>;
    daily_plan_time: z.ZodMiniNullable<z.ZodMiniString<string>>;
    confirm_actions: z.ZodMiniBoolean<boolean>;
}, z.core.$strict>;
export type SettingsView = z.infer<typeof SettingsView>;
/** Lifecycle of an operation. (snapshot.schema.json) */
export declare const OperationStatus: z.ZodMiniEnum<{
    pending: "pending";
    streaming: "streaming";
    retry_scheduled: "retry_scheduled";
    completed: "completed";
    failed: "failed";
    cancelled: "cancelled";
}>;
export type OperationStatus = z.infer<typeof OperationStatus>;
/** An operation in flight, with the text generated so far (stored and live tokens). (snapshot.schema.json) */
export declare const OperationView: z.ZodMiniObject<{
    operation_id: z.ZodMiniGUID;
    kind: z.ZodMiniEnum<{
        chat: "chat";
        extract_tasks: "extract_tasks";
        daily_plan: "daily_plan";
        summary: "summary";
    }>;
    status: z.ZodMiniEnum<{
        pending: "pending";
        streaming: "streaming";
        retry_scheduled: "retry_scheduled";
        completed: "completed";
        failed: "failed";
        cancelled: "cancelled";
    }>;
    attempt: z.ZodMiniInt;
    text: z.ZodMiniString<string>;
}, z.core.$strict>;
export type OperationView = z.infer<typeof OperationView>;
/** What the user sees (assistant/src/view.rs). (snapshot.schema.json) */
export declare const StateView: z.ZodMiniObject<{
    messages: z.ZodMiniArray<z.ZodMiniObject<{
        seq: z.ZodMiniInt;
        role: z.ZodMiniEnum<{
            user: "user";
            assistant: "assistant";
        }>;
        text: z.ZodMiniString<string>;
        stopped: z.ZodMiniOptional<z.ZodMiniLiteral<true>>;
    }, z.core.$strict>>;
    tasks: z.ZodMiniArray<z.ZodMiniObject<{
        task_id: z.ZodMiniGUID;
        title: z.ZodMiniString<string>;
        status: z.ZodMiniEnum<{
            open: "open";
            done: "done";
        }>;
        notes: z.ZodMiniOptional<z.ZodMiniString<string>>;
        due_date: z.ZodMiniOptional<z.ZodMiniString<string>>;
    }, z.core.$strict>>;
    plan: z.ZodMiniNullable<z.ZodMiniObject<{
        date: z.ZodMiniString<string>;
        items: z.ZodMiniArray<z.ZodMiniObject<{
            time: z.ZodMiniOptional<z.ZodMiniString<string>>;
            title: z.ZodMiniString<string>;
            task_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        }, z.core.$strict>>;
    }, z.core.$strict>>;
    settings: z.ZodMiniObject<{
        time_zone: z.ZodMiniNullable<z.ZodMiniString<string>>;
        utc_offset_minutes: z.ZodMiniInt;
        today: z.ZodMiniString<string>;
        daily_plan_time: z.ZodMiniNullable<z.ZodMiniString<string>>;
        confirm_actions: z.ZodMiniBoolean<boolean>;
    }, z.core.$strict>;
    summary: z.ZodMiniNullable<z.ZodMiniString<string>>;
    reminders: z.ZodMiniArray<z.ZodMiniObject<{
        reminder_id: z.ZodMiniGUID;
        text: z.ZodMiniString<string>;
        due: z.ZodMiniInt;
        status: z.ZodMiniEnum<{
            scheduled: "scheduled";
            fired: "fired";
        }>;
        task_id: z.ZodMiniOptional<z.ZodMiniGUID>;
    }, z.core.$strict>>;
    actions: z.ZodMiniArray<z.ZodMiniObject<{
        action_id: z.ZodMiniGUID;
        tool: z.ZodMiniString<string>;
        arguments: z.ZodMiniString<string>;
        description: z.ZodMiniOptional<z.ZodMiniString<string>>;
        status: z.ZodMiniEnum<{
            rejected: "rejected";
            proposed: "proposed";
            awaiting_approval: "awaiting_approval";
            applied: "applied";
            declined: "declined";
        }>;
        proposed_seq: z.ZodMiniOptional<z.ZodMiniInt>;
        error: z.ZodMiniOptional<z.ZodMiniObject<{
            code: z.ZodMiniString<string>;
            message: z.ZodMiniString<string>;
            field: z.ZodMiniOptional<z.ZodMiniString<string>>;
        }, z.core.$strict>>;
    }, z.core.$strict>>;
    operations: z.ZodMiniArray<z.ZodMiniObject<{
        operation_id: z.ZodMiniGUID;
        kind: z.ZodMiniEnum<{
            chat: "chat";
            extract_tasks: "extract_tasks";
            daily_plan: "daily_plan";
            summary: "summary";
        }>;
        status: z.ZodMiniEnum<{
            pending: "pending";
            streaming: "streaming";
            retry_scheduled: "retry_scheduled";
            completed: "completed";
            failed: "failed";
            cancelled: "cancelled";
        }>;
        attempt: z.ZodMiniInt;
        text: z.ZodMiniString<string>;
    }, z.core.$strict>>;
}, z.core.$strict>;
export type StateView = z.infer<typeof StateView>;
/** The body of GET /v1/snapshot (core/src/view.rs, assistant/src/view.rs); served with an ETag, 304 on If-None-Match. (snapshot.schema.json) */
export declare const Snapshot: z.ZodMiniObject<{
    seq: z.ZodMiniInt;
    state: z.ZodMiniObject<{
        messages: z.ZodMiniArray<z.ZodMiniObject<{
            seq: z.ZodMiniInt;
            role: z.ZodMiniEnum<{
                user: "user";
                assistant: "assistant";
            }>;
            text: z.ZodMiniString<string>;
            stopped: z.ZodMiniOptional<z.ZodMiniLiteral<true>>;
        }, z.core.$strict>>;
        tasks: z.ZodMiniArray<z.ZodMiniObject<{
            task_id: z.ZodMiniGUID;
            title: z.ZodMiniString<string>;
            status: z.ZodMiniEnum<{
                open: "open";
                done: "done";
            }>;
            notes: z.ZodMiniOptional<z.ZodMiniString<string>>;
            due_date: z.ZodMiniOptional<z.ZodMiniString<string>>;
        }, z.core.$strict>>;
        plan: z.ZodMiniNullable<z.ZodMiniObject<{
            date: z.ZodMiniString<string>;
            items: z.ZodMiniArray<z.ZodMiniObject<{
                time: z.ZodMiniOptional<z.ZodMiniString<string>>;
                title: z.ZodMiniString<string>;
                task_id: z.ZodMiniOptional<z.ZodMiniGUID>;
            }, z.core.$strict>>;
        }, z.core.$strict>>;
        settings: z.ZodMiniObject<{
            time_zone: z.ZodMiniNullable<z.ZodMiniString<string>>;
            utc_offset_minutes: z.ZodMiniInt;
            today: z.ZodMiniString<string>;
            daily_plan_time: z.ZodMiniNullable<z.ZodMiniString<string>>;
            confirm_actions: z.ZodMiniBoolean<boolean>;
        }, z.core.$strict>;
        summary: z.ZodMiniNullable<z.ZodMiniString<string>>;
        reminders: z.ZodMiniArray<z.ZodMiniObject<{
            reminder_id: z.ZodMiniGUID;
            text: z.ZodMiniString<string>;
            due: z.ZodMiniInt;
            status: z.ZodMiniEnum<{
                scheduled: "scheduled";
                fired: "fired";
            }>;
            task_id: z.ZodMiniOptional<z.ZodMiniGUID>;
        }, z.core.$strict>>;
        actions: z.ZodMiniArray<z.ZodMiniObject<{
            action_id: z.ZodMiniGUID;
            tool: z.ZodMiniString<string>;
            arguments: z.ZodMiniString<string>;
            description: z.ZodMiniOptional<z.ZodMiniString<string>>;
            status: z.ZodMiniEnum<{
                rejected: "rejected";
                proposed: "proposed";
                awaiting_approval: "awaiting_approval";
                applied: "applied";
                declined: "declined";
            }>;
            proposed_seq: z.ZodMiniOptional<z.ZodMiniInt>;
            error: z.ZodMiniOptional<z.ZodMiniObject<{
                code: z.ZodMiniString<string>;
                message: z.ZodMiniString<string>;
                field: z.ZodMiniOptional<z.ZodMiniString<string>>;
            }, z.core.$strict>>;
        }, z.core.$strict>>;
        operations: z.ZodMiniArray<z.ZodMiniObject<{
            operation_id: z.ZodMiniGUID;
            kind: z.ZodMiniEnum<{
                chat: "chat";
                extract_tasks: "extract_tasks";
                daily_plan: "daily_plan";
                summary: "summary";
            }>;
            status: z.ZodMiniEnum<{
                pending: "pending";
                streaming: "streaming";
                retry_scheduled: "retry_scheduled";
                completed: "completed";
                failed: "failed";
                cancelled: "cancelled";
            }>;
            attempt: z.ZodMiniInt;
            text: z.ZodMiniString<string>;
        }, z.core.$strict>>;
    }, z.core.$strict>;
}, z.core.$strict>;
export type Snapshot = z.infer<typeof Snapshot>;
