//! Reminders: every scheduled one and the most recently fired ones.

use alloc::collections::BTreeMap;
use alloc::string::String;

use microcos_core::EventMeta;
use microcos_core::{Seq, Timestamp};
use serde::{Deserialize, Serialize};

use super::{evict_oldest, AssistantBounds, Settings};
use crate::event::{ReminderFired, ReminderId, ReminderSet, ReminderSnoozed, TaskId};

/// Whether a reminder is still to fire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderStatus {
    /// Waiting for its due time.
    Scheduled,
    /// It fired (`reminder.fired`); snoozing schedules it again.
    Fired,
}

/// A reminder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    /// Id.
    pub reminder_id: ReminderId,
    /// What to remind of.
    pub text: String,
    /// When it fires (or fired).
    pub due: Timestamp,
    /// The task it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<TaskId>,
    /// Scheduled or fired.
    pub status: ReminderStatus,
    /// Seq of the event that set it.
    pub set_seq: Seq,
}

/// Reminders: every scheduled one and the most recently fired ones.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminders {
    /// Reminders by id.
    pub items: BTreeMap<ReminderId, Reminder>,
    /// Fired reminders by the seq of `reminder.fired` (eviction order).
    pub fired_order: BTreeMap<Seq, ReminderId>,
}

impl Reminders {
    /// Reminders waiting to fire.
    pub fn scheduled(&self) -> impl Iterator<Item = &Reminder> {
        self.items.values().filter(|r| r.status == ReminderStatus::Scheduled)
    }

    /// How many wait to fire.
    pub fn scheduled_count(&self) -> usize {
        self.items.len() - self.fired_order.len()
    }

    fn unfire(&mut self, id: ReminderId) {
        self.fired_order.retain(|_, r| *r != id);
    }
}

impl Reminders {
    /// `reminder.set`: its due time from the user's settings as they were
    /// when it was set (a local time resolved with the recorded zone rule).
    pub(super) fn set(&mut self, p: ReminderSet, settings: &Settings, m: &EventMeta, bounds: &AssistantBounds) {
        let id = p.reminder_id.unwrap_or(ReminderId(m.event_id.0));
        if self.items.contains_key(&id) || self.scheduled_count() >= bounds.max_reminders {
            return;
        }
        let due = crate::zone::reminder_due(&p, settings, m.timestamp);
        let reminder = Reminder {
            reminder_id: id,
            text: p.text,
            due,
            task_id: p.task_id,
            status: ReminderStatus::Scheduled,
            set_seq: m.seq,
        };
        self.items.insert(id, reminder);
    }

    pub(super) fn snoozed(&mut self, p: ReminderSnoozed, m: &EventMeta) {
        if let Some(r) = self.items.get_mut(&p.reminder_id) {
            r.due = m.timestamp.plus_ms(u64::from(p.minutes) * 60_000);
            if r.status == ReminderStatus::Fired {
                r.status = ReminderStatus::Scheduled;
                self.unfire(p.reminder_id);
            }
        }
    }

    pub(super) fn cancelled(&mut self, id: ReminderId) {
        if self.items.remove(&id).is_some_and(|r| r.status == ReminderStatus::Fired) {
            self.unfire(id);
        }
    }

    pub(super) fn fired(&mut self, p: ReminderFired, m: &EventMeta, bounds: &AssistantBounds) {
        if let Some(r) = self.items.get_mut(&p.reminder_id) {
            if r.status == ReminderStatus::Scheduled && r.due == p.due {
                r.status = ReminderStatus::Fired;
                self.fired_order.insert(m.seq, p.reminder_id);
                evict_oldest(&mut self.fired_order, &mut self.items, bounds.max_fired_reminders);
            }
        }
    }
}
