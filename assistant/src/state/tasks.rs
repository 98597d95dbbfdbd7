//! Tasks: every open one and the most recently completed ones.

use alloc::collections::BTreeMap;
use alloc::string::String;

use microcos_core::time::LocalDate;
use microcos_core::EventMeta;
use microcos_core::Seq;
use serde::{Deserialize, Serialize};

use super::{evict_oldest, AssistantBounds};
use crate::event::{TaskCreated, TaskId, TaskUpdated, TasksExtracted};

/// Task status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// To do.
    Open,
    /// Completed.
    Done,
}

/// A task.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    /// Id.
    pub task_id: TaskId,
    /// Title.
    pub title: String,
    /// Notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Due date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<LocalDate>,
    /// Open or done.
    pub status: TaskStatus,
    /// Seq of the event that created it.
    pub created_seq: Seq,
    /// Seq of the last event that changed it.
    pub updated_seq: Seq,
}

/// Tasks: all open ones and the most recently completed ones.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tasks {
    /// Tasks by id.
    pub items: BTreeMap<TaskId, Task>,
    /// Completed tasks by completion seq (eviction order).
    pub done_order: BTreeMap<Seq, TaskId>,
}

impl Tasks {
    /// Number of open tasks.
    pub fn open_count(&self) -> usize {
        self.items.len() - self.done_order.len()
    }
}

impl Tasks {
    pub(super) fn created(&mut self, p: TaskCreated, m: &EventMeta, bounds: &AssistantBounds) {
        let id = p.task_id.unwrap_or(TaskId(m.event_id.0));
        self.create(id, p.title, p.notes, p.due_date, m.seq, bounds);
    }

    pub(super) fn extracted(&mut self, p: TasksExtracted, m: &EventMeta, bounds: &AssistantBounds) {
        for t in p.tasks {
            self.create(t.task_id, t.title, None, t.due_date, m.seq, bounds);
        }
    }

    pub(super) fn updated(&mut self, p: TaskUpdated, m: &EventMeta) {
        if let Some(t) = self.items.get_mut(&p.task_id) {
            if let Some(title) = p.title {
                t.title = title;
            }
            if let Some(n) = p.notes {
                t.notes = (!n.is_empty()).then_some(n);
            }
            if p.due_date.is_some() {
                t.due_date = p.due_date;
            }
            t.updated_seq = m.seq;
        }
    }

    pub(super) fn completed(&mut self, id: TaskId, m: &EventMeta, bounds: &AssistantBounds) {
        if let Some(t) = self.items.get_mut(&id) {
            if t.status == TaskStatus::Open {
                t.status = TaskStatus::Done;
                t.updated_seq = m.seq;
                self.done_order.insert(m.seq, id);
                evict_oldest(&mut self.done_order, &mut self.items, bounds.max_done_tasks);
            }
        }
    }

    pub(super) fn reopened(&mut self, id: TaskId, m: &EventMeta, bounds: &AssistantBounds) {
        let open = self.open_count();
        if let Some(t) = self.items.get_mut(&id) {
            if t.status == TaskStatus::Done && open < bounds.max_open_tasks {
                t.status = TaskStatus::Open;
                t.updated_seq = m.seq;
                self.done_order.retain(|_, done| *done != id);
            }
        }
    }

    pub(super) fn deleted(&mut self, id: TaskId) {
        if let Some(t) = self.items.remove(&id) {
            if t.status == TaskStatus::Done {
                self.done_order.retain(|_, done| *done != id);
            }
        }
    }

    fn create(
        &mut self,
        id: TaskId,
        title: String,
        notes: Option<String>,
        due_date: Option<LocalDate>,
        seq: Seq,
        bounds: &AssistantBounds,
    ) {
        if self.items.contains_key(&id) || self.open_count() >= bounds.max_open_tasks {
            return;
        }
        let notes = notes.filter(|n| !n.is_empty());
        let task =
            Task { task_id: id, title, notes, due_date, status: TaskStatus::Open, created_seq: seq, updated_seq: seq };
        self.items.insert(id, task);
    }
}
