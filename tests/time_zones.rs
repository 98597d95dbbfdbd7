//! Time as people live it (issue 18): the user's zone, with its daylight
//! saving time, for the daily plan, reminders, the view and the prompt,
//! across the real 2027 changes of Europe/Berlin, America/New_York,
//! Australia/Sydney, Asia/Kolkata (a half-hour offset) and UTC.

mod common;

use common::{log, state};
use microcos_assistant::event::{AssistantEvent, SettingsUpdated};
use microcos_assistant::{Assistant, REMINDER_IN_PAST};
use microcos_core::replay::Replayer;
use microcos_core::time::{LocalDate, LocalTime};
use microcos_core::tz::Zone;
use microcos_core::Bounds;
use microcos_core::{Clock, Config, EngineError, ErrorCode, Event, Timestamp};
use microcos_memory::{SendError, Sim};
use proptest::prelude::*;

const ZONES: [&str; 5] = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"];

fn given() -> Sim<Assistant> {
    common::sim("tz", Config { snapshot_every: 0, ..Config::default() })
}

fn date(s: &str) -> LocalDate {
    LocalDate::parse(s).unwrap()
}

fn time(s: &str) -> LocalTime {
    LocalTime::parse(s).unwrap()
}

/// The instant of `day` `hh:mm` UTC.
fn utc(day: &str, hhmm: &str) -> Timestamp {
    Zone::utc().rule().at(date(day), time(hhmm))
}

fn rejection(r: Result<microcos_core::Accepted, SendError>) -> (ErrorCode, Option<String>) {
    match r {
        Err(SendError::Engine(EngineError::Rejected(rej))) | Err(SendError::Invalid(rej)) => (rej.code, rej.field),
        other => panic!("expected a rejection, got {other:?}"),
    }
}

fn send(sim: &mut Sim<Assistant>, body: serde_json::Value) {
    sim.send(&body.to_string()).unwrap_or_else(|e| panic!("{body} refused: {e}"));
}

fn settings(sim: &mut Sim<Assistant>, zone: &str, plan: Option<&str>) {
    send(sim, serde_json::json!({"type":"settings.updated","payload":{"time_zone":zone,"daily_plan_time":plan}}));
}

fn reminder(sim: &mut Sim<Assistant>, text: &str, day: Option<&str>, hhmm: &str) -> Timestamp {
    let mut p = serde_json::json!({"text": text, "time": hhmm});
    if let Some(day) = day {
        p["date"] = serde_json::json!(day);
    }
    send(sim, serde_json::json!({"type":"reminder.set","payload":p}));
    let s = state(sim);
    s.domain.reminders.items.values().find(|r| r.text == text).expect("set").due
}

/// `(local date, timestamp)` of every daily plan job in the log.
fn daily_plans(sim: &Sim<Assistant>) -> Vec<(LocalDate, Timestamp)> {
    log(&sim.store)
        .into_iter()
        .filter_map(|e| match e.event {
            Event::Domain(AssistantEvent::WorkflowDailyPlan(p)) => Some((p.date, e.timestamp)),
            _ => None,
        })
        .collect()
}

/// Follows the alarm until virtual time `until`.
fn run_until(sim: &mut Sim<Assistant>, until: Timestamp) {
    sim.run().unwrap();
    while let Some(at) = sim.next_alarm().filter(|at| *at <= until) {
        sim.clock.set(at);
        sim.tick().unwrap();
    }
    sim.clock.set(until);
}

#[test]
fn a_berlin_daily_plan_at_seven_is_at_seven_local_on_the_days_the_clocks_change() {
    let mut sim = given();
    settings(&mut sim, "Europe/Berlin", Some("07:00"));
    sim.clock.set(utc("2027-03-26", "00:00"));
    run_until(&mut sim, utc("2027-03-30", "00:00"));
    sim.clock.set(utc("2027-10-29", "00:00"));
    run_until(&mut sim, utc("2027-11-01", "00:00"));
    let plans: Vec<_> = daily_plans(&sim).into_iter().filter(|(d, _)| d.year == 2027).collect();
    assert_eq!(
        plans,
        [
            (date("2027-03-26"), utc("2027-03-26", "06:00")), // CET
            (date("2027-03-27"), utc("2027-03-27", "06:00")),
            (date("2027-03-28"), utc("2027-03-28", "05:00")), // the spring-forward day: CEST
            (date("2027-03-29"), utc("2027-03-29", "05:00")),
            (date("2027-10-29"), utc("2027-10-29", "05:00")),
            (date("2027-10-30"), utc("2027-10-30", "05:00")),
            (date("2027-10-31"), utc("2027-10-31", "06:00")), // the fall-back day: CET again
        ],
        "with a fixed offset of 60 the summer ones came at 08:00 local"
    );
}

#[test]
fn a_reminder_at_17_is_17_local_in_winter_and_in_summer_and_fires_then() {
    let mut sim = given();
    settings(&mut sim, "Europe/Berlin", None);
    assert_eq!(reminder(&mut sim, "Call Ann", Some("2027-03-27"), "17:00"), utc("2027-03-27", "16:00"));
    assert_eq!(reminder(&mut sim, "Call Bob", Some("2027-03-28"), "17:00"), utc("2027-03-28", "15:00"));
    sim.clock.set(utc("2027-03-27", "12:00"));
    run_until(&mut sim, utc("2027-03-29", "00:00"));
    let fired: Vec<_> = log(&sim.store)
        .into_iter()
        .filter(|e| e.event_type().as_str() == "reminder.fired")
        .map(|e| e.timestamp)
        .collect();
    assert_eq!(fired, [utc("2027-03-27", "16:00"), utc("2027-03-28", "15:00")]);
}

#[test]
fn a_reminder_at_nine_set_after_local_midnight_is_today_not_yesterday() {
    let mut sim = given();
    settings(&mut sim, "Europe/Berlin", None);
    // 22:30Z on 03-28 is 00:30 CEST on 03-29 (a fixed +60 said 23:30 on the 28th).
    sim.clock.set(utc("2027-03-28", "22:30"));
    assert_eq!(reminder(&mut sim, "Stand-up", None, "09:00"), utc("2027-03-29", "07:00"));
    sim.tick().unwrap();
    assert!(log(&sim.store).iter().all(|e| e.event_type().as_str() != "reminder.fired"), "nothing fires at once");
}

#[test]
fn a_time_already_past_rolls_to_tomorrow_and_a_past_date_is_refused() {
    let mut sim = given();
    settings(&mut sim, "America/New_York", None);
    sim.clock.set(utc("2027-03-10", "15:00")); // 10:00 EST
    assert_eq!(reminder(&mut sim, "no date", None, "09:00"), utc("2027-03-11", "14:00"));
    assert_eq!(reminder(&mut sim, "later today", None, "11:00"), utc("2027-03-10", "16:00"));
    let past = sim.send(r#"{"type":"reminder.set","payload":{"text":"x","date":"2027-03-10","time":"09:00"}}"#);
    assert_eq!(rejection(past), (REMINDER_IN_PAST, Some("payload.date".into())));
    assert_eq!(REMINDER_IN_PAST.http_status(), 422);
    // Tomorrow's 09:00 is the first after the spring-forward of 03-14: EDT.
    sim.clock.set(utc("2027-03-13", "15:00"));
    assert_eq!(reminder(&mut sim, "after the change", None, "09:00"), utc("2027-03-14", "13:00"));
}

#[test]
fn a_time_in_the_gap_moves_forward_and_one_in_the_overlap_is_the_earlier() {
    let mut sim = given();
    settings(&mut sim, "Europe/Berlin", None);
    // 02:30 does not exist on 2027-03-28 in Berlin: 03:30 CEST.
    assert_eq!(reminder(&mut sim, "gap", Some("2027-03-28"), "02:30"), utc("2027-03-28", "01:30"));
    // 02:30 happens twice on 2027-10-31: the first, in CEST.
    assert_eq!(reminder(&mut sim, "overlap", Some("2027-10-31"), "02:30"), utc("2027-10-31", "00:30"));
    settings(&mut sim, "America/New_York", None);
    assert_eq!(reminder(&mut sim, "ny gap", Some("2027-03-14"), "02:30"), utc("2027-03-14", "07:30"));
    assert_eq!(reminder(&mut sim, "ny overlap", Some("2027-11-07"), "01:30"), utc("2027-11-07", "05:30"));
    settings(&mut sim, "Australia/Sydney", None);
    // Sydney falls back on 2027-04-04 (03:00 AEDT to 02:00 AEST) and springs
    // forward on 2027-10-03 (02:00 AEST to 03:00 AEDT).
    assert_eq!(reminder(&mut sim, "syd overlap", Some("2027-04-04"), "02:30"), utc("2027-04-03", "15:30"));
    assert_eq!(reminder(&mut sim, "syd gap", Some("2027-10-03"), "02:30"), utc("2027-10-02", "16:30"));
    settings(&mut sim, "Asia/Kolkata", None);
    assert_eq!(reminder(&mut sim, "kolkata", Some("2027-03-28"), "09:00"), utc("2027-03-28", "03:30"));
}

#[test]
fn an_unknown_zone_is_refused_naming_the_field_and_the_rule_is_the_services_to_record() {
    let mut sim = given();
    let cases = [
        (r#"{"time_zone":"Europe/Atlantis"}"#, ErrorCode::InvalidValue, "payload.time_zone"),
        (r#"{"time_zone":"europe/berlin"}"#, ErrorCode::InvalidValue, "payload.time_zone"),
        (r#"{"time_zone":"+14:30"}"#, ErrorCode::InvalidValue, "payload.time_zone"),
        (r#"{"time_zone":""}"#, ErrorCode::Empty, "payload.time_zone"),
        (r#"{"daily_plan_time":"07:00"}"#, ErrorCode::MissingField, "payload.time_zone"),
        (r#"{"time_zone":"UTC","tz_offset_minutes":60}"#, ErrorCode::InvalidValue, "payload.tz_offset_minutes"),
        (r#"{"time_zone":"UTC","time_zone_rule":"CET-1"}"#, ErrorCode::UnknownField, "payload.time_zone_rule"),
        (r#"{"tz_offset_minutes":900}"#, ErrorCode::OutOfRange, "payload.tz_offset_minutes"),
    ];
    for (payload, code, field) in cases {
        let body = format!(r#"{{"type":"settings.updated","payload":{payload}}}"#);
        assert_eq!(rejection(sim.send(&body)), (code, Some(field.to_string())), "{payload}");
    }
    assert!(log(&sim.store).is_empty(), "nothing stored");
    assert_eq!(state(&sim).domain.planner.settings.time_zone, None);
}

#[test]
fn an_older_offset_is_a_fixed_offset_zone_and_the_view_names_the_zone() {
    let mut sim = given();
    send(&mut sim, serde_json::json!({"type":"settings.updated","payload":{"tz_offset_minutes":-150}}));
    let s = state(&sim);
    assert_eq!(s.domain.planner.settings.time_zone.as_ref().map(Zone::name), Some("-02:30"));
    let now = sim.clock.now(); // 2026-11-28T08:00Z: 05:30 local
    let view = serde_json::to_value(microcos_assistant::view::view(&s.domain, now)).unwrap();
    assert_eq!(
        view["settings"],
        serde_json::json!({"time_zone":"-02:30","utc_offset_minutes":-150,"today":"2026-11-28","daily_plan_time":null,"confirm_actions":true})
    );
    settings(&mut sim, "Australia/Sydney", None);
    let view = serde_json::to_value(microcos_assistant::view::view(&state(&sim).domain, now)).unwrap();
    assert_eq!(view["settings"]["time_zone"], "Australia/Sydney");
    assert_eq!(view["settings"]["utc_offset_minutes"], 660, "AEDT in November");
    assert_eq!(view["settings"]["today"], "2026-11-28", "19:00 local");
}

#[test]
fn the_prompt_tells_the_model_the_local_date_time_and_zone() {
    let mut sim = given();
    settings(&mut sim, "Asia/Kolkata", None);
    sim.clock.set(utc("2027-03-28", "18:35")); // 00:05 IST on Monday the 29th
    send(&mut sim, serde_json::json!({"type":"user.message","payload":{"text":"What day is it?"}}));
    sim.run().unwrap();
    let call = sim.llm.calls().pop().expect("the model was called");
    let system = &call.messages[0].content;
    assert!(system.contains("It is Monday 2027-03-29, 00:05 in Asia/Kolkata (UTC+05:30)."), "{system}");
}

#[test]
fn replay_uses_the_rule_the_log_recorded_whatever_the_database_says_now() {
    // A log whose zone was resolved when Berlin's rule had no summer time
    // (as if the database changed since): replay keeps that rule.
    let mut replayer = Replayer::new(Assistant::default(), Bounds::default());
    let line = |seq: u64, ty: &str, payload: &str| {
        format!(
            r#"{{"v":1,"seq":{seq},"event_id":"e7e70000-0000-4000-8000-00000000000{seq}","type":"{ty}","timestamp":1795852800000,"user_id":"tz","request_id":"51510000-0000-0000-0000-00000000000{seq}","payload":{payload}}}"#
        )
    };
    replayer
        .apply_json(&line(1, "settings.updated", r#"{"time_zone":"Europe/Berlin","time_zone_rule":"CET-1"}"#))
        .unwrap();
    replayer.apply_json(&line(2, "reminder.set", r#"{"text":"Call Bob","date":"2027-07-01","time":"17:00"}"#)).unwrap();
    let s = replayer.finish();
    let zone = s.domain.planner.settings.time_zone.clone().unwrap();
    assert_eq!((zone.name(), zone.posix()), ("Europe/Berlin", "CET-1"));
    let due = s.domain.reminders.items.values().next().unwrap().due;
    assert_eq!(due, utc("2027-07-01", "16:00"), "17:00 at +01:00, as recorded; today's rule says 15:00Z");

    // An event stored with a name and no rule resolves with this build's table.
    let p = SettingsUpdated {
        time_zone: Some("Europe/Berlin".into()),
        time_zone_rule: None,
        tz_offset_minutes: None,
        daily_plan_time: None,
        confirm_actions: None,
    };
    assert_eq!(microcos_assistant::zone::recorded(&p), Zone::named("Europe/Berlin"));
}

/// How the year's simulation is driven.
#[derive(Clone, Debug)]
enum Drive {
    /// Follow the alarm.
    Alarm,
    /// Restart the host, then follow the alarm.
    Restart,
    /// Wake at some minute before the alarm (a spurious wake).
    Early(u64),
}

fn arb_drive() -> impl Strategy<Value = Drive> {
    prop_oneof![6 => Just(Drive::Alarm), 2 => Just(Drive::Restart), 1 => (1u64..1_440).prop_map(Drive::Early)]
}

/// For a year of virtual time, across both changes of each zone, with
/// restarts and spurious wakes: the daily plan is made exactly once for
/// every local date, at the chosen local time of that date.
///
/// A case is a year of virtual time (about a second): 16 cases, whatever
/// `PROPTEST_CASES` asks of the cheap properties (the `proptest!` macro
/// would let it override this; the runner here does not).
#[test]
fn the_daily_plan_fires_exactly_once_per_local_date_for_a_year() {
    let config = ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() };
    let strategy = (
        proptest::sample::select(&ZONES[..]),
        prop_oneof![
            // In a gap or an overlap of some zone's change, or at a midnight.
            proptest::sample::select(&["02:30", "01:30", "02:00", "03:00", "00:00", "23:45"][..]).prop_map(time),
            (0u8..24, proptest::sample::select(&[0u8, 15, 30, 45][..]))
                .prop_map(|(h, m)| LocalTime::new(h, m).unwrap()),
        ],
        proptest::collection::vec(arb_drive(), 64),
    );
    let result = proptest::test_runner::TestRunner::new(config).run(&strategy, |(zone, plan, drives)| {
        let mut sim = given();
        settings(&mut sim, zone, Some(&plan.to_string()));
        let rule = *Zone::named(zone).unwrap().rule();
        let start = sim.clock.now();
        let end = Timestamp(start.0 + 366 * 86_400_000);
        let mut i = 0;
        sim.run().unwrap();
        while let Some(at) = sim.next_alarm().filter(|at| *at <= end) {
            match &drives[i % drives.len()] {
                Drive::Alarm => {}
                Drive::Restart => {
                    sim.restart().unwrap();
                }
                Drive::Early(minutes) => {
                    let early = Timestamp(at.0.saturating_sub(minutes * 60_000).max(sim.clock.now().0));
                    sim.clock.set(early);
                    sim.tick().unwrap();
                }
            }
            i += 1;
            let at = sim.next_alarm().unwrap_or(at).max(sim.clock.now());
            sim.clock.set(at);
            sim.tick().unwrap();
        }
        let plans = daily_plans(&sim);
        // Set after today's plan time, today's plan is made at once; then
        // one a day, at the plan time of each local date.
        let mut expected = Vec::new();
        let mut day = rule.date_at(start);
        if rule.at(day, plan) < start {
            expected.push((day, start));
            day = day.succ();
        }
        while rule.at(day, plan) <= end {
            expected.push((day, rule.at(day, plan)));
            day = day.succ();
        }
        prop_assert!(expected.len() >= 366, "{} days", expected.len());
        let first_difference = plans.iter().zip(&expected).position(|(a, b)| a != b);
        prop_assert!(
            plans.len() == expected.len() && first_difference.is_none(),
            "{} plans for {} local dates; the first difference at {:?}: {:?} against {:?}",
            plans.len(),
            expected.len(),
            first_difference,
            first_difference.map(|i| plans[i]),
            first_difference.map(|i| expected[i]),
        );
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
