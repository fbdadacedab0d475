//! Dates as trackers write them: Jira's `15/Feb/26 4:37 PM` with localised month names,
//! ServiceNow's `MM-dd-yyyy` or `dd-MM-yyyy`, JavaScript's `Date.toString()`, ISO forms with or
//! without an offset. Times without an offset are read in the input's zone.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;

pub use crate::config::DateOrder;
use crate::model::{Ts, Window};

pub(super) use super::months::month;

/// Reads dates of one input: the zone for times without an offset and the numeric date order.
#[derive(Debug, Clone, Copy)]
pub struct DateReader {
    /// Zone of times written without an offset.
    pub tz: Tz,
    /// Day-month order of numeric dates; `None` = decide per value where possible.
    pub order: Option<DateOrder>,
    /// Instants accepted: anything else is a typo or damage.
    pub window: Window,
}

impl DateReader {
    /// Parses one timestamp in any of the supported forms; an implausible one (before 1990,
    /// after the build machine's clock) is refused with the reason.
    pub fn instant(&self, s: &str) -> Result<Ts, String> {
        let ts = self.any_instant(s)?;
        self.window.check(ts, s.trim())
    }

    fn any_instant(&self, s: &str) -> Result<Ts, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("empty date".into());
        }
        if is_relative(s) {
            return Err(format!(
                "relative date '{s}' cannot be placed in time (export absolute dates instead)"
            ));
        }
        if let Some(ts) = crate::model::timestamp::with_offset(s).or_else(|| js_date(s)) {
            return Ok(ts);
        }
        let naive = self
            .naive(s)
            .ok_or_else(|| format!("unrecognised date '{s}'"))?;
        self.localize(naive, s)
    }

    /// A due date, as [`Self::day`] reads it, if it is plausible (see
    /// [`crate::model::Window::check_due`]).
    pub fn due(&self, s: &str) -> Result<i32, String> {
        self.window.check_due(self.day(s)?, s.trim())
    }

    /// Parses a date that may carry a meaningless time (Jira's `05/Oct/25 12:00 AM`), as days
    /// since the Unix epoch.
    pub fn day(&self, s: &str) -> Result<i32, String> {
        let s = s.trim();
        if let Some(n) = self.naive(s) {
            return Ok(crate::model::timestamp::days_since_epoch(n.date()));
        }
        let ts = self.any_instant(s)?;
        Ok(crate::model::calendar::local_day(ts, self.tz))
    }

    fn localize(&self, naive: NaiveDateTime, s: &str) -> Result<Ts, String> {
        match self.tz.from_local_datetime(&naive) {
            LocalResult::Single(dt) => Ok(dt.timestamp()),
            LocalResult::Ambiguous(first, _) => Ok(first.timestamp()),
            LocalResult::None => Err(format!(
                "date '{s}' does not exist in {} (DST gap)",
                self.tz
            )),
        }
    }

    /// Naive forms: ISO without offset, Jira `dd/MMM/yy h:mm a`, numeric `dd-MM-yyyy`,
    /// `MM/dd/yyyy h:mm:ss AM`, with optional seconds and fractions.
    fn naive(&self, s: &str) -> Option<NaiveDateTime> {
        let normalized = s.replacen(' ', "T", 1);
        for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
            if let Ok(n) = NaiveDateTime::parse_from_str(&normalized, fmt) {
                return Some(n);
            }
        }
        if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            return d.and_hms_opt(0, 0, 0);
        }
        let (date, time) = match s.split_once(' ') {
            Some((d, t)) => (d, t.trim()),
            None => (s, ""),
        };
        let parts = date_parts(date);
        if parts.len() != 3 {
            return None;
        }
        let year = |y: &str| -> Option<i32> {
            if !y.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let v: i32 = y.parse().ok()?;
            match y.len() {
                2 => Some(two_digit_year(v)),
                4 => Some(v),
                _ => None,
            }
        };
        let (d, m, y) = if let Some(m) = month(parts[1]) {
            (parts[0].parse().ok()?, m, year(parts[2])?)
        } else {
            let a: u32 = parts[0].parse().ok()?;
            let b: u32 = parts[1].parse().ok()?;
            let y = year(parts[2])?;
            match self.order {
                Some(DateOrder::Dmy) => (a, b, y),
                Some(DateOrder::Mdy) => (b, a, y),
                None if a > 12 => (a, b, y),
                None if b > 12 => (b, a, y),
                // Ambiguous without a configured order: day first, the common export default,
                // unless the separator is '/', where month first is the US (and Excel) default.
                None if date.contains('/') => (b, a, y),
                None => (a, b, y),
            }
        };
        let date = NaiveDate::from_ymd_opt(y, m, d)?;
        let time = if time.is_empty() {
            NaiveTime::from_hms_opt(0, 0, 0)?
        } else {
            clock(time)?
        };
        Some(date.and_time(time))
    }
}

/// A two-digit year as Jira (Java's `yy`) means it: within 80 years before and 20 years after
/// today, so `26` is 2026 and `89` is 1989.
fn two_digit_year(yy: i32) -> i32 {
    use chrono::Datelike;
    let now = chrono::Utc::now().year();
    let century = now - now.rem_euclid(100);
    let candidate = century + yy;
    if candidate > now + 20 {
        candidate - 100
    } else {
        candidate
    }
}

/// The day-month order the numeric dates of a file show: a first number above 12 is a day,
/// a second above 12 is a day. `None` when nothing tells (or the evidence conflicts: then the
/// values that do not fit the majority are refused one by one).
pub fn detect_order<'a>(values: impl Iterator<Item = &'a str>) -> Option<DateOrder> {
    let (mut dmy, mut mdy) = (0usize, 0usize);
    for v in values {
        let date = v.trim().split(' ').next().unwrap_or("");
        let parts = date_parts(date);
        if parts.len() != 3 || parts[0].len() > 2 {
            continue;
        }
        match (parts[0].parse::<u32>(), parts[1].parse::<u32>()) {
            (Ok(a), Ok(_)) if a > 12 => dmy += 1,
            (Ok(_), Ok(b)) if b > 12 => mdy += 1,
            _ => {}
        }
    }
    match (dmy, mdy) {
        (0, 0) => None,
        (d, m) if d >= m => Some(DateOrder::Dmy),
        _ => Some(DateOrder::Mdy),
    }
}

/// The parts of a date split on its separator: `/` or `-`, else `.` (`03/déc./25` keeps the
/// dot of its abbreviation).
pub(super) fn date_parts(date: &str) -> Vec<&str> {
    if date.contains('/') {
        date.split('/').collect()
    } else if date.contains('-') {
        date.split('-').collect()
    } else {
        date.split('.').collect()
    }
}

/// `h:mm`, `hh:mm:ss(.f)`, with an optional `AM`/`PM` (also `a. m.`/`p. m.`).
fn clock(t: &str) -> Option<NaiveTime> {
    let lower = t.to_lowercase().replace(['.', ' '], "");
    let (digits, pm) = if let Some(x) = lower.strip_suffix("pm") {
        (x.to_string(), Some(true))
    } else if let Some(x) = lower.strip_suffix("am") {
        (x.to_string(), Some(false))
    } else {
        (lower, None)
    };
    let mut it = digits.split(':');
    let h: u32 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let sec: f64 = it.next().map_or(Some(0.0), |s| s.parse().ok())?;
    if it.next().is_some() {
        return None;
    }
    let h = match pm {
        Some(true) if h < 12 => h + 12,
        Some(false) if h == 12 => 0,
        Some(_) if h > 12 => return None,
        _ => h,
    };
    NaiveTime::from_hms_opt(h, m, sec as u32)
}

/// JavaScript `Date.toString()`: `Tue May 14 2024 08:53:33 GMT+0000 (GMT)`; the offset decides,
/// the zone name in brackets (which may be localised) is ignored.
pub(super) fn js_date(s: &str) -> Option<Ts> {
    let s = s.split(" (").next()?.trim();
    let parts: Vec<&str> = s.split_whitespace().collect();
    if parts.len() != 6 || !parts[5].starts_with("GMT") {
        return None;
    }
    let text = format!(
        "{} {} {} {} {}",
        parts[1],
        parts[2],
        parts[3],
        parts[4],
        &parts[5][3..]
    );
    DateTime::parse_from_str(&text, "%b %d %Y %H:%M:%S %z")
        .ok()
        .map(|d| d.timestamp())
}

/// `11 days ago`, `2 hours ago`, `yesterday`: only meaningful on the day of the export.
fn is_relative(s: &str) -> bool {
    let l = s.to_lowercase();
    l.ends_with(" ago")
        || l == "yesterday"
        || l == "today"
        || l.starts_with("hace ")
        || l.starts_with("vor ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(order: Option<DateOrder>) -> DateReader {
        DateReader {
            tz: Tz::UTC,
            order,
            window: Window::unbounded(),
        }
    }

    fn iso(ts: Ts) -> String {
        chrono::DateTime::from_timestamp(ts, 0)
            .unwrap()
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }

    /// Checks `(reader, written, read as)` cases.
    fn read_as(cases: &[(DateReader, &str, &str)]) {
        for (reader, written, want) in cases {
            assert_eq!(iso(reader.instant(written).unwrap()), *want, "{written}");
        }
    }

    #[test]
    fn jira_dates_in_several_languages_and_clocks() {
        let r = utc(None);
        read_as(&[
            (r, "15/Feb/26 4:37 PM", "2026-02-15 16:37"),
            (r, "11/abr/26 9:33 AM", "2026-04-11 09:33"),
            (r, "04/ago/26 12:05 AM", "2026-08-04 00:05"),
            (r, "03/déc./25 12:30 PM", "2025-12-03 12:30"),
            (r, "07/Okt/25 14:10", "2025-10-07 14:10"),
            (r, "30/Jul/18 23:33", "2018-07-30 23:33"),
            (r, "01/set/24 9:00 PM", "2024-09-01 21:00"),
        ]);
    }

    #[test]
    fn numeric_orders_follow_config_or_the_data() {
        read_as(&[
            (
                utc(Some(DateOrder::Mdy)),
                "11-12-2024 09:02:09",
                "2024-11-12 09:02",
            ),
            (
                utc(Some(DateOrder::Dmy)),
                "11-12-2024 09:02:09",
                "2024-12-11 09:02",
            ),
            (utc(None), "29-02-2016 01:16", "2016-02-29 01:16"),
            (utc(None), "6/21/2025 4:14:00 PM", "2025-06-21 16:14"),
        ]);
    }

    #[test]
    fn offsets_and_javascript_dates_ignore_the_input_zone() {
        let berlin = DateReader {
            tz: "Europe/Berlin".parse().unwrap(),
            order: None,
            window: Window::unbounded(),
        };
        assert_eq!(
            iso(berlin
                .instant("Tue May 14 2024 08:53:33 GMT+0000 (GMT)")
                .unwrap()),
            "2024-05-14 08:53"
        );
        assert_eq!(
            iso(berlin
                .instant("Tue May 14 2024 10:53:33 GMT+0200 (Mitteleuropäische Sommerzeit)")
                .unwrap()),
            "2024-05-14 08:53"
        );
        assert_eq!(
            iso(berlin.instant("2023-01-01T10:00:00.000+0000").unwrap()),
            "2023-01-01 10:00"
        );
        // Naive times are local: 10:00 in Berlin in winter is 09:00 UTC.
        assert_eq!(
            iso(berlin.instant("2025-01-10 10:00:00").unwrap()),
            "2025-01-10 09:00"
        );
    }

    #[test]
    fn relative_and_garbage_dates_are_refused_with_a_reason() {
        let r = utc(None);
        assert!(r
            .instant("11 days ago")
            .unwrap_err()
            .contains("relative date"));
        assert!(r
            .instant("soon")
            .unwrap_err()
            .contains("unrecognised date 'soon'"));
        assert!(r.instant("31/Feb/26 1:00 PM").is_err());
    }

    #[test]
    fn two_digit_years_pivot_like_jira_and_signed_years_are_refused() {
        let r = utc(None);
        assert_eq!(
            iso(r.instant("15/Feb/89 4:37 PM").unwrap()),
            "1989-02-15 16:37"
        );
        assert_eq!(
            iso(r.instant("15/Feb/26 4:37 PM").unwrap()),
            "2026-02-15 16:37"
        );
        for bad in ["15/Feb/-1 4:37 PM", "15/Feb/+5 4:37 PM", "15/Feb/-5"] {
            assert!(r.instant(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn date_only_fields_keep_their_calendar_day() {
        let tokyo = DateReader {
            tz: "Asia/Tokyo".parse().unwrap(),
            window: crate::model::Window::unbounded(),
            order: None,
        };
        assert_eq!(
            tokyo.day("05/Oct/25 12:00 AM").unwrap(),
            crate::model::timestamp::parse_due("2025-10-05").unwrap()
        );
    }
}
