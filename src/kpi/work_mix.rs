//! Work mix: how much of the finished work was unplanned (by type or label), and finished work
//! by type week by week.

use std::collections::BTreeMap;

use super::load::band;
use super::{round2, Kpi, KpiId, TeamCtx};
use crate::model::calendar::{local_day, week_start, Day};

/// Finished tasks of each type in one week (the weekly chart).
#[derive(Debug, Clone, PartialEq)]
pub struct WeekTypes {
    pub week_start: Day,
    pub by_type: BTreeMap<String, u32>,
}

/// Types shown on their own in the weekly chart; the rest are "other".
const TYPES_SHOWN: usize = 5;

/// The unplanned share of the tasks finished in the window, and finished work by type per week.
pub fn compute(ctx: &TeamCtx) -> (Kpi, Vec<WeekTypes>) {
    let config = ctx.config;
    let t = &config.targets;
    let target = format!(
        "≤ {:.0} % of finished work unplanned (warn up to {:.0} %; policy)",
        t.unplanned_max * 100.0,
        t.unplanned_alert * 100.0
    );
    let since = ctx.as_of - i64::from(super::WINDOW_DAYS) * 86_400;
    let finished: Vec<_> = ctx
        .tasks
        .iter()
        .filter(|t| t.done.is_some_and(|d| d >= since))
        .collect();
    let typed = finished
        .iter()
        .filter(|t| t.item_type.is_some() || !t.labels.is_empty())
        .count();
    let is_unplanned = config.unplanned();
    let unplanned: Vec<&str> = finished
        .iter()
        .filter(|t| is_unplanned.is(t.item_type.as_deref(), &t.labels))
        .map(|t| t.task_id.as_str())
        .collect();
    let kpi = if finished.is_empty() {
        Kpi::not_available(
            KpiId::WorkMix,
            target,
            "no task finished in the last 90 days".into(),
        )
    } else if typed == 0 {
        Kpi::not_available(
            KpiId::WorkMix,
            target,
            "the finished tasks have no type or label to tell planned from unplanned work".into(),
        )
    } else {
        let share = unplanned.len() as f64 / finished.len() as f64;
        let status = band(share, t.unplanned_max, t.unplanned_alert);
        Kpi {
            value: Some(round2(share * 100.0)),
            status,
            reason: Some(format!(
                "{} of {} finished tasks unplanned",
                unplanned.len(),
                finished.len()
            )),
            flagged: match status {
                super::Status::Ok => Vec::new(),
                _ => unplanned.iter().map(|s| s.to_string()).collect(),
            },
            ..Kpi::new(KpiId::WorkMix, target)
        }
    };
    (kpi, weekly(ctx))
}

/// Finished tasks by type in every week with any, the most common types on their own.
fn weekly(ctx: &TeamCtx) -> Vec<WeekTypes> {
    let type_of = |t: &crate::model::Timeline| t.item_type.map_or("(no type)", |n| n.text());
    let mut totals: BTreeMap<&str, u32> = BTreeMap::new();
    for t in ctx.tasks.iter().filter(|t| t.done.is_some()) {
        *totals.entry(type_of(t)).or_default() += 1;
    }
    let mut common: Vec<(&str, u32)> = totals.into_iter().collect();
    common.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let shown: Vec<&str> = common
        .into_iter()
        .take(TYPES_SHOWN)
        .map(|(t, _)| t)
        .collect();
    let mut weeks: BTreeMap<Day, BTreeMap<&str, u32>> = BTreeMap::new();
    for t in ctx.tasks.iter() {
        if let Some(done) = t.done {
            let name = type_of(t);
            let name = if shown.contains(&name) { name } else { "other" };
            *weeks
                .entry(week_start(local_day(done, ctx.tz)))
                .or_default()
                .entry(name)
                .or_default() += 1;
        }
    }
    // Every week from the first to the last, empty ones too, so the chart keeps time.
    if let (Some(&first), Some(&last)) = (weeks.keys().next(), weeks.keys().next_back()) {
        for w in (first..last).step_by(7) {
            weeks.entry(w).or_default();
        }
    }
    weeks
        .into_iter()
        .map(|(week_start, by_type)| WeekTypes {
            week_start,
            by_type: by_type
                .into_iter()
                .map(|(t, n)| (t.to_string(), n))
                .collect(),
        })
        .collect()
}
