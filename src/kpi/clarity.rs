//! Delegation with clarity and room to grow: whether hand-offs carry the what, the why and the
//! expected outcome, and whether people get work new to them.

use std::borrow::Cow;
use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use super::{round2, Kpi, KpiId, Status, TeamCtx};
use crate::model::{Timeline, Ts};

/// Words a description needs to say what the task is.
const MIN_WORDS: usize = 20;

const DAY: i64 = 86_400;

/// The value in force at `t` of a list of changes.
fn at<T: Copy>(changes: &[(Ts, T)], t: Ts) -> Option<T> {
    let i = changes.partition_point(|c| c.0 <= t);
    i.checked_sub(1).map(|i| changes[i].1)
}

/// Hand-off clarity: of the hand-offs of the last 90 days (assignments by someone other than
/// the assignee), the share where the task had, at that moment, a description of 20 words or
/// more (what), a parent (why) and an expected outcome (acceptance criteria, a checklist or a
/// due date). Parts the inputs cannot show are left out and named.
pub fn handoff_clarity(ctx: &TeamCtx) -> Kpi {
    let t = &ctx.config.targets;
    let target = format!(
        "≥ {:.0} % of hand-offs with the what, the why and the expected outcome (policy)",
        t.handoff_clarity_min * 100.0
    );
    let what = ctx.tasks.iter().any(|t| !t.descriptions.is_empty());
    let why = ctx.tasks.iter().any(|t| !t.parents.is_empty());
    if !what && !why {
        // A due date alone would be the whole judgement: too little to call a hand-off unclear.
        return Kpi::not_available(
            KpiId::HandoffClarity,
            target,
            "the inputs have no description and no parent (epic) column: add them to the export \
             (Jira's Description and Parent, Trello card descriptions, the canonical log's \
             `description` and `parent`)"
                .into(),
        );
    }
    let since = ctx.as_of - i64::from(super::WINDOW_DAYS) * DAY;
    let mut total = 0usize;
    let mut lacking: Vec<(Ts, String)> = Vec::new();
    for task in &ctx.tasks {
        for a in &task.assignments {
            let Some(actor) = &a.actor else { continue };
            if a.ts < since || a.to.is_empty() || a.to.contains(actor) {
                continue;
            }
            total += 1;
            let desc = at(&task.descriptions, a.ts);
            let mut missing = Vec::new();
            if what && desc.is_none_or(|d| d.words() < MIN_WORDS) {
                missing.push("what");
            }
            if why && !at(&task.parents, a.ts).unwrap_or(false) {
                missing.push("why");
            }
            let due = at(&task.due_changes, a.ts).is_some();
            if !due && !desc.is_some_and(|d| d.outcome()) {
                missing.push("expected outcome");
            }
            if !missing.is_empty() {
                lacking.push((
                    a.ts,
                    format!("{} (no {})", task.task_id, missing.join(", no ")),
                ));
            }
        }
    }
    let checked: Vec<&str> = [
        (what, "the what (a description)"),
        (why, "the why (a parent)"),
        (true, "the expected outcome"),
    ]
    .iter()
    .filter(|(ok, _)| *ok)
    .map(|(_, s)| *s)
    .collect();
    if total == 0 {
        return Kpi::not_available(
            KpiId::HandoffClarity,
            target,
            "no hand-off in the last 90 days (an assignment by someone other than the assignee)"
                .into(),
        );
    }
    let share = (total - lacking.len()) as f64 / total as f64;
    let status = super::load::band_up(share, t.handoff_clarity_min, t.handoff_clarity_min - 0.2);
    let mut reason = format!(
        "{} of {total} hand-offs clear; checked: {}",
        total - lacking.len(),
        checked.join(", ")
    );
    if !what || !why {
        reason.push_str(
            "; the inputs have no description or no parent column, so that part is not checked",
        );
    }
    lacking.sort();
    Kpi {
        value: Some(round2(share * 100.0)),
        status,
        reason: Some(reason),
        flagged: lacking.into_iter().map(|(_, s)| s).collect(),
        ..Kpi::new(KpiId::HandoffClarity, target)
    }
}

/// When a person last finished a kind of work, and the time before that.
type Finishes = (Ts, Option<Ts>);

/// The kinds of work a finished task stands for: its labels, else its type.
fn kinds(t: &Timeline) -> &[crate::model::Name] {
    match t.labels.is_empty() {
        false => &t.labels,
        true => t.item_type.as_slice(),
    }
}

/// Stretch: of the tasks finished in the last 90 days, the share finished by someone who had
/// not finished a task of that kind (label, else type) in the 180 days before. Flagged: the
/// roster members who got no new kind of work in those 90 days, in roster order.
pub fn stretch(ctx: &TeamCtx) -> Kpi {
    let (low, high) = ctx.config.targets.stretch_band;
    let target = format!(
        "{:.0}–{:.0} % of finished work new to whoever finished it (policy: some stretch, not \
         chaos)",
        low * 100.0,
        high * 100.0
    );
    let since = ctx.as_of - i64::from(super::WINDOW_DAYS) * DAY;
    // A finish only counts within the 180 days before one in the window: earlier ones never do.
    let mut done: Vec<(Ts, &Timeline)> = ctx
        .tasks
        .iter()
        .filter_map(|t| t.done.map(|d| (d, *t)))
        .filter(|&(d, _)| d >= since - 180 * DAY)
        .collect();
    done.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.task_id.cmp(&b.1.task_id)));
    // Per person and kind, the latest time they finished one, and the latest before that
    // (`done` is in time order, so the latest finish before a task's is one of the two).
    // Kinds in lower case, as the skills matrix reads labels: `Austin` and `austin` are one.
    let mut finished: FxHashMap<(&str, Cow<str>), Finishes> = FxHashMap::default();
    let (mut total, mut new) = (0usize, 0usize);
    let mut grew: BTreeSet<&str> = BTreeSet::new();
    for &(ts, t) in &done {
        let kinds: Vec<Cow<str>> = kinds(t)
            .iter()
            .map(|k| super::table::lower_case(k.text()))
            .collect();
        let people = &t.assignees_at_done;
        if ts >= since && !kinds.is_empty() && !people.is_empty() {
            total += 1;
            let mut is_new = false;
            for p in people {
                for k in &kinds {
                    // The latest finish before this one, if within 180 days.
                    let latest = finished
                        .get(&(p.text(), Cow::Borrowed(k.as_ref())))
                        .and_then(|&(last, prior)| if last < ts { Some(last) } else { prior });
                    if latest.is_none_or(|x| x < ts - 180 * DAY) {
                        is_new = true;
                        grew.insert(p.text());
                    }
                }
            }
            new += usize::from(is_new);
        }
        for p in people {
            for k in &kinds {
                finished
                    .entry((p.text(), k.clone()))
                    .and_modify(|(last, prior)| {
                        if ts > *last {
                            (*last, *prior) = (ts, Some(*last));
                        }
                    })
                    .or_insert((ts, None));
            }
        }
    }
    if total == 0 {
        return Kpi::not_available(
            KpiId::Stretch,
            target,
            "no task finished in the last 90 days with a label or type and an assignee".into(),
        );
    }
    let share = new as f64 / total as f64;
    let status = if share >= low && share <= high {
        Status::Ok
    } else {
        Status::Warn
    };
    let flagged: Vec<String> = ctx
        .team
        .roster
        .iter()
        .filter(|p| !grew.contains(p.as_str()))
        .cloned()
        .collect();
    Kpi {
        value: Some(round2(share * 100.0)),
        status,
        reason: Some(format!(
            "{new} of {total} finished tasks were a new kind of work for whoever finished them; \
             {} on the roster got none in 90 days",
            flagged.len()
        )),
        flagged,
        ..Kpi::new(KpiId::Stretch, target)
    }
}
