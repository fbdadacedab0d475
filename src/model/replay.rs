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
    let spans = task_spans(&log.events);
    replay_tasks(log, &spans, as_of, category_of, blocked_name, jobs)
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

/// [`replay`] of some tasks only: those whose events are `spans` (each one task's, in task
/// order), a timeline each (but for tasks created after `as_of`), in the same order.
pub fn replay_tasks(
    log: &EventLog,
    spans: &[Range<usize>],
    as_of: Ts,
    category_of: impl Fn(Sym, &str) -> Option<Category> + Sync,
    blocked_name: impl Fn(&str) -> bool + Sync,
    jobs: usize,
) -> (Vec<Timeline>, ReplayReport) {
    let parts = parts_of(spans, super::par::workers(jobs) * 4);
    let tasks = |i: usize| spans[parts[i].clone()].iter().map(|r| &log.events[r.clone()]);
    // Each part replays into its own place in one vector: no timeline is moved afterwards.
    let sizes = super::par::map(parts.len(), jobs, |i| {
        tasks(i).filter(|events| events[0].ts <= as_of).count()
    });
    let mut timelines: Vec<Timeline> = Vec::new();
    timelines.resize_with(sizes.iter().sum(), Timeline::default);
    let done = super::par::fill(&mut timelines, &sizes, jobs, |i, out| {
        replay_events(tasks(i), &log.strings, as_of, &category_of, &blocked_name, out)
    });
    let mut report = ReplayReport::default();
    for r in done {
        report.after_as_of += r.after_as_of;
        for (status, n) in r.unmapped {
            *report.unmapped.entry(status).or_default() += n;
        }
    }
    (timelines, report)
}

/// Consecutive runs of `spans` of about `1/n` of their events each.
fn parts_of(spans: &[Range<usize>], n: usize) -> Vec<Range<usize>> {
    let total: usize = spans.iter().map(|r| r.len()).sum();
    let size = total.div_ceil(n.max(1)).max(1);
    let mut out = Vec::new();
    let (mut from, mut events) = (0, 0);
    for (i, r) in spans.iter().enumerate() {
        events += r.len();
        if events >= size {
            out.push(from..i + 1);
            (from, events) = (i + 1, 0);
        }
    }
    if from < spans.len() {
        out.push(from..spans.len());
    }
    out
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
    let mut report = ReplayReport::default();
    // Status → category and "a;b" → [a, b] are worked out once per distinct string.
    let mut categories: FxHashMap<Sym, Option<Category>> = FxHashMap::default();
    let mut lists: FxHashMap<Sym, Vec<Name>> = FxHashMap::default();
    let mut slots = out.iter_mut();
    for events in tasks {
        let kept = events.partition_point(|e| e.ts <= as_of);
        report.after_as_of += events.len() - kept;
        let Some(first) = events[..kept].first() else {
            continue;
        };
        let mut replayer = Replayer::new(strings.name(first.task), first.ts);
        replayer.t.input = first.input;
        replayer.t.touches.reserve(kept);
        for event in &events[..kept] {
            if matches!(event.kind, EventKind::Unseen | EventKind::Seen) {
                // What the nightly history saw of the export, not something the task did.
                continue;
            }
            let mapped = event.status.and_then(|s| {
                *categories
                    .entry(s)
                    .or_insert_with(|| category_of(s, strings.resolve(s)))
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
                    *report
                        .unmapped
                        .entry(strings.resolve(s).to_string())
                        .or_default() += 1;
                }
            }
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
    report
}

fn split_names(s: &str) -> Vec<Name> {
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
