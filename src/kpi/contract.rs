//! What one evaluation produces per team: the `kpis.json` contract types (what other tools
//! read: fields are only ever added within `teampulse/kpis/v1`) and, apart from them, the views
//! the pages and charts are drawn from.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{
    ActivityRow, AgingPoint, CfdDay, CyclePoint, DecisionEffect, FlowWeek, Forecast,
    IterationSummary, Kpi, LoadBalance, Percentiles, PersonWip, SkillMatrix, StatusTime,
    TaskStatusDays, WeekCount, WeekStatusDays, WeekTypes,
};
use crate::model::calendar::{self, Day};
use crate::model::Ts;

/// Per-person WIP in `kpis.json`.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
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

/// One team in `kpis.json` (contract `teampulse/kpis/v1`: what other tools read; fields are
/// only ever added).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TeamKpis {
    /// Display name.
    pub team: String,
    /// Folder name.
    pub slug: String,
    /// IANA zone of its days and weeks.
    pub timezone: String,
    /// The day of its first task, `YYYY-MM-DD`.
    #[serde(serialize_with = "iso_day")]
    #[schemars(with = "String")]
    pub data_from: Day,
    /// The day of the as-of time, `YYYY-MM-DD`.
    #[serde(serialize_with = "iso_day")]
    #[schemars(with = "String")]
    pub data_to: Day,
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
    /// Per-person load, Gini and peak ratio.
    pub load_balance: LoadBalance,
    /// Started and finished tasks per week (net flow).
    pub flow_weekly: Vec<FlowWeek>,
    /// The Monte Carlo forecast, when there is enough history.
    pub forecast: Option<Forecast>,
    /// Completions per person and label.
    pub skills: SkillMatrix,
    /// Every KPI, in catalogue order.
    pub kpis: Vec<Kpi>,
    /// Work in progress at the end of each of the last 90 days.
    pub wip_daily: Vec<DayWip>,
    /// Where the cycle time of the tasks finished in the last 90 days went, by status, the
    /// largest share first.
    pub time_in_status: Vec<StatusTime>,
    /// Iterations (sprints, cycles), in order of start.
    pub iterations: Vec<IterationSummary>,
    /// The team's decisions (`[[decisions]]`), each with the KPIs before and after it.
    pub decisions: Vec<DecisionEffect>,
}

/// Work in progress at the end of one day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DayWip {
    /// The day, `YYYY-MM-DD`.
    #[serde(serialize_with = "iso_day")]
    #[schemars(with = "String")]
    pub day: Day,
    /// Started, unfinished tasks.
    pub wip: u32,
}

fn iso_day<S: serde::Serializer>(day: &Day, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&calendar::iso(*day))
}

/// What the pages and charts of one team are drawn from, beside its `kpis.json` numbers: not
/// part of the contract.
#[derive(Debug, Clone)]
pub struct TeamViews {
    /// Days in each status of the tasks finished each week.
    pub time_weekly: Vec<WeekStatusDays>,
    /// Days each finished task spent in each status (`time-in-status.csv`).
    pub status_days: Vec<TaskStatusDays>,
    /// Finished tasks by type, week by week.
    pub mix_weekly: Vec<WeekTypes>,
    /// Per-person WIP with limits, for the chart.
    pub person_wip: Vec<PersonWip>,
    /// Finished tasks of the last 90 days, for the scatterplot.
    pub cycle_points: Vec<CyclePoint>,
    /// Finished tasks of the last 90 days by lead time, for its scatterplot.
    pub lead_points: Vec<CyclePoint>,
    /// WIP tasks with their ages, for the aging chart.
    pub aging: Vec<AgingPoint>,
    /// Service level expectation in days, and where it came from.
    pub sle: Option<(i32, String)>,
    /// Cumulative flow, daily over 90 days.
    pub cfd: Vec<CfdDay>,
    /// Who touched the tasks in progress, and when.
    pub activity: Vec<ActivityRow>,
}

/// All teams.
#[derive(Debug, Clone)]
pub struct Kpis {
    /// The as-of time.
    pub as_of: Ts,
    /// Teams in slug order.
    pub teams: Vec<TeamKpis>,
    /// The views of each team, in the same order.
    pub views: Vec<TeamViews>,
}
