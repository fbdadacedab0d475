//! KPI stage: pure functions from timelines and config to a serialisable [`Kpis`] value. No IO.

pub mod calendar;
mod catalogue;
mod cycle;
pub mod percentile;
pub mod teams;
mod throughput;
mod wip;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::Config;
use crate::model::{Timeline, Ts};
use calendar::Day;
pub use catalogue::{describe, KpiInfo, CATALOGUE};
pub use cycle::{AgingPoint, CyclePoint};
use percentile::Percentiles;
pub use teams::Team;
pub use throughput::WeekCount;
pub use wip::PersonWip;

/// KPI status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
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
}

/// The same value one period earlier.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
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

/// One KPI as `kpis.json` and the pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct Kpi {
    /// Id from KPIS.md.
    pub id: &'static str,
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
    /// Against the previous period.
    pub trend: Option<Trend>,
}

impl Kpi {
    fn not_available(id: &'static str, unit: &'static str, target: String, reason: String) -> Kpi {
        Kpi {
            id,
            value: None,
            unit,
            target,
            status: Status::NotAvailable,
            reason: Some(reason),
            flagged: Vec::new(),
            trend: None,
        }
    }
}

/// Per-person WIP in `kpis.json`.
#[derive(Debug, Clone, Serialize)]
pub struct WipSummary {
    /// Started, not finished tasks at the as-of time.
    pub total: usize,
    /// Per roster member (idle ones at 0) and anyone else holding WIP.
    pub by_person: BTreeMap<String, usize>,
    /// Started tasks nobody holds.
    pub unassigned: usize,
    /// Sum of personal limits over the roster.
    pub team_limit: u32,
}

/// Weekly throughput in `kpis.json`.
#[derive(Debug, Clone, Serialize)]
pub struct ThroughputSummary {
    /// Every week from the team's first task to the as-of week, empty weeks as 0.
    pub weekly: Vec<WeekCount>,
    /// P15 of the last complete weeks (the team's normal range, low end).
    pub p15: Option<i32>,
    /// Median of the last complete weeks.
    pub p50: Option<i32>,
    /// P85 of the last complete weeks (high end).
    pub p85: Option<i32>,
}

/// Everything computed for one team. Fields marked `skip` feed charts and tables only.
#[derive(Debug, Clone, Serialize)]
pub struct TeamKpis {
    /// Display name.
    pub team: String,
    /// Folder name.
    pub slug: String,
    /// IANA zone of its days and weeks.
    pub timezone: String,
    /// Roster, sorted.
    pub roster: Vec<String>,
    /// Whether the roster was inferred from the last 28 days of activity.
    pub roster_inferred: bool,
    /// Weekly throughput.
    pub throughput: ThroughputSummary,
    /// Work in progress.
    pub wip: WipSummary,
    /// Cycle time of tasks finished in the last 90 days.
    pub cycle_time_days: Percentiles,
    /// Lead time of tasks finished in the last 90 days.
    pub lead_time_days: Percentiles,
    /// Every KPI, in catalogue order.
    pub kpis: Vec<Kpi>,
    /// First and last day with data.
    #[serde(skip)]
    pub data_range: (Day, Day),
    /// Per-person WIP with limits, for the chart.
    #[serde(skip)]
    pub person_wip: Vec<PersonWip>,
    /// Finished tasks of the last 90 days, for the scatterplot.
    #[serde(skip)]
    pub cycle_points: Vec<CyclePoint>,
    /// WIP tasks with their ages, for the aging chart.
    #[serde(skip)]
    pub aging: Vec<AgingPoint>,
    /// Service level expectation in days, and where it came from.
    #[serde(skip)]
    pub sle: Option<(i32, String)>,
}

/// All teams.
#[derive(Debug, Clone, Serialize)]
pub struct Kpis {
    /// The as-of time.
    pub as_of: Ts,
    /// Teams in slug order.
    pub teams: Vec<TeamKpis>,
}

/// Computes every KPI for every team.
pub fn compute(
    timelines: &[Timeline],
    teams: &[Team],
    config: &Config,
    as_of: Ts,
) -> anyhow::Result<Kpis> {
    let weekly = throughput::weekly_counts(timelines, teams, as_of)?;
    let mut out = Vec::new();
    for (team, weeks) in teams.iter().zip(weekly) {
        out.push(compute_team(timelines, team, weeks, config, as_of));
    }
    Ok(Kpis { as_of, teams: out })
}

fn compute_team(
    timelines: &[Timeline],
    team: &Team,
    weekly: Vec<WeekCount>,
    config: &Config,
    as_of: Ts,
) -> TeamKpis {
    let tasks: Vec<&Timeline> = team.tasks.iter().map(|&i| &timelines[i]).collect();
    let (throughput, throughput_kpi) = throughput::summarise(weekly, &config.targets);
    let (wip, person_wip, wip_kpi) = wip::compute(&tasks, team, config);
    let cycle = cycle::compute(&tasks, team.tz, as_of, &config.targets);
    let first = tasks.iter().map(|t| t.created).min().unwrap_or(as_of);
    TeamKpis {
        team: team.name.clone(),
        slug: team.slug.clone(),
        timezone: team.tz.to_string(),
        roster: team.roster.clone(),
        roster_inferred: team.roster_inferred,
        throughput,
        wip,
        cycle_time_days: cycle.cycle_time,
        lead_time_days: cycle.lead_time,
        kpis: vec![
            throughput_kpi,
            wip_kpi,
            cycle.cycle_kpi,
            cycle.lead_kpi,
            cycle.age_kpi,
        ],
        data_range: (
            calendar::local_day(first, team.tz),
            calendar::local_day(as_of, team.tz),
        ),
        person_wip,
        cycle_points: cycle.points,
        aging: cycle.aging,
        sle: cycle.sle,
    }
}

/// Rounds to two decimals, so output is stable and readable.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
