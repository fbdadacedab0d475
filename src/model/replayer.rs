//! One task's events applied in order: the state machine behind [`Timeline`].

use super::event::{Category, Event, EventKind, Ts};
use super::interner::{Interner, Name, Sym};
use super::timeline::{list_items, Assignment, StatusChange, Timeline, Touch, Transition};

/// What replay has worked out about an event's names (once per distinct name).
#[derive(Debug, Clone, Copy, Default)]
pub struct Marks {
    /// Its status means blocked.
    pub status_blocked: Option<bool>,
    /// One of its labels means blocked.
    pub label_blocked: Option<bool>,
}

pub struct Replayer {
    pub t: Timeline,
    /// The input does not record starts: a finished task without one started at an unknown time.
    starts_unrecorded: bool,
    entered_done: Option<(Ts, Option<Name>)>,
    entered_cancelled: Option<Ts>,
    /// Blocked by a flag (`blocked` event, Jira's Flagged), by its status, by a label.
    blocked_by: [bool; 3],
}

impl Replayer {
    pub fn new(task_id: Name, created: Ts) -> Self {
        Replayer {
            t: Timeline {
                task_id: task_id.to_string(),
                team: None,
                title: None,
                item_type: None,
                priority: None,
                labels: Vec::new(),
                due: None,
                due_changes: Vec::new(),
                created,
                status: None,
                category: Category::Todo,
                start: None,
                done: None,
                cancelled: None,
                done_actor: None,
                transitions: vec![Transition {
                    ts: created,
                    category: Category::Todo,
                    actor: None,
                }],
                assignees: Vec::new(),
                assignees_at_done: Vec::new(),
                assignments: Vec::new(),
                touches: Vec::new(),
                reopened: 0,
                start_unknown: false,
                updated: None,
                from_snapshot: false,
                stamped: false,
                has_history: false,
                input: 0,
                statuses: Vec::new(),
                blocked: Vec::new(),
                iterations: Vec::new(),
                iterations_listed: false,
                descriptions: Vec::new(),
                parents: Vec::new(),
            },
            entered_done: None,
            entered_cancelled: None,
            starts_unrecorded: false,
            blocked_by: [false; 3],
        }
    }

    pub fn apply(
        &mut self,
        e: &Event,
        category: Option<Category>,
        assignees: Option<Vec<Name>>,
        marks: Marks,
        strings: &Interner,
    ) {
        self.track_blocked(e, marks);
        let t = &mut self.t;
        if let Some(d) = e
            .desc
            .filter(|d| t.descriptions.last().is_none_or(|l| l.1 != *d))
        {
            t.descriptions.push((e.ts, d));
        }
        if let Some(p) = e.parent {
            let has = !strings.resolve(p).trim().is_empty();
            if t.parents.last().is_none_or(|l| l.1 != has) {
                t.parents.push((e.ts, has));
            }
        }
        if matches!(e.kind, EventKind::Listed | EventKind::Snapshot) && e.iteration.is_some() {
            // Seen in its iterations, with no date of joining them.
            t.iterations_listed = true;
        } else if let Some(list) = e.iteration {
            // The current iteration is the last one listed.
            let current = strings
                .resolve(list)
                .rsplit(';')
                .map(str::trim)
                .find(|s| !s.is_empty())
                .map(Name::from);
            if t.iterations.last().map(|(_, i)| i) != Some(&current)
                && !(t.iterations.is_empty() && current.is_none())
            {
                t.iterations.push((e.ts, current));
            }
        }
        let name = |s: Option<Sym>| s.map(|s| strings.name(s));
        let actor = name(e.actor);
        if e.team.is_some() {
            t.team = name(e.team);
        }
        if e.title.is_some() {
            t.title = name(e.title);
        }
        if e.item_type.is_some() {
            t.item_type = name(e.item_type);
        }
        if e.priority.is_some() {
            t.priority = name(e.priority);
        }
        if let Some(v) = e.labels {
            t.labels = list_items(strings.resolve(v), ';')
                .map(Name::from)
                .collect();
        }
        if let Some(due) = e.due.map(|d| d.get()) {
            if t.due != Some(due) {
                t.due_changes.push((e.ts, due));
                t.due = Some(due);
            }
        }
        if let Some(to) = assignees {
            if to != t.assignees {
                t.assignments.push(Assignment {
                    ts: e.ts,
                    actor,
                    from: std::mem::take(&mut t.assignees),
                    to: to.clone(),
                });
                t.assignees = to;
            }
        }
        if let (Some(status), Some(cat)) = (e.status, category) {
            let raw = strings.name(status);
            if t.statuses
                .last()
                .is_none_or(|c| c.status != raw || c.category != cat)
            {
                t.statuses.push(StatusChange {
                    ts: e.ts,
                    status: raw,
                    category: cat,
                });
            }
            t.status = Some(raw);
            if cat != t.category {
                if t.category == Category::Done {
                    t.reopened += 1;
                }
                t.transitions.push(Transition {
                    ts: e.ts,
                    category: cat,
                    actor,
                });
                if e.kind == EventKind::Snapshot {
                    // A state without a time of change: no start or finish can be dated.
                    t.from_snapshot = true;
                    t.start_unknown |= cat.is_wip() && t.start.is_none();
                    match cat {
                        Category::Done => self.entered_done = None,
                        Category::Cancelled => self.entered_cancelled = None,
                        _ => {}
                    }
                } else {
                    match cat {
                        Category::Done => self.entered_done = Some((e.ts, actor)),
                        Category::Cancelled => self.entered_cancelled = Some(e.ts),
                        _ => {}
                    }
                    if cat.is_wip() && t.start.is_none() {
                        t.start = Some(e.ts);
                    }
                }
                t.category = cat;
            }
            if cat == Category::Done {
                t.assignees_at_done = t.assignees.clone();
            }
        }
        match e.kind {
            EventKind::Stamp => t.stamped = true,
            EventKind::Status | EventKind::Created if e.status.is_some() => t.has_history = true,
            _ => {}
        }
        if e.kind == EventKind::Snapshot {
            if e.status.is_some() {
                t.updated = t.updated.max(Some(e.ts));
            } else {
                self.starts_unrecorded = true;
            }
        }
        if let Some(actor) = actor {
            t.touches.push(Touch {
                ts: e.ts,
                actor,
                kind: e.kind,
            });
        }
    }

    /// Blocked spans: the task is blocked while a flag, its status or one of its labels says so.
    fn track_blocked(&mut self, e: &Event, marks: Marks) {
        let was = self.blocked_by.iter().any(|&b| b);
        match e.kind {
            EventKind::Blocked => self.blocked_by[0] = true,
            EventKind::Unblocked => self.blocked_by[0] = false,
            _ => {}
        }
        if let Some(b) = marks.status_blocked {
            self.blocked_by[1] = b;
        }
        if let Some(b) = marks.label_blocked {
            self.blocked_by[2] = b;
        }
        let now = self.blocked_by.iter().any(|&b| b);
        match (was, now) {
            (false, true) => self.t.blocked.push((e.ts, None)),
            (true, false) => {
                if let Some(span) = self.t.blocked.last_mut() {
                    span.1 = Some(e.ts);
                }
            }
            _ => {}
        }
    }

    pub fn finish(mut self) -> Timeline {
        let t = &mut self.t;
        if t.category == Category::Done {
            if let Some((ts, actor)) = self.entered_done.take() {
                t.done = Some(ts);
                t.done_actor = actor;
            }
        } else {
            t.assignees_at_done.clear();
        }
        if t.category == Category::Cancelled {
            t.cancelled = self.entered_cancelled;
        }
        if self.starts_unrecorded && t.start.is_none() && t.category != Category::Todo {
            t.start_unknown = true;
            t.from_snapshot = true;
        }
        // Kept until the site is written: no room to spare.
        t.touches.shrink_to_fit();
        t.statuses.shrink_to_fit();
        t.transitions.shrink_to_fit();
        t.assignments.shrink_to_fit();
        self.t
    }
}
