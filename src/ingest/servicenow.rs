//! ServiceNow: list exports (incident, task, sc_task, sc_req_item…) with field-name or label
//! headers; one-row-per-update logs such as the incident event log; `sys_audit` exports.
//! Windows-1252 is decoded before this; `MM-dd` vs `dd-MM` is decided from the data unless the
//! config says; journal fields (comments, work notes) become check-ins with their authors.

use std::collections::BTreeMap;

use anyhow::Result;

use super::dates::{detect_order, DateReader};
use super::snapshot::{emit, Comment, TaskRow};
use super::table::{Row, Table};
use super::{ShapeGuard, Sink, Source};
use crate::model::error::Failure;
use crate::model::{Category, EventKind};

const NUMBER: &[&str] = &["number", "Number"];
const TITLE: &[&str] = &["short_description", "Short description"];
const STATE: &[&str] = &["state", "State", "incident_state", "Incident state"];
const PRIORITY: &[&str] = &["priority", "Priority"];
const GROUP: &[&str] = &["assignment_group", "Assignment group"];
const ASSIGNED: &[&str] = &["assigned_to", "Assigned to"];
const OPENED: &[&str] = &["opened_at", "Opened", "sys_created_on", "Created"];
const OPENED_BY: &[&str] = &["opened_by", "Opened by", "caller_id", "Caller"];
const STARTED: &[&str] = &["work_start", "Actual start", "Work start"];
const RESOLVED: &[&str] = &["resolved_at", "Resolved"];
const CLOSED: &[&str] = &["closed_at", "Closed"];
const UPDATED: &[&str] = &["sys_updated_on", "Updated", "sys_updated_at"];
const DUE: &[&str] = &["due_date", "Due date"];
const ACTIVE: &[&str] = &["active", "Active"];
const LABELS: &[&str] = &["sys_tags", "Tags", "category", "Category"];
const TYPE: &[&str] = &["sys_class_name", "Task type", "Class"];
const JOURNALS: &[&str] = &[
    "comments_and_work_notes",
    "Comments and Work notes",
    "comments",
    "Additional comments",
    "work_notes",
    "Work notes",
];

/// A ServiceNow null: empty, or `?` in anonymised logs.
fn value(row: &Row, col: Option<usize>) -> Option<&str> {
    row.get(col)
        .filter(|v| *v != "?" && !v.eq_ignore_ascii_case("UNKNOWN"))
}

/// `sys_audit` holds raw values: the out-of-box incident state numbers, named.
fn incident_state_name(raw: &str) -> &str {
    match raw.trim() {
        "1" => "New",
        "2" => "In Progress",
        "3" => "On Hold",
        "6" => "Resolved",
        "7" => "Closed",
        "8" => "Canceled",
        other => other,
    }
}

/// A state name without its number prefix (`3 - On Hold` → `on hold`), lower case.
fn state_name(state: &str) -> String {
    let s = state.trim().to_lowercase();
    s.split_once(" - ")
        .map_or(s.clone(), |(_, n)| n.to_string())
}

/// States whose finish time is a cancel (closed without delivery).
fn is_cancel_state(state: &str) -> bool {
    matches!(
        state_name(state).as_str(),
        "canceled" | "cancelled" | "closed incomplete" | "closed skipped"
    )
}

/// States whose finish time is a completion.
fn is_done_state(state: &str) -> bool {
    matches!(
        state_name(state).as_str(),
        "resolved" | "closed" | "closed complete" | "complete"
    )
}

/// Settles `MM-dd` vs `dd-MM` for a file from its date columns, unless the config set it.
fn reader_for(t: &Table, sink: &Sink, cols: &[Option<usize>]) -> DateReader {
    let mut dates = sink.settings.dates;
    if dates.order.is_none() {
        let values = t
            .rows
            .iter()
            .flat_map(|r| cols.iter().filter_map(move |c| r.get(*c)));
        dates.order = detect_order(values);
    }
    dates
}

/// Reads a list export: one row per record.
pub fn read_list(source: &Source, sink: &mut Sink) -> Result<()> {
    let t = Table::read(source, sink);
    let number = t
        .col(NUMBER)
        .ok_or_else(|| Failure::Input(format!("{}: line 1: no number column", source.path)))?;
    let (opened, started, resolved, closed, updated, due) = (
        t.col(OPENED),
        t.col(STARTED),
        t.col(RESOLVED),
        t.col(CLOSED),
        t.col(UPDATED),
        t.col(DUE),
    );
    let dates = reader_for(&t, sink, &[opened, started, resolved, closed, updated, due]);
    let journals: Vec<usize> = t
        .col(&JOURNALS[..2])
        .map_or_else(|| t.cols(&JOURNALS[2..]), |c| vec![c]);
    let (state, active) = (t.col(STATE), t.col(ACTIVE));
    // With a sys_id column, audit rows (keyed by sys_id) join this record by its number.
    if let Some(sys_id) = t.col(&["sys_id"]) {
        for row in &t.rows {
            if let (Some(id), Some(num)) = (value(row, Some(sys_id)), value(row, Some(number))) {
                let (id, num) = (sink.log.strings.intern(id), sink.log.strings.intern(num));
                sink.log.aliases.push((id, num));
            }
        }
    }
    // Every person the list names, followed or not (the caller beside `opened_by`, who
    // resolved or closed a record), is a known name.
    let people: Vec<Option<usize>> = ASSIGNED
        .iter()
        .chain(OPENED_BY)
        .chain(&["resolved_by", "Resolved by", "closed_by", "Closed by"])
        .chain(&["sys_updated_by", "Updated by"])
        .map(|name| t.col(&[name]))
        .collect();
    let guard = ShapeGuard::default();
    for row in &t.rows {
        sink.line = row.line;
        row.keep_people(&people, sink);
        let result = (|| -> Result<TaskRow, String> {
            let date = |col: Option<usize>, what: &str| -> Result<Option<i64>, String> {
                value(row, col)
                    .map(|v| {
                        guard.check(what, v, row.line)?;
                        dates.instant(v).map_err(|e| format!("{what}: {e}"))
                    })
                    .transpose()
            };
            let key = value(row, Some(number)).ok_or("empty number")?.to_string();
            let status = value(row, state).map(str::to_string);
            // States map through the config (built-in defaults know ServiceNow's names); only
            // whether a finish time is a cancel is decided here, from the state's name.
            let cancelled_state = status.as_deref().is_some_and(is_cancel_state);
            let category = cancelled_state.then_some(Category::Cancelled);
            let finished = date(resolved, "resolved")?.or(date(closed, "closed")?);
            let inactive = value(row, active).is_some_and(|a| a.eq_ignore_ascii_case("false"));
            let finished = finished.filter(|_| {
                inactive || cancelled_state || status.as_deref().is_some_and(is_done_state)
            });
            let mut comments = Vec::new();
            for text in row.all(&journals) {
                comments.extend(journal_entries(text, &dates)?);
            }
            Ok(TaskRow {
                key,
                title: value(row, t.col(TITLE)).map(str::to_string),
                item_type: value(row, t.col(TYPE)).map(str::to_string),
                priority: value(row, t.col(PRIORITY)).map(str::to_string),
                team: sink.team(value(row, t.col(GROUP))),
                status,
                category,
                assignees: value(row, t.col(ASSIGNED))
                    .map(str::to_string)
                    .into_iter()
                    .collect(),
                reporter: value(row, t.col(OPENED_BY)).map(str::to_string),
                created: date(opened, "opened")?,
                started: date(started, "work_start")?,
                done: finished.filter(|_| category != Some(Category::Cancelled)),
                cancelled: finished.filter(|_| category == Some(Category::Cancelled)),
                updated: date(updated, "updated")?,
                due: value(row, due)
                    .map(|d| dates.due(d).map_err(|e| format!("due_date: {e}")))
                    .transpose()?,
                labels: value(row, t.col(LABELS))
                    .map(|l| {
                        l.split(',')
                            .map(|x| x.trim().to_string())
                            .filter(|x| !x.is_empty())
                            .collect()
                    })
                    .unwrap_or_default(),
                comments,
                starts_recorded: started.is_some(),
                blocked: false,
                iterations: Vec::new(),
                description: t
                    .col(&["description", "Description"])
                    .map(|c| crate::model::Desc::of(row.get(Some(c)).unwrap_or(""))),
                parent: t
                    .col(&["parent", "Parent", "problem_id"])
                    .map(|c| row.get(Some(c)).unwrap_or("").to_string()),
            })
        })();
        match result {
            Ok(task) => emit(task, sink),
            Err(reason) => {
                // A kept row's journal authors are its events' actors.
                for text in row.all(&journals) {
                    for (_, who) in text.lines().filter_map(journal_header) {
                        sink.other_name(who);
                    }
                }
                sink.reject(source.path, row.line, reason)
            }
        }
    }
    Ok(())
}

/// Entries of a journal cell: `<date> - <Full Name> (Additional comments|Work notes)` headers,
/// newest first, each followed by its text.
pub fn journal_entries(text: &str, dates: &DateReader) -> Result<Vec<Comment>, String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let Some((when, who)) = journal_header(line) else {
            continue;
        };
        if let Ok(ts) = dates.instant(when) {
            out.push(Comment {
                ts,
                author: Some(who.trim().to_string()),
            });
        }
    }
    Ok(out)
}

/// The time and author of a journal entry's header line: `<date> - <Full Name> (<kind>)`.
fn journal_header(line: &str) -> Option<(&str, &str)> {
    let (when, rest) = line.trim().split_once(" - ")?;
    let (who, kind) = rest.rsplit_once(" (")?;
    let dated = when.len() >= 8 && when.starts_with(|c: char| c.is_ascii_digit());
    (kind.ends_with(')') && dated).then_some((when, who))
}

/// Reads a one-row-per-update log (each row the record's state after an update, such as the
/// incident event log): status, assignee and group changes at `sys_updated_at`, by
/// `sys_updated_by`.
pub fn read_log(source: &Source, sink: &mut Sink) -> Result<()> {
    let t = Table::read(source, sink);
    let number = t
        .col(NUMBER)
        .ok_or_else(|| Failure::Input(format!("{}: line 1: no number column", source.path)))?;
    let (opened, updated) = (t.col(OPENED), t.col(&["sys_updated_at", "sys_updated_on"]));
    let (resolved, closed) = (t.col(RESOLVED), t.col(CLOSED));
    let dates = reader_for(&t, sink, &[opened, updated, resolved, closed]);
    let (state, assigned, group) = (t.col(STATE), t.col(ASSIGNED), t.col(GROUP));
    let (by, opened_by) = (t.col(&["sys_updated_by"]), t.col(OPENED_BY));
    let mut last: BTreeMap<String, (Option<String>, Option<String>)> = BTreeMap::new();
    for row in &t.rows {
        sink.line = row.line;
        row.keep_people(&[by, opened_by, assigned], sink);
        let Some(key) = value(row, Some(number)).map(str::to_string) else {
            sink.reject(source.path, row.line, "empty number");
            continue;
        };
        let ts = match value(row, updated).map(|v| dates.instant(v)) {
            Some(Ok(ts)) => ts,
            Some(Err(e)) => {
                sink.reject(source.path, row.line, format!("sys_updated_at: {e}"));
                continue;
            }
            None => {
                sink.reject(source.path, row.line, "empty sys_updated_at");
                continue;
            }
        };
        let actor = value(row, by).map(str::to_string);
        let intern = |sink: &mut Sink, v: Option<&str>| v.map(|v| sink.log.strings.intern(v));
        if !last.contains_key(&key) {
            let created = value(row, opened)
                .and_then(|v| dates.instant(v).ok())
                .unwrap_or(ts)
                .min(ts);
            let mut e = sink.event(&key, created, EventKind::Created);
            e.actor = intern(sink, value(row, opened_by));
            e.team = intern(sink, sink.team(value(row, group)).as_deref());
            sink.push(e);
        }
        let (prev_state, prev_assignee) = last.get(&key).cloned().unwrap_or_default();
        let state_now = value(row, state).map(str::to_string);
        let assignee_now = value(row, assigned).map(str::to_string);
        if assignee_now != prev_assignee {
            let mut e = sink.event(&key, ts, EventKind::Assigned);
            e.actor = intern(sink, actor.as_deref());
            e.assignee = Some(
                sink.log
                    .strings
                    .intern(assignee_now.as_deref().unwrap_or("")),
            );
            sink.push(e);
        }
        let mut e = sink.event(
            &key,
            ts,
            if state_now != prev_state {
                EventKind::Status
            } else {
                EventKind::Updated
            },
        );
        e.actor = intern(sink, actor.as_deref());
        e.status = intern(sink, state_now.as_deref());
        e.team = intern(sink, sink.team(value(row, group)).as_deref());
        sink.push(e);
        last.insert(key, (state_now, assignee_now));
    }
    Ok(())
}

/// Reads a `sys_audit` export: one row per field change of a record (by `documentkey`);
/// `state` changes become status events, `assigned_to` changes assignments.
pub fn read_audit(source: &Source, sink: &mut Sink) -> Result<()> {
    let t = Table::read(source, sink);
    let missing = |c: &str| Failure::Input(format!("{}: line 1: no {c} column", source.path));
    let doc = t
        .col(&["documentkey"])
        .ok_or_else(|| missing("documentkey"))?;
    let field = t.col(&["fieldname"]).ok_or_else(|| missing("fieldname"))?;
    let new = t.col(&["newvalue"]).ok_or_else(|| missing("newvalue"))?;
    let when = t
        .col(&["sys_created_on"])
        .ok_or_else(|| missing("sys_created_on"))?;
    let user = t.col(&["user"]);
    let dates = reader_for(&t, sink, &[Some(when)]);
    for row in &t.rows {
        sink.line = row.line;
        row.keep_people(&[user], sink);
        let (Some(key), Some(f)) = (value(row, Some(doc)), value(row, Some(field))) else {
            sink.reject(source.path, row.line, "empty documentkey or fieldname");
            continue;
        };
        let ts = match value(row, Some(when)).map(|v| dates.instant(v)) {
            Some(Ok(ts)) => ts,
            _ => {
                sink.reject(
                    source.path,
                    row.line,
                    "missing or unreadable sys_created_on",
                );
                continue;
            }
        };
        let kind = match f {
            "state" | "incident_state" => EventKind::Status,
            "assigned_to" => EventKind::Assigned,
            _ => EventKind::Updated,
        };
        let (key, v) = (
            key.to_string(),
            value(row, Some(new)).unwrap_or("").to_string(),
        );
        let actor = value(row, user).map(str::to_string);
        let mut e = sink.event(&key, ts, kind);
        e.actor = actor.as_deref().map(|a| sink.log.strings.intern(a));
        match kind {
            EventKind::Status => e.status = Some(sink.log.strings.intern(incident_state_name(&v))),
            EventKind::Assigned => e.assignee = Some(sink.log.strings.intern(&v)),
            _ => {}
        }
        sink.push(e);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Tz;

    #[test]
    fn journal_cells_give_each_entry_with_its_author() {
        let dates = DateReader {
            tz: Tz::UTC,
            order: Some(super::super::DateOrder::Mdy),
            window: crate::model::Window::unbounded(),
        };
        let cell = "11-12-2024 09:02:09 - Leonard Malkowski (Additional comments)\nthis is a dup - see (x)\n\n\
                    11-11-2024 11:39:32 - Jon Schoonfield (Work notes)\nuser emailed the form\n";
        let entries = journal_entries(cell, &dates).unwrap();
        let who: Vec<_> = entries.iter().map(|c| c.author.clone().unwrap()).collect();
        assert_eq!(who, ["Leonard Malkowski", "Jon Schoonfield"]);
        assert!(entries[0].ts > entries[1].ts);
    }

    #[test]
    fn finish_times_of_cancel_states_are_cancels() {
        assert!(is_cancel_state("Closed Skipped") && is_cancel_state("8 - Canceled"));
        assert!(is_done_state("Closed Complete") && is_done_state("6 - Resolved"));
        assert!(!is_done_state("In Progress"));
    }
}
