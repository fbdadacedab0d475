//! Decisions and their effect: for each `[[decisions]]` entry of a team, the KPIs over equal
//! windows before and after it, saying when a window is too short to tell.

use serde::Serialize;

use super::percentile::{nearest_rank, MIN_N_P85};
use super::{round2, TeamCtx};
use crate::config::Decision;
use crate::model::calendar::{days_inclusive, iso, local_day, Day};
use crate::model::timestamp::parse_due;

/// Days each window spans at most.
const MAX_WINDOW: i32 = 90;

/// Days a window needs before a comparison is worth reading.
const MIN_WINDOW: i32 = 14;

/// A decision and the KPIs before and after it (`kpis.json`).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DecisionEffect {
    /// When it took effect, `YYYY-MM-DD`.
    pub date: String,
    /// What was decided.
    pub text: String,
    /// Days in each of the two windows compared.
    pub window_days: i32,
    /// The window before it.
    pub before: Option<Period>,
    /// The window from it on.
    pub after: Option<Period>,
    /// When the windows are too short to tell, or the decision is in the future.
    pub note: Option<String>,
}

/// What a team finished in one window.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Period {
    /// First day.
    pub from: String,
    /// Last day.
    pub to: String,
    /// Tasks finished.
    pub finished: usize,
    /// Tasks finished per week.
    pub throughput_per_week: f64,
    /// Median cycle time in days of the tasks finished (with a known start).
    pub cycle_time_p50: Option<i32>,
    /// P85 of the same (from 12 tasks on).
    pub cycle_time_p85: Option<i32>,
}

/// Whether a decision concerns the team: no team named, or its slug, name or a `match` value.
fn concerns(d: &Decision, ctx: &TeamCtx) -> bool {
    match d.team.as_deref() {
        None => true,
        Some(t) => {
            let claimed = ctx.config.team_claiming(t);
            claimed == Some(&ctx.team.slug)
                || t.eq_ignore_ascii_case(&ctx.team.slug)
                || t.eq_ignore_ascii_case(&ctx.team.name)
        }
    }
}

fn period(ctx: &TeamCtx, from: Day, to: Day) -> Period {
    let mut cycle: Vec<i32> = Vec::new();
    let mut finished = 0;
    for t in &ctx.tasks {
        let Some(done) = t.done else { continue };
        let day = local_day(done, ctx.tz);
        if day < from || day > to {
            continue;
        }
        finished += 1;
        if let Some(s) = t.start {
            cycle.push(days_inclusive(s, done, ctx.tz));
        }
    }
    cycle.sort_unstable();
    let weeks = f64::from(to - from + 1) / 7.0;
    Period {
        from: iso(from),
        to: iso(to),
        finished,
        throughput_per_week: round2(finished as f64 / weeks),
        cycle_time_p50: nearest_rank(&cycle, 50),
        cycle_time_p85: (cycle.len() >= MIN_N_P85)
            .then(|| nearest_rank(&cycle, 85))
            .flatten(),
    }
}

/// Every decision of the team, in date order, with its windows.
pub fn compute(ctx: &TeamCtx) -> Vec<DecisionEffect> {
    let first = ctx
        .tasks
        .iter()
        .map(|t| local_day(t.created, ctx.tz))
        .min()
        .unwrap_or(ctx.today);
    let mut out: Vec<DecisionEffect> = ctx
        .config
        .decisions
        .iter()
        .filter(|d| concerns(d, ctx))
        .filter_map(|d| Some((d, parse_due(&d.date).ok()?)))
        .map(|(d, day)| {
            let window = (ctx.today - day + 1).min(day - first).min(MAX_WINDOW);
            let mut effect = DecisionEffect {
                date: d.date.clone(),
                text: d.text.clone(),
                window_days: window.max(0),
                before: None,
                after: None,
                note: None,
            };
            if day > ctx.today {
                effect.note = Some("not in effect yet".into());
            } else if window < MIN_WINDOW {
                effect.note = Some(format!(
                    "too short to tell: {} day(s) on each side, {MIN_WINDOW} needed",
                    window.max(0)
                ));
            } else {
                effect.before = Some(period(ctx, day - window, day - 1));
                effect.after = Some(period(ctx, day, day + window - 1));
            }
            effect
        })
        .collect();
    out.sort_by(|a, b| a.date.cmp(&b.date).then(a.text.cmp(&b.text)));
    out
}
