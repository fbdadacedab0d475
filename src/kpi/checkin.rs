//! Check-ins: owner-update cadence and coverage, stale work, and over-checking (a heuristic for
//! micromanagement). Bots never count; weekends don't count against cadence.

use serde::Serialize;

use super::load::band;
use super::percentile::nearest_rank;
use super::KpiId;
use super::{round2, Kpi, Status, TeamCtx};
use crate::model::calendar::{local_day, Day};
use crate::model::{EventKind, Timeline, Touch, Ts};

/// Days of history the cadence looks at.
pub const CHECKIN_DAYS: i32 = 28;
/// Business days within which an active task should have an owner update.
const COVERAGE_BD: i32 = 2;
/// Calendar days without a human touch that make work stale.
const STALE_DAYS: i64 = 5;

/// A touch that counts as a check-in: a human's comment, status change or edit (not the
/// creation, not a reassignment).
fn is_checkin(ctx: &TeamCtx, touch: &Touch) -> bool {
    !matches!(touch.kind, EventKind::Created | EventKind::Assigned)
        && !ctx.config.is_bot(&touch.actor)
}

/// Owner updates of a task since it started: check-ins by someone assigned at that moment.
fn owner_updates<'a>(
    ctx: &'a TeamCtx,
    t: &'a Timeline,
    start: Ts,
) -> impl Iterator<Item = Ts> + 'a {
    t.touches
        .iter()
        .filter(move |x| {
            x.ts >= start && is_checkin(ctx, x) && t.assignees_at(x.ts).contains(&x.actor)
        })
        .map(|x| x.ts)
}

/// Check-in cadence: gaps between owner updates (business days) on tasks in progress during
/// the last 28 days, and coverage — the share of current WIP with an owner update today or on
/// the previous business day. ok when median ≤ 1, P85 ≤ 2 and coverage ≥ 80 % (policy).
pub fn checkin_cadence(ctx: &TeamCtx) -> Kpi {
    let target = "owner updates at least every 1–2 business days: median gap ≤ 1, P85 ≤ 2, \
                  ≥ 80 % of work in progress updated within 2 business days (policy)"
        .to_string();
    let since = ctx.as_of - CHECKIN_DAYS as i64 * 86_400;
    let mut gaps = Vec::new();
    let (mut wip, mut uncovered) = (0usize, Vec::new());
    for t in &ctx.tasks {
        let Some(start) = t.start else { continue };
        let end = t.done.or(t.cancelled).unwrap_or(ctx.as_of);
        if end < since {
            continue;
        }
        let first_owner = t
            .assignments
            .iter()
            .find(|a| !a.to.is_empty())
            .map_or(start, |a| a.ts);
        let u0 = start.max(first_owner);
        let mut last = u0;
        // Updates after the start; the start itself is u0, not an update with a 0-day gap.
        for u in owner_updates(ctx, t, u0).filter(|&u| u > u0 && u <= end) {
            if u >= since {
                gaps.push(ctx.calendar.business_days_between(last, u));
            }
            last = u;
        }
        if t.category.is_wip() {
            wip += 1;
            if ctx.calendar.business_days_between(last, ctx.as_of) >= COVERAGE_BD {
                uncovered.push(t.task_id.clone());
            }
        }
    }
    if gaps.is_empty() && wip == 0 {
        return Kpi::not_available(
            KpiId::CheckinCadence,
            target,
            format!("no work in progress in the last {CHECKIN_DAYS} days"),
        );
    }
    gaps.sort_unstable();
    let (median, p85) = (nearest_rank(&gaps, 50), nearest_rank(&gaps, 85));
    let coverage = if wip == 0 {
        100.0
    } else {
        round2((wip - uncovered.len()) as f64 / wip as f64 * 100.0)
    };
    let mut status = band(100.0 - coverage, 20.0, 50.0);
    if median.is_some_and(|m| m > 1) || p85.is_some_and(|p| p > 2) {
        status = status.max(Status::Warn);
    }
    if p85.is_some_and(|p| p > 5) {
        status = Status::Alert;
    }
    let show = |x: Option<i32>| x.map_or("–".to_string(), |v| v.to_string());
    let reason = format!(
        "median gap {} and P85 {} business days over {} gaps; {} of {wip} tasks in progress updated recently",
        show(median),
        show(p85),
        gaps.len(),
        wip - uncovered.len()
    );
    Kpi {
        value: Some(coverage),
        status,
        reason: Some(reason),
        flagged: uncovered,
        ..Kpi::new(KpiId::CheckinCadence, target)
    }
}

/// The last human touch of a task, or its start.
fn last_touch(ctx: &TeamCtx, t: &Timeline) -> Ts {
    let touched = t
        .touches
        .iter()
        .rev()
        .find(|x| !ctx.config.is_bot(&x.actor))
        .map(|x| x.ts);
    touched
        .into_iter()
        .chain(t.start)
        .max()
        .unwrap_or(t.created)
}

/// Stale work: tasks in progress that no human has touched for more than 5 calendar days.
/// ok when ≤ 10 % of WIP; alert when any is untouched for more than 10 days (policy).
pub fn stale_work(ctx: &TeamCtx) -> Kpi {
    let target =
        "≤ 10 % of work in progress untouched for more than 5 days, none for more than 10 (policy)"
            .to_string();
    let mut stale: Vec<(i64, String)> = Vec::new();
    let mut wip = 0usize;
    for t in ctx.tasks.iter().filter(|t| t.category.is_wip()) {
        wip += 1;
        let idle = (ctx.as_of - last_touch(ctx, t)) / 86_400;
        if idle > STALE_DAYS {
            stale.push((idle, t.task_id.clone()));
        }
    }
    stale.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let share = if wip == 0 {
        0.0
    } else {
        round2(stale.len() as f64 / wip as f64 * 100.0)
    };
    let status = if stale.iter().any(|(d, _)| *d > 2 * STALE_DAYS) {
        Status::Alert
    } else if share > 10.0 {
        Status::Warn
    } else {
        Status::Ok
    };
    let reason = match stale.first() {
        Some((days, id)) => format!("{} of {wip} tasks untouched for more than {STALE_DAYS} days; longest {id}, {days} days", stale.len()),
        None => format!("all {wip} tasks in progress touched in the last {STALE_DAYS} days"),
    };
    Kpi {
        value: Some(share),
        status,
        reason: Some(reason),
        flagged: stale.into_iter().map(|(_, id)| id).collect(),
        ..Kpi::new(KpiId::StaleWork, target)
    }
}

/// Business days in progress before over-checking is judged.
const MIN_BD_IN_PROGRESS: usize = 3;

/// Over-checking: delegated work in progress whose delegator touches it more than once per
/// business day, or writes most of its comments (at least 3 comments). A heuristic; ≤ 5 % ok,
/// ≤ 15 % warn (policy).
pub fn over_checking(ctx: &TeamCtx) -> Kpi {
    let target = "≤ 5 % of delegated work in progress checked by the delegator more than once a business day \
                  (policy; a heuristic for micromanagement)"
        .to_string();
    let (mut delegated, mut flagged) = (0usize, Vec::new());
    for t in ctx.tasks.iter().filter(|t| t.category.is_wip()) {
        let (Some(start), Some(delegator)) = (t.start, t.delegator_at(ctx.as_of)) else {
            continue;
        };
        if ctx.config.is_bot(delegator) {
            continue;
        }
        let bd = ctx
            .calendar
            .business_days_in(local_day(start, ctx.tz), ctx.today);
        if bd < MIN_BD_IN_PROGRESS {
            continue;
        }
        delegated += 1;
        let checkins: Vec<&Touch> = t
            .touches
            .iter()
            .filter(|x| x.ts >= start && is_checkin(ctx, x))
            .collect();
        let by_delegator = checkins.iter().filter(|x| x.actor == *delegator).count();
        let comments: Vec<&&Touch> = checkins
            .iter()
            .filter(|x| x.kind == EventKind::Comment)
            .collect();
        let delegator_comments = comments.iter().filter(|x| x.actor == *delegator).count();
        let per_day = by_delegator as f64 / bd as f64;
        if per_day > 1.0 || (comments.len() >= 3 && delegator_comments * 2 > comments.len()) {
            flagged.push(t.task_id.clone());
        }
    }
    if delegated == 0 {
        return Kpi::not_available(
            KpiId::OverChecking,
            target,
            format!(
                "no delegated task has been in progress for {MIN_BD_IN_PROGRESS} business days"
            ),
        );
    }
    super::load::share_kpi(
        KpiId::OverChecking,
        target,
        flagged,
        delegated,
        (5.0, 15.0),
        "delegated tasks in progress",
    )
}

/// One row of the activity strip: a task in progress and who touched it on which day.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityRow {
    /// Task id.
    pub task_id: String,
    /// Days with an owner update.
    pub owner_days: Vec<Day>,
    /// Days with a touch by the delegator.
    pub delegator_days: Vec<Day>,
    /// Calendar days since the last human touch.
    pub idle_days: i64,
}

/// Most rows the activity strip shows (the oldest work first).
const MAX_ROWS: usize = 30;

/// Activity of the tasks in progress over the last 28 days, oldest start first.
pub fn activity(ctx: &TeamCtx) -> Vec<ActivityRow> {
    let since = ctx.today - CHECKIN_DAYS + 1;
    let mut tasks: Vec<&&Timeline> = ctx
        .tasks
        .iter()
        .filter(|t| t.category.is_wip() && t.start.is_some())
        .collect();
    tasks.sort_by_key(|t| (t.start, t.task_id.clone()));
    tasks
        .into_iter()
        .take(MAX_ROWS)
        .map(|t| {
            let start = t.start.unwrap_or(t.created);
            let delegator = t.delegator_at(ctx.as_of);
            let days = |keep: &dyn Fn(&Touch) -> bool| {
                let mut d: Vec<Day> = t
                    .touches
                    .iter()
                    .filter(|x| x.ts >= start && is_checkin(ctx, x) && keep(x))
                    .map(|x| local_day(x.ts, ctx.tz))
                    .filter(|&d| d >= since)
                    .collect();
                d.dedup();
                d
            };
            ActivityRow {
                task_id: t.task_id.clone(),
                owner_days: days(&|x| t.assignees_at(x.ts).contains(&x.actor)),
                delegator_days: days(&|x| Some(&x.actor) == delegator),
                idle_days: (ctx.as_of - last_touch(ctx, t)) / 86_400,
            }
        })
        .collect()
}
