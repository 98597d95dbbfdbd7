//! Time-zone rules as POSIX TZ strings (`CET-1CEST,M3.5.0,M10.5.0/3`), the
//! form the time-zone database ends each zone's file with (RFC 8536): a
//! standard offset, and optionally a daylight-saving offset with the rules
//! of its two yearly changes. Pure and `no_std`: no database, no clock.
//!
//! Why a rule, not a zone name: the same log must give the same state on
//! every machine, whatever database it has. A domain resolves a zone name
//! to its rule when it decides the event that sets it, records the rule in
//! the event, and does its local-time arithmetic with [`TzRule`] from then
//! on; a later change of the database changes nothing already decided.
//!
//! [`zone_rule`] names the rule of each zone of the time-zone database,
//! today ([`DATABASE_VERSION`]).
//!
//! Local times that do not exist or exist twice resolve as RFC 9557 and
//! Temporal's `"compatible"` do ([`TzRule::instant`]): a time in the gap of
//! a spring-forward moves forward by the gap (02:30 on Berlin's
//! spring-forward day is 03:30 CEST), and a time in the overlap of a
//! fall-back is the earlier instant (01:30 on New York's fall-back day is
//! 01:30 EDT).

use core::fmt;

use alloc::string::String;

use crate::ids::Timestamp;
use crate::time::{civil_from_days, days_from_civil, LocalDate, LocalTime};

const S_PER_DAY: i64 = 86_400;

#[path = "tz_zones.rs"]
mod zones;

/// The version of the time-zone database the zone table ([`zone_rule`])
/// was made from (`scripts/tz-fixtures.py` writes it from the system's).
pub const DATABASE_VERSION: &str = zones::VERSION;

/// The rule zone `name` (`"Europe/Berlin"`, `"UTC"`: a Region/City name of
/// the database, or UTC or GMT; not its legacy aliases) has today, in the
/// time-zone database of [`DATABASE_VERSION`]: what a domain records in
/// the event that sets a zone, when it is decided
/// ([`crate::Domain::prepare`]), so that replay never looks the name up.
/// `None` for a name the database does not have (names are case-sensitive,
/// as the database's are).
pub fn zone_rule(name: &str) -> Option<&'static str> {
    zones::ZONES.binary_search_by(|(zone, _)| (*zone).cmp(name)).ok().map(|i| zones::ZONES[i].1)
}

/// A time zone's rule (see the module's documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TzRule {
    /// Seconds east of UTC outside daylight-saving time.
    std: i32,
    dst: Option<Dst>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Dst {
    /// Seconds east of UTC during daylight-saving time.
    offset: i32,
    /// When it starts (in standard local time) and ends (in daylight local time).
    start: Change,
    end: Change,
}

/// One yearly change: a day of the year and a local time of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Change {
    day: Day,
    /// Seconds after the local midnight of `day` (RFC 8536 allows -167 h..=167 h).
    time: i32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Day {
    /// `Mm.w.d`: weekday `d` (0 = Sunday) of week `w` (5 = the last) of month `m`.
    Weekday { month: u8, week: u8, weekday: u8 },
    /// `Jn`: day 1..=365, February 29 never counted.
    Julian(u16),
    /// `n`: day 0..=365, February 29 counted in leap years.
    Zero(u16),
}

/// Why a TZ string is not a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TzError(&'static str);

impl fmt::Display for TzError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a POSIX TZ rule: {}", self.0)
    }
}

impl core::error::Error for TzError {}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        let hit = self.peek() == Some(c);
        self.i += usize::from(hit);
        hit
    }

    /// A zone abbreviation: three or more letters, or `<…>` (`<+0530>`).
    fn name(&mut self) -> Result<(), TzError> {
        let start = self.i;
        if self.eat(b'<') {
            while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == b'+' || c == b'-') {
                self.i += 1;
            }
            let len = self.i - start - 1;
            return if self.eat(b'>') && len >= 3 {
                Ok(())
            } else {
                Err(TzError("a <name> of three or more characters"))
            };
        }
        while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            self.i += 1;
        }
        if self.i - start >= 3 {
            Ok(())
        } else {
            Err(TzError("a name of three or more letters"))
        }
    }

    fn number(&mut self, max: i64) -> Result<i64, TzError> {
        let start = self.i;
        let mut n: i64 = 0;
        while let Some(c) = self.peek().filter(u8::is_ascii_digit) {
            n = n * 10 + i64::from(c - b'0');
            self.i += 1;
            if n > max {
                return Err(TzError("a number out of range"));
            }
        }
        if self.i == start {
            Err(TzError("a number"))
        } else {
            Ok(n)
        }
    }

    /// `[+-]hh[:mm[:ss]]`, in seconds (hours at most `max_hours`).
    fn hms(&mut self, max_hours: i64) -> Result<i64, TzError> {
        let sign = if self.eat(b'-') {
            -1
        } else {
            self.eat(b'+');
            1
        };
        let mut s = self.number(max_hours)? * 3600;
        if self.eat(b':') {
            s += self.number(59)? * 60;
            if self.eat(b':') {
                s += self.number(59)?;
            }
        }
        Ok(sign * s)
    }

    fn change(&mut self) -> Result<Change, TzError> {
        let day = if self.eat(b'M') {
            let month = self.number(12)? as u8;
            let week = if self.eat(b'.') { self.number(5)? as u8 } else { 0 };
            let weekday = if self.eat(b'.') { self.number(6)? as u8 } else { 7 };
            if month == 0 || week == 0 || weekday > 6 {
                return Err(TzError("Mm.w.d with m 1..=12, w 1..=5, d 0..=6"));
            }
            Day::Weekday { month, week, weekday }
        } else if self.eat(b'J') {
            match self.number(365)? {
                0 => return Err(TzError("Jn with n 1..=365")),
                n => Day::Julian(n as u16),
            }
        } else {
            Day::Zero(self.number(365)? as u16)
        };
        let time = if self.eat(b'/') { self.hms(167)? } else { 2 * 3600 };
        Ok(Change { day, time: time as i32 })
    }
}

impl TzRule {
    /// UTC.
    pub const UTC: TzRule = TzRule { std: 0, dst: None };

    /// A fixed offset, `minutes` east of UTC (what an older setting of a
    /// plain offset is read as).
    pub const fn fixed(minutes: i32) -> TzRule {
        TzRule { std: minutes * 60, dst: None }
    }

    /// Parses a POSIX TZ string (`UTC0`, `IST-5:30`, `EST5EDT,M3.2.0,M11.1.0`,
    /// `<+0530>-5:30`). Offsets are written west of UTC, as POSIX does: `-1`
    /// is one hour east.
    pub fn parse(s: &str) -> Result<TzRule, TzError> {
        let mut p = Parser { s: s.as_bytes(), i: 0 };
        p.name()?;
        let std = -p.hms(24)? as i32;
        if p.peek().is_none() {
            return Ok(TzRule { std, dst: None });
        }
        p.name()?;
        let offset = if p.peek().is_some_and(|c| c != b',') { -p.hms(24)? as i32 } else { std + 3600 };
        if !p.eat(b',') {
            return Err(TzError("the daylight-saving rules (,start,end)"));
        }
        let start = p.change()?;
        if !p.eat(b',') {
            return Err(TzError("the end of daylight-saving time"));
        }
        let end = p.change()?;
        if p.peek().is_some() {
            return Err(TzError("nothing after the rules"));
        }
        Ok(TzRule { std, dst: Some(Dst { offset, start, end }) })
    }

    /// Seconds east of UTC at the instant `ms` (milliseconds since the epoch).
    pub fn offset_at(&self, ms: i64) -> i32 {
        let Some(dst) = self.dst else { return self.std };
        let t = ms.div_euclid(1000);
        let (year, _, _) = civil_from_days((t + i64::from(self.std)).div_euclid(S_PER_DAY));
        let start = local_seconds(year, dst.start) - i64::from(self.std);
        let end = local_seconds(year, dst.end) - i64::from(dst.offset);
        let in_dst = if start < end { start <= t && t < end } else { !(end <= t && t < start) };
        if in_dst {
            dst.offset
        } else {
            self.std
        }
    }

    /// The local date and the second of its day at the instant `ms`.
    pub fn local(&self, ms: i64) -> (LocalDate, u32) {
        let local = ms.div_euclid(1000) + i64::from(self.offset_at(ms));
        let (y, m, d) = civil_from_days(local.div_euclid(S_PER_DAY));
        (LocalDate::clamped(y, m, d), local.rem_euclid(S_PER_DAY) as u32)
    }

    /// The instant (ms since the epoch) of the local time `seconds` after
    /// the midnight of `date`: a time in a spring-forward gap moves forward
    /// by the gap, and a time a fall-back repeats is the earlier instant.
    pub fn instant(&self, date: LocalDate, seconds: u32) -> i64 {
        let local = date.days() * S_PER_DAY + i64::from(seconds);
        let Some(dst) = self.dst else { return (local - i64::from(self.std)) * 1000 };
        let as_std = (local - i64::from(self.std)) * 1000;
        let as_dst = (local - i64::from(dst.offset)) * 1000;
        let std_ok = self.offset_at(as_std) == self.std;
        let dst_ok = self.offset_at(as_dst) == dst.offset;
        match (std_ok, dst_ok) {
            (true, true) => as_std.min(as_dst),
            (true, false) => as_std,
            (false, true) => as_dst,
            // A gap: the offset in effect before it, which puts the time after it.
            (false, false) => {
                let before = as_std.min(as_dst);
                (local - i64::from(self.offset_at(before))) * 1000
            }
        }
    }

    /// Minutes east of UTC at instant `t`.
    pub fn offset_minutes_at(&self, t: Timestamp) -> i32 {
        self.offset_at(ms(t)) / 60
    }

    /// The local date at instant `t`.
    pub fn date_at(&self, t: Timestamp) -> LocalDate {
        self.local(ms(t)).0
    }

    /// The local date and time of day (to the minute) at instant `t`.
    pub fn local_at(&self, t: Timestamp) -> (LocalDate, LocalTime) {
        let (date, s) = self.local(ms(t));
        (date, LocalTime { hour: (s / 3600) as u8, minute: (s / 60 % 60) as u8 })
    }

    /// The instant local time `time` on `date` begins ([`TzRule::instant`]:
    /// a time in a gap moves forward, one in an overlap is the earlier).
    pub fn at(&self, date: LocalDate, time: LocalTime) -> Timestamp {
        let seconds = u32::from(time.hour) * 3600 + u32::from(time.minute) * 60;
        Timestamp(self.instant(date, seconds).max(0) as u64)
    }
}

/// A time zone as a domain keeps it: the name the user chose and the rule
/// it was resolved with when the choice was decided. Local-time arithmetic
/// uses the rule only, so replay never consults a database.
///
/// Serialised as `{"name":"Europe/Berlin","rule":"CET-1CEST,M3.5.0,M10.5.0/3"}`;
/// reading one checks that the rule parses.
///
/// ```
/// use microcos_core::time::{LocalDate, LocalTime};
/// use microcos_core::tz::Zone;
///
/// let berlin = Zone::named("Europe/Berlin").unwrap();
/// // 07:00 on the day Berlin springs forward is 05:00Z, not 06:00Z.
/// let date = LocalDate::new(2027, 3, 28).unwrap();
/// let at = berlin.rule().at(date, LocalTime::new(7, 0).unwrap());
/// assert_eq!(at.0, 1_806_210_000_000);
/// assert_eq!(berlin.rule().date_at(at), date);
/// assert_eq!(Zone::named("+05:30").unwrap().rule().offset_at(0), 19_800);
/// assert!(Zone::named("Mars/Olympus_Mons").is_none());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "ZoneRecord", into = "ZoneRecord")]
pub struct Zone {
    name: String,
    posix: String,
    rule: TzRule,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ZoneRecord {
    name: String,
    rule: String,
}

impl TryFrom<ZoneRecord> for Zone {
    type Error = TzError;
    fn try_from(r: ZoneRecord) -> Result<Zone, TzError> {
        Zone::with_rule(r.name, r.rule)
    }
}

impl From<Zone> for ZoneRecord {
    fn from(z: Zone) -> ZoneRecord {
        ZoneRecord { name: z.name, rule: z.posix }
    }
}

/// The largest offsets a fixed-offset zone may have: UTC-12:00 and UTC+14:00.
pub const OFFSET_MINUTES: core::ops::RangeInclusive<i32> = -720..=840;

impl Zone {
    /// UTC.
    pub fn utc() -> Zone {
        Zone { name: "UTC".into(), posix: "UTC0".into(), rule: TzRule::UTC }
    }

    /// Resolves a zone the way a user names it: a name of the time-zone
    /// database ([`zone_rule`]: `"Europe/Berlin"`, `"UTC"`), or a fixed
    /// offset `±HH:MM` within [`OFFSET_MINUTES`] (`"+05:30"`, `"-03:00"`).
    /// `None` for anything else.
    pub fn named(name: &str) -> Option<Zone> {
        if let Some(rule) = zone_rule(name) {
            return Zone::with_rule(name.into(), rule.into()).ok();
        }
        let b = name.as_bytes();
        let sign = match b.first() {
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => return None,
        };
        if b.len() != 6 || b[3] != b':' || !b[1..3].iter().chain(&b[4..6]).all(u8::is_ascii_digit) {
            return None;
        }
        let n = |i: usize| i32::from(b[i] - b'0') * 10 + i32::from(b[i + 1] - b'0');
        let (h, m) = (n(1), n(4));
        let minutes = sign * (h * 60 + m);
        (m < 60 && OFFSET_MINUTES.contains(&minutes)).then(|| Zone::fixed(minutes))
    }

    /// The zone of a fixed offset, `minutes` east of UTC, named `±HH:MM`
    /// (what an older setting of a plain offset is read as). Offsets outside
    /// [`OFFSET_MINUTES`] are clamped into it.
    pub fn fixed(minutes: i32) -> Zone {
        let minutes = minutes.clamp(*OFFSET_MINUTES.start(), *OFFSET_MINUTES.end());
        let sign = if minutes < 0 { '-' } else { '+' };
        let (h, m) = (minutes.unsigned_abs() / 60, minutes.unsigned_abs() % 60);
        let west = if minutes > 0 { "-" } else { "" };
        let posix = if m == 0 {
            alloc::format!("<{sign}{h:02}>{west}{h}")
        } else {
            alloc::format!("<{sign}{h:02}{m:02}>{west}{h}:{m:02}")
        };
        Zone { name: alloc::format!("{sign}{h:02}:{m:02}"), posix, rule: TzRule::fixed(minutes) }
    }

    /// A zone as recorded: its name and the POSIX rule it was resolved
    /// with. The name is kept as given; the rule must parse.
    pub fn with_rule(name: String, posix: String) -> Result<Zone, TzError> {
        let rule = TzRule::parse(&posix)?;
        Ok(Zone { name, posix, rule })
    }

    /// The name (`"Europe/Berlin"`, `"+01:00"`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The POSIX TZ rule it was resolved with.
    pub fn posix(&self) -> &str {
        &self.posix
    }

    /// The parsed rule.
    pub fn rule(&self) -> &TzRule {
        &self.rule
    }
}

impl Default for Zone {
    fn default() -> Zone {
        Zone::utc()
    }
}

fn ms(t: Timestamp) -> i64 {
    i64::try_from(t.0).unwrap_or(i64::MAX)
}

/// Seconds since the epoch, in the zone's local time, of `change` in `year`.
fn local_seconds(year: i64, change: Change) -> i64 {
    let jan1 = days_from_civil(year, 1, 1);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let day = match change.day {
        Day::Zero(n) => jan1 + i64::from(n),
        Day::Julian(n) => jan1 + i64::from(n) - 1 + i64::from(leap && n >= 60),
        Day::Weekday { month, week, weekday } => {
            let first = days_from_civil(year, i64::from(month), 1);
            // 1970-01-01 was a Thursday (4).
            let first_weekday = (first + 4).rem_euclid(7);
            let mut day = first + (i64::from(weekday) - first_weekday).rem_euclid(7) + 7 * (i64::from(week) - 1);
            let next_month = if month == 12 {
                days_from_civil(year + 1, 1, 1)
            } else {
                days_from_civil(year, i64::from(month) + 1, 1)
            };
            while day >= next_month {
                day -= 7;
            }
            day
        }
    };
    day * S_PER_DAY + i64::from(change.time)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules the time-zone database ends these zones' files with
    /// (`tail -n1 /usr/share/zoneinfo/<zone>`), as `scripts/tz-fixtures.py`
    /// read them.
    fn rule(zone: &str) -> TzRule {
        let s = match zone {
            "Europe/Berlin" => "CET-1CEST,M3.5.0,M10.5.0/3",
            "America/New_York" => "EST5EDT,M3.2.0,M11.1.0",
            "Australia/Sydney" => "AEST-10AEDT,M10.1.0,M4.1.0/3",
            "Asia/Kolkata" => "IST-5:30",
            "UTC" => "UTC0",
            other => panic!("no rule for {other}"),
        };
        TzRule::parse(s).unwrap()
    }

    /// Python's `zoneinfo` (another implementation, reading the system's
    /// database) computed these: `zone instant_ms offset_s` every 30 min
    /// across each zone's changes in 2027 (and a new year), and `zone date
    /// second_of_day instant_ms` for every half hour of those local days,
    /// with `fold=0`, which resolves gaps forward and overlaps to the
    /// earlier instant, as `"compatible"` does.
    const OFFSETS: &str = include_str!("../testdata/tz-offsets.txt");
    const LOCALS: &str = include_str!("../testdata/tz-locals.txt");

    #[test]
    fn offsets_agree_with_the_database_across_every_change() {
        let mut n = 0;
        for line in OFFSETS.lines() {
            let f: alloc::vec::Vec<&str> = line.split(' ').collect();
            let (t, expected): (i64, i32) = (f[1].parse().unwrap(), f[2].parse().unwrap());
            assert_eq!(rule(f[0]).offset_at(t), expected, "{line}");
            n += 1;
        }
        assert!(n > 800, "{n} cases");
    }

    #[test]
    fn local_times_resolve_forward_in_a_gap_and_to_the_earlier_instant_in_an_overlap() {
        let mut n = 0;
        for line in LOCALS.lines() {
            let f: alloc::vec::Vec<&str> = line.split(' ').collect();
            let date = LocalDate::parse(f[1]).unwrap();
            let (seconds, expected): (u32, i64) = (f[2].parse().unwrap(), f[3].parse().unwrap());
            assert_eq!(rule(f[0]).instant(date, seconds), expected, "{line}");
            n += 1;
        }
        assert!(n > 500, "{n} cases");
        // The two named in the documentation.
        let berlin = rule("Europe/Berlin");
        let spring = LocalDate::new(2027, 3, 28).unwrap();
        let t = berlin.instant(spring, 2 * 3600 + 1800);
        assert_eq!(berlin.local(t), (spring, 3 * 3600 + 1800), "02:30 does not exist: 03:30 CEST");
        let ny = rule("America/New_York");
        let fall = LocalDate::new(2027, 11, 7).unwrap();
        let t = ny.instant(fall, 3600 + 1800);
        assert_eq!(ny.offset_at(t), -4 * 3600, "01:30 happens twice: the first, in EDT");
    }

    #[test]
    fn a_local_time_that_exists_once_round_trips() {
        for zone in ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"] {
            let r = rule(zone);
            for line in LOCALS.lines().filter(|l| l.starts_with(zone)) {
                let f: alloc::vec::Vec<&str> = line.split(' ').collect();
                let t: i64 = f[3].parse().unwrap();
                let (date, seconds) = r.local(t);
                // Back to the same instant, unless the local time is the later of an overlap.
                let again = r.instant(date, seconds);
                assert!(again == t || r.offset_at(again) != r.offset_at(t), "{line}");
            }
        }
    }

    #[test]
    fn every_zone_of_the_database_has_a_rule_that_parses_and_the_table_is_searchable() {
        let names: alloc::vec::Vec<&str> = zones::ZONES.iter().map(|(zone, _)| *zone).collect();
        assert!(names.len() > 500, "{} zones", names.len());
        assert!(names.windows(2).all(|w| w[0] < w[1]), "sorted and unique: binary search finds every one");
        for (zone, rule) in zones::ZONES {
            assert!(TzRule::parse(rule).is_ok(), "{zone}: {rule}");
            assert_eq!(zone_rule(zone), Some(*rule));
        }
        for zone in ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"] {
            assert_eq!(TzRule::parse(zone_rule(zone).unwrap()).unwrap(), rule(zone), "{zone}");
        }
        for unknown in ["", "Europe/Atlantis", "europe/berlin", "Europe/Berlin/", "Etc/GMT+99"] {
            assert_eq!(zone_rule(unknown), None, "{unknown:?}");
        }
    }

    #[test]
    fn strings_that_are_not_rules_are_refused_with_a_reason() {
        for bad in [
            "",
            "C",
            "CET",
            "CET-1CEST",
            "CET-1CEST,M3.5.0",
            "CET-1CEST,M13.5.0,M10.5.0",
            "CET-1CEST,M3.6.0,M10.5.0",
            "CET-1CEST,M3.5.7,M10.5.0",
            "CET-1CEST,J0,J300",
            "CET-1CEST,M3.5.0,M10.5.0/200",
            "CET-25",
            "<ab>1",
            "UTC0x",
        ] {
            assert!(TzRule::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(TzRule::parse("<+0530>-5:30").unwrap(), TzRule::fixed(330));
        assert_eq!(TzRule::parse("UTC0").unwrap(), TzRule::UTC);
        // Julian days and a time after midnight of the next day (RFC 8536).
        let r = TzRule::parse("XXX3YYY,J60/25,300/-1").unwrap();
        assert_eq!(r.dst.map(|d| d.start.time), Some(25 * 3600));
    }

    #[test]
    fn zones_resolve_names_and_offsets_and_round_trip_as_recorded() {
        let berlin = Zone::named("Europe/Berlin").unwrap();
        assert_eq!((berlin.name(), berlin.posix()), ("Europe/Berlin", "CET-1CEST,M3.5.0,M10.5.0/3"));
        let json = serde_json::to_string(&berlin).unwrap();
        assert_eq!(json, r#"{"name":"Europe/Berlin","rule":"CET-1CEST,M3.5.0,M10.5.0/3"}"#);
        assert_eq!(serde_json::from_str::<Zone>(&json).unwrap(), berlin);
        assert!(serde_json::from_str::<Zone>(r#"{"name":"X","rule":"nonsense"}"#).is_err());
        for (name, minutes, posix) in [
            ("+05:30", 330, "<+0530>-5:30"),
            ("-03:00", -180, "<-03>3"),
            ("+00:00", 0, "<+00>0"),
            ("+14:00", 840, "<+14>-14"),
        ] {
            let z = Zone::named(name).unwrap();
            assert_eq!((z.name(), z.posix(), *z.rule()), (name, posix, TzRule::fixed(minutes)), "{name}");
            assert_eq!(Zone::fixed(minutes), z);
            assert_eq!(TzRule::parse(posix).unwrap(), TzRule::fixed(minutes), "the recorded rule reads back");
        }
        for bad in ["+14:30", "-12:30", "+5:30", "+05:60", "05:30", "+05:3x", "Europe/Atlantis", ""] {
            assert!(Zone::named(bad).is_none(), "{bad:?}");
        }
        assert_eq!(Zone::fixed(10_000).name(), "+14:00", "clamped");
        let kolkata = Zone::named("Asia/Kolkata").unwrap();
        let t = Timestamp(1_795_852_800_000); // 2026-11-28T08:00Z
        let (date, time) = (LocalDate::new(2026, 11, 28).unwrap(), LocalTime::new(13, 30).unwrap());
        assert_eq!(kolkata.rule().local_at(t), (date, time));
        assert_eq!(kolkata.rule().at(date, time), t);
        assert_eq!(kolkata.rule().offset_minutes_at(t), 330);
        assert_eq!(Zone::default(), Zone::named("UTC").unwrap());
    }
}
