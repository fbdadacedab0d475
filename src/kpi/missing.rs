//! What the inputs cannot support, said with its real cause: a KPI that needs finish dates or
//! start times the export does not carry is `n/a` with the number of tasks concerned and what
//! to add to that input's export — never a week of zeros, never "too little history" when the
//! cause is a missing column.

use super::{Kpi, KpiId, Status, TeamCtx};
use crate::model::Category;

/// What each input (by index) needs to date finished and started work, in words.
#[derive(Debug, Clone, Default)]
pub struct SourceHint {
    /// The input's format name.
    pub format: String,
    /// What to add so finished work is dated.
    pub finish: String,
    /// What to add so started work is dated.
    pub start: String,
    /// Where a history of status changes would come from.
    pub history: String,
    /// One row per task: its finishes and starts before a nightly history began are unknown.
    pub snapshot: bool,
}

/// The reason flow efficiency gives when the input dates starts but not the time in each status.
pub const HISTORY_NEEDED: &str = "flow efficiency needs the time spent in each status";

/// KPIs that count or time finished work.
fn needs_finish_dates(id: KpiId) -> bool {
    use KpiId::*;
    matches!(
        id,
        Throughput
            | NetFlow
            | CumulativeFlow
            | FlowEfficiency
            | CycleTime
            | LeadTime
            | LeadConcentration
            | DueDateReliability
            | Forecast
            | SkillCoverage
    )
}

/// The hint of the input most of `tasks` came from.
fn hint_for<'a>(
    tasks: impl Iterator<Item = &'a crate::model::Timeline>,
    sources: &'a [SourceHint],
) -> Option<&'a SourceHint> {
    let mut counts = std::collections::BTreeMap::<u16, usize>::new();
    for t in tasks {
        *counts.entry(t.input).or_default() += 1;
    }
    let (input, _) = counts
        .into_iter()
        .max_by_key(|&(i, n)| (n, std::cmp::Reverse(i)))?;
    sources.get(input as usize)
}

/// Finished tasks whose export gives no finish date, and why that matters, when they are a
/// fifth or more of the finished tasks: then every weekly count would be short by them.
pub fn missing_finish_dates(ctx: &TeamCtx, sources: &[SourceHint]) -> Option<String> {
    let done: Vec<_> = ctx
        .tasks
        .iter()
        .filter(|t| t.category == Category::Done)
        .collect();
    let undated: Vec<_> = done.iter().filter(|t| t.done.is_none()).copied().collect();
    if undated.is_empty() || undated.len() * 5 < done.len() {
        return None;
    }
    let fix = hint_for(undated.iter().map(|t| &***t), sources)
        .map_or("add the date each task was finished".to_string(), |h| {
            format!("{} ({} export)", h.finish, h.format)
        });
    Some(format!(
        "{} of {} finished tasks have no finish date in the export, so no week can count them: {fix}",
        undated.len(),
        done.len()
    ))
}

/// On one-row-per-task exports, and where finish dates are missing, the KPIs that need them
/// are n/a with the reason, never computed from the few dates such exports carry.
pub fn explain(ctx: &TeamCtx, kpis: Vec<Kpi>, sources: &[SourceHint]) -> Vec<Kpi> {
    // With a nightly history the weekly series begin when it began (see
    // `throughput::first_week`): what it dates is complete, so only its age can be short.
    let history = ctx.config.history_since;
    let finish = missing_finish_dates(ctx, sources).filter(|_| history.is_none());
    let moved: Vec<_> = ctx
        .tasks
        .iter()
        .filter(|t| t.start.is_some() || t.start_unknown || t.done.is_some())
        .copied()
        .collect();
    let undated_starts: Vec<_> = ctx
        .tasks
        .iter()
        .filter(|t| t.start_unknown)
        .copied()
        .collect();
    let starts_missing =
        history.is_none() && ctx.snapshot_only && undated_starts.len() * 5 > moved.len();
    let start_fix = hint_for(undated_starts.iter().map(|t| &**t), sources)
        .map_or("add a history of status changes".to_string(), |h| {
            format!("{} ({} export)", h.start, h.format)
        });
    let no_starts = |need: &str| {
        format!(
            "{need}, and {} of {} tasks that moved have no start time in the export: {start_fix}",
            undated_starts.len(),
            moved.len()
        )
    };
    let kpis = kpis
        .into_iter()
        .map(|k| {
            if let Some(why) = finish.as_ref().filter(|_| needs_finish_dates(k.id)) {
                return Kpi::not_available(k.id, k.target.clone(), why.clone());
            }
            let need = match k.id {
                KpiId::NetFlow | KpiId::CumulativeFlow if starts_missing => {
                    Some("counting started work needs start times")
                }
                KpiId::CycleTime if starts_missing && k.status == Status::NotAvailable => {
                    Some("cycle time needs start times")
                }
                KpiId::WorkItemAge if starts_missing && k.status == Status::NotAvailable => {
                    Some("judging work item age needs the start times of finished tasks")
                }
                KpiId::FlowEfficiency
                    if k.status == Status::NotAvailable
                        && k.reason
                            .as_deref()
                            .is_some_and(|r| r.starts_with(HISTORY_NEEDED)) =>
                {
                    let fix = hint_for(ctx.tasks.iter().copied(), sources)
                        .map_or("add a history of status changes".to_string(), |h| {
                            format!("{} ({} export)", h.history, h.format)
                        });
                    return Kpi::not_available(
                        k.id,
                        k.target.clone(),
                        format!("{HISTORY_NEEDED}: {fix}"),
                    );
                }
                _ => None,
            };
            match need {
                Some(need) => Kpi::not_available(k.id, k.target.clone(), no_starts(need)),
                None => k,
            }
        })
        .collect();
    match history {
        Some(since) => with_history(ctx, kpis, since),
        None => kpis,
    }
}

/// With a nightly history, the weekly series begin when it began and every change since is
/// dated: a KPI still n/a for want of weeks or of dated tasks says how far the history has got
/// and about how much longer it needs.
fn with_history(ctx: &TeamCtx, kpis: Vec<Kpi>, since: crate::model::Ts) -> Vec<Kpi> {
    use crate::model::calendar::{iso, local_day};
    let began = iso(local_day(since, ctx.tz));
    let days = (ctx.as_of - since).max(0) as f64 / 86_400.0;
    let window_start = ctx.as_of - i64::from(super::WINDOW_DAYS) * 86_400;
    let finished_in_window =
        |t: &&&crate::model::Timeline| t.done.is_some_and(|d| d >= window_start);
    let done = ctx.tasks.iter().filter(finished_in_window).count();
    let started_and_done = ctx
        .tasks
        .iter()
        .filter(finished_in_window)
        .filter(|t| t.start.is_some())
        .count();
    // Finished tasks with a start the history saw, per week so far.
    let rate = started_and_done as f64 / (days / 7.0).max(1.0);
    let weeks_for = |missing: usize| match rate > 0.0 {
        true => format!(
            "about {} more week(s)",
            (missing as f64 / rate).ceil().max(1.0)
        ),
        false => "none seen yet".to_string(),
    };
    let need = super::percentile::MIN_N_P85;
    kpis.into_iter()
        .map(|k| {
            if k.status != Status::NotAvailable {
                return k;
            }
            let why = k.reason.clone().unwrap_or_default();
            let note = match k.id {
                KpiId::CycleTime | KpiId::WorkItemAge if started_and_done < need => format!(
                    "{started_and_done} of {need} finished tasks seen starting since the nightly \
                     history began on {began}; {}",
                    weeks_for(need - started_and_done)
                ),
                KpiId::LeadTime if done < need => format!(
                    "{done} of {need} tasks seen finishing since the nightly history began on \
                     {began}"
                ),
                _ if why.contains("complete weeks") => format!(
                    "{why}: the nightly history began on {began} ({:.0} day(s) ago), and each \
                     week it covers whole counts",
                    days
                ),
                _ => return k,
            };
            Kpi::not_available(k.id, k.target.clone(), note)
        })
        .collect()
}
