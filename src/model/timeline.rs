//! A task's life as replay derives it: the [`Timeline`] and the changes it records.

use super::event::{Category, EventKind, Ts};
use super::interner::Name;

/// A change of the assignee set.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// When.
    pub ts: Ts,
    /// Who made the change.
    pub actor: Option<Name>,
    /// Assignees before.
    pub from: Vec<Name>,
    /// Assignees after (empty = unassigned).
    pub to: Vec<Name>,
}

/// A change of status category.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    /// When.
    pub ts: Ts,
    /// Category after the change.
    pub category: Category,
    /// Who moved the task.
    pub actor: Option<Name>,
}

/// A change of the raw status (as the tracker names it), with its category.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusChange {
    /// When.
    pub ts: Ts,
    /// The status after the change.
    pub status: Name,
    /// Its category.
    pub category: Category,
}

/// Any event with a known actor: a comment, a status change, an edit.
#[derive(Debug, Clone, PartialEq)]
pub struct Touch {
    /// When.
    pub ts: Ts,
    /// Who.
    pub actor: Name,
    /// What kind of event it was.
    pub kind: EventKind,
}

/// Everything the KPIs need to know about one task, as of the as-of time.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    /// Tracker key.
    pub task_id: String,
    /// Last reported team value.
    pub team: Option<Name>,
    /// Last reported title.
    pub title: Option<Name>,
    /// Last reported type.
    pub item_type: Option<Name>,
    /// Last reported priority.
    pub priority: Option<Name>,
    /// Last reported labels.
    pub labels: Vec<Name>,
    /// Last reported due date (days since the Unix epoch).
    pub due: Option<i32>,
    /// Every change of the due date: when, and the date after it.
    pub due_changes: Vec<(Ts, i32)>,
    /// First event of the task.
    pub created: Ts,
    /// Raw status at the as-of time.
    pub status: Option<Name>,
    /// Category at the as-of time (`todo` until a mapped status is seen).
    pub category: Category,
    /// First entry into `doing` or `waiting`; never reset.
    pub start: Option<Ts>,
    /// Last entry into `done`, only if still done at the as-of time.
    pub done: Option<Ts>,
    /// Last entry into `cancelled`, only if still cancelled at the as-of time.
    pub cancelled: Option<Ts>,
    /// Who moved the task into its final `done`.
    pub done_actor: Option<Name>,
    /// Every category change, starting with `todo` at creation.
    pub transitions: Vec<Transition>,
    /// Assignees at the as-of time.
    pub assignees: Vec<Name>,
    /// Assignees when the task was done.
    pub assignees_at_done: Vec<Name>,
    /// Every change of the assignee set.
    pub assignments: Vec<Assignment>,
    /// Every event with a known actor.
    pub touches: Vec<Touch>,
    /// How often the task left `done` again.
    pub reopened: u32,
    /// Started according to a snapshot, but the input does not say when.
    pub start_unknown: bool,
    /// Latest time an export saw the task updated (its `Updated` column), if any.
    pub updated: Option<Ts>,
    /// Its category came from a one-row-per-task export, not from a dated change.
    pub from_snapshot: bool,
    /// Some of its states are dated only by an export's summary columns (`Stamp` events).
    pub stamped: bool,
    /// Some of its states come from a real history of changes (`Status` events).
    pub has_history: bool,
    /// Index of the input file its first event came from.
    pub input: u16,
    /// Every change of the raw status, from the first one known.
    pub statuses: Vec<StatusChange>,
    /// Spans the task was blocked: from, and until (`None`: still blocked at the as-of time).
    pub blocked: Vec<(Ts, Option<Ts>)>,
    /// Changes of its current iteration (sprint, cycle); `None`: in none.
    pub iterations: Vec<(Ts, Option<Name>)>,
    /// An export lists its iterations without dates of membership.
    pub iterations_listed: bool,
    /// Changes of its description (length and structure only).
    pub descriptions: Vec<(Ts, super::Desc)>,
    /// Changes of whether it has a parent (epic, parent issue, goal).
    pub parents: Vec<(Ts, bool)>,
}

impl Timeline {
    /// Assignees in force at instant `t`.
    pub fn assignees_at(&self, t: Ts) -> &[Name] {
        let i = self.assignments.partition_point(|a| a.ts <= t);
        i.checked_sub(1).map_or(&[], |i| &self.assignments[i].to)
    }

    /// The delegator at `t`: who made the latest assignment at or before `t` to someone other
    /// than themselves, if that assignment is still the one in force.
    pub fn delegator_at(&self, t: Ts) -> Option<&Name> {
        let i = self
            .assignments
            .partition_point(|a| a.ts <= t)
            .checked_sub(1)?;
        let a = &self.assignments[i];
        let actor = a.actor.as_ref()?;
        (!a.to.is_empty() && !a.to.contains(actor)).then_some(actor)
    }
}

/// Splits a `;`-separated list, trimming and dropping empty parts.
pub fn split_list(s: &str) -> Vec<String> {
    list_items(s, ';').map(str::to_string).collect()
}

/// The trimmed, non-empty parts of a list separated by `sep`.
pub fn list_items(s: &str, sep: char) -> impl Iterator<Item = &str> {
    s.split(sep).map(str::trim).filter(|p| !p.is_empty())
}
