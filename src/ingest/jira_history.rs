//! Jira change history as CSV, merged with the issue CSV so cycle time gets real start times:
//! the jiraone layout (`Issue Key,Summary,Author,Created,Field Type,Field,…,From String,To
//! String,…`) or a plain `key,from,to,changed_at,author` of status changes.

use anyhow::Result;

use super::table::Table;
use super::{ShapeGuard, Sink, Source};
use crate::model::error::Failure;
use crate::model::EventKind;

/// Reads a history CSV: status changes become status events, assignee changes assignments.
pub fn read(source: &Source, sink: &mut Sink) -> Result<()> {
    let t = Table::read(source, sink);
    let missing = |what: &str| {
        Failure::Input(format!(
            "{}: line 1: no {what} column in the history",
            source.path
        ))
    };
    let key = t
        .col(&["Issue Key", "key", "issue"])
        .ok_or_else(|| missing("issue key"))?;
    let when = t
        .col(&["changed_at", "Created", "changed", "date"])
        .ok_or_else(|| missing("change time"))?;
    let field = t.col(&["Field"]);
    let to = t
        .col(&["To String", "toString", "to"])
        .ok_or_else(|| missing("to"))?;
    let author = t.col(&["Author", "author", "changed_by"]);
    let dates = sink.settings.dates;
    let guard = ShapeGuard::default();
    for row in &t.rows {
        sink.line = row.line;
        row.keep_people(&[author], sink);
        let Some(task) = row.get(Some(key)) else {
            sink.reject(source.path, row.line, "empty issue key");
            continue;
        };
        let checked = row.get(Some(when)).map(|w| {
            guard
                .check(&t.header[when], w, row.line)
                .and_then(|()| dates.instant(w).map_err(|e| format!("change time: {e}")))
        });
        let ts = match checked {
            Some(Ok(ts)) => ts,
            Some(Err(e)) => {
                sink.reject(source.path, row.line, e);
                continue;
            }
            None => {
                sink.reject(source.path, row.line, "empty change time");
                continue;
            }
        };
        let field = row.get(field).unwrap_or("status").to_lowercase();
        let value = row.get(Some(to)).unwrap_or("");
        let kind = match field.as_str() {
            "status" => EventKind::Status,
            "assignee" => EventKind::Assigned,
            "flagged" if value.is_empty() => EventKind::Unblocked,
            "flagged" => EventKind::Blocked,
            _ => EventKind::Updated,
        };
        if kind == EventKind::Status && value.is_empty() {
            sink.reject(source.path, row.line, "status change without a new status");
            continue;
        }
        let (task, actor) = (task.to_string(), row.get(author).map(str::to_string));
        let mut e = sink.event(&task, ts, kind);
        e.actor = actor.as_deref().map(|a| sink.log.strings.intern(a));
        match kind {
            EventKind::Status => e.status = Some(sink.log.strings.intern(value)),
            EventKind::Assigned => {
                e.assignee = Some(sink.log.strings.intern(&value.replace(';', ",")))
            }
            // Only the description's length and structure are kept, never its text.
            EventKind::Updated if field == "description" => {
                e.desc = Some(crate::model::Desc::of(value));
            }
            EventKind::Updated if matches!(field.as_str(), "parent" | "epic link") => {
                e.parent = Some(sink.log.strings.intern(value));
            }
            // Jira writes the sprints after the change as "Sprint 1, Sprint 2".
            EventKind::Updated if field == "sprint" => {
                let list: Vec<&str> = value.split(", ").map(str::trim).collect();
                e.iteration = Some(sink.log.strings.intern(&list.join(";")));
            }
            _ => {}
        }
        sink.push(e);
    }
    Ok(())
}
