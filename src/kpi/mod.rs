//! KPI stage: pure functions from timelines and config to a serialisable [`Kpis`] value. No IO.

mod catalogue;
mod checkin;
mod clarity;
mod contract;
mod cycle;
mod decisions;
mod downloads;
mod flow;
mod forecast;
mod holding;
mod iterations;
mod load;
mod missing;
mod over_time;
mod ownership;
pub mod percentile;
mod queries;
mod question;
mod skills;
pub mod table;
pub mod teams;
mod throughput;
mod time_in_status;
mod wip;
mod work_mix;

use serde::{Deserialize, Serialize};

use chrono_tz::Tz;

use crate::config::Config;
use crate::model::calendar::{self, Day};
use crate::model::{Category, Timeline, Ts};
pub use catalogue::{describe, KpiId, KpiInfo, CATALOGUE};
pub use checkin::ActivityRow;
pub use contract::{DayWip, Kpis, TeamKpis, TeamViews, ThroughputSummary, WipSummary};
pub use cycle::{AgingPoint, CyclePoint, WINDOW_DAYS};
pub use decisions::{DecisionEffect, Period};
pub use downloads::{Rows, CYCLE_HEADER, ITEMS_HEADER};
pub use flow::{CfdDay, FlowWeek};
pub use forecast::Forecast;
use holding::Holding;
pub use iterations::IterationSummary;
pub use load::{LoadBalance, PersonLoad, WeekGini};
pub use missing::SourceHint;
use percentile::Percentiles;
pub use question::Question;
pub use skills::SkillMatrix;
pub use table::TaskTable;
pub use teams::Team;
pub use throughput::WeekCount;
pub use time_in_status::{blocked_seconds, StatusTime, TaskStatusDays, WeekStatusDays};
pub use wip::PersonWip;
pub use work_mix::WeekTypes;

/// KPI status.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub enum Status {
    /// Meets the target.
    #[serde(rename = "ok")]
    Ok,
    /// Off target, worth a look.
    #[serde(rename = "warn")]
    Warn,
    /// Well off target.
    #[serde(rename = "alert")]
    Alert,
    /// Cannot be computed from the input; `reason` says why.
    #[serde(rename = "n/a")]
    NotAvailable,
}

impl Status {
    /// The name used in files and pages.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warn => "warn",
            Status::Alert => "alert",
            Status::NotAvailable => "n/a",
        }
    }

    /// Whether this status is `threshold` or worse (n/a never is): what a gate fails on.
    pub fn reaches(self, threshold: Status) -> bool {
        self != Status::NotAvailable && self >= threshold
    }
}

/// The same value one period earlier.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Trend {
    /// Value in the previous period.
    pub previous: f64,
    /// Current minus previous.
    pub change: f64,
}

impl Trend {
    fn between(current: Option<f64>, previous: Option<f64>) -> Option<Trend> {
        Some(Trend {
            previous: previous?,
            change: round2(current? - previous?),
        })
    }
}

/// One KPI as `kpis.json` and the pages show it. Read back (by `teampulse index`), its words
/// come from the catalogue of this version.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Kpi {
    /// Id from KPIS.md.
    pub id: KpiId,
    /// Display name.
    pub name: &'static str,
    /// One plain sentence for the team: what it means and what good looks like.
    pub sentence: &'static str,
    /// Headline value, in `unit`.
    pub value: Option<f64>,
    /// What the value counts.
    pub unit: &'static str,
    /// The target in words, marked as team policy where it is one.
    pub target: String,
    /// ok, warn, alert or n/a.
    pub status: Status,
    /// Why the status is n/a, or what put it off target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Task ids or people behind a warn or alert.
    pub flagged: Vec<String>,
    /// The same KPI four weeks earlier (computed as of the as-of time minus 28 days).
    pub trend: Option<Trend>,
}

/// A KPI as read from `kpis.json`: the numbers, without the catalogue's words.
#[derive(Deserialize)]
struct KpiRecord {
    id: KpiId,
    value: Option<f64>,
    target: String,
    status: Status,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    flagged: Vec<String>,
    #[serde(default)]
    trend: Option<Trend>,
}

impl<'de> Deserialize<'de> for Kpi {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Kpi, D::Error> {
        let r = KpiRecord::deserialize(d)?;
        Ok(Kpi {
            value: r.value,
            status: r.status,
            reason: r.reason,
            flagged: r.flagged,
            trend: r.trend,
            ..Kpi::new(r.id, r.target)
        })
    }
}

impl Kpi {
    /// A KPI with its words from the catalogue, status ok and nothing flagged yet.
    fn new(id: KpiId, target: String) -> Kpi {
        let info = id.info();
        Kpi {
            id,
            name: info.name,
            sentence: info.sentence,
            value: None,
            unit: info.unit,
            target,
            status: Status::Ok,
            reason: None,
            flagged: Vec::new(),
            trend: None,
        }
    }

    fn not_available(id: KpiId, target: String, reason: String) -> Kpi {
        Kpi {
            status: Status::NotAvailable,
            reason: Some(reason),
            ..Kpi::new(id, target)
        }
    }
}

/// Days between the current and the previous period of every trend.
pub const TREND_DAYS: i64 = 28;

/// Sets each KPI's trend from the same team's KPIs computed 28 days earlier.
pub fn attach_trends(current: &mut Kpis, previous: &Kpis) {
    for team in &mut current.teams {
        let Some(before) = previous.teams.iter().find(|t| t.slug == team.slug) else {
            continue;
        };
        for k in &mut team.kpis {
            let old = before
                .kpis
                .iter()
                .find(|o| o.id == k.id)
                .and_then(|o| o.value);
            k.trend = Trend::between(k.value, old);
        }
    }
}

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

/// What every KPI of one team is computed from.
pub struct TeamCtx<'a> {
    /// The team's tasks, in task-id order.
    pub tasks: Vec<&'a Timeline>,
    /// The team.
    pub team: &'a Team,
    /// The configuration.
    pub config: &'a Config,
    /// The as-of time.
    pub as_of: Ts,
    /// The team's zone.
    pub tz: Tz,
    /// The local day of the as-of time.
    pub today: Day,
    /// Who held which started task when.
    pub holding: Holding,
    /// Working days of the team (weekdays less holidays).
    pub calendar: crate::model::calendar::WorkCalendar,
    /// Most tasks that moved got their category from a one-row-per-task export, not from a
    /// history of status changes.
    pub snapshot_only: bool,
    /// The answers of the team's queries of the task table, run as one.
    pub queries: queries::TeamQueries,
    /// What each input can date, by input index.
    pub sources: &'a [SourceHint],
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

/// Rounds to two decimals, so output is stable and readable.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
