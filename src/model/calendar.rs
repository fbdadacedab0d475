//! Calendar arithmetic in a team's timezone: local days, inclusive day counts, ISO weeks.

use chrono::{Datelike, NaiveDate, Offset, TimeZone};
use chrono_tz::Tz;

use crate::model::Ts;

/// A local calendar day, as days since 1970-01-01.
pub type Day = i32;

/// The local calendar day of an instant in `tz`.
pub fn local_day(ts: Ts, tz: Tz) -> Day {
    let offset = match chrono::DateTime::from_timestamp(ts, 0) {
        Some(utc) => tz
            .offset_from_utc_datetime(&utc.naive_utc())
            .fix()
            .local_minus_utc() as i64,
        None => 0,
    };
    (ts + offset).div_euclid(86_400) as Day
}

/// Inclusive calendar days from `a` to `b`: started and finished the same day is 1 day.
pub fn days_inclusive(a: Ts, b: Ts, tz: Tz) -> i32 {
    local_day(b, tz) - local_day(a, tz) + 1
}

/// The Monday starting the ISO week that holds `day`.
pub fn week_start(day: Day) -> Day {
    // 1970-01-01 was a Thursday: Monday-based weekday index = (day + 3) mod 7.
    day - (day + 3).rem_euclid(7)
}

/// Whether a day is Monday to Friday.
pub fn is_weekday(day: Day) -> bool {
    (day + 3).rem_euclid(7) < 5
}

/// A team's working calendar: Monday to Friday in its zone, less its holidays.
#[derive(Debug, Clone)]
pub struct WorkCalendar {
    /// The team's zone.
    pub tz: Tz,
    /// Days off (local days).
    pub holidays: std::collections::BTreeSet<Day>,
}

impl WorkCalendar {
    /// Whether `day` is a working day.
    pub fn is_business_day(&self, day: Day) -> bool {
        is_weekday(day) && !self.holidays.contains(&day)
    }

    /// Business days after the day of `a`, up to and including the day of `b`: Friday →
    /// Monday is 1, same day is 0.
    pub fn business_days_between(&self, a: Ts, b: Ts) -> i32 {
        let (from, to) = (local_day(a, self.tz), local_day(b, self.tz));
        ((from + 1)..=to)
            .filter(|&d| self.is_business_day(d))
            .count() as i32
    }

    /// Business days from `from` to `to`, both included.
    pub fn business_days_in(&self, from: Day, to: Day) -> usize {
        (from..=to).filter(|&d| self.is_business_day(d)).count()
    }

    /// The last `n` business days up to and including `day`, oldest first.
    pub fn last_business_days(&self, day: Day, n: usize) -> Vec<Day> {
        let mut out: Vec<Day> = (0..3660)
            .map(|k| day - k)
            .filter(|&d| self.is_business_day(d))
            .take(n)
            .collect();
        out.reverse();
        out
    }
}

/// The date of a day.
pub fn date(day: Day) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date") + chrono::Duration::days(day as i64)
}

/// `YYYY-MM-DD` of a day.
pub fn iso(day: Day) -> String {
    let mut out = String::with_capacity(10);
    push_iso(day, &mut out);
    out
}

/// [`iso`] appended to `out`, for a writer that reuses its buffer. Years 0 to 9999 are written
/// digit by digit (the downloads write a few dates per task: chrono's date arithmetic and
/// formatting were a tenth of writing them); others as chrono gives them.
pub fn push_iso(day: Day, out: &mut String) {
    let (y, m, d) = civil(day);
    if !(0..=9999).contains(&y) {
        use std::fmt::Write;
        let d = date(day);
        let _ = write!(out, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
        return;
    }
    let digit = |n: i64| char::from(b'0' + n as u8);
    out.extend([
        digit(y / 1000),
        digit(y / 100 % 10),
        digit(y / 10 % 10),
        digit(y % 10),
        '-',
        digit(m / 10),
        digit(m % 10),
        '-',
        digit(d / 10),
        digit(d % 10),
    ]);
}

/// Year, month and day of a day of the proleptic Gregorian calendar (Howard Hinnant's
/// `civil_from_days`).
fn civil(day: Day) -> (i64, i64, i64) {
    let z = i64::from(day) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// ISO week label such as `2026-W09`.
pub fn week_label(day: Day) -> String {
    let w = date(day).iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_written_as_chrono_writes_them() {
        let chrono_iso = |day: Day| {
            let d = date(day);
            format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
        };
        // Every day from 1600 to 2400, and a wide stride beyond (years below 0 and above 9999
        // go through chrono).
        let near = -134_774..157_000;
        let far = (-3_000_000..3_000_000).step_by(997);
        for day in near.chain(far) {
            assert_eq!(iso(day), chrono_iso(day), "day {day}");
        }
    }
    use crate::model::timestamp::parse_instant;

    fn ts(s: &str) -> Ts {
        parse_instant(s, None).unwrap()
    }

    #[test]
    fn a_same_day_finish_is_one_day() {
        let tz = Tz::UTC;
        assert_eq!(
            days_inclusive(ts("2026-03-02T09:00:00Z"), ts("2026-03-02T17:00:00Z"), tz),
            1
        );
        assert_eq!(
            days_inclusive(ts("2026-03-02T09:00:00Z"), ts("2026-03-04T08:00:00Z"), tz),
            3
        );
    }

    #[test]
    fn offsets_decide_the_day_in_the_team_zone() {
        // 23:30 in Berlin on Sunday 1 March is 22:30 UTC: Sunday in Berlin, Sunday in UTC;
        // 00:30 in Berlin on Monday 2 March is 23:30 UTC on Sunday — Monday for a Berlin team.
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let t = ts("2026-03-02T00:30:00+01:00");
        assert_eq!(iso(local_day(t, berlin)), "2026-03-02");
        assert_eq!(iso(local_day(t, Tz::UTC)), "2026-03-01");
        assert_eq!(iso(week_start(local_day(t, berlin))), "2026-03-02");
        assert_eq!(iso(week_start(local_day(t, Tz::UTC))), "2026-02-23");
    }

    #[test]
    fn a_friday_update_is_one_business_day_before_monday() {
        assert_eq!(
            utc().business_days_between(ts("2026-03-06T17:00:00Z"), ts("2026-03-09T09:00:00Z")),
            1
        );
        assert_eq!(
            utc().business_days_between(ts("2026-03-09T09:00:00Z"), ts("2026-03-09T17:00:00Z")),
            0
        );
        assert_eq!(
            utc().business_days_between(ts("2026-03-02T09:00:00Z"), ts("2026-03-09T09:00:00Z")),
            5
        );
    }

    #[test]
    fn the_last_business_days_skip_weekends() {
        let sunday = local_day(ts("2026-03-08T12:00:00Z"), Tz::UTC);
        let days: Vec<String> = utc()
            .last_business_days(sunday, 5)
            .into_iter()
            .map(crate::model::calendar::iso)
            .collect();
        assert_eq!(
            days,
            [
                "2026-03-02",
                "2026-03-03",
                "2026-03-04",
                "2026-03-05",
                "2026-03-06"
            ]
        );
    }

    fn utc() -> WorkCalendar {
        WorkCalendar {
            tz: Tz::UTC,
            holidays: Default::default(),
        }
    }

    #[test]
    fn holidays_are_not_business_days() {
        // Friday 2026-03-06 is a holiday: Thursday → Monday is 1 business day, not 2.
        let day = |s: &str| local_day(ts(s), Tz::UTC);
        let cal = WorkCalendar {
            tz: Tz::UTC,
            holidays: [day("2026-03-06T00:00:00Z")].into(),
        };
        assert_eq!(
            cal.business_days_between(ts("2026-03-05T17:00:00Z"), ts("2026-03-09T09:00:00Z")),
            1
        );
        assert_eq!(
            cal.last_business_days(day("2026-03-09T12:00:00Z"), 2),
            [day("2026-03-05T00:00:00Z"), day("2026-03-09T00:00:00Z")]
        );
    }

    #[test]
    fn weeks_start_on_monday() {
        let sunday = local_day(ts("2026-03-08T12:00:00Z"), Tz::UTC);
        assert_eq!(iso(week_start(sunday)), "2026-03-02");
        assert_eq!(week_label(week_start(sunday)), "2026-W10");
        assert!(!is_weekday(sunday));
        assert!(is_weekday(week_start(sunday)));
    }
}
