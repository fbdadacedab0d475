//! The written forms of naive dates, to refuse a column that mixes them (an Excel re-save)
//! instead of reading some of its dates wrong.

use chrono::DateTime;

use super::dates::{date_parts, js_date, month};

/// The written form of a date without an offset. Forms with an offset (RFC 3339, JavaScript)
/// say what they mean and may mix freely; naive forms mixed in one column mean the file was
/// edited (an Excel re-save) and some of its dates are read wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `2026-03-02 09:00`
    Iso,
    /// `02/Mar/26 9:00 AM`
    NamedMonth,
    /// `03/02/2026 09:00`
    Slashes,
    /// `03-02-2026 09:00`
    Dashes,
    /// `03.02.2026 09:00`
    Dots,
}

impl Shape {
    /// The form of a value, or `None` when it carries an offset (or is not a date).
    pub fn of(value: &str) -> Option<Shape> {
        let v = value.trim();
        if DateTime::parse_from_rfc3339(v).is_ok() || js_date(v).is_some() || v.ends_with('Z') {
            return None;
        }
        let date = v.split(' ').next().unwrap_or("");
        let parts = date_parts(date);
        if parts.len() != 3 {
            return None;
        }
        Some(if parts[0].len() == 4 {
            Shape::Iso
        } else if month(parts[1]).is_some() {
            Shape::NamedMonth
        } else if date.contains('/') {
            Shape::Slashes
        } else if date.contains('-') {
            Shape::Dashes
        } else {
            Shape::Dots
        })
    }

    fn describe(self) -> &'static str {
        match self {
            Shape::Iso => "year-month-day",
            Shape::NamedMonth => "day/month name/year",
            Shape::Slashes => "numbers with slashes",
            Shape::Dashes => "numbers with dashes",
            Shape::Dots => "numbers with dots",
        }
    }
}

/// Remembers the first date form of each column and refuses values in another form.
#[derive(Debug, Default)]
pub struct ShapeGuard {
    seen: std::cell::RefCell<std::collections::BTreeMap<String, (Shape, u64, String)>>,
}

impl ShapeGuard {
    /// Checks `value` of `column` on `line` against the column's first naive form.
    pub fn check(&self, column: &str, value: &str, line: u64) -> Result<(), String> {
        let Some(shape) = Shape::of(value) else {
            return Ok(());
        };
        let mut seen = self.seen.borrow_mut();
        let (first, first_line, first_value) =
            seen.entry(column.to_string())
                .or_insert((shape, line, value.trim().to_string()));
        if *first == shape {
            return Ok(());
        }
        Err(format!(
            "mixed date formats in column {column}: '{}' is {} but line {first_line} has '{first_value}' ({}); \
             fix the column (often an Excel re-save) rather than guess which is which",
            value.trim(),
            shape.describe(),
            first.describe()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_that_mixes_naive_forms_is_refused() {
        let guard = ShapeGuard::default();
        assert!(guard.check("Created", "02/Mar/26 9:00 AM", 2).is_ok());
        assert!(guard.check("Created", "2026-03-02T10:00:00Z", 3).is_ok());
        let err = guard.check("Created", "03/07/2026 16:00", 4).unwrap_err();
        assert!(
            err.contains("column Created") && err.contains("line 2"),
            "{err}"
        );
        assert!(guard.check("Updated", "03/07/2026 16:00", 4).is_ok());
    }
}
