//! One-row-per-task exports whose columns map directly: Linear, Azure DevOps, GitLab, Asana and
//! GitHub issues (as CSV from `gh issue list --json`). Each is a column map onto [`TaskRow`].

use anyhow::Result;

use super::snapshot::{emit, TaskRow};
use super::table::{Row, Table};
use super::{ShapeGuard, Sink, Source};
use crate::model::error::Failure;
use crate::model::Category;

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
}

const NONE: &[&str] = &[];

/// Columns that hold a task's description, and its parent.
const DESCRIPTION: &[&str] = &["Description", "Body", "Notes"];
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
    for row in &t.rows {
        sink.line = row.line;
        let result = (|| -> Result<TaskRow, String> {
            let date = |names: &[&str]| -> Result<Option<i64>, String> {
                let Some(col) = t.col(names) else {
                    return Ok(None);
                };
                row.get(Some(col))
                    .map(|v| {
                        guard.check(&t.header[col], v, row.line)?;
                        dates
                            .instant(v)
                            .map_err(|e| format!("{}: {e}", t.header[col]))
                    })
                    .transpose()
            };
            let list = |names: &[&str]| -> Vec<String> {
                row.get(t.col(names))
                    .map(|v| {
                        v.split(m.list_sep)
                            .map(str::trim)
                            .filter(|x| !x.is_empty())
                            .map(str::to_string)
                            .collect()
                    })
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
                due: match t.col(m.due).and_then(|c| row.get(Some(c))) {
                    Some(d) => Some(dates.day(d).map_err(|e| format!("due date: {e}"))?),
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
        other_names(&t, row, m, sink);
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
fn other_names(t: &Table, row: &Row, m: &Map, sink: &mut Sink) {
    for names in [m.assignee, m.reporter] {
        for name in names {
            let Some(value) = row.get(t.col(&[name])) else {
                continue;
            };
            for v in value.split(m.list_sep).map(person) {
                sink.other_name(&v);
            }
        }
    }
}

/// `Display Name <email>` → `Display Name`.
fn person(s: &str) -> String {
    match s.split_once(" <") {
        Some((name, rest)) if rest.ends_with('>') && !name.trim().is_empty() => {
            name.trim().to_string()
        }
        _ => s.trim().to_string(),
    }
}

/// Linear: `Started`, `Completed` and `Canceled` date the flow, so cycle time needs no history.
pub fn read_linear(source: &Source, sink: &mut Sink) -> Result<()> {
    let m = Map {
        key: &["ID"],
        title: &["Title"],
        item_type: NONE,
        priority: &["Priority"],
        team: &["Team"],
        status: &["Status"],
        assignee: &["Assignee"],
        reporter: &["Creator"],
        created: &["Created"],
        started: &["Started"],
        done: &["Completed"],
        cancelled: &["Canceled"],
        updated: &["Updated"],
        due: &["Due Date"],
        labels: &["Labels"],
        list_sep: ",",
    };
    read_mapped(source, sink, &m, |_, _, task| {
        task.starts_recorded = true;
        task.category = if task.cancelled.is_some() {
            Some(Category::Cancelled)
        } else if task.done.is_some() {
            Some(Category::Done)
        } else if task.started.is_some() {
            Some(Category::Doing)
        } else {
            None
        };
    })
}

/// Azure DevOps Boards: `Assigned To` as `Name <email>`, `Tags` joined with `; `; the date
/// columns only when the query included them.
pub fn read_azure(source: &Source, sink: &mut Sink) -> Result<()> {
    let m = Map {
        key: &["ID"],
        title: &["Title", "Title 1"],
        item_type: &["Work Item Type"],
        priority: &["Priority"],
        team: &["Area Path", "Team Project"],
        status: &["State"],
        assignee: &["Assigned To"],
        reporter: &["Created By"],
        created: &["Created Date"],
        started: &["Activated Date"],
        done: &["Closed Date", "Resolved Date"],
        cancelled: NONE,
        updated: &["Changed Date", "State Change Date"],
        due: &["Target Date", "Due Date"],
        labels: &["Tags"],
        list_sep: ";",
    };
    read_mapped(source, sink, &m, |_, t, task| {
        task.starts_recorded = t.col(&["Activated Date"]).is_some();
        if task
            .status
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("removed"))
        {
            task.category = Some(Category::Cancelled);
            task.cancelled = task.done.take();
        }
    })
}

/// A task with a close time is done, whatever its state column says.
fn done_when_closed(task: &mut TaskRow) {
    if task.done.is_some() {
        task.category = Some(Category::Done);
    }
}

/// GitLab issues: `State` is Open or Closed; datetimes are UTC.
pub fn read_gitlab(source: &Source, sink: &mut Sink) -> Result<()> {
    let m = Map {
        key: &["Issue ID", "IID", "ID"],
        title: &["Title"],
        item_type: &["Type"],
        priority: NONE,
        team: &["Milestone"],
        status: &["State"],
        assignee: &["Assignee Username", "Assignee"],
        reporter: &["Author Username", "Author"],
        created: &["Created At (UTC)"],
        started: &["Start Date"],
        done: &["Closed At (UTC)"],
        cancelled: NONE,
        updated: &["Updated At (UTC)"],
        due: &["Due Date"],
        labels: &["Labels"],
        list_sep: ",",
    };
    read_mapped(source, sink, &m, |_, _, task| {
        done_when_closed(task);
        // A planned start date is not a start: the export has no history.
        task.started = None;
    })
}

/// Asana: date-only columns; `Section/Column` is the status.
pub fn read_asana(source: &Source, sink: &mut Sink) -> Result<()> {
    let m = Map {
        key: &["Task ID"],
        title: &["Name"],
        item_type: NONE,
        priority: &["Priority"],
        team: &["Projects"],
        status: &["Section/Column", "Status"],
        assignee: &["Assignee"],
        reporter: NONE,
        created: &["Created At"],
        started: NONE,
        done: &["Completed At"],
        cancelled: NONE,
        updated: &["Last Modified"],
        due: &["Due Date"],
        labels: &["Tags"],
        list_sep: ",",
    };
    read_mapped(source, sink, &m, |_, _, task| done_when_closed(task))
}

/// GitHub issues as CSV (`gh issue list --json number,title,state,author,assignees,labels,
/// createdAt,updatedAt,closedAt,stateReason`): state OPEN or CLOSED; a close "not planned" is a
/// cancel.
pub fn read_github(source: &Source, sink: &mut Sink) -> Result<()> {
    let m = Map {
        key: &["number"],
        title: &["title"],
        item_type: NONE,
        priority: NONE,
        team: &["milestone", "repository"],
        status: &["state"],
        assignee: &["assignees"],
        reporter: &["author"],
        created: &["createdAt", "created_at"],
        started: NONE,
        done: &["closedAt", "closed_at"],
        cancelled: NONE,
        updated: &["updatedAt", "updated_at"],
        due: NONE,
        labels: &["labels"],
        list_sep: ";",
    };
    read_mapped(source, sink, &m, |row, t, task| {
        let not_planned = row
            .get(t.col(&["stateReason", "state_reason"]))
            .is_some_and(|r| r.eq_ignore_ascii_case("not_planned"));
        if task.done.is_some() {
            task.category = Some(if not_planned {
                Category::Cancelled
            } else {
                Category::Done
            });
            if not_planned {
                task.cancelled = task.done.take();
            }
        }
        task.key = format!("#{}", task.key.trim_start_matches('#'));
    })
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
}
