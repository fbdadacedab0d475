//! One evaluation's KPIs: the task table built and queried, then every team's KPIs computed
//! from its tasks and its queries' answers, one team per worker.

use super::holding::Holding;
use super::{
    checkin, clarity, cycle, decisions, flow, forecast, iterations, load, missing, ownership,
    queries, skills, table, throughput, time_in_status, wip, work_mix,
};
use super::{DayWip, Kpis, SourceHint, TaskTable, Team, TeamCtx, TeamKpis, TeamViews};
use super::{ThroughputSummary, WeekCount, WINDOW_DAYS};
use crate::config::Config;
use crate::model::calendar;
use crate::model::{Category, Timeline, Ts};

/// What an evaluation is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Everything the site shows.
    Site,
    /// Each KPI's value and nothing more (the evaluation 28 days earlier, read only for the
    /// trends): where the time went, WIP day by day, the decisions and the activity strip are
    /// left empty.
    Values,
}

/// Computes every KPI for every team.
/// `sources` says, per input, what its export needs to date work (for n/a reasons).
pub fn compute(
    timelines: &[Timeline],
    teams: &[Team],
    config: &Config,
    as_of: Ts,
    sources: &[SourceHint],
    jobs: usize,
    need: Need,
) -> anyhow::Result<(Kpis, TaskTable)> {
    let table = table::TaskTable::build(timelines, teams, config, as_of, jobs)?;
    let weekly = throughput::weekly_counts(
        &table,
        timelines,
        teams,
        as_of,
        config.history_since,
        sources,
    )?;
    // Teams are independent once the table is built: one per worker, results in team order.
    let weekly: Vec<std::sync::Mutex<Option<Vec<WeekCount>>>> = weekly
        .into_iter()
        .map(|w| std::sync::Mutex::new(Some(w)))
        .collect();
    let results = crate::model::par::map(teams.len(), jobs, |index| {
        let at = TeamAt {
            timelines,
            team: &teams[index],
            index,
            table: &table,
        };
        let weeks = weekly[index]
            .lock()
            .map(|mut w| w.take().unwrap_or_default())
            .unwrap_or_default();
        compute_team(&at, weeks, config, as_of, sources, need)
    });
    let (mut out, mut views) = (Vec::new(), Vec::new());
    for r in results {
        let (kpis, view) = r?;
        out.push(kpis);
        views.push(view);
    }
    let kpis = Kpis {
        as_of,
        teams: out,
        views,
    };
    Ok((kpis, table))
}

/// One team within the evaluation.
struct TeamAt<'a> {
    timelines: &'a [Timeline],
    team: &'a Team,
    index: usize,
    table: &'a table::TaskTable,
}

fn compute_team(
    at: &TeamAt,
    weekly: Vec<WeekCount>,
    config: &Config,
    as_of: Ts,
    sources: &[SourceHint],
    need: Need,
) -> anyhow::Result<(TeamKpis, TeamViews)> {
    let site = need == Need::Site;
    let team = at.team;
    let tasks: Vec<&Timeline> = team.tasks.iter().map(|&i| &at.timelines[i]).collect();
    let today = calendar::local_day(as_of, team.tz);
    let ctx = TeamCtx {
        queries: at
            .table
            .team_queries(at.index, &queries::TeamAsk::at(today, as_of))?,
        sources,
        holding: Holding::of(&tasks),
        snapshot_only: {
            let moved = tasks
                .iter()
                .filter(|t| t.category != Category::Todo)
                .count();
            tasks.iter().filter(|t| t.from_snapshot).count() * 2 > moved
        },
        tasks,
        team,
        config,
        as_of,
        tz: team.tz,
        today,
        calendar: crate::model::calendar::WorkCalendar {
            tz: team.tz,
            holidays: config.holidays_of(&team.slug),
        },
    };
    let complete: Vec<u32> = weekly
        .iter()
        .filter(|w| !w.partial)
        .map(|w| w.done)
        .collect();
    let (throughput, throughput_kpi) = throughput::summarise(weekly, &config.targets);
    let (wip, person_wip, wip_kpi) = wip::compute(&ctx);
    let cycle = cycle::compute(&ctx, &config.targets);
    let (load_balance, load_kpi) = load::load_balance(&ctx);
    let flow_weekly = flow::flow_weeks(&ctx);
    let cfd = flow::cumulative(&ctx);
    let open = ctx
        .tasks
        .iter()
        .filter(|t| !matches!(t.category, Category::Done | Category::Cancelled))
        .count();
    let (forecast, forecast_kpi) =
        forecast::forecast(&complete, open, config.forecast_seed, ctx.today);
    let (skills, skills_kpi) = skills::skill_coverage(&ctx);
    let time = match site {
        true => time_in_status::compute(&ctx),
        false => Default::default(),
    };
    let (mix_kpi, mix_weekly) = work_mix::compute(&ctx);
    let (iterations, iteration_kpi) = iterations::compute(&ctx);
    let kpis = vec![
        throughput_kpi,
        flow::net_flow(&flow_weekly),
        flow::cumulative_flow(&cfd),
        flow::flow_efficiency(&ctx),
        wip_kpi,
        load_kpi,
        load::assigned_while_busy(&ctx),
        skills_kpi,
        checkin::checkin_cadence(&ctx),
        checkin::stale_work(&ctx),
        checkin::over_checking(&ctx),
        ownership::ownership_churn(&ctx),
        ownership::lead_concentration(&ctx),
        cycle.cycle_kpi,
        cycle.lead_kpi,
        cycle.age_kpi,
        flow::due_date_reliability(&ctx),
        forecast_kpi,
        time_in_status::blocked_time(&ctx),
        mix_kpi,
        iteration_kpi,
        clarity::handoff_clarity(&ctx),
        clarity::stretch(&ctx),
    ];
    let kpis = missing::explain(&ctx, kpis, sources);
    // Without finish dates a weekly series would be a row of zeros: it is left out instead.
    let (mut throughput, mut flow_weekly, mut forecast) = (throughput, flow_weekly, forecast);
    // (With a nightly history, the series begin when it began and every finish since is dated.)
    if config.history_since.is_none() && missing::missing_finish_dates(&ctx, sources).is_some() {
        throughput = ThroughputSummary {
            weekly: Vec::new(),
            p15: None,
            p50: None,
            p85: None,
        };
        flow_weekly.clear();
        forecast = None;
    }
    let first = ctx.tasks.iter().map(|t| t.created).min().unwrap_or(as_of);
    let daily_wip = match site {
        true => wip::daily(&ctx.tasks, team.tz, ctx.today, as_of, WINDOW_DAYS),
        false => Vec::new(),
    };
    let kpis = TeamKpis {
        team: team.name.clone(),
        slug: team.slug.clone(),
        timezone: team.tz.to_string(),
        data_from: calendar::local_day(first, team.tz),
        data_to: ctx.today,
        roster: team.roster.clone(),
        roster_inferred: team.roster_inferred,
        throughput,
        wip,
        cycle_time_days: cycle.cycle_time,
        lead_time_days: cycle.lead_time,
        load_balance,
        flow_weekly,
        forecast,
        skills,
        kpis,
        wip_daily: daily_wip
            .iter()
            .map(|&(day, wip)| DayWip { day, wip })
            .collect(),
        time_in_status: time.statuses,
        iterations,
        decisions: match site {
            true => decisions::compute(&ctx),
            false => Vec::new(),
        },
    };
    let views = TeamViews {
        time_weekly: time.weekly,
        status_days: time.per_task,
        mix_weekly,
        person_wip,
        cycle_points: cycle.points,
        lead_points: cycle.lead_points,
        aging: cycle.aging,
        sle: cycle.sle,
        cfd,
        activity: match site {
            true => checkin::activity(&ctx),
            false => Vec::new(),
        },
    };
    Ok((kpis, views))
}
