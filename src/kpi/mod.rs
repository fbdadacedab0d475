//! KPI stage: pure functions from timelines and config to a serialisable [`Kpis`] value. No IO.

mod catalogue;
mod checkin;
mod clarity;
mod compute;
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
use crate::model::calendar::Day;
use crate::model::{Timeline, Ts};
pub use catalogue::{describe, KpiId, KpiInfo, CATALOGUE};
pub use checkin::ActivityRow;
pub use compute::{compute, Need};
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

/// Rounds to two decimals, so output is stable and readable.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
