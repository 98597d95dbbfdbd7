//! Civil dates and times of day, computed from epoch milliseconds and a UTC
//! offset. No time-zone database and no clock: the user's offset comes from
//! their settings and "now" comes from the caller.
//!
//! Day arithmetic works on [`LocalDate`] directly, so a domain writes no
//! calendar code of its own (month lengths, leap years):
//!
//! ```
//! use microcos_core::time::LocalDate;
//!
//! let d = LocalDate::parse("2028-02-27").unwrap();
//! assert_eq!(d.plus_days(2), LocalDate::parse("2028-02-29")); // 2028 is a leap year
//! assert_eq!(d.plus_days(3), LocalDate::parse("2028-03-01"));
//! assert_eq!(d.minus_days(58), LocalDate::parse("2027-12-31"));
//! // A streak: how many days from one date to another.
//! let start = LocalDate::parse("2027-12-25").unwrap();
//! assert_eq!(start.days_until(d), 64);
//! // The next Monday on or after a date (weekdays are ISO 8601's: Monday is 1).
//! let monday = d.plus_days(i64::from((8 - d.weekday()) % 7));
//! assert_eq!(monday, LocalDate::parse("2028-02-28"));
//! ```

use alloc::string::String;
use core::fmt;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

use crate::ids::Timestamp;

const MS_PER_MINUTE: i64 = 60_000;
const MS_PER_DAY: i64 = 86_400_000;

/// A calendar date (proleptic Gregorian), written `YYYY-MM-DD` on the wire.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct LocalDate {
    /// Year, 1970..=9999.
    pub year: u16,
    /// Month, 1..=12.
    pub month: u8,
    /// Day of the month, 1..=31.
    pub day: u8,
}

/// A time of day, written `HH:MM` on the wire.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct LocalTime {
    /// Hour, 0..=23.
    pub hour: u8,
    /// Minute, 0..=59.
    pub minute: u8,
}

// Howard Hinnant's days_from_civil / civil_from_days.
pub(crate) const fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        _ => 31,
    }
}

/// [`LocalDate::days`] of [`LocalDate::MAX`].
const LAST_DAY: i64 = days_from_civil(9999, 12, 31);

impl LocalDate {
    /// The first date there is, 1970-01-01 (day 0).
    pub const MIN: LocalDate = LocalDate { year: 1970, month: 1, day: 1 };
    /// The last date there is, 9999-12-31.
    pub const MAX: LocalDate = LocalDate { year: 9999, month: 12, day: 31 };

    /// Builds a date, checking ranges (years 1970..=9999).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let ok =
            (1970..=9999).contains(&year) && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        ok.then_some(LocalDate { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let y = digits(&b[0..4])?;
        let m = digits(&b[5..7])?;
        let d = digits(&b[8..10])?;
        Self::new(y as u16, m as u8, d as u8)
    }

    /// The local date at instant `t` for a user `offset_minutes` east of UTC.
    pub fn at(t: Timestamp, offset_minutes: i32) -> Self {
        let local = i64::try_from(t.0).unwrap_or(i64::MAX).saturating_add(i64::from(offset_minutes) * MS_PER_MINUTE);
        let (y, m, d) = civil_from_days(local.div_euclid(MS_PER_DAY));
        LocalDate::clamped(y, m, d)
    }

    /// The date, or the first or last date there is (1970-01-01, 9999-12-31).
    pub(crate) fn clamped(y: i64, m: i64, d: i64) -> Self {
        match y {
            ..1970 => LocalDate::MIN,
            10_000.. => LocalDate::MAX,
            _ => LocalDate { year: y as u16, month: m as u8, day: d as u8 },
        }
    }

    /// Days since 1970-01-01: 0 for [`LocalDate::MIN`], one more each day.
    /// The inverse of [`LocalDate::from_days`].
    pub fn days(self) -> i64 {
        days_from_civil(i64::from(self.year), i64::from(self.month), i64::from(self.day))
    }

    /// The date `days` days after 1970-01-01, or `None` outside
    /// [`LocalDate::MIN`]..=[`LocalDate::MAX`] (`days` in 0..=2932896).
    pub fn from_days(days: i64) -> Option<Self> {
        (0..=LAST_DAY).contains(&days).then(|| {
            let (y, m, d) = civil_from_days(days);
            LocalDate { year: y as u16, month: m as u8, day: d as u8 }
        })
    }

    /// The date `n` days later (earlier for a negative `n`), across months,
    /// years and leap days; `None` past the ends of the range (no clamping:
    /// a date that cannot be reached is not silently another one).
    pub fn plus_days(self, n: i64) -> Option<Self> {
        self.days().checked_add(n).and_then(LocalDate::from_days)
    }

    /// The date `n` days earlier (later for a negative `n`); `None` past the
    /// ends of the range.
    pub fn minus_days(self, n: i64) -> Option<Self> {
        self.days().checked_sub(n).and_then(LocalDate::from_days)
    }

    /// How many days from this date to `other`: positive when `other` is
    /// later, negative when earlier, 0 on the same date. So
    /// `a.plus_days(a.days_until(b)) == Some(b)`.
    pub fn days_until(self, other: LocalDate) -> i64 {
        other.days() - self.days()
    }

    /// The instant at which local time `time` on this date begins, for a user
    /// `offset_minutes` east of UTC.
    pub fn instant(self, time: LocalTime, offset_minutes: i32) -> Timestamp {
        let local = self.days() * MS_PER_DAY + (i64::from(time.hour) * 60 + i64::from(time.minute)) * MS_PER_MINUTE;
        Timestamp((local - i64::from(offset_minutes) * MS_PER_MINUTE).max(0) as u64)
    }

    /// The day of the week, ISO 8601's way: 1 is Monday, 7 is Sunday.
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday.
        ((self.days() + 3).rem_euclid(7) + 1) as u8
    }

    /// The following day ([`LocalDate::MAX`] stays itself).
    pub fn succ(self) -> Self {
        self.plus_days(1).unwrap_or(self)
    }

    /// The day before ([`LocalDate::MIN`] stays itself).
    pub fn pred(self) -> Self {
        self.minus_days(1).unwrap_or(self)
    }
}

impl LocalTime {
    /// Builds a time of day, checking ranges.
    pub fn new(hour: u8, minute: u8) -> Option<Self> {
        (hour < 24 && minute < 60).then_some(LocalTime { hour, minute })
    }
    /// Parses `HH:MM`.
    pub fn parse(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 5 || b[2] != b':' {
            return None;
        }
        Self::new(digits(&b[0..2])? as u8, digits(&b[3..5])? as u8)
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
}

impl fmt::Display for LocalDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}
impl fmt::Display for LocalTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

macro_rules! string_serde {
    ($ty:ty, $what:literal) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl de::Visitor<'_> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($what)
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$ty, E> {
                        <$ty>::parse(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
                    }
                    fn visit_string<E: de::Error>(self, v: String) -> Result<$ty, E> {
                        self.visit_str(&v)
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}
string_serde!(LocalDate, "a date as YYYY-MM-DD");
string_serde!(LocalTime, "a time of day as HH:MM");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_through_days_and_text() {
        let d = LocalDate::parse("2026-11-28").unwrap();
        assert_eq!(alloc::format!("{d}"), "2026-11-28");
        assert_eq!(LocalDate::at(Timestamp(0), 0), LocalDate::new(1970, 1, 1).unwrap());
        // 2026-11-28T23:30Z is already the 29th at UTC+1.
        let t = d.instant(LocalTime::new(23, 30).unwrap(), 0);
        assert_eq!(LocalDate::at(t, 60), LocalDate::parse("2026-11-29").unwrap());
        assert_eq!(LocalDate::at(t, -600), d);
        assert_eq!(LocalDate::parse("2024-02-28").unwrap().succ(), LocalDate::parse("2024-02-29").unwrap());
        assert_eq!(LocalDate::parse("2025-12-31").unwrap().succ(), LocalDate::parse("2026-01-01").unwrap());
        assert!(LocalDate::parse("2025-02-29").is_none());
        assert!(LocalDate::parse("2025-1-01").is_none());
        assert!(LocalTime::parse("24:00").is_none());
        assert_eq!(LocalTime::parse("07:05"), LocalTime::new(7, 5));
    }

    #[test]
    fn weekdays_count_from_monday() {
        // 1970-01-01 was a Thursday, 2026-12-03 is one too, 2027-03-28 a Sunday.
        for (date, weekday) in [("1970-01-01", 4), ("2026-12-03", 4), ("2027-03-28", 7), ("2027-03-29", 1)] {
            assert_eq!(LocalDate::parse(date).unwrap().weekday(), weekday, "{date}");
        }
    }

    fn date(s: &str) -> LocalDate {
        LocalDate::parse(s).unwrap()
    }

    #[test]
    fn day_arithmetic_crosses_months_years_and_leap_days() {
        let cases: &[(&str, i64, &str)] = &[
            ("2024-02-28", 1, "2024-02-29"), // divisible by 4: a leap year
            ("2024-02-28", 2, "2024-03-01"),
            ("2023-02-28", 1, "2023-03-01"),
            ("2100-02-28", 1, "2100-03-01"), // divisible by 100: not one
            ("2000-02-28", 1, "2000-02-29"), // divisible by 400: one again
            ("2025-12-31", 1, "2026-01-01"),
            ("2026-01-31", 1, "2026-02-01"),
            ("2026-04-30", 1, "2026-05-01"),
            ("2026-03-01", -1, "2026-02-28"),
            ("2024-03-01", -1, "2024-02-29"),
            ("2026-01-01", -1, "2025-12-31"),
            ("2024-01-01", 366, "2025-01-01"),
            ("2025-01-01", 365, "2026-01-01"),
            ("2000-01-01", 146_097, "2400-01-01"), // the 400-year cycle
            ("1970-01-01", 20_454, "2026-01-01"),
            ("2026-06-15", 0, "2026-06-15"),
        ];
        for &(from, n, to) in cases {
            assert_eq!(date(from).plus_days(n), Some(date(to)), "{from} + {n}");
            assert_eq!(date(to).minus_days(n), Some(date(from)), "{to} - {n}");
            assert_eq!(date(from).plus_days(-n), date(from).minus_days(n), "{from} - {n}");
            assert_eq!(date(from).days_until(date(to)), n, "{from} to {to}");
            assert_eq!(date(to).days_until(date(from)), -n, "{to} to {from}");
        }
        assert_eq!(date("2024-03-01").pred(), date("2024-02-29"));
        assert_eq!(date("2026-01-01").pred(), date("2025-12-31"));
    }

    #[test]
    fn every_date_is_its_day_number_and_one_more_than_the_day_before() {
        // Each day of 1970..=2100 (two century years, 32 leap days) and of the last decades.
        for (first, last) in [(LocalDate::MIN, date("2100-12-31")), (date("9970-01-01"), LocalDate::MAX)] {
            let mut d = first;
            let mut n = first.days();
            loop {
                assert_eq!(LocalDate::from_days(n), Some(d));
                assert_eq!(LocalDate::new(d.year, d.month, d.day), Some(d), "{d} is a real date");
                if let Some(week_later) = d.plus_days(7) {
                    assert_eq!(week_later.weekday(), d.weekday(), "{d}");
                }
                if d == last {
                    break;
                }
                let next = d.succ();
                assert!(next > d && next.pred() == d && d.days_until(next) == 1 && next.days() == n + 1, "{d}");
                (d, n) = (next, n + 1);
            }
        }
    }

    #[test]
    fn day_arithmetic_stops_at_the_ends_of_the_range() {
        assert_eq!(LocalDate::from_days(0), Some(LocalDate::MIN));
        assert_eq!(LocalDate::from_days(-1), None);
        assert_eq!(LocalDate::from_days(2_932_896), Some(LocalDate::MAX));
        assert_eq!(LocalDate::from_days(2_932_897), None);
        assert_eq!(LocalDate::MAX.days(), 2_932_896);
        assert_eq!(LocalDate::MAX.plus_days(1), None);
        assert_eq!(LocalDate::MIN.minus_days(1), None);
        assert_eq!(LocalDate::MIN.plus_days(-1), None);
        assert_eq!(LocalDate::MIN.pred(), LocalDate::MIN);
        assert_eq!(LocalDate::MIN.plus_days(2_932_896), Some(LocalDate::MAX));
        assert_eq!(LocalDate::MAX.minus_days(2_932_896), Some(LocalDate::MIN));
        assert_eq!(LocalDate::MIN.days_until(LocalDate::MAX), 2_932_896);
        for n in [i64::MAX, i64::MIN, i64::MAX - 1, i64::MIN + 1] {
            assert_eq!(date("2026-06-15").plus_days(n), None, "{n}");
            assert_eq!(date("2026-06-15").minus_days(n), None, "{n}");
        }
    }

    #[test]
    fn dates_stop_at_the_ends_of_the_range() {
        let last = LocalDate::parse("9999-12-31").unwrap();
        assert_eq!(last.succ(), last, "no wrap to 9999-01-01");
        assert_eq!(LocalDate::at(Timestamp(u64::MAX), 14 * 60), last);
        assert_eq!(LocalDate::at(Timestamp(i64::MAX as u64), 0), last);
        assert_eq!(LocalDate::at(Timestamp(0), -14 * 60), LocalDate::new(1970, 1, 1).unwrap());
    }
}
