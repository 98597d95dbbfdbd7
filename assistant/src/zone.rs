//! The user's time zone: how `settings.updated` names it and records its
//! rule, and the local-time rules of reminders.
//!
//! - A zone is named by the time-zone database (`"Europe/Berlin"`, `"UTC"`)
//!   or as a fixed offset (`"+05:30"`). When the service accepts the event it
//!   records the zone's POSIX TZ rule beside the name (`time_zone_rule`,
//!   [`prepare`]), and the state keeps both ([`microcos_core::tz::Zone`]):
//!   replay reads the rule from the log and never looks the name up, so the
//!   same log gives the same state whatever database a machine has.
//! - An older event's `tz_offset_minutes` is read as the fixed-offset zone of
//!   that offset ([`recorded`]), so logs written before zones replay as they
//!   were.
//! - A local time that does not exist (02:30 on a spring-forward day) is the
//!   instant after the gap (03:30), and one that exists twice (01:30 on a
//!   fall-back day) is the earlier instant, as RFC 9557 and Temporal's
//!   `"compatible"` do.
//! - A reminder given a time and no date is that time today, or tomorrow
//!   when it has already passed today; one given a date and a time already
//!   past is refused with `reminder_in_past` ([`reminder_due`],
//!   [`crate::REMINDER_IN_PAST`]). One given as an instant (`at`) fires at
//!   that instant, or at once when it has passed.

use alloc::format;
use alloc::string::ToString;

use microcos_core::tz::{Zone, DATABASE_VERSION};
use microcos_core::Timestamp;
use microcos_core::{ErrorCode, Rejection};

use crate::event::{ReminderSet, SettingsUpdated};
use crate::state::Settings;

/// Completes a client's `settings.updated`: resolves `time_zone` and records
/// the rule it resolves to (a client's own `time_zone_rule` is replaced).
/// An unknown name is a 422 `invalid_value` naming `payload.time_zone`.
pub fn prepare(mut p: SettingsUpdated) -> Result<SettingsUpdated, Rejection> {
    p.time_zone_rule = match &p.time_zone {
        Some(name) => Some(Zone::named(name).ok_or_else(|| unknown_zone(name))?.posix().to_string()),
        None => None,
    };
    Ok(p)
}

fn unknown_zone(name: &str) -> Rejection {
    let message = format!(
        "{name:?} is neither a zone of the time-zone database ({DATABASE_VERSION}), such as Europe/Berlin, \
         nor an offset ±HH:MM within -12:00..=+14:00"
    );
    Rejection::field(ErrorCode::InvalidValue, "payload.time_zone", message)
}

/// The zone a stored `settings.updated` sets: its name with the rule it
/// recorded; the fixed-offset zone of an older event's `tz_offset_minutes`;
/// or, for an event stored with a name and no rule (written by something
/// other than the service), the name resolved with this build's database.
/// `None` when it names none it can read.
pub fn recorded(p: &SettingsUpdated) -> Option<Zone> {
    match (&p.time_zone, &p.time_zone_rule, p.tz_offset_minutes) {
        (Some(name), Some(rule), _) => Zone::with_rule(name.clone(), rule.clone()).ok(),
        (Some(name), None, _) => Zone::named(name),
        (None, _, Some(minutes)) => Some(Zone::fixed(minutes)),
        (None, _, None) => None,
    }
}

/// When a reminder set at `now` is due: its instant `at`; or its local
/// `time` on its `date` in the user's zone; or, with no date, that time
/// today, tomorrow when it has already passed today.
pub fn reminder_due(p: &ReminderSet, settings: &Settings, now: Timestamp) -> Timestamp {
    let rule = settings.rule();
    match (p.at, p.time, p.date) {
        (Some(at), _, _) => at,
        (None, Some(time), Some(date)) => rule.at(date, time),
        (None, Some(time), None) => {
            let today = rule.date_at(now);
            let due = rule.at(today, time);
            if due < now {
                rule.at(today.succ(), time)
            } else {
                due
            }
        }
        (None, None, _) => now, // refused by validation; fires at once if stored anyway
    }
}

/// Refuses a reminder whose date and time have already passed at `now`.
pub fn check_reminder(p: &ReminderSet, settings: &Settings, now: Timestamp) -> Result<(), Rejection> {
    let (Some(date), Some(time)) = (p.date, p.time) else { return Ok(()) };
    if p.at.is_some() || reminder_due(p, settings, now) >= now {
        return Ok(());
    }
    let zone = settings.time_zone.as_ref().map_or("UTC", Zone::name);
    let message = format!("{date} {time} in {zone} has already passed");
    Err(Rejection::field(crate::REMINDER_IN_PAST, "payload.date", message))
}
