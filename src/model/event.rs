//! The canonical event log: one row per event, columns hold the value after the event.

use serde::{Deserialize, Serialize};

use super::interner::{Interner, Sym};

/// An instant, in seconds since the Unix epoch (UTC).
pub type Ts = i64;

/// The time of an event whose input gives no date; placed at the as-of time after ingest.
pub const UNDATED: Ts = i64::MIN;

/// The canonical log's columns that say what happened, in the order teampulse writes them.
pub const EVENT_COLUMNS: [&str; 6] = [
    "task_id",
    "timestamp",
    "event",
    "actor",
    "assignee",
    "status",
];

/// The canonical log's columns that describe the task itself, in the order teampulse writes
/// them (the generator and the history).
pub const TASK_COLUMNS: [&str; 7] = [
    "team",
    "title",
    "type",
    "priority",
    "labels",
    "due",
    "iteration",
];

/// Where a status sits in the workflow.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Not started.
    #[default]
    Todo,
    /// Started and being worked.
    Doing,
    /// Started but idle: review, blocked, on hold.
    Waiting,
    /// Finished and delivered.
    Done,
    /// Finished without delivery.
    Cancelled,
}

impl Category {
    /// Started and not finished.
    pub fn is_wip(self) -> bool {
        matches!(self, Category::Doing | Category::Waiting)
    }

    /// The lower-case name used in files and pages.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Todo => "todo",
            Category::Doing => "doing",
            Category::Waiting => "waiting",
            Category::Done => "done",
            Category::Cancelled => "cancelled",
        }
    }

    /// Parses a lower-case category name.
    pub fn parse(s: &str) -> Option<Category> {
        match s.trim().to_ascii_lowercase().as_str() {
            "todo" => Some(Category::Todo),
            "doing" => Some(Category::Doing),
            "waiting" => Some(Category::Waiting),
            "done" => Some(Category::Done),
            "cancelled" | "canceled" => Some(Category::Cancelled),
            _ => None,
        }
    }
}

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// The task came into existence.
    Created,
    /// The status changed.
    Status,
    /// The assignee set changed (empty = unassigned).
    Assigned,
    /// A comment or work note.
    Comment,
    /// Any other edit (fields, labels, due date).
    Updated,
    /// The state of a task as an export saw it, with no time of change: sets status and
    /// assignees but says nothing about when the task started or finished.
    Snapshot,
    /// A dated status from a one-row-per-task export (its `Started` or `Resolved` column): when
    /// the task reached the state, not what happened in between.
    Stamp,
    /// The task became blocked (an impediment, a flag): its time is blocked time until it is
    /// unblocked.
    Blocked,
    /// The task is no longer blocked.
    Unblocked,
    /// A one-row-per-task export lists the task's iterations (sprints) without saying when it
    /// joined them: known, but no date of membership.
    Listed,
    /// Written by `--history`: the task was missing from that night's export (not finished,
    /// not changed: just not seen).
    Unseen,
    /// Written by `--history`: the task is in the export again after being unseen.
    Seen,
}

impl EventKind {
    /// Parses an event kind, accepting the long-form aliases of the event-log schema.
    pub fn parse(s: &str) -> Option<EventKind> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "created" | "create" => EventKind::Created,
            "status" | "status_change" | "done" | "reopened" | "cancelled" | "canceled" => {
                EventKind::Status
            }
            "assigned" | "unassigned" | "assignee" => EventKind::Assigned,
            "comment" | "commented" => EventKind::Comment,
            "updated" | "update" | "field_change" | "due_changed" | "labels_changed"
            | "team_changed" => EventKind::Updated,
            "blocked" | "flagged" => EventKind::Blocked,
            "unblocked" | "unflagged" => EventKind::Unblocked,
            "snapshot" => EventKind::Snapshot,
            "unseen" => EventKind::Unseen,
            "seen" => EventKind::Seen,
            _ => return None,
        })
    }
}

/// One event. String values are interned in the log's [`Interner`]; `None` means "not
/// reported" (carry the previous value forward).
#[derive(Debug, Clone)]
pub struct Event {
    /// Task id (interned).
    pub task: Sym,
    /// When it happened.
    pub ts: Ts,
    /// Order of reading, the tie-breaker for equal timestamps.
    pub seq: u32,
    /// Line (or record number of a JSON export) it was read from, for rejections after ingest.
    pub line: u32,
    /// Index of the input file it was read from.
    pub input: u16,
    /// What happened.
    pub kind: EventKind,
    /// Who did it.
    pub actor: Option<Sym>,
    /// Assignees after the event, `;`-separated (interned as one string; empty = nobody).
    pub assignee: Option<Sym>,
    /// Raw status after the event.
    pub status: Option<Sym>,
    /// Category forced by the row (`status_category` column), overriding the mapping.
    pub category: Option<Category>,
    /// Owning team after the event.
    pub team: Option<Sym>,
    /// Title after the event.
    pub title: Option<Sym>,
    /// Type after the event.
    pub item_type: Option<Sym>,
    /// Priority after the event.
    pub priority: Option<Sym>,
    /// Labels after the event, `;`-separated.
    pub labels: Option<Sym>,
    /// Due date after the event, as days since the Unix epoch (see [`due_day`]).
    pub due: Option<std::num::NonZeroI32>,
    /// Iterations (sprints, cycles) after the event, `;`-separated, the current one last.
    pub iteration: Option<Sym>,
    /// The parent (epic, parent issue, goal) after the event; an empty string clears it.
    pub parent: Option<Sym>,
    /// The description after the event, reduced to its length and structure.
    pub desc: Option<super::Desc>,
}

impl Event {
    /// The same event with every string id passed through `to` (ids of another interner made
    /// ids of this one). Every `Sym` field is listed here, next to the struct, so none is missed.
    pub fn remap(self, to: impl Fn(Sym) -> Sym) -> Event {
        let opt = |s: Option<Sym>| s.map(&to);
        Event {
            task: to(self.task),
            actor: opt(self.actor),
            assignee: opt(self.assignee),
            status: opt(self.status),
            team: opt(self.team),
            title: opt(self.title),
            item_type: opt(self.item_type),
            priority: opt(self.priority),
            labels: opt(self.labels),
            iteration: opt(self.iteration),
            parent: opt(self.parent),
            ..self
        }
    }
}

/// A due date as stored in an event: days since the Unix epoch, never day 0 (1 January 1970,
/// before any plausible date), so that an event keeps to 64 bytes.
pub fn due_day(day: Option<i32>) -> Option<std::num::NonZeroI32> {
    day.and_then(std::num::NonZeroI32::new)
}

impl Event {
    /// An event of `kind` for `task` at `ts` that reports nothing else yet.
    pub fn new(task: Sym, ts: Ts, kind: EventKind) -> Event {
        Event {
            task,
            ts,
            seq: 0,
            line: 0,
            input: 0,
            kind,
            actor: None,
            assignee: None,
            status: None,
            category: None,
            team: None,
            title: None,
            item_type: None,
            priority: None,
            labels: None,
            due: None,
            iteration: None,
            parent: None,
            desc: None,
        }
    }
}

/// All events of a build, from every input.
#[derive(Debug, Default, Clone)]
pub struct EventLog {
    /// The events, in reading order until replay sorts them.
    pub events: Vec<Event>,
    /// Strings the events refer to.
    pub strings: Interner,
    /// Other ids of a task (a ServiceNow `sys_id` for its `number`): `(alias, task)`.
    pub aliases: Vec<(Sym, Sym)>,
    /// Every person an input names in its person columns, beyond those the events carry (a
    /// rejected row's people, GitLab's display names beside the usernames that identify
    /// people): never shown, but as known as the others to the scrubbing of free text.
    pub other_names: Vec<Sym>,
}

impl EventLog {
    /// The latest timestamp, the default as-of time; `Some(UNDATED)` when no event is dated.
    pub fn latest(&self) -> Option<Ts> {
        self.events.iter().map(|e| e.ts).max()
    }

    /// Files events written under a task's other id (an audit trail keyed by `sys_id`) under
    /// the task's id.
    pub fn resolve_aliases(&mut self) {
        if self.aliases.is_empty() {
            return;
        }
        let map: rustc_hash::FxHashMap<Sym, Sym> = self.aliases.iter().copied().collect();
        for e in &mut self.events {
            if let Some(&task) = map.get(&e.task) {
                e.task = task;
            }
        }
    }

    /// Puts events the input gave no date (exports without date columns) at the as-of time.
    pub fn place_undated(&mut self, as_of: Ts) {
        for e in self.events.iter_mut().filter(|e| e.ts == UNDATED) {
            e.ts = as_of;
        }
    }
}
