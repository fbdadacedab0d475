//! Timestamps and dates as written in event logs.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

use crate::model::Ts;

/// Parses an instant: RFC 3339 with any offset (`Z`, `+01:00`, also `+0100` and a space instead
/// of `T`). A naive date-time (or a bare date, meaning midnight) is read in `tz` when one is
/// configured and refused otherwise. The error says what was expected.
pub fn parse_instant(s: &str, tz: Option<Tz>) -> Result<Ts, String> {
    let s = s.trim();
    if let Some(ts) = with_offset(s) {
        return Ok(ts);
    }
    let normalized = s.replacen(' ', "T", 1);
    let naive = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&normalized, f).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        });
    match (naive, tz) {
        (Some(n), Some(tz)) => match tz.from_local_datetime(&n) {
            LocalResult::Single(dt) => Ok(dt.timestamp()),
            LocalResult::Ambiguous(first, _) => Ok(first.timestamp()),
            LocalResult::None => Err(format!("timestamp '{s}' does not exist in {tz} (DST gap)")),
        },
        (Some(_), None) => Err(format!(
            "timestamp '{s}' has no UTC offset: add one (e.g. 2026-03-02T09:15:00+01:00) or set \
             `timezone` in teampulse.toml"
        )),
        (None, _) => Err(format!(
            "unparseable timestamp '{s}' (expected RFC 3339, e.g. 2026-03-02T09:15:00+01:00)"
        )),
    }
}

/// An ISO instant that carries its offset: RFC 3339, or with `+0100` and a space for `T`.
pub fn with_offset(s: &str) -> Option<Ts> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.timestamp());
    }
    let normalized = s.replacen(' ', "T", 1);
    ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M%z"]
        .iter()
        .find_map(|fmt| DateTime::parse_from_str(&normalized, fmt).ok())
        .map(|dt| dt.timestamp())
}

/// Parses a due date: `YYYY-MM-DD`, or a timestamp whose date part is taken as written.
/// Returns days since the Unix epoch.
pub fn parse_due(s: &str) -> Result<i32, String> {
    let s = s.trim();
    let date_part = s.get(..10).unwrap_or(s);
    NaiveDate::parse_from_str(date_part, "%Y-%m-%d")
        .map(days_since_epoch)
        .map_err(|_| format!("unparseable due date '{s}' (expected YYYY-MM-DD)"))
}

/// Days since 1970-01-01 for a date.
pub fn days_since_epoch(d: NaiveDate) -> i32 {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date")).num_days() as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_instant_with_different_offsets_is_equal() {
        let a = parse_instant("2026-03-02T09:15:00+01:00", None).unwrap();
        let b = parse_instant("2026-03-02T08:15:00Z", None).unwrap();
        let c = parse_instant("2026-03-02 03:15:00-0500", None).unwrap();
        assert_eq!((a, a), (b, c));
    }

    #[test]
    fn naive_times_need_a_configured_zone() {
        let err = parse_instant("2026-03-02T09:15:00", None).unwrap_err();
        assert!(err.contains("no UTC offset"), "{err}");
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let t = parse_instant("2026-03-02T09:15:00", Some(berlin)).unwrap();
        assert_eq!(t, parse_instant("2026-03-02T08:15:00Z", None).unwrap());
    }

    #[test]
    fn garbage_is_refused_with_what_was_expected() {
        let err = parse_instant("yesterday", None).unwrap_err();
        assert!(
            err.contains("'yesterday'") && err.contains("RFC 3339"),
            "{err}"
        );
    }

    #[test]
    fn due_dates_accept_dates_and_timestamps() {
        assert_eq!(parse_due("1970-01-02").unwrap(), 1);
        assert_eq!(parse_due("1970-01-03T10:00:00Z").unwrap(), 2);
        assert!(parse_due("soon").is_err());
    }
}
