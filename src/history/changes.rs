//! What this run adds to the history: the differences between the inputs' snapshots and
//! what the history knew.

use super::state;
use super::store::Row;
use super::STARTED_UNSEEN;
use crate::model::{Category, EventKind, EventLog, Sym, Ts, UNDATED};

/// This run's rows: for each task the inputs show only as a snapshot (no dated change of
/// status of their own: those inputs carry their history and win), what differs from what the
/// history and the inputs' dated states (`Started`, `Resolved` columns) say; and the tasks the
/// history knows that no input shows.
pub(super) fn changes(
    log: &EventLog,
    inputs_end: usize,
    previous: Option<Ts>,
    observed_at: Ts,
    keep_titles: bool,
    category_of: &impl Fn(Sym, &str) -> Option<Category>,
    person: &impl Fn(&str) -> String,
) -> Vec<Row> {
    let events = &log.events;
    let own_history: std::collections::HashSet<Sym> = events[..inputs_end]
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Status | EventKind::Created) && e.status.is_some())
        .map(|e| e.task)
        .collect();
    let observed = state::fold(log, 0..inputs_end, category_of, person);
    let known = state::fold(log, inputs_end..events.len(), category_of, person);
    let dated_states = (0..inputs_end).filter(|&i| events[i].kind == EventKind::Stamp);
    let evidence = state::fold(
        log,
        dated_states.chain(inputs_end..events.len()),
        category_of,
        person,
    );
    let text = |s: Option<Sym>| s.map(|s| log.strings.resolve(s).to_string());
    let title = |s: Option<Sym>| text(s).filter(|_| keep_titles);
    let mut rows = Vec::new();
    // What an export dates itself (its Started and Resolved columns) goes into the history as
    // it is dated, so the history keeps it when the task leaves the export.
    let recorded: std::collections::HashSet<(Sym, Ts, Sym)> = events[inputs_end..]
        .iter()
        .filter(|e| e.kind == EventKind::Status)
        .filter_map(|e| e.status.map(|s| (e.task, e.ts, s)))
        .collect();
    for e in &events[..inputs_end] {
        let Some(status) = e.status.filter(|_| e.kind == EventKind::Stamp) else {
            continue;
        };
        if own_history.contains(&e.task) || recorded.contains(&(e.task, e.ts, status)) {
            continue;
        }
        let mapped = category_of(status, log.strings.resolve(status));
        rows.push(Row {
            task: log.strings.resolve(e.task).to_string(),
            at: e.ts,
            kind: "status",
            status: text(Some(status)),
            category: e.category.or(mapped),
            ..Row::default()
        });
    }
    for (&task, now) in observed.iter().filter(|(t, _)| !own_history.contains(t)) {
        let had = evidence.get(&task).cloned().unwrap_or_default();
        let history = known.get(&task);
        let row = |kind: &'static str, at: Ts| Row {
            task: log.strings.resolve(task).to_string(),
            at,
            kind,
            observed_after: previous.map(|p| p.max(now.first)),
            ..Row::default()
        };
        // The export's own time for the change when it is after the previous run.
        let at = match now.shown_at {
            Some(u) if previous.is_none_or(|p| u > p) && u <= observed_at => u,
            _ => observed_at,
        };
        let status = |kind| Row {
            status: now.status.and_then(|(s, _)| text(Some(s))),
            category: now.status.and_then(|(_, c)| c),
            ..row(kind, at)
        };
        // Done without ever being seen started: it started between the two runs, at the
        // latest when it was done; dated so, the cycle time is at most one gap short.
        let started_unseen = |rows: &mut Vec<Row>| {
            let was = had.status.and_then(|(_, c)| c);
            if now.status.and_then(|(_, c)| c) == Some(Category::Done)
                && !was.is_some_and(|c| c.is_wip() || c == Category::Done)
            {
                rows.push(Row {
                    status: Some(STARTED_UNSEEN.to_string()),
                    category: Some(Category::Doing),
                    ..row("status", at)
                });
            }
        };
        let fields = |kind| Row {
            assignee: now.assignees.as_ref().map(|a| a.join(";")),
            team: text(now.team),
            title: title(now.title),
            item_type: text(now.item_type),
            priority: text(now.priority),
            labels: text(now.labels),
            due: now.due,
            iteration: text(now.iteration),
            ..row(kind, at)
        };
        // A flag seen set (or cleared) by this run.
        let flag = |rows: &mut Vec<Row>, had: Option<bool>| match (now.blocked, had) {
            (Some(true), Some(true)) => {}
            (Some(true), _) => rows.push(row("blocked", at)),
            (None | Some(false), Some(true)) => rows.push(row("unblocked", at)),
            _ => {}
        };
        if history.is_none() && now.first != UNDATED {
            // When it was created, so the history alone still knows it.
            rows.push(Row {
                observed_after: None,
                ..row("created", now.first)
            });
        }
        match history {
            // A task newer than the previous run: its state was reached since then.
            None if previous.is_some_and(|p| now.first > p) => {
                rows.push(fields("updated"));
                flag(&mut rows, None);
                if now.status.is_some() {
                    started_unseen(&mut rows);
                    rows.push(status("status"));
                }
            }
            // First seen with a state it may have had for long: recorded, never dated.
            None => {
                let mut r = fields(match now.status {
                    Some(_) => "snapshot",
                    None => "updated",
                });
                if let Some((s, c)) = now.status {
                    r.status = text(Some(s));
                    r.category = c;
                }
                rows.push(r);
                flag(&mut rows, None);
            }
            Some(h) => {
                if h.unseen {
                    rows.push(row("seen", observed_at));
                }
                if now.status.is_some() && now.status != had.status {
                    started_unseen(&mut rows);
                    rows.push(status("status"));
                }
                // An export shows every assignee and label: none shown is none (cleared).
                let assignees = now.assignees.clone().unwrap_or_default();
                if assignees != had.assignees.clone().unwrap_or_default() {
                    rows.push(Row {
                        assignee: Some(assignees.join(";")),
                        ..row("assigned", at)
                    });
                }
                let changed = |a: Option<Sym>, b: Option<Sym>| a.is_some() && a != b;
                let edit = Row {
                    team: text(now.team).filter(|_| changed(now.team, had.team)),
                    title: title(now.title).filter(|_| changed(now.title, had.title)),
                    item_type: text(now.item_type)
                        .filter(|_| changed(now.item_type, had.item_type)),
                    priority: text(now.priority).filter(|_| changed(now.priority, had.priority)),
                    labels: match (now.labels, had.labels) {
                        (Some(_), _) => {
                            text(now.labels).filter(|_| changed(now.labels, had.labels))
                        }
                        // An empty list (`;`) clears them: an empty cell would mean unchanged.
                        (None, Some(h))
                            if !crate::model::split_list(log.strings.resolve(h)).is_empty() =>
                        {
                            Some(";".to_string())
                        }
                        (None, _) => None,
                    },
                    iteration: text(now.iteration)
                        .filter(|_| changed(now.iteration, had.iteration)),
                    due: now.due.filter(|_| now.due != had.due),
                    ..row("updated", at)
                };
                if edit != row("updated", at) {
                    rows.push(edit);
                }
                flag(&mut rows, had.blocked);
            }
        }
    }
    for (&task, h) in &known {
        if !h.unseen && !observed.contains_key(&task) {
            rows.push(Row {
                task: log.strings.resolve(task).to_string(),
                at: observed_at,
                kind: "unseen",
                observed_after: previous,
                ..Row::default()
            });
        }
    }
    rows
}
