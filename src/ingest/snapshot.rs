//! One-row-per-task exports (Jira, ServiceNow lists, Linear, Azure DevOps, GitLab, Asana…)
//! turned into canonical events. Only what the export dates is dated: a task whose start time
//! the export does not give is in progress "since an unknown time", never since a guess.

use super::Sink;
use crate::model::{Category, Event, EventKind, Ts, UNDATED};

/// A comment or work note with its author.
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    /// When it was written.
    pub ts: Ts,
    /// Who wrote it, when known.
    pub author: Option<String>,
}

/// What a one-row-per-task export says about a task.
#[derive(Debug, Clone, Default)]
pub struct TaskRow {
    /// Tracker key.
    pub key: String,
    /// Summary.
    pub title: Option<String>,
    /// Issue type.
    pub item_type: Option<String>,
    /// Priority.
    pub priority: Option<String>,
    /// Owning team (project, board, assignment group…).
    pub team: Option<String>,
    /// Current status.
    pub status: Option<String>,
    /// Current category when the export states it (Jira's Status Category, Linear's
    /// timestamps); otherwise the config maps the status.
    pub category: Option<Category>,
    /// Current assignees.
    pub assignees: Vec<String>,
    /// Who created it.
    pub reporter: Option<String>,
    /// When it was created.
    pub created: Option<Ts>,
    /// When work started, if the export says.
    pub started: Option<Ts>,
    /// When it was finished (done), if the export says.
    pub done: Option<Ts>,
    /// When it was cancelled, if the export says.
    pub cancelled: Option<Ts>,
    /// Last update.
    pub updated: Option<Ts>,
    /// Due date, days since the Unix epoch.
    pub due: Option<i32>,
    /// Labels, components, tags.
    pub labels: Vec<String>,
    /// Comments and work notes.
    pub comments: Vec<Comment>,
    /// The export records when work starts (Linear's `Started`, ServiceNow's `work_start`): a
    /// finished task without a start really went straight to done. Otherwise its start is
    /// unknown.
    pub starts_recorded: bool,
    /// Blocked now (Jira's Flagged, an impediment).
    pub blocked: bool,
    /// Iterations (sprints, cycles) it was in, oldest first; the last is the current one.
    pub iterations: Vec<String>,
    /// Its description (length and structure only), when the export has the column.
    pub description: Option<crate::model::Desc>,
    /// Its parent (epic, parent issue), when the export has the column ("" for none).
    pub parent: Option<String>,
}

/// Emits the events a task row supports: created; assignees (by nobody known); start, done or
/// cancel where dated; otherwise the current state as a snapshot at the last update; comments.
pub fn emit(row: TaskRow, sink: &mut Sink) {
    let anchor = row
        .created
        .or(row.started)
        .or(row.done)
        .or(row.cancelled)
        .or(row.updated)
        .unwrap_or(UNDATED);
    let labels = (!row.labels.is_empty()).then(|| join_list(&row.labels));
    let mut e = sink.event(&row.key, anchor, EventKind::Created);
    let first_dated = [row.started, row.done, row.cancelled]
        .into_iter()
        .flatten()
        .min();
    if let Some((at, created)) = first_dated.zip(row.created).filter(|(at, c)| at < c) {
        let show = crate::model::window::show;
        sink.note(
            sink.line,
            format!(
                "task {} is dated {} before it was created ({}): read as created then",
                row.key,
                show(at),
                show(created)
            ),
        );
    }
    if let Some(first) = sink.rows.insert(e.task, sink.line) {
        sink.note(
            sink.line,
            format!(
                "task {} is also on line {first}: both rows are read, as one task",
                row.key
            ),
        );
    }
    let strings = &mut sink.log.strings;
    e.actor = row.reporter.as_deref().map(|r| strings.intern(r));
    e.team = row.team.as_deref().map(|v| strings.intern(v));
    e.title = row.title.as_deref().map(|v| strings.intern(v));
    e.item_type = row.item_type.as_deref().map(|v| strings.intern(v));
    e.priority = row.priority.as_deref().map(|v| strings.intern(v));
    e.labels = labels.as_deref().map(|v| strings.intern(v));
    e.due = crate::model::due_day(row.due);
    e.desc = row.description;
    e.parent = row.parent.as_deref().map(|p| strings.intern(p));
    sink.push(e);
    if !row.iterations.is_empty() {
        let mut e = sink.event(&row.key, anchor, EventKind::Listed);
        e.iteration = Some(sink.log.strings.intern(&join_list(&row.iterations)));
        sink.push(e);
    }
    if row.blocked {
        // Blocked now, since at the latest its last update: the export dates no more.
        let at = row.updated.unwrap_or(anchor).max(anchor);
        let e = sink.event(&row.key, at, EventKind::Blocked);
        sink.push(e);
    }
    if !row.starts_recorded {
        // A marker without a state: replay learns that this task's starts are not recorded.
        let e = sink.event(&row.key, anchor, EventKind::Snapshot);
        sink.push(e);
    }
    if !row.assignees.is_empty() {
        let mut e = sink.event(&row.key, anchor, EventKind::Assigned);
        e.assignee = Some(sink.log.strings.intern(&join_list(&row.assignees)));
        sink.push(e);
    }
    let status = row.status.clone().unwrap_or_default();
    let status_event =
        |sink: &mut Sink, ts: Ts, kind: EventKind, name: &str, category: Option<Category>| {
            let mut e = sink.event(&row.key, ts, kind);
            e.status =
                Some(
                    sink.log
                        .strings
                        .intern(if name.is_empty() { "(no status)" } else { name }),
                );
            e.category = category;
            sink.push(e);
        };
    if let Some(started) = row.started {
        let wip_now = row.category.is_some_and(Category::is_wip);
        let name = if wip_now {
            status.as_str()
        } else {
            "In Progress"
        };
        status_event(
            sink,
            started,
            EventKind::Stamp,
            name,
            Some(
                row.category
                    .filter(|c| c.is_wip())
                    .unwrap_or(Category::Doing),
            ),
        );
    }
    let finished = match (row.category, row.done, row.cancelled) {
        (Some(Category::Cancelled), _, Some(ts)) | (None, None, Some(ts)) => {
            status_event(
                sink,
                ts,
                EventKind::Stamp,
                &status,
                Some(Category::Cancelled),
            );
            true
        }
        (Some(Category::Done) | None, Some(ts), _) => {
            status_event(sink, ts, EventKind::Stamp, &status, Some(Category::Done));
            true
        }
        _ => false,
    };
    let started_now = row.started.is_some() && row.category.is_some_and(Category::is_wip);
    if !finished && !started_now && (row.status.is_some() || row.category.is_some()) {
        let at = row.updated.unwrap_or(anchor).max(anchor);
        status_event(sink, at, EventKind::Snapshot, &status, row.category);
    }
    for c in row.comments {
        let mut e = sink.event(&row.key, c.ts, EventKind::Comment);
        e.actor = c.author.as_deref().map(|a| sink.log.strings.intern(a));
        sink.push(e);
    }
}

/// A list cell of the canonical log: values joined with `;`, a `;` inside a value made `,`.
pub fn join_list(items: &[String]) -> String {
    items
        .iter()
        .map(|v| v.replace(';', ","))
        .collect::<Vec<_>>()
        .join(";")
}

impl Sink<'_> {
    /// A blank event of `kind` for `task` at `ts`, with the next reading-order number.
    pub fn event(&mut self, task: &str, ts: Ts, kind: EventKind) -> Event {
        let task = self.log.strings.intern(task);
        Event {
            seq: self.next_seq(),
            line: self.line.min(u32::MAX as u64) as u32,
            input: self.input,
            ..Event::new(task, ts, kind)
        }
    }

    /// Keeps an event, unless its time is implausible (every adapter's dates pass the same
    /// window; this is the last guard, for times made from ids or other fields).
    pub fn push(&mut self, e: Event) {
        if self.admit(&e) {
            self.log.events.push(e);
        }
    }

    /// Whether an event is kept ([`Self::push`] without the push): its time is plausible (else
    /// it is rejected here), and its task is marked as seen.
    pub fn admit(&mut self, e: &Event) -> bool {
        let window = self.settings.dates.window;
        if e.ts != UNDATED && (e.ts < window.earliest || e.ts > window.latest) {
            let shown = crate::model::window::show(e.ts);
            if let Err(why) = window.check(e.ts, &shown) {
                let (path, line) = (self.path, self.line);
                self.reject(path, line, why);
                self.log
                    .other_names
                    .extend(e.actor.into_iter().chain(e.assignee));
                return false;
            }
        }
        self.saw_task(e.task);
        true
    }
}
