//! Chat memory: the recent messages, those evicted from the window and
//! not yet summarised, and the rolling summary.

use alloc::collections::{BTreeSet, VecDeque};
use alloc::string::String;

use microcos_core::EventMeta;
use microcos_core::{Operation, OperationStatus};
use microcos_core::{OperationId, Seq, Timestamp};
use serde::{Deserialize, Serialize};

use super::{AssistantBounds, AssistantOperation};
use crate::event::{SummaryGenerated, UserMessage};

/// Who wrote a chat message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The user.
    User,
    /// The assistant.
    Assistant,
}

/// One chat message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Seq of the event that recorded it.
    pub seq: Seq,
    /// Author.
    pub role: Role,
    /// Text.
    pub text: String,
    /// Event time.
    pub timestamp: Timestamp,
    /// A reply the user stopped: the text generated until then.
    #[serde(default, skip_serializing_if = "is_false")]
    pub stopped: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The rolling summary of chat context older than the window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Summary text.
    pub text: String,
    /// Last message it covers.
    pub through_seq: Seq,
}

/// Chat memory.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chat {
    /// Recent messages, oldest first.
    pub messages: VecDeque<Message>,
    /// Messages evicted from the window, not yet folded into the summary.
    pub unsummarized: VecDeque<Message>,
    /// The rolling summary.
    pub summary: Option<Summary>,
    /// Messages ever recorded.
    pub total_messages: u64,
    /// The summary operation in flight, if any.
    pub summary_in_flight: Option<OperationId>,
    /// The replies being written (chat operations not finished), by id.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub replies_in_flight: BTreeSet<OperationId>,
}

impl Chat {
    /// A reply is being written: operation `id` opened.
    pub(super) fn reply_opened(&mut self, id: OperationId) {
        self.replies_in_flight.insert(id);
    }

    pub(super) fn user_message(&mut self, p: UserMessage, m: &EventMeta, bounds: &AssistantBounds) {
        self.push(Role::User, p.text, m, bounds);
    }

    /// A reply: its text joins the chat unless it is empty and the reply
    /// only acted (`no_actions` false: it carries actions).
    pub(super) fn assistant_message(&mut self, text: &str, no_actions: bool, m: &EventMeta, bounds: &AssistantBounds) {
        if !text.trim().is_empty() || no_actions {
            self.push(Role::Assistant, String::from(text), m, bounds);
        }
    }

    /// `chat.regenerate`: the reply being replaced leaves, every message
    /// after the last of the user's (the decision made sure there is one).
    pub(super) fn regenerate(&mut self) {
        while self.messages.back().is_some_and(|m| m.role == Role::Assistant) {
            self.messages.pop_back();
        }
    }

    /// `chat.cleared`: the conversation starts afresh.
    pub(super) fn clear(&mut self) {
        self.messages.clear();
        self.unsummarized.clear();
        self.summary = None;
    }

    pub(super) fn summary_generated(&mut self, p: SummaryGenerated) {
        self.summary = Some(Summary { text: p.text, through_seq: p.through_seq });
        self.unsummarized.retain(|m| m.seq > p.through_seq);
    }

    /// A summary may be asked for again; a chat reply the user stopped stays,
    /// marked stopped, with the text shown until then.
    pub(super) fn operation_finished(
        &mut self,
        operation: &Operation<AssistantOperation>,
        m: &EventMeta,
        bounds: &AssistantBounds,
    ) {
        if self.summary_in_flight == Some(operation.operation_id) {
            self.summary_in_flight = None;
        }
        self.replies_in_flight.remove(&operation.operation_id);
        let stopped = operation.status == OperationStatus::Cancelled && !operation.text.is_empty();
        if stopped && operation.input == AssistantOperation::Chat {
            self.push(Role::Assistant, operation.text.clone(), m, bounds);
            if let Some(last) = self.messages.back_mut() {
                last.stopped = true;
            }
        }
    }

    fn push(&mut self, role: Role, text: String, m: &EventMeta, bounds: &AssistantBounds) {
        self.total_messages += 1;
        self.messages.push_back(Message { seq: m.seq, role, text, timestamp: m.timestamp, stopped: false });
        while self.messages.len() > bounds.chat_window {
            if let Some(old) = self.messages.pop_front() {
                self.unsummarized.push_back(old);
            }
        }
        while self.unsummarized.len() > bounds.max_unsummarized {
            self.unsummarized.pop_front();
        }
    }
}
