//! The column maps of each tracker's one-row-per-task export, and what each adjusts per row.

use anyhow::Result;

use super::{read_mapped, split_list, Map, NONE, PLAIN};
use crate::ingest::snapshot::TaskRow;
use crate::ingest::{Sink, Source};
use crate::model::Category;

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
        ..PLAIN
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
        ..PLAIN
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
        ..PLAIN
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
        ..PLAIN
    };
    read_mapped(source, sink, &m, |_, _, task| done_when_closed(task))
}

/// ClickUp list or workspace export: lists in brackets (`[Ana, Raj]`), dates as ISO text with
/// an offset (each beside a `… Text` twin that is not read) or as Unix milliseconds in
/// `… (Unix)` columns, read from the first of them that the row fills; every field of every row
/// written. `Start Date` is a planned date, not the start of work, and the export has
/// no history of statuses; `Date Done` dates finished work.
pub fn read_clickup(source: &Source, sink: &mut Sink) -> Result<()> {
    let m = Map {
        key: &["Task ID"],
        title: &["Task Name"],
        item_type: &["Task Type"],
        priority: &["Priority"],
        team: &["Space", "Space Name"],
        status: &["Status"],
        assignee: &["Assignees", "Assignee"],
        reporter: &["Created By", "Creator"],
        created: &["Date Created (Unix)", "Date Created"],
        started: NONE,
        done: &[
            "Date Done (Unix)",
            "Date Done",
            "Date Closed (Unix)",
            "Date Closed",
        ],
        cancelled: NONE,
        updated: &["Date Updated (Unix)", "Date Updated"],
        due: &["Due Date (Unix)", "Due Date"],
        labels: &["Tags"],
        list_sep: ",",
        bracketed: true,
        unix_ms: true,
        due_as_written: true,
        first_filled: true,
        full_rows: true,
    };
    read_mapped(source, sink, &m, |row, t, task| {
        done_when_closed(task);
        // `none` is ClickUp's word for no priority.
        if task
            .priority
            .as_deref()
            .is_some_and(|p| p.eq_ignore_ascii_case("none"))
        {
            task.priority = None;
        }
        // Sprints are lists in brackets too; a workspace without sprints writes `[]`.
        if let Some(sprints) = row.get(t.col(&["Sprints"])) {
            task.iterations = split_list(sprints, ",", true).map(str::to_string).collect();
        }
    })
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
        ..PLAIN
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
