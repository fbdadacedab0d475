//! Cycle time, lead time and work item age over the trailing 90 days, with the team's SLE.

use serde::Serialize;

use super::percentile::{Percentiles, MIN_N_P85};
use super::KpiId;
use super::{round2, Kpi, Status, TeamCtx};
use crate::config::Targets;
use crate::model::calendar::{days_inclusive, Day};
use crate::model::Category;

/// Days in the trailing window of finished tasks.
pub const WINDOW_DAYS: i32 = 90;

/// A finished task on the scatterplot.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CyclePoint {
    /// Task id.
    pub task_id: String,
    /// Local day it was done.
    pub done_day: Day,
    /// Cycle time in days (inclusive).
    pub days: i32,
}

/// A started, unfinished task on the aging chart.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AgingPoint {
    /// Task id.
    pub task_id: String,
    /// Raw status.
    pub status: String,
    /// `doing` or `waiting`.
    pub category: Category,
    /// Days since start, inclusive.
    pub age: i32,
}

/// Results of this module.
pub struct CycleResults {
    pub cycle_time: Percentiles,
    pub lead_time: Percentiles,
    pub points: Vec<CyclePoint>,
    pub lead_points: Vec<CyclePoint>,
    pub aging: Vec<AgingPoint>,
    pub sle: Option<(i32, String)>,
    pub cycle_kpi: Kpi,
    pub lead_kpi: Kpi,
    pub age_kpi: Kpi,
}

/// Computes the three KPIs for one team: percentiles and points from the task table.
pub fn compute(ctx: &TeamCtx, targets: &Targets) -> CycleResults {
    // The task table's queries: done in the last WINDOW_DAYS, and in the WINDOW_DAYS before.
    let points_of = |found: &[(String, Day, i32)]| -> Vec<CyclePoint> {
        found
            .iter()
            .map(|(task_id, done_day, days)| CyclePoint {
                task_id: task_id.clone(),
                done_day: *done_day,
                days: *days,
            })
            .collect()
    };
    let [points, lead_points] = &ctx.queries.points;
    let (points, lead_points) = (points_of(points), points_of(lead_points));
    let [cycle_time, prev_ct, lead_time, prev_lt] = ctx.queries.cycle.map(Percentiles::from_sample);
    let sle = match (targets.sle_days, prev_ct.p85, cycle_time.p85) {
        (Some(x), _, _) => Some((x as i32, "team policy (targets.sle_days)".to_string())),
        (None, Some(x), _) => Some((x, "P85 of the previous 90 days".to_string())),
        (None, None, Some(x)) => Some((x, "P85 of the last 90 days (provisional)".to_string())),
        _ => None,
    };
    let aging: Vec<AgingPoint> = ctx
        .tasks
        .iter()
        .filter(|t| t.category.is_wip())
        .filter_map(|t| {
            Some(AgingPoint {
                task_id: t.task_id.clone(),
                status: t.status.as_deref().unwrap_or_default().to_string(),
                category: t.category,
                age: days_inclusive(t.start?, ctx.as_of, ctx.tz),
            })
        })
        .collect();
    CycleResults {
        cycle_kpi: cycle_kpi(&points, cycle_time, sle.as_ref(), targets),
        lead_kpi: lead_kpi(lead_time, prev_lt),
        age_kpi: age_kpi(&aging, cycle_time, sle.as_ref(), targets),
        cycle_time,
        lead_time,
        points,
        lead_points,
        aging,
        sle,
    }
}

fn too_few(n: usize) -> String {
    format!("fewer than {MIN_N_P85} finished tasks in the last {WINDOW_DAYS} days (n = {n})")
}

fn cycle_kpi(
    points: &[CyclePoint],
    now: Percentiles,
    sle: Option<&(i32, String)>,
    targets: &Targets,
) -> Kpi {
    let pct = (targets.sle_hit_rate * 100.0).round();
    let target = match sle {
        Some((x, source)) => format!("≥ {pct} % finish within {x} days, the SLE: {source}"),
        None => format!("≥ {pct} % finish within the SLE (policy)"),
    };
    let Some((sle_days, _)) = sle.filter(|_| now.count >= MIN_N_P85) else {
        return Kpi::not_available(KpiId::CycleTime, target, too_few(now.count));
    };
    let late: Vec<&CyclePoint> = points.iter().filter(|p| p.days > *sle_days).collect();
    let hit = 1.0 - late.len() as f64 / points.len() as f64;
    let status = super::load::band_up(hit, targets.sle_hit_rate, targets.sle_hit_rate - 0.15);
    let mut flagged: Vec<String> = late.iter().map(|p| p.task_id.clone()).collect();
    flagged.sort();
    Kpi {
        value: now.p85.map(f64::from),
        status,
        reason: Some(format!(
            "{} % of {} finished tasks met the SLE of {sle_days} days",
            round2(hit * 100.0),
            points.len()
        )),
        flagged,
        ..Kpi::new(KpiId::CycleTime, target)
    }
}

/// Rise of P85 on the previous window that makes lead time a warning (policy).
const LEAD_TIME_RISE: f64 = 1.25;

fn lead_kpi(now: Percentiles, prev: Percentiles) -> Kpi {
    let target =
        "lower is better; warn when P85 rises by more than 25 % on the previous 90 days (policy)"
            .to_string();
    let Some(p85) = now.p85 else {
        return Kpi::not_available(KpiId::LeadTime, target, too_few(now.count));
    };
    let rising = prev
        .p85
        .is_some_and(|p| p85 as f64 > p as f64 * LEAD_TIME_RISE);
    Kpi {
        value: Some(p85 as f64),
        status: if rising { Status::Warn } else { Status::Ok },
        reason: rising.then(|| format!("P85 rose from {} to {p85} days", prev.p85.unwrap_or(0))),
        flagged: Vec::new(),
        ..Kpi::new(KpiId::LeadTime, target)
    }
}

fn age_kpi(
    aging: &[AgingPoint],
    ct: Percentiles,
    sle: Option<&(i32, String)>,
    targets: &Targets,
) -> Kpi {
    let max_share = (targets.aging_above_sle_max * 100.0).round();
    let target = format!(
        "no task older than the cycle-time P95; ≤ {max_share} % of WIP older than the SLE (policy)"
    );
    let (Some((sle_days, _)), Some(severe)) =
        (sle.filter(|_| ct.count >= MIN_N_P85), ct.p95.or(ct.p85))
    else {
        return Kpi::not_available(
            KpiId::WorkItemAge,
            target,
            format!(
                "no cycle-time percentiles to compare ages against: {}",
                too_few(ct.count)
            ),
        );
    };
    let mut above_sle: Vec<&AgingPoint> = aging.iter().filter(|a| a.age > *sle_days).collect();
    above_sle.sort_by(|a, b| b.age.cmp(&a.age).then(a.task_id.cmp(&b.task_id)));
    let severe_tasks: Vec<String> = above_sle
        .iter()
        .filter(|a| a.age > severe)
        .map(|a| a.task_id.clone())
        .collect();
    let share = if aging.is_empty() {
        0.0
    } else {
        above_sle.len() as f64 / aging.len() as f64
    };
    let severe_name = if ct.p95.is_some() {
        "P95"
    } else {
        "P85 (too few tasks for P95)"
    };
    let (status, flagged, reason) = if !severe_tasks.is_empty() {
        let reason = format!(
            "{} task(s) older than the {severe_name} of {severe} days",
            severe_tasks.len()
        );
        (Status::Alert, severe_tasks, Some(reason))
    } else if share > targets.aging_above_sle_max {
        let reason = format!(
            "{} % of WIP is older than the SLE of {sle_days} days",
            round2(share * 100.0)
        );
        (
            Status::Warn,
            above_sle.iter().map(|a| a.task_id.clone()).collect(),
            Some(reason),
        )
    } else {
        (Status::Ok, Vec::new(), None)
    };
    Kpi {
        value: Some(above_sle.len() as f64),
        status,
        reason,
        flagged,
        ..Kpi::new(KpiId::WorkItemAge, target)
    }
}
