//! Iterations (sprints, cycles): what each started with, what joined and left, what it
//! finished and carried over; predictability is finished ÷ committed.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{round2, Kpi, KpiId, Status, TeamCtx};
use crate::model::calendar::{iso, local_day};
use crate::model::Ts;

/// One iteration of a team (`kpis.json`).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct IterationSummary {
    /// Its name.
    pub name: String,
    /// The day its first task joined it.
    pub start: String,
    /// The day the next iteration started; `None` while it runs.
    pub end: Option<String>,
    /// Tasks in it within a day of its start.
    pub committed: usize,
    /// Tasks that joined later.
    pub added: usize,
    /// Tasks that left it unfinished before its end.
    pub removed: usize,
    /// Tasks done while in it.
    pub finished: usize,
    /// Tasks still in it, unfinished, at its end.
    pub carried_over: usize,
}

const DAY: i64 = 86_400;

/// One task's stay in one iteration: from, until (`None`: still there).
struct Stay<'a> {
    task: &'a crate::model::Timeline,
    from: Ts,
    until: Option<Ts>,
}

/// Every iteration of the team in order of start, and the predictability KPI.
pub fn compute(ctx: &TeamCtx) -> (Vec<IterationSummary>, Kpi) {
    let t = &ctx.config.targets;
    let target = format!(
        "finished ÷ committed {:.0}–{:.0} % (warn {:.0}–{:.0} %; policy)",
        t.iteration_ok.0 * 100.0,
        t.iteration_ok.1 * 100.0,
        t.iteration_warn.0 * 100.0,
        t.iteration_warn.1 * 100.0
    );
    let mut stays: BTreeMap<&str, Vec<Stay>> = BTreeMap::new();
    let mut moved = false;
    for task in &ctx.tasks {
        for (i, (from, name)) in task.iterations.iter().enumerate() {
            let until = task.iterations.get(i + 1).map(|n| n.0);
            moved |= *from > task.created;
            if let Some(name) = name {
                stays.entry(name).or_default().push(Stay {
                    task,
                    from: *from,
                    until,
                });
            }
        }
    }
    if stays.is_empty() && ctx.tasks.iter().any(|t| t.iterations_listed) {
        let why = "the export lists each task's iterations but not when it joined them: keep \
                   the nightly history (--history) or export the changelog";
        return (
            Vec::new(),
            Kpi::not_available(KpiId::IterationPredictability, target, why.into()),
        );
    }
    if stays.is_empty() {
        let why = "no iterations in the data (Jira's Sprint, Azure DevOps' Iteration Path, \
                   Linear's cycle, the canonical log's `iteration` column)";
        return (
            Vec::new(),
            Kpi::not_available(KpiId::IterationPredictability, target, why.into()),
        );
    }
    let mut order: Vec<(Ts, &str)> = stays
        .iter()
        .map(|(name, s)| (s.iter().map(|s| s.from).min().unwrap_or(0), *name))
        .collect();
    order.sort();
    let summaries: Vec<IterationSummary> = order
        .iter()
        .enumerate()
        .map(|(i, &(start, name))| {
            let end = order.get(i + 1).map(|n| n.0);
            summarise(name, start, end, &stays[name], ctx)
        })
        .collect();
    if !moved {
        // Every task listed in its iterations since its creation: nothing says when it joined
        // them, so no iteration can be told apart from another.
        let why = "the export lists each task's iterations but not when it joined them: keep \
                   the nightly history (--history) or export the changelog";
        return (
            Vec::new(),
            Kpi::not_available(KpiId::IterationPredictability, target, why.into()),
        );
    }
    let last = summaries
        .iter()
        .rev()
        .find(|s| s.end.is_some() && s.committed > 0);
    let kpi = match last {
        None => Kpi::not_available(
            KpiId::IterationPredictability,
            target,
            "no finished iteration with committed work yet".into(),
        ),
        Some(s) => {
            let ratio = s.finished as f64 / s.committed as f64;
            let within = |(lo, hi): (f64, f64)| ratio >= lo && ratio <= hi;
            let status = match (within(t.iteration_ok), within(t.iteration_warn)) {
                (true, _) => Status::Ok,
                (false, true) => Status::Warn,
                _ => Status::Alert,
            };
            Kpi {
                value: Some(round2(ratio * 100.0)),
                status,
                reason: Some(format!(
                    "{}: {} finished of {} committed ({} added, {} removed, {} carried over)",
                    s.name, s.finished, s.committed, s.added, s.removed, s.carried_over
                )),
                flagged: match status {
                    Status::Ok => Vec::new(),
                    _ => vec![s.name.clone()],
                },
                ..Kpi::new(KpiId::IterationPredictability, target)
            }
        }
    };
    (summaries, kpi)
}

fn summarise(
    name: &str,
    start: Ts,
    end: Option<Ts>,
    stays: &[Stay],
    ctx: &TeamCtx,
) -> IterationSummary {
    let mut s = IterationSummary {
        name: name.to_string(),
        start: iso(local_day(start, ctx.tz)),
        end: end.map(|e| iso(local_day(e, ctx.tz))),
        committed: 0,
        added: 0,
        removed: 0,
        finished: 0,
        carried_over: 0,
    };
    // A task's first stay decides whether it was committed or added.
    let mut seen: BTreeMap<&str, bool> = BTreeMap::new();
    for stay in stays {
        let id = stay.task.task_id.as_str();
        let until = stay.until.unwrap_or(Ts::MAX).min(end.unwrap_or(Ts::MAX));
        let done_in = stay
            .task
            .done
            .is_some_and(|d| d >= stay.from && d <= until.saturating_add(DAY));
        if let std::collections::btree_map::Entry::Vacant(v) = seen.entry(id) {
            v.insert(true);
            if stay.from <= start + DAY {
                s.committed += 1;
            } else {
                s.added += 1;
            }
        }
        match (done_in, end) {
            (true, _) => s.finished += 1,
            (false, Some(e)) if stay.until.is_some_and(|u| u < e - DAY) => s.removed += 1,
            (false, Some(_)) => s.carried_over += 1,
            (false, None) => {}
        }
    }
    s
}
