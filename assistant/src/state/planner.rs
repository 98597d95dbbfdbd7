//! The planner: the user's settings (time zone, daily-plan time, whether
//! actions wait for approval) and the recent plans.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use microcos_core::time::{LocalDate, LocalTime};
use microcos_core::tz::{TzRule, Zone};
use microcos_core::EventMeta;
use microcos_core::{Seq, Timestamp};
use serde::{Deserialize, Serialize};

use super::AssistantBounds;
use crate::event::{PlanGenerated, PlanItem, SettingsUpdated};

/// The user's settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// The user's time zone, with the rule it was resolved with when they
    /// chose it (`None`: never chosen; local times are UTC until then).
    pub time_zone: Option<Zone>,
    /// Local time of the daily plan, if enabled.
    pub daily_plan_time: Option<LocalTime>,
    /// The assistant's actions that complete or destroy something wait for
    /// the user's approval.
    #[serde(default = "yes")]
    pub confirm_actions: bool,
}

fn yes() -> bool {
    true
}

impl Default for Settings {
    fn default() -> Self {
        Settings { time_zone: None, daily_plan_time: None, confirm_actions: true }
    }
}

impl Settings {
    /// The rule of the user's local time (UTC until they choose a zone).
    pub fn rule(&self) -> TzRule {
        self.time_zone.as_ref().map_or(TzRule::UTC, |z| *z.rule())
    }

    /// The user's local date at instant `t`.
    pub fn today(&self, t: Timestamp) -> LocalDate {
        self.rule().date_at(t)
    }
}

/// A generated plan for one day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// The day.
    pub date: LocalDate,
    /// Items.
    pub items: Vec<PlanItem>,
    /// Seq of `plan.generated`.
    pub seq: Seq,
}

/// Planner state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Planner {
    /// Settings.
    pub settings: Settings,
    /// Recent plans by date.
    pub plans: BTreeMap<LocalDate, Plan>,
    /// The latest date the daily-plan job fired for.
    pub last_daily_plan: Option<LocalDate>,
}

impl Planner {
    pub(super) fn settings_updated(&mut self, p: &SettingsUpdated) {
        self.settings = Settings {
            time_zone: crate::zone::recorded(p).or_else(|| self.settings.time_zone.take()),
            daily_plan_time: p.daily_plan_time,
            confirm_actions: p.confirm_actions.unwrap_or(true),
        };
    }

    /// The daily-plan job fired for `date`.
    pub(super) fn daily_plan_fired(&mut self, date: LocalDate) {
        if self.last_daily_plan.is_none_or(|d| d < date) {
            self.last_daily_plan = Some(date);
        }
    }

    pub(super) fn plan_generated(&mut self, p: PlanGenerated, m: &EventMeta, bounds: &AssistantBounds) {
        self.plans.insert(p.date, Plan { date: p.date, items: p.items, seq: m.seq });
        while self.plans.len() > bounds.max_plans {
            self.plans.pop_first();
        }
    }
}
