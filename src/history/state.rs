//! What a set of events says about each task at its end: status and category, assignees, team,
//! title, type, priority, labels, due date — the values a snapshot export shows and a
//! nightly run compares.

use std::collections::BTreeMap;

use crate::model::{Category, Event, EventKind, EventLog, Sym, Ts};

/// One task's last known values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskState {
    /// Raw status and its category.
    pub status: Option<(Sym, Option<Category>)>,
    /// Assignees, as displayed, sorted (empty = unassigned).
    pub assignees: Option<Vec<String>>,
    pub team: Option<Sym>,
    pub title: Option<Sym>,
    pub item_type: Option<Sym>,
    pub priority: Option<Sym>,
    pub labels: Option<Sym>,
    pub due: Option<i32>,
    pub iteration: Option<Sym>,
    /// Blocked (a flag, an impediment), when an event said so.
    pub blocked: Option<bool>,
    /// Its first event's time.
    pub first: Ts,
    /// The time of the latest state an export showed without dating it (its `Updated`).
    pub shown_at: Option<Ts>,
    /// The history's last word: the task was not in the export.
    pub unseen: bool,
}

/// The state of every task the events of `picked` name, folded in replay order (by time,
/// an export's undated state last within an instant, then reading order). `category_of` maps
/// a status as replay does; `person` gives a name as it is displayed.
pub fn fold(
    log: &EventLog,
    picked: impl Iterator<Item = usize>,
    category_of: &impl Fn(Sym, &str) -> Option<Category>,
    person: &impl Fn(&str) -> String,
) -> BTreeMap<Sym, TaskState> {
    let events = &log.events;
    let mut order: Vec<usize> = picked.collect();
    order.sort_by_key(|&i| {
        let e = &events[i];
        (e.task, e.ts, e.kind == EventKind::Snapshot, e.seq)
    });
    let mut out: BTreeMap<Sym, TaskState> = BTreeMap::new();
    for i in order {
        let e = &events[i];
        let s = out.entry(e.task).or_insert_with(|| TaskState {
            first: e.ts,
            ..TaskState::default()
        });
        apply(s, e, log, category_of, person);
    }
    out
}

fn apply(
    s: &mut TaskState,
    e: &Event,
    log: &EventLog,
    category_of: &impl Fn(Sym, &str) -> Option<Category>,
    person: &impl Fn(&str) -> String,
) {
    match e.kind {
        EventKind::Unseen => s.unseen = true,
        EventKind::Seen => s.unseen = false,
        EventKind::Blocked => s.blocked = Some(true),
        EventKind::Unblocked => s.blocked = Some(false),
        _ => {}
    }
    if let Some(status) = e.status {
        let mapped = category_of(status, log.strings.resolve(status));
        // As replay: an export's own category wins, except that the config may call a started
        // status waiting rather than doing.
        let category = match (e.category, mapped) {
            (Some(c), Some(m)) if c.is_wip() && m.is_wip() => Some(m),
            (Some(c), _) => Some(c),
            (None, m) => m,
        };
        s.status = Some((status, category));
        if e.kind == EventKind::Snapshot {
            s.shown_at = Some(e.ts);
        }
    }
    if let Some(a) = e.assignee {
        let mut names: Vec<String> = log
            .strings
            .resolve(a)
            .split(';')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(person)
            .collect();
        names.sort();
        names.dedup();
        s.assignees = Some(names);
    }
    let keep = |slot: &mut Option<Sym>, v: Option<Sym>| {
        if v.is_some() {
            *slot = v;
        }
    };
    keep(&mut s.team, e.team);
    keep(&mut s.title, e.title);
    keep(&mut s.item_type, e.item_type);
    keep(&mut s.priority, e.priority);
    keep(&mut s.labels, e.labels);
    keep(&mut s.iteration, e.iteration);
    if e.due.is_some() {
        s.due = e.due.map(|d| d.get());
    }
}
