//! Where the time goes: for tasks finished in the window, the elapsed time (24-hour days) from
//! first start to done spent in each status as the tracker names it, and the part of it spent
//! blocked.

use std::collections::BTreeMap;

use serde::Serialize;

use super::load::band;
use super::percentile::MIN_N_P85;
use super::{round2, Kpi, KpiId, TeamCtx};
use crate::model::calendar::{local_day, week_start, Day};
use crate::model::{Category, Timeline, Ts};

/// Time in one status, over the tasks finished in the window (`kpis.json`).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct StatusTime {
    /// The status, as the tracker names it.
    pub status: String,
    /// Its category (`doing` or `waiting`; `todo` when a task went back).
    pub category: String,
    /// Finished tasks that spent time in it.
    pub tasks: usize,
    /// Median days those tasks spent in it.
    pub median_days: f64,
    /// P85 of the days (from 12 tasks on).
    pub p85_days: Option<f64>,
    /// Its part of all finished tasks' cycle time, 0–1.
    pub share: f64,
}

/// Days one task spent in one status (`time-in-status.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct TaskStatusDays {
    pub task: String,
    pub status: crate::model::Name,
    pub days: f64,
}

/// Days spent in each status by the tasks finished in one week (the weekly chart).
#[derive(Debug, Clone, PartialEq)]
pub struct WeekStatusDays {
    pub week_start: Day,
    pub days: BTreeMap<String, f64>,
}

/// Everything the team page and downloads show of where the time went.
#[derive(Debug, Clone, Default)]
pub struct TimeInStatus {
    pub statuses: Vec<StatusTime>,
    pub per_task: Vec<TaskStatusDays>,
    pub weekly: Vec<WeekStatusDays>,
}

const DAY: f64 = 86_400.0;

/// The statuses a task went through between `from` and `to`, with the seconds in each.
fn spans(t: &Timeline, from: Ts, to: Ts) -> Vec<(crate::model::Name, Category, i64)> {
    let mut out: Vec<(crate::model::Name, Category, i64)> = Vec::new();
    for (i, c) in t.statuses.iter().enumerate() {
        let end = t.statuses.get(i + 1).map_or(to, |n| n.ts).min(to);
        let start = c.ts.max(from);
        if end <= start || matches!(c.category, Category::Done | Category::Cancelled) {
            continue;
        }
        match out.iter_mut().find(|(s, _, _)| *s == c.status) {
            Some(entry) => entry.2 += end - start,
            None => out.push((c.status, c.category, end - start)),
        }
    }
    out
}

/// Seconds of `t` blocked between `from` and `to`.
pub fn blocked_seconds(t: &Timeline, from: Ts, to: Ts) -> i64 {
    t.blocked
        .iter()
        .map(|&(a, b)| (b.unwrap_or(to).min(to) - a.max(from)).max(0))
        .sum()
}

/// Finished in the window, with a known start: the tasks whose cycle time is split.
fn finished<'a>(ctx: &'a TeamCtx) -> impl Iterator<Item = (&'a Timeline, Ts, Ts)> + 'a {
    let since = ctx.as_of - i64::from(super::WINDOW_DAYS) * 86_400;
    ctx.tasks
        .iter()
        .filter_map(move |t| match (t.start, t.done) {
            (Some(s), Some(d)) if d >= since && d > s => Some((*t, s, d)),
            _ => None,
        })
}

fn nearest_rank(sorted: &[f64], pct: usize) -> f64 {
    let i = (pct * sorted.len()).div_ceil(100).max(1) - 1;
    sorted[i.min(sorted.len() - 1)]
}

/// Time in each status of the tasks finished in the window, per task and week by week.
pub fn compute(ctx: &TeamCtx) -> TimeInStatus {
    // Keyed by the statuses' text, kept for the whole build: copied once per status, not once
    // per task.
    let mut by_status: BTreeMap<(&str, Category), Vec<f64>> = BTreeMap::new();
    let mut total = 0.0;
    let mut out = TimeInStatus::default();
    let mut weeks: BTreeMap<Day, BTreeMap<&str, f64>> = BTreeMap::new();
    for (t, start, done) in finished(ctx) {
        total += (done - start) as f64 / DAY;
        let week = week_start(local_day(done, ctx.tz));
        for (status, category, secs) in spans(t, start, done) {
            let days = secs as f64 / DAY;
            by_status
                .entry((status.text(), category))
                .or_default()
                .push(days);
            *weeks
                .entry(week)
                .or_default()
                .entry(status.text())
                .or_default() += days;
            out.per_task.push(TaskStatusDays {
                task: t.task_id.clone(),
                status,
                days: round2(days),
            });
        }
    }
    let mut statuses: Vec<StatusTime> = by_status
        .into_iter()
        .map(|((status, category), mut days)| {
            days.sort_by(f64::total_cmp);
            let sum: f64 = days.iter().sum();
            StatusTime {
                status: status.to_string(),
                category: category.as_str().to_string(),
                tasks: days.len(),
                median_days: round2(nearest_rank(&days, 50)),
                p85_days: (days.len() >= MIN_N_P85).then(|| round2(nearest_rank(&days, 85))),
                share: if total > 0.0 {
                    round2(sum / total)
                } else {
                    0.0
                },
            }
        })
        .collect();
    statuses.sort_by(|a, b| b.share.total_cmp(&a.share).then(a.status.cmp(&b.status)));
    out.statuses = statuses;
    // Every week from the first to the last, empty ones too, so the chart keeps time.
    if let (Some(&first), Some(&last)) = (weeks.keys().next(), weeks.keys().next_back()) {
        for w in (first..last).step_by(7) {
            weeks.entry(w).or_default();
        }
    }
    out.weekly = weeks
        .into_iter()
        .map(|(week_start, days)| WeekStatusDays {
            week_start,
            days: days
                .into_iter()
                .map(|(s, d)| (s.to_string(), round2(d)))
                .collect(),
        })
        .collect();
    out
}

/// Blocked time: the share of finished tasks' elapsed cycle time spent blocked; flagged are
/// the tasks blocked now, longest first, with how long.
pub fn blocked_time(ctx: &TeamCtx) -> Kpi {
    let max = ctx.config.targets.blocked_time_max;
    let target = format!(
        "≤ {:.0} % of cycle time blocked (warn up to {:.0} %; policy)",
        max * 100.0,
        max * 200.0
    );
    let (mut total, mut blocked, mut n) = (0i64, 0i64, 0usize);
    for (t, start, done) in finished(ctx) {
        total += done - start;
        blocked += blocked_seconds(t, start, done);
        n += 1;
    }
    let mut now: Vec<(i64, &str)> = ctx
        .tasks
        .iter()
        .filter(|t| !matches!(t.category, Category::Done | Category::Cancelled))
        .filter_map(|t| match t.blocked.last() {
            Some(&(since, None)) => Some((ctx.as_of - since, t.task_id.as_str())),
            _ => None,
        })
        .collect();
    now.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let flagged = now
        .iter()
        .map(|(secs, key)| format!("{key} (blocked {:.1} days)", *secs as f64 / DAY))
        .collect();
    if n == 0 || total == 0 {
        return Kpi {
            flagged,
            ..Kpi::not_available(
                KpiId::BlockedTime,
                target,
                "no task finished in the last 90 days with a known start".into(),
            )
        };
    }
    let share = blocked as f64 / total as f64;
    let any_signal = ctx.tasks.iter().any(|t| !t.blocked.is_empty());
    let reason = match any_signal {
        true => format!(
            "{:.1} of {:.1} days of cycle time blocked, over {n} finished tasks; {} blocked now",
            blocked as f64 / DAY,
            total as f64 / DAY,
            now.len()
        ),
        false => "no blocked spans in the data (blocked/unblocked events, Jira's Flagged, a \
                  blocked status or label): 0 % may mean blocks are not recorded"
            .to_string(),
    };
    Kpi {
        value: Some(round2(share * 100.0)),
        status: band(share, max, 2.0 * max),
        reason: Some(reason),
        flagged,
        ..Kpi::new(KpiId::BlockedTime, target)
    }
}
