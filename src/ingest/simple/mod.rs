//! One-row-per-task exports whose columns map directly: Linear, Azure DevOps, GitLab, Asana,
//! ClickUp and GitHub issues (as CSV from `gh issue list --json`). Each is a column map onto
//! [`TaskRow`].

use anyhow::Result;

use super::dates::DateReader;
use super::snapshot::{emit, TaskRow};
use super::table::{Row, Table};
use super::{ShapeGuard, Sink, Source};
use crate::model::error::Failure;
use crate::model::Ts;

mod trackers;

pub use trackers::{read_asana, read_azure, read_clickup, read_github, read_gitlab, read_linear};

/// Columns of one export, by [`TaskRow`] field. Names are tried in order, case-insensitively.
struct Map {
    key: &'static [&'static str],
    title: &'static [&'static str],
    item_type: &'static [&'static str],
    priority: &'static [&'static str],
    team: &'static [&'static str],
    status: &'static [&'static str],
    assignee: &'static [&'static str],
    reporter: &'static [&'static str],
    created: &'static [&'static str],
    started: &'static [&'static str],
    done: &'static [&'static str],
    cancelled: &'static [&'static str],
    updated: &'static [&'static str],
    due: &'static [&'static str],
    labels: &'static [&'static str],
    /// Separator of multi-valued cells (assignees, labels).
    list_sep: &'static str,
    /// Multi-valued cells are written in brackets (ClickUp's `[Ana, Raj]`, `[]` for none).
    bracketed: bool,
    /// A date cell of digits only is Unix milliseconds (ClickUp's `(Unix)` columns).
    unix_ms: bool,
    /// Due dates are calendar dates written as midnight UTC (ClickUp): their date is taken as
    /// written, not moved into the input's zone, where it would be the day before west of UTC.
    due_as_written: bool,
    /// A date comes from the first of its named columns that has one in the row, not from the
    /// first that the header has (ClickUp's `Date Done`, else `Date Closed`; a `(Unix)` column,
    /// else its text twin).
    first_filled: bool,
    /// The export writes every field of every row: a shorter row is damage (a cut file), not
    /// trailing empty fields left out.
    full_rows: bool,
}

const NONE: &[&str] = &[];

/// The cell conventions of most exports: plain lists, dates as text.
const PLAIN: Map = Map {
    key: NONE,
    title: NONE,
    item_type: NONE,
    priority: NONE,
    team: NONE,
    status: NONE,
    assignee: NONE,
    reporter: NONE,
    created: NONE,
    started: NONE,
    done: NONE,
    cancelled: NONE,
    updated: NONE,
    due: NONE,
    labels: NONE,
    list_sep: ",",
    bracketed: false,
    unix_ms: false,
    due_as_written: false,
    first_filled: false,
    full_rows: false,
};

impl Map {
    /// The values of a multi-valued cell, trimmed, empty ones left out.
    fn split<'a>(&self, cell: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        split_list(cell, self.list_sep, self.bracketed)
    }
}

/// The values of a cell that lists several, trimmed, empty ones left out; `bracketed`: the list
/// may be written in brackets (`[Ana, Raj]`).
fn split_list<'a>(
    cell: &'a str,
    sep: &'a str,
    bracketed: bool,
) -> impl Iterator<Item = &'a str> + 'a {
    let cell = cell.trim();
    let inner = match (bracketed, cell.strip_prefix('[')) {
        (true, Some(rest)) => rest.strip_suffix(']').unwrap_or(rest),
        _ => cell,
    };
    inner.split(sep).map(str::trim).filter(|x| !x.is_empty())
}

/// Columns that hold a task's description, and its parent.
const DESCRIPTION: &[&str] = &["Description", "Body", "Notes", "Task Content"];
const PARENT: &[&str] = &["Parent issue", "Parent", "Parent ID", "Epic"];

/// Columns that name a task's iteration, in any one-row-per-task export.
const ITERATION: &[&str] = &[
    "Iteration Path",
    "Iteration",
    "Cycle Name",
    "Cycle",
    "Sprint",
];

/// Reads a table with a column map; `finish` adjusts each row (category from the state…).
fn read_mapped(
    source: &Source,
    sink: &mut Sink,
    m: &Map,
    finish: fn(&Row, &Table, &mut TaskRow),
) -> Result<()> {
    let t = Table::read(source, sink);
    let key = t.col(m.key).ok_or_else(|| {
        Failure::Input(format!(
            "{}: line 1: no {} column",
            source.path,
            m.key.first().copied().unwrap_or("id")
        ))
    })?;
    let dates = sink.settings.dates;
    let guard = ShapeGuard::default();
    let others = t.other_people();
    for row in &t.rows {
        sink.line = row.line;
        let result = (|| -> Result<TaskRow, String> {
            if m.full_rows && row.fields < t.header.len() {
                return Err(format!(
                    "wrong number of fields ({} where the header has {})",
                    row.fields,
                    t.header.len()
                ));
            }
            // The column a date or due date is read from in this row.
            let column = |names: &[&str]| match m.first_filled {
                true => names
                    .iter()
                    .filter_map(|n| t.col(&[n]))
                    .find(|&c| row.get(Some(c)).is_some()),
                false => t.col(names),
            };
            let date = |names: &[&str]| -> Result<Option<i64>, String> {
                let Some(col) = column(names) else {
                    return Ok(None);
                };
                row.get(Some(col))
                    .map(|v| {
                        let read = match unix_ms(m, v) {
                            Some(ts) => dates.window.check(ts, v),
                            None => {
                                guard.check(&t.header[col], v, row.line)?;
                                dates.instant(v)
                            }
                        };
                        read.map_err(|e| format!("{}: {e}", t.header[col]))
                    })
                    .transpose()
            };
            let list = |names: &[&str]| -> Vec<String> {
                row.get(t.col(names))
                    .map(|v| m.split(v).map(str::to_string).collect())
                    .unwrap_or_default()
            };
            let text = |names: &[&str]| row.get(t.col(names)).map(str::to_string);
            let mut task = TaskRow {
                key: row.get(Some(key)).ok_or("empty id")?.to_string(),
                title: text(m.title),
                item_type: text(m.item_type),
                priority: text(m.priority),
                team: sink.team(row.get(t.col(m.team))),
                status: text(m.status),
                assignees: list(m.assignee).into_iter().map(|a| person(&a)).collect(),
                reporter: text(m.reporter).map(|r| person(&r)),
                created: date(m.created)?,
                started: date(m.started)?,
                done: date(m.done)?,
                cancelled: date(m.cancelled)?,
                updated: date(m.updated)?,
                due: match column(m.due).and_then(|c| row.get(Some(c))) {
                    Some(d) => Some(due(m, &dates, d).map_err(|e| format!("due date: {e}"))?),
                    None => None,
                },
                labels: list(m.labels),
                // Azure DevOps' Iteration Path, Linear's cycle, GitLab's milestone, a sprint.
                iterations: text(ITERATION).into_iter().collect(),
                description: t
                    .col(DESCRIPTION)
                    .map(|c| crate::model::Desc::of(row.get(Some(c)).unwrap_or(""))),
                parent: t
                    .col(PARENT)
                    .map(|c| row.get(Some(c)).unwrap_or("").to_string()),
                ..TaskRow::default()
            };
            finish(row, &t, &mut task);
            Ok(task)
        })();
        other_names(&t, row, m, &others, sink);
        match result {
            Ok(task) => emit(task, sink),
            Err(reason) => sink.reject(source.path, row.line, reason),
        }
    }
    Ok(())
}

/// Every person of a row's person columns, kept or rejected, those that identify no one
/// included (GitLab's `Assignee` and `Author` display names beside the `Assignee Username` and
/// `Author Username` that identify people): names to scrub, so that no spelling of a person
/// the export holds is published under `--people hidden` or `pseudonym`.
fn other_names(t: &Table, row: &Row, m: &Map, others: &[Option<usize>], sink: &mut Sink) {
    row.keep_people(others, sink);
    for names in [m.assignee, m.reporter] {
        for name in names {
            let Some(value) = row.get(t.col(&[name])) else {
                continue;
            };
            for v in m.split(value).map(person) {
                sink.other_name(&v);
            }
        }
    }
}

/// The instant of a date cell of Unix milliseconds, where the export writes them.
fn unix_ms(m: &Map, v: &str) -> Option<Ts> {
    let v = v.trim();
    if !m.unix_ms || v.is_empty() || v.len() > 15 || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(v.parse::<i64>().ok()?.div_euclid(1000))
}

/// The day of a due-date cell, if it is plausible.
fn due(m: &Map, dates: &DateReader, v: &str) -> Result<i32, String> {
    let day = match (unix_ms(m, v), m.due_as_written) {
        (Some(ts), true) => ts.div_euclid(86_400) as i32,
        (Some(ts), false) => crate::model::calendar::local_day(ts, dates.tz),
        (None, true) if crate::model::timestamp::with_offset(v.trim()).is_some() => {
            crate::model::timestamp::parse_due(v)?
        }
        (None, _) => return dates.due(v),
    };
    dates.window.check_due(day, v.trim())
}

/// `Display Name <email>` → `Display Name`.
fn person(s: &str) -> String {
    super::table::without_address(s).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_lose_their_address() {
        assert_eq!(person("Ana Lima <ana@example.com>"), "Ana Lima");
        assert_eq!(person("Vitalis, Marc <CORP\\vitalim>"), "Vitalis, Marc");
        assert_eq!(person("ana@example.com"), "ana@example.com");
    }

    #[test]
    fn bracketed_lists_and_unix_milliseconds() {
        let list = |cell, bracketed| split_list(cell, ",", bracketed).collect::<Vec<_>>();
        assert_eq!(list("[Ana Lima, raj]", true), ["Ana Lima", "raj"]);
        assert_eq!(list("[]", true), Vec::<&str>::new());
        assert_eq!(list(" [solo] ", true), ["solo"]);
        // A cell cut short keeps its values; brackets mean nothing where the export has none.
        assert_eq!(list("[Ana, Raj", true), ["Ana", "Raj"]);
        assert_eq!(list("[legacy], ops", false), ["[legacy]", "ops"]);
        let clickup = Map {
            unix_ms: true,
            ..PLAIN
        };
        assert_eq!(unix_ms(&clickup, "1772442000999"), Some(1_772_442_000));
        assert_eq!(unix_ms(&clickup, "-5"), None);
        assert_eq!(unix_ms(&clickup, "2026-03-02"), None);
        assert_eq!(unix_ms(&PLAIN, "1772442000000"), None);
    }
}
