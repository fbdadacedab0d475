//! Load balance (Gini of per-person load over the roster, peak ratio, overloaded people,
//! unassigned started tasks) and assigned-while-busy.

use serde::Serialize;

use super::holding::end_of_day;
use super::KpiId;
use super::{round2, Kpi, Status, TeamCtx, WINDOW_DAYS};

/// One roster member's load.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct PersonLoad {
    /// Person id.
    pub person: String,
    /// Mean started tasks held at the end of the last 5 business days, divided by capacity.
    pub load: f64,
}

/// The load-balance numbers behind the KPI and its charts.
#[derive(Debug, Clone, Serialize, Default, schemars::JsonSchema)]
pub struct LoadBalance {
    /// Gini coefficient of the loads (0 = even, 1 = one person holds everything).
    pub gini: Option<f64>,
    /// Highest load divided by the mean.
    pub peak_ratio: Option<f64>,
    /// Loads in roster order.
    pub loads: Vec<PersonLoad>,
    /// Gini of started work held at the end of each of the last 12 weeks (Friday, or the
    /// as-of day for the current week), oldest first.
    pub weekly_gini: Vec<WeekGini>,
}

/// The Gini of one week.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct WeekGini {
    /// Monday of the week, `YYYY-MM-DD`.
    pub week_start: String,
    /// Gini of per-person started work ÷ capacity at the end of the week.
    pub gini: f64,
}

/// Weeks of Gini history shown.
const TREND_WEEKS: i32 = 12;

fn weekly_gini(ctx: &TeamCtx) -> Vec<WeekGini> {
    let this_week = crate::model::calendar::week_start(ctx.today);
    (0..TREND_WEEKS)
        .rev()
        .map(|k| {
            let monday = this_week - 7 * k;
            let day = (monday + 4).min(ctx.today);
            let eod = end_of_day(day, ctx.tz, ctx.as_of);
            let loads: Vec<f64> = ctx
                .team
                .roster
                .iter()
                .map(|p| ctx.holding.at(p, eod) as f64 / ctx.config.capacity_of(p))
                .collect();
            WeekGini {
                week_start: crate::model::calendar::iso(monday),
                gini: round2(gini(&loads)),
            }
        })
        .collect()
}

/// Gini coefficient, uncorrected (the roster is the whole population): with `x` ascending and
/// ranks 1..n, `Σ (2i − n − 1)·x_i / (n · Σx)`; 0 when nobody holds anything.
pub fn gini(values: &[f64]) -> f64 {
    let mut x = values.to_vec();
    x.sort_by(f64::total_cmp);
    let (n, sum) = (x.len() as f64, x.iter().sum::<f64>());
    if x.is_empty() || sum == 0.0 {
        return 0.0;
    }
    let weighted: f64 = x
        .iter()
        .enumerate()
        .map(|(i, v)| (2.0 * (i as f64 + 1.0) - n - 1.0) * v)
        .sum();
    weighted / (n * sum)
}

/// Business days the load is averaged over.
const LOAD_DAYS: usize = 5;

/// The load-balance KPI: worst of the Gini band (≤ 0.25 ok, ≤ 0.40 warn), the peak ratio
/// (≤ 1.5 ok, ≤ 2.0 warn), overloaded people (any → warn, 2 over the limit → alert) and
/// unassigned started tasks (any → warn).
pub fn load_balance(ctx: &TeamCtx) -> (LoadBalance, Kpi) {
    let days = ctx.calendar.last_business_days(ctx.today, LOAD_DAYS);
    let loads: Vec<PersonLoad> = ctx
        .team
        .roster
        .iter()
        .map(|p| {
            let held: usize = days
                .iter()
                .map(|&d| ctx.holding.at(p, end_of_day(d, ctx.tz, ctx.as_of)))
                .sum();
            PersonLoad {
                person: p.clone(),
                load: round2(held as f64 / days.len() as f64 / ctx.config.capacity_of(p)),
            }
        })
        .collect();
    let values: Vec<f64> = loads.iter().map(|l| l.load).collect();
    let target = "Gini ≤ 0.25 (warn ≤ 0.40), peak ≤ 1.5 × the mean, nobody over their limit, no started task \
                  without an owner (policy)"
        .to_string();
    let overloaded: Vec<(String, usize, u32)> = ctx
        .team
        .roster
        .iter()
        .map(|p| {
            (
                p.clone(),
                ctx.holding.at(p, ctx.as_of),
                ctx.config.wip_limit_of(p),
            )
        })
        .filter(|(_, held, limit)| *held > *limit as usize)
        .collect();
    let unassigned: Vec<String> = ctx
        .tasks
        .iter()
        .filter(|t| t.category.is_wip() && t.assignees.is_empty())
        .map(|t| t.task_id.clone())
        .collect();
    if ctx.team.roster.len() < 3 {
        let kpi = Kpi::not_available(
            KpiId::LoadBalance,
            target,
            format!(
                "fewer than 3 people on the roster ({})",
                ctx.team.roster.len()
            ),
        );
        return (
            LoadBalance {
                loads,
                ..Default::default()
            },
            kpi,
        );
    }
    let g = round2(gini(&values));
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let peak = (mean > 0.0).then(|| round2(values.iter().cloned().fold(0.0, f64::max) / mean));
    let mut status = band(g, 0.25, 0.40).max(peak.map_or(Status::Ok, |p| band(p, 1.5, 2.0)));
    let mut reasons = vec![format!("Gini {g}")];
    if let Some(p) = peak {
        reasons.push(format!("peak {p} × the mean"));
    }
    for (p, held, limit) in &overloaded {
        let s = if *held >= *limit as usize + 2 {
            Status::Alert
        } else {
            Status::Warn
        };
        status = status.max(s);
        reasons.push(format!("{p} holds {held} (limit {limit})"));
    }
    if !unassigned.is_empty() {
        status = status.max(Status::Warn);
        reasons.push(format!(
            "{} started task(s) without an owner",
            unassigned.len()
        ));
    }
    let mut flagged: Vec<String> = overloaded.iter().map(|(p, _, _)| p.clone()).collect();
    if status != Status::Ok {
        if flagged.is_empty() && peak.is_some() {
            // The imbalance itself: the most loaded people.
            let max = values.iter().cloned().fold(0.0, f64::max);
            flagged.extend(
                loads
                    .iter()
                    .filter(|l| l.load == max)
                    .map(|l| l.person.clone()),
            );
        }
        flagged.extend(unassigned);
    }
    let kpi = Kpi {
        value: Some(g),
        status,
        reason: Some(reasons.join("; ")),
        flagged,
        ..Kpi::new(KpiId::LoadBalance, target)
    };
    (
        LoadBalance {
            gini: Some(g),
            peak_ratio: peak,
            loads,
            weekly_gini: weekly_gini(ctx),
        },
        kpi,
    )
}

/// `ok` up to `warn_above`, `warn` up to `alert_above`, else `alert`.
pub fn band(x: f64, warn_above: f64, alert_above: f64) -> Status {
    if x <= warn_above {
        Status::Ok
    } else if x <= alert_above {
        Status::Warn
    } else {
        Status::Alert
    }
}

/// `ok` from `ok_from` up, `warn` from `warn_from` up, else `alert` (for a KPI where more is
/// better).
pub fn band_up(x: f64, ok_from: f64, warn_from: f64) -> Status {
    if x >= ok_from {
        Status::Ok
    } else if x >= warn_from {
        Status::Warn
    } else {
        Status::Alert
    }
}

/// A KPI that is the share (%) of `of` items that `counted` names, banded (ok up to `warn`,
/// warn up to `alert`), with the counted items flagged.
pub fn share_kpi(
    id: KpiId,
    target: String,
    counted: Vec<String>,
    of: usize,
    (warn, alert): (f64, f64),
    what: &str,
) -> Kpi {
    let share = round2(counted.len() as f64 / of as f64 * 100.0);
    Kpi {
        value: Some(share),
        status: band(share, warn, alert),
        reason: Some(format!("{} of {of} {what}", counted.len())),
        flagged: counted,
        ..Kpi::new(id, target)
    }
}

/// Share of hand-offs (someone else assigning a task to a person) in the last 90 days that went
/// to a person already at or over their WIP limit: ≤ 10 % ok, ≤ 20 % warn (policy).
pub fn assigned_while_busy(ctx: &TeamCtx) -> Kpi {
    let target =
        "≤ 10 % of hand-offs go to someone already at their WIP limit (policy)".to_string();
    let since = ctx.as_of - WINDOW_DAYS as i64 * 86_400;
    let (mut handoffs, mut busy) = (0usize, Vec::new());
    let mut any_assignment = false;
    for t in &ctx.tasks {
        for a in &t.assignments {
            any_assignment |= a.actor.is_some();
            let Some(actor) = a.actor.as_deref() else {
                continue;
            };
            if a.ts < since || ctx.config.is_bot(actor) || a.to.iter().any(|p| &**p == actor) {
                continue;
            }
            for p in a.to.iter().filter(|p| !a.from.contains(p)) {
                handoffs += 1;
                let (held, limit) = (ctx.holding.before(p, a.ts), ctx.config.wip_limit_of(p));
                if held >= limit as usize {
                    busy.push(format!("{} → {p} (held {held}, limit {limit})", t.task_id));
                }
            }
        }
    }
    if handoffs == 0 {
        let reason = if any_assignment {
            format!("no hand-offs in the last {WINDOW_DAYS} days")
        } else {
            "the input has no assignment history (who assigned whom)".to_string()
        };
        return Kpi::not_available(KpiId::AssignedWhileBusy, target, reason);
    }
    share_kpi(
        KpiId::AssignedWhileBusy,
        target,
        busy,
        handoffs,
        (10.0, 20.0),
        "hand-offs went to someone at their limit",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gini_matches_worked_examples() {
        // [1,1,2,2,3,3]: Σ = 12, Σ(2i−7)x = −5−3−2+2+9+15 = 16 → 16 / 72 = 0.22.
        assert_eq!(round2(gini(&[3.0, 1.0, 2.0, 1.0, 3.0, 2.0])), 0.22);
        // [0,0,1,1,2,8]: 0+0−1+1+6+40 = 46 → 46 / 72 = 0.64.
        assert_eq!(round2(gini(&[0.0, 0.0, 1.0, 1.0, 2.0, 8.0])), 0.64);
        // An idle member counts: [2,2] is even, [0,2,2] is not: (−2·0 + 0·2 + 2·2) / (3·4) = 0.33.
        assert_eq!(gini(&[2.0, 2.0]), 0.0);
        assert_eq!(round2(gini(&[0.0, 2.0, 2.0])), 0.33);
        assert_eq!(gini(&[0.0, 0.0, 0.0]), 0.0);
    }
}
