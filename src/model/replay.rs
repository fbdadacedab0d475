//! Replay: events per task, in time order, into a [`Timeline`] — created, start, done, status
//! category over time, assignees over time and every human touch.

use std::collections::BTreeMap;
use std::ops::Range;

use rustc_hash::FxHashMap;

use super::event::{Category, Event, EventKind, EventLog, Ts};
use super::interner::{Interner, Name, Sym};
use super::replayer::{Marks, Replayer};
use super::timeline::Timeline;

/// What replay noticed about the data, for the data-quality page.
#[derive(Debug, Default, Clone)]
pub struct ReplayReport {
    /// Statuses with no category, and how many events carried them.
    pub unmapped: BTreeMap<String, usize>,
    /// Events later than the as-of time, ignored.
    pub after_as_of: usize,
}

impl ReplayReport {
    /// Adds what another part of the replay noticed.
    pub fn add(&mut self, other: ReplayReport) {
        self.after_as_of += other.after_as_of;
        for (status, n) in other.unmapped {
            *self.unmapped.entry(status).or_default() += n;
        }
    }
}

/// Replays a log sorted by [`sort_for_replay`] into one timeline per task, in task order, as
/// of `as_of`, on up to `jobs` threads (the tasks split into ranges; the result is the same for
/// any number). `category_of` maps a raw status (its id and text) to its category; unmapped
/// statuses are ignored for state and reported.
pub fn replay(
    log: &EventLog,
    as_of: Ts,
    category_of: impl Fn(Sym, &str) -> Option<Category> + Sync,
    blocked_name: impl Fn(&str) -> bool + Sync,
    jobs: usize,
) -> (Vec<Timeline>, ReplayReport) {
    let tasks = task_events(&log.events);
    replay_tasks(&tasks, &log.strings, as_of, category_of, blocked_name, jobs)
}

/// The events of each task of a sorted log: one range a task, in task order.
pub fn task_spans(events: &[Event]) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut start = 0;
    for (i, w) in events.windows(2).enumerate() {
        if w[0].task != w[1].task {
            spans.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < events.len() {
        spans.push(start..events.len());
    }
    spans
}

/// Each task's events in a sorted log, in task order.
fn task_events(events: &[Event]) -> Vec<&[Event]> {
    task_spans(events).into_iter().map(|r| &events[r]).collect()
}

/// [`replay`] of some tasks only: `tasks`, each one task's events (in task order; their strings
/// in `strings`), a timeline each (but for tasks created after `as_of`), in the same order.
pub fn replay_tasks(
    tasks: &[&[Event]],
    strings: &Interner,
    as_of: Ts,
    category_of: impl Fn(Sym, &str) -> Option<Category> + Sync,
    blocked_name: impl Fn(&str) -> bool + Sync,
    jobs: usize,
) -> (Vec<Timeline>, ReplayReport) {
    let parts = super::par::runs(tasks.iter().map(|t| t.len()), super::par::workers(jobs) * 4);
    let part = |i: usize| tasks[parts[i].clone()].iter().copied();
    // Each part replays into its own place in one vector: no timeline is moved afterwards.
    let sizes = super::par::map(parts.len(), jobs, |i| {
        part(i).filter(|events| events[0].ts <= as_of).count()
    });
    let mut timelines: Vec<Timeline> = Vec::new();
    timelines.resize_with(sizes.iter().sum(), Timeline::default);
    let done = super::par::fill(&mut timelines, &sizes, jobs, |i, out| {
        replay_events(part(i), strings, as_of, &category_of, &blocked_name, out)
    });
    let mut report = ReplayReport::default();
    for r in done {
        report.add(r);
    }
    (timelines, report)
}

/// What replay reads of each event before the replayer: its category (its own, or its
/// status's), with the statuses no category maps to counted; memoised per distinct status.
struct Classifier<'a, F> {
    strings: &'a Interner,
    category_of: &'a F,
    categories: FxHashMap<Sym, Option<Category>>,
    report: ReplayReport,
}

impl<'a, F: Fn(Sym, &str) -> Option<Category>> Classifier<'a, F> {
    fn new(strings: &'a Interner, category_of: &'a F) -> Self {
        Classifier {
            strings,
            category_of,
            categories: FxHashMap::default(),
            report: ReplayReport::default(),
        }
    }

    /// The events of one task that replay reads as of `as_of` (none: the task does not exist
    /// yet); later ones are counted.
    fn kept<'e>(&mut self, events: &'e [Event], as_of: Ts) -> &'e [Event] {
        let kept = events.partition_point(|e| e.ts <= as_of);
        self.report.after_as_of += events.len() - kept;
        &events[..kept]
    }

    /// The category `event` sets, or `None` for an event replay passes over (what the nightly
    /// history saw of the export, not something the task did) as for one without a category.
    fn category(&mut self, event: &Event) -> Option<Category> {
        let strings = self.strings;
        let mapped = event.status.and_then(|s| {
            *self
                .categories
                .entry(s)
                .or_insert_with(|| (self.category_of)(s, strings.resolve(s)))
        });
        // An export's own category wins, except that the config may call a started status
        // waiting rather than doing (Jira has one "In Progress" category for both).
        let category = match (event.category, mapped) {
            (Some(c), Some(m)) if c.is_wip() && m.is_wip() => Some(m),
            (Some(c), _) => Some(c),
            (None, m) => m,
        };
        if event.category.is_none() && category.is_none() {
            if let Some(s) = event.status {
                *self
                    .report
                    .unmapped
                    .entry(strings.resolve(s).to_string())
                    .or_default() += 1;
            }
        }
        category
    }
}

/// Whether replay passes over an event: what the nightly history saw of the export, not
/// something the task did.
fn passed_over(event: &Event) -> bool {
    matches!(event.kind, EventKind::Unseen | EventKind::Seen)
}

/// Replays whole tasks, each given as its events.
fn replay_events<'a>(
    tasks: impl Iterator<Item = &'a [Event]>,
    strings: &Interner,
    as_of: Ts,
    category_of: &(impl Fn(Sym, &str) -> Option<Category> + Sync),
    blocked_name: &(impl Fn(&str) -> bool + Sync),
    out: &mut [Timeline],
) -> ReplayReport {
    let mut blocked: FxHashMap<Sym, bool> = FxHashMap::default();
    let mut classify = Classifier::new(strings, category_of);
    // "a;b" → [a, b] is worked out once per distinct string.
    let mut lists: FxHashMap<Sym, Vec<Name>> = FxHashMap::default();
    let mut slots = out.iter_mut();
    for events in tasks {
        let events = classify.kept(events, as_of);
        let Some(first) = events.first() else {
            continue;
        };
        let mut replayer = Replayer::new(strings.name(first.task), first.ts);
        replayer.t.input = first.input;
        replayer.t.touches.reserve(events.len());
        for event in events.iter().filter(|e| !passed_over(e)) {
            let category = classify.category(event);
            let assignees = event.assignee.map(|a| {
                lists
                    .entry(a)
                    .or_insert_with(|| split_names(strings.resolve(a)))
                    .clone()
            });
            let mut is_blocked = |sym: Sym, list: bool| {
                *blocked.entry(sym).or_insert_with(|| {
                    let text = strings.resolve(sym);
                    match list {
                        true => text.split(';').any(|l| blocked_name(l.trim())),
                        false => blocked_name(text),
                    }
                })
            };
            let marks = Marks {
                status_blocked: event
                    .status
                    .filter(|_| category.is_some())
                    .map(|s| is_blocked(s, false)),
                label_blocked: event.labels.map(|l| is_blocked(l, true)),
            };
            replayer.apply(event, category, assignees, marks, strings);
        }
        if let Some(slot) = slots.next() {
            *slot = replayer.finish();
        }
    }
    classify.report
}

/// The `team` value each task has as of `as_of` (the last one replay would apply), without
/// replaying it: `None` for a task that does not exist yet, `Some(None)` for one without a
/// team value. The report is the one [`replay`] of the same tasks gives.
pub fn teams_as_of(
    tasks: &[&[Event]],
    strings: &Interner,
    as_of: Ts,
    category_of: impl Fn(Sym, &str) -> Option<Category> + Sync,
    jobs: usize,
) -> (Vec<Option<Option<Sym>>>, ReplayReport) {
    let parts = super::par::runs(tasks.iter().map(|t| t.len()), super::par::workers(jobs) * 4);
    let done = super::par::map(parts.len(), jobs, |i| {
        let mut classify = Classifier::new(strings, &category_of);
        let teams: Vec<Option<Option<Sym>>> = tasks[parts[i].clone()]
            .iter()
            .map(|task| {
                let events = classify.kept(task, as_of);
                (!events.is_empty()).then(|| {
                    let mut team = None;
                    for event in events.iter().filter(|e| !passed_over(e)) {
                        classify.category(event);
                        team = event.team.or(team);
                    }
                    team
                })
            })
            .collect();
        (teams, classify.report)
    });
    let mut teams = Vec::with_capacity(tasks.len());
    let mut report = ReplayReport::default();
    for (t, r) in done {
        teams.extend(t);
        report.add(r);
    }
    (teams, report)
}

fn split_names(s: &'static str) -> Vec<Name> {
    super::timeline::list_items(s, ';')
        .map(Name::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sort_for_replay;

    /// Task, time, kind, status, assignee.
    type Row<'a> = (&'a str, Ts, EventKind, Option<&'a str>, Option<&'a str>);

    fn log(rows: &[Row]) -> EventLog {
        let mut log = EventLog::default();
        for (seq, (task, ts, kind, status, assignee)) in rows.iter().enumerate() {
            let task = log.strings.intern(task);
            let status = status.map(|s| log.strings.intern(s));
            let assignee = assignee.map(|s| log.strings.intern(s));
            let actor = Some(log.strings.intern("lead"));
            log.events.push(Event {
                seq: seq as u32,
                actor,
                assignee,
                status,
                ..Event::new(task, *ts, *kind)
            });
        }
        log
    }

    fn run(log: &mut EventLog, as_of: Ts) -> (Vec<Timeline>, ReplayReport) {
        sort_for_replay(log, 2);
        replay(
            log,
            as_of,
            |_, s: &str| match s {
                "To Do" => Some(Category::Todo),
                "In Progress" => Some(Category::Doing),
                "Done" | "Closed" => Some(Category::Done),
                _ => None,
            },
            |s: &str| s.eq_ignore_ascii_case("blocked"),
            2,
        )
    }

    #[test]
    fn a_reopened_task_is_wip_until_done_again_and_keeps_its_first_start() {
        use EventKind::*;
        let mut l = log(&[
            ("A", 10, Created, Some("To Do"), None),
            ("A", 20, Status, Some("In Progress"), None),
            ("A", 30, Status, Some("Done"), None),
            ("A", 40, Status, Some("In Progress"), None),
        ]);
        let (t, _) = run(&mut l, 40);
        assert_eq!(
            (t[0].start, t[0].done, t[0].category),
            (Some(20), None, Category::Doing)
        );
        assert_eq!(t[0].reopened, 1);
        let mut l2 = log(&[
            ("A", 10, Created, Some("To Do"), None),
            ("A", 20, Status, Some("In Progress"), None),
            ("A", 30, Status, Some("Done"), None),
            ("A", 40, Status, Some("In Progress"), None),
            ("A", 50, Status, Some("Closed"), None),
            ("A", 60, Status, Some("Done"), None),
        ]);
        let (t, _) = run(&mut l2, 60);
        // Closed → Done stays in `done`: the last *entry* into done is 50.
        assert_eq!((t[0].start, t[0].done), (Some(20), Some(50)));
    }

    #[test]
    fn events_after_as_of_are_ignored_and_counted() {
        use EventKind::*;
        let mut l = log(&[
            ("A", 10, Created, Some("To Do"), None),
            ("A", 20, Status, Some("In Progress"), None),
            ("A", 30, Status, Some("Done"), None),
        ]);
        let (t, report) = run(&mut l, 25);
        assert_eq!((t[0].done, t[0].category), (None, Category::Doing));
        assert_eq!(report.after_as_of, 1);
    }

    #[test]
    fn unmapped_statuses_leave_state_alone_and_are_reported() {
        use EventKind::*;
        let mut l = log(&[
            ("A", 10, Created, Some("To Do"), None),
            ("A", 20, Status, Some("Limbo"), None),
            ("A", 30, Status, Some("Limbo"), None),
        ]);
        let (t, report) = run(&mut l, 30);
        assert_eq!(t[0].category, Category::Todo);
        assert_eq!(report.unmapped.get("Limbo"), Some(&2));
    }

    #[test]
    fn assignment_history_records_who_handed_over() {
        use EventKind::*;
        let mut l = log(&[
            ("A", 10, Created, None, Some("ana")),
            ("A", 20, Assigned, None, Some("raj;ana")),
            ("A", 30, Comment, None, None),
            ("A", 40, Assigned, None, Some("")),
        ]);
        let (t, _) = run(&mut l, 40);
        let to: Vec<String> = t[0].assignments.iter().map(|a| a.to.join(";")).collect();
        assert_eq!(to, ["ana", "raj;ana", ""]);
        assert!(t[0].assignees.is_empty());
        assert_eq!(t[0].touches.len(), 4);
    }
}
