//! Display formatting for pages: every number and date shown is formatted here, not in
//! templates.

use chrono::{TimeZone, Utc};
use chrono_tz::Tz;

use crate::kpi::{Kpi, Status, Trend};
use crate::model::Ts;

/// A number without needless decimals: `4`, `4.5`, `0.33`.
pub fn number(x: f64) -> String {
    let r = (x * 100.0).round() / 100.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        let s = format!("{r:.2}");
        s.trim_end_matches('0').to_string()
    }
}

/// A KPI's headline: `6 tasks/week`, or `n/a`.
pub fn value(k: &Kpi) -> String {
    match k.value {
        Some(v) => format!("{} {}", number(v), k.unit),
        None => "n/a".to_string(),
    }
}

/// A trend in words, e.g. `up 2 from 10 four weeks earlier`.
pub fn trend(t: Option<&Trend>) -> String {
    match t {
        None => String::new(),
        Some(t) if t.change == 0.0 => {
            format!("same as four weeks earlier ({})", number(t.previous))
        }
        Some(t) => {
            let dir = if t.change > 0.0 { "up" } else { "down" };
            format!(
                "{dir} {} from {} four weeks earlier",
                number(t.change.abs()),
                number(t.previous)
            )
        }
    }
}

/// Status label that does not rely on colour: a symbol and a word.
pub fn status_label(s: Status) -> &'static str {
    match s {
        Status::Ok => "✓ OK",
        Status::Warn => "! Warning",
        Status::Alert => "✕ Alert",
        Status::NotAvailable => "– Not available",
    }
}

/// An instant as `2026-05-29 17:40 UTC` in a zone.
pub fn instant(ts: Ts, tz: Tz) -> String {
    match Utc.timestamp_opt(ts, 0).single() {
        Some(t) => t.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z").to_string(),
        None => String::new(),
    }
}

/// RFC 3339 in UTC, for data files.
pub fn rfc3339(ts: Ts) -> String {
    Utc.timestamp_opt(ts, 0)
        .single()
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// Neutralises a CSV cell that a spreadsheet would run as a formula.
pub fn csv_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_drop_needless_decimals() {
        assert_eq!(number(4.0), "4");
        assert_eq!(number(4.5), "4.5");
        assert_eq!(number(1.0 / 3.0), "0.33");
    }

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(csv_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_safe("PLAT-1"), "PLAT-1");
    }
}
