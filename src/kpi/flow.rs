//! Flow beyond throughput: due-date reliability, net flow, cumulative flow and flow efficiency.

use serde::Serialize;

use super::load::band;
use super::over_time::{day_ends, Intervals};
use super::KpiId;
use super::{round2, Kpi, Status, TeamCtx, WINDOW_DAYS};
use crate::model::calendar::{iso, week_start, Day};
use crate::model::{Category, Timeline};

/// Minimum finished tasks with a due date before on-time rate is judged.
const MIN_DUE: usize = 12;

/// Due-date reliability: share of tasks finished in the last 90 days on or before their
/// committed due date (≥ 85 % ok, ≥ 70 % warn), and open tasks already overdue (any → warn).
pub fn due_date_reliability(ctx: &TeamCtx) -> Kpi {
    let target =
        "≥ 85 % of tasks with a due date done on time, none open past its due date (policy)"
            .to_string();
    let (n, late) = (ctx.queries.due.0, &ctx.queries.due.1);
    let overdue: Vec<String> = ctx
        .tasks
        .iter()
        .filter(|t| {
            !matches!(t.category, Category::Done | Category::Cancelled)
                && t.due.is_some_and(|d| d < ctx.today)
        })
        .map(|t| t.task_id.clone())
        .collect();
    if n < MIN_DUE && overdue.is_empty() {
        return Kpi::not_available(
            KpiId::DueDateReliability,
            target,
            format!("fewer than {MIN_DUE} tasks with a due date finished in the last {WINDOW_DAYS} days (n = {n})"),
        );
    }
    let on_time = (n >= MIN_DUE).then(|| round2((n - late.len()) as f64 / n as f64 * 100.0));
    let mut status = on_time.map_or(Status::Ok, |r| band(100.0 - r, 15.0, 30.0));
    if !overdue.is_empty() {
        status = status.max(Status::Warn);
    }
    let mut reason = vec![format!(
        "{} open task(s) past their due date",
        overdue.len()
    )];
    if let Some(r) = on_time {
        reason.insert(0, format!("{r} % of {n} finished tasks on time"));
    }
    let mut flagged = overdue;
    flagged.extend(late.iter().cloned());
    Kpi {
        value: on_time,
        status,
        reason: Some(reason.join("; ")),
        flagged,
        ..Kpi::new(KpiId::DueDateReliability, target)
    }
}

/// Started and finished tasks in one week.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct FlowWeek {
    /// Monday, `YYYY-MM-DD`.
    pub week_start: String,
    /// Tasks started (first move into doing or waiting).
    pub started: u32,
    /// Tasks finished (done or cancelled).
    pub finished: u32,
    /// The week holding the as-of time.
    pub partial: bool,
}

/// Weekly arrivals and departures, from the team's first week to the as-of week; counted by
/// the task table.
pub fn flow_weeks(ctx: &TeamCtx) -> Vec<FlowWeek> {
    let first = super::throughput::first_week(
        ctx.tasks.iter().copied(),
        ctx.tz,
        ctx.as_of,
        ctx.config.history_since,
        ctx.sources,
    );
    let last = week_start(ctx.today);
    let (started, finished) = &ctx.queries.flow;
    (first..=last)
        .step_by(7)
        .map(|w| FlowWeek {
            week_start: iso(w),
            started: started.get(&w).copied().unwrap_or(0),
            finished: finished.get(&w).copied().unwrap_or(0),
            partial: w == last,
        })
        .collect()
}

/// Net flow: started minus finished over the last 4 complete weeks (positive = WIP growing).
/// ok when within ±10 % of the 4-week departures and not 3 positive weeks in a row (policy).
pub fn net_flow(weeks: &[FlowWeek]) -> Kpi {
    let target = "started − finished over 4 weeks within ±10 % of finished; not 3 growing weeks in a row (policy)".to_string();
    let complete: Vec<&FlowWeek> = weeks.iter().filter(|w| !w.partial).collect();
    if complete.len() < 4 {
        return Kpi::not_available(
            KpiId::NetFlow,
            target,
            format!(
                "fewer than 4 complete weeks of history ({})",
                complete.len()
            ),
        );
    }
    let last4 = &complete[complete.len() - 4..];
    let net: i64 = last4
        .iter()
        .map(|w| w.started as i64 - w.finished as i64)
        .sum();
    let departures: i64 = last4.iter().map(|w| w.finished as i64).sum();
    let allowed = (departures as f64 * 0.10).max(1.0);
    let growing = last4[1..].iter().all(|w| w.started > w.finished);
    let status = if (net as f64).abs() > allowed * 5.0 {
        Status::Alert
    } else if (net as f64).abs() > allowed || growing {
        Status::Warn
    } else {
        Status::Ok
    };
    let flagged = last4
        .iter()
        .filter(|w| w.started > w.finished)
        .map(|w| format!("week of {}", w.week_start))
        .collect();
    Kpi {
        value: Some(net as f64),
        status,
        reason: Some(format!(
            "{net:+} over the last 4 complete weeks ({departures} finished)"
        )),
        flagged,
        ..Kpi::new(KpiId::NetFlow, target)
    }
}

/// One day of the cumulative flow diagram.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CfdDay {
    /// The day.
    pub day: Day,
    /// Tasks created by the end of the day.
    pub created: u32,
    /// Tasks started by the end of the day (including those since finished; a task finished
    /// without starting counts as started when it finished).
    pub started: u32,
    /// Tasks finished (done or cancelled) by the end of the day.
    pub finished: u32,
}

/// Cumulative counts for each day of the last 90 days. As known at the as-of time: start is the
/// first start, finish the final done or cancel, so no line ever goes down.
pub fn cumulative(ctx: &TeamCtx) -> Vec<CfdDay> {
    let arrivals = |when: &dyn Fn(&Timeline) -> Option<i64>| {
        let mut i = Intervals::default();
        ctx.tasks
            .iter()
            .filter_map(|t| when(t))
            .for_each(|ts| i.push(ts, None));
        i.sorted()
    };
    let created = arrivals(&|t| Some(t.created));
    // A task finished without starting passes every stage at once (skipped stages back-filled).
    let started = arrivals(&|t| t.start.or(t.done).or(t.cancelled));
    let finished = arrivals(&|t| t.done.or(t.cancelled));
    day_ends(ctx.today, WINDOW_DAYS, ctx.tz, ctx.as_of)
        .map(|(day, eod)| CfdDay {
            day,
            created: created.started_by(eod) as u32,
            started: started.started_by(eod) as u32,
            finished: finished.started_by(eod) as u32,
        })
        .collect()
}

/// Cumulative flow: the work-in-progress band (started − finished) should stay roughly level;
/// warn when it widened by half or more (at least 3 tasks) over the 90 days (policy).
pub fn cumulative_flow(days: &[CfdDay]) -> Kpi {
    let target = "parallel bands: the work-in-progress band does not widen by half or more over 90 days (policy)".to_string();
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return Kpi::not_available(KpiId::CumulativeFlow, target, "no days to show".into());
    };
    let band_of = |d: &CfdDay| d.started as i64 - d.finished as i64;
    let (from, to) = (band_of(first), band_of(last));
    let change = to - from;
    let widening = change >= 3 && (to as f64) >= 1.5 * from as f64;
    Kpi {
        value: Some(change as f64),
        status: if widening { Status::Warn } else { Status::Ok },
        reason: Some(format!(
            "work in progress went from {from} to {to} over the last {} days",
            days.len()
        )),
        ..Kpi::new(KpiId::CumulativeFlow, target)
    }
}

/// Flow efficiency of tasks finished in the last 90 days: time in `doing` ÷ time from start to
/// done, summed over tasks. No target; below 15 % means waiting dominates (warn).
pub fn flow_efficiency(ctx: &TeamCtx) -> Kpi {
    let target =
        "no target; below 15 % waiting dominates — look at queues and hand-offs".to_string();
    let since = ctx.as_of - WINDOW_DAYS as i64 * 86_400;
    let (mut active, mut total, mut n, mut stamped) = (0i64, 0i64, 0usize, 0usize);
    for t in &ctx.tasks {
        let Some(done) = t.done.filter(|&d| d >= since) else {
            continue;
        };
        if t.start_unknown || (t.stamped && !t.has_history) {
            // Only summary dates: the time spent in each status in between is unknown.
            stamped += 1;
            continue;
        }
        let Some(start) = t.start.filter(|&s| s < done) else {
            continue;
        };
        n += 1;
        total += done - start;
        active += t
            .transitions
            .windows(2)
            .filter(|w| w[0].category == Category::Doing && w[1].ts > start)
            .map(|w| w[1].ts.min(done) - w[0].ts.max(start))
            .filter(|d| *d > 0)
            .sum::<i64>();
    }
    if n == 0 && stamped > 0 {
        let reason = super::missing::HISTORY_NEEDED.to_string();
        return Kpi::not_available(KpiId::FlowEfficiency, target, reason);
    }
    if n == 0 || total == 0 {
        return Kpi::not_available(
            KpiId::FlowEfficiency,
            target,
            format!("no task with a start finished in the last {WINDOW_DAYS} days"),
        );
    }
    let fe = round2(active as f64 / total as f64 * 100.0);
    Kpi {
        value: Some(fe),
        status: if fe < 15.0 { Status::Warn } else { Status::Ok },
        reason: Some(format!(
            "{n} tasks spent {fe} % of their cycle time in a doing status"
        )),
        ..Kpi::new(KpiId::FlowEfficiency, target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weeks(v: &[(u32, u32)]) -> Vec<FlowWeek> {
        let n = v.len();
        v.iter()
            .enumerate()
            .map(|(i, &(started, finished))| FlowWeek {
                week_start: format!("w{i}"),
                started,
                finished,
                partial: i + 1 == n,
            })
            .collect()
    }

    #[test]
    fn net_flow_sums_the_last_four_complete_weeks() {
        // Complete weeks (started, finished): (9,1) then (5,5), (6,5), (4,5), (5,5); partial (9,0).
        // Last 4: net 0 + 1 − 1 + 0 = 0 with 20 finished: within ±2 → ok.
        let k = net_flow(&weeks(&[(9, 1), (5, 5), (6, 5), (4, 5), (5, 5), (9, 0)]));
        assert_eq!((k.value, k.status), (Some(0.0), Status::Ok));
        // (6,5), (6,5), (6,5), (6,5): +4 with 20 finished (allowed 2) and 3 growing weeks → warn.
        let k = net_flow(&weeks(&[(6, 5), (6, 5), (6, 5), (6, 5), (0, 0)]));
        assert_eq!((k.value, k.status), (Some(4.0), Status::Warn));
        assert_eq!(k.flagged.len(), 4);
        // (9,1) ×4: +32 against 4 finished (allowed 1, ×5 = 5) → alert.
        let k = net_flow(&weeks(&[(9, 1), (9, 1), (9, 1), (9, 1), (0, 0)]));
        assert_eq!((k.value, k.status), (Some(32.0), Status::Alert));
        assert_eq!(
            net_flow(&weeks(&[(1, 1), (1, 1), (1, 1), (0, 0)])).status,
            Status::NotAvailable
        );
    }

    fn day(d: Day, created: u32, started: u32, finished: u32) -> CfdDay {
        CfdDay {
            day: d,
            created,
            started,
            finished,
        }
    }

    #[test]
    fn a_widening_wip_band_is_a_warning() {
        // Band (started − finished) 4 → 5: +1, level enough.
        let level = [day(0, 10, 6, 2), day(89, 30, 25, 20)];
        assert_eq!(
            (
                cumulative_flow(&level).value,
                cumulative_flow(&level).status
            ),
            (Some(1.0), Status::Ok)
        );
        // Band 4 → 9: +5 and 9 ≥ 1.5 × 4 → warn.
        let widening = [day(0, 10, 6, 2), day(89, 30, 25, 16)];
        assert_eq!(
            (
                cumulative_flow(&widening).value,
                cumulative_flow(&widening).status
            ),
            (Some(5.0), Status::Warn)
        );
    }
}
