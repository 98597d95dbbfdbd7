//! The assistant's actions (the tool calls of its replies): the undecided
//! ones and the recently decided ones.

use alloc::collections::BTreeMap;
use alloc::string::String;

use microcos_core::EventMeta;
use microcos_core::Seq;
use serde::{Deserialize, Serialize};

use super::{evict_oldest, AssistantBounds};
use crate::event::{ActionId, AssistantMessage};

/// Where a proposed action stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    /// To be checked against the rules (the next follow-up decides).
    Proposed,
    /// Waits for the user's `action.approved` or `action.declined`.
    AwaitingApproval,
    /// Passed the rules; the equivalent event was recorded.
    Applied,
    /// Broke a rule, or its arguments were unusable.
    Rejected {
        /// The error code.
        code: String,
        /// Why.
        message: String,
        /// The failing field.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        field: Option<String>,
    },
    /// The user declined it.
    Declined,
}

impl ActionStatus {
    /// True once nothing more will happen to the action.
    pub fn is_decided(&self) -> bool {
        !matches!(self, ActionStatus::Proposed | ActionStatus::AwaitingApproval)
    }
}

/// An action the assistant proposed (a tool call of its reply).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    /// Id.
    pub action_id: ActionId,
    /// The tool.
    pub tool: String,
    /// Its arguments (JSON text).
    pub arguments: String,
    /// Where it stands.
    pub status: ActionStatus,
    /// Seq of the reply that proposed it.
    pub proposed_seq: Seq,
    /// Its place among that reply's calls.
    #[serde(default)]
    pub index: u32,
}

impl Action {
    /// The order actions were proposed in.
    pub fn order(&self) -> (Seq, u32) {
        (self.proposed_seq, self.index)
    }
}

/// The assistant's actions: the undecided ones and the recently decided ones.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actions {
    /// Actions by id.
    pub items: BTreeMap<ActionId, Action>,
    /// Decided actions by the seq that decided them (eviction order).
    pub decided_order: BTreeMap<Seq, ActionId>,
}

impl Actions {
    /// The next action to check against the rules, if any (in proposal order).
    pub fn next_proposed(&self) -> Option<&Action> {
        self.items.values().filter(|a| a.status == ActionStatus::Proposed).min_by_key(|a| a.order())
    }

    /// How many wait for the user's approval.
    pub fn awaiting(&self) -> usize {
        self.items.values().filter(|a| a.status == ActionStatus::AwaitingApproval).count()
    }

    pub(super) fn decide(&mut self, id: ActionId, status: ActionStatus, seq: Seq, bounds: &AssistantBounds) {
        let Some(a) = self.items.get_mut(&id) else { return };
        if a.status.is_decided() {
            return;
        }
        a.status = status;
        self.decided_order.insert(seq, id);
        evict_oldest(&mut self.decided_order, &mut self.items, bounds.max_decided_actions);
    }
}

/// Tools whose action completes or destroys something: they wait for the
/// user's approval when the user's settings ask for it.
pub const TOOLS_NEEDING_APPROVAL: &[&str] = &["complete_task"];

impl Actions {
    /// The actions of a reply. Guarded tools wait when the settings ask
    /// (`confirm`); what pasted text or risky arguments propose waits
    /// whatever they say. (Past [`AssistantBounds::max_awaiting_actions`]
    /// waiting, the newest are rejected by a recorded `action.rejected`
    /// follow-up, in the order of [`Actions::awaiting_in_order`].)
    pub(super) fn proposed(&mut self, p: AssistantMessage, confirm: bool, m: &EventMeta) {
        for (index, a) in p.actions.into_iter().enumerate() {
            if self.items.contains_key(&a.action_id) {
                continue;
            }
            let guarded = confirm && TOOLS_NEEDING_APPROVAL.contains(&a.tool.as_str());
            let status = if guarded || p.untrusted_input || crate::guard::risky(&a.arguments) {
                ActionStatus::AwaitingApproval
            } else {
                ActionStatus::Proposed
            };
            let id = a.action_id;
            let action = Action {
                action_id: id,
                tool: a.tool,
                arguments: a.arguments,
                status,
                proposed_seq: m.seq,
                index: index as u32,
            };
            self.items.insert(id, action);
        }
    }

    /// The actions waiting for approval, in the order they were proposed
    /// (past the approval cap, the newest are rejected by a follow-up).
    pub fn awaiting_in_order(&self) -> impl Iterator<Item = &Action> {
        let mut awaiting: alloc::vec::Vec<&Action> =
            self.items.values().filter(|a| a.status == ActionStatus::AwaitingApproval).collect();
        awaiting.sort_by_key(|a| a.order());
        awaiting.into_iter()
    }

    pub(super) fn approved(&mut self, id: ActionId) {
        if let Some(a) = self.items.get_mut(&id) {
            if a.status == ActionStatus::AwaitingApproval {
                a.status = ActionStatus::Proposed;
            }
        }
    }

    pub(super) fn declined(&mut self, id: ActionId, m: &EventMeta, bounds: &AssistantBounds) {
        if self.items.get(&id).is_some_and(|a| a.status == ActionStatus::AwaitingApproval) {
            self.decide(id, ActionStatus::Declined, m.seq, bounds);
        }
    }
}
