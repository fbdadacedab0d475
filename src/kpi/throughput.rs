//! Throughput: tasks done per ISO week, team and person, with the team's own normal range.

use std::collections::BTreeMap;

use polars::prelude::PolarsResult;
use serde::Serialize;

use super::percentile::nearest_rank;
use super::table::TaskTable;
use super::teams::Team;
use super::KpiId;
use super::{round2, Kpi, Status, ThroughputSummary};
use crate::config::Targets;
use crate::model::calendar::{iso, local_day, week_start};
use crate::model::{Timeline, Ts};

/// One week of throughput.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct WeekCount {
    /// Monday of the week, `YYYY-MM-DD`.
    pub week_start: String,
    /// Tasks done that week.
    pub done: u32,
    /// The week holding the as-of time: shown, not averaged.
    pub partial: bool,
    /// Credit per person (1/k for k assignees); sums to `done`.
    pub by_person: BTreeMap<String, f64>,
}

/// Weekly counts for each team (in `teams` order), from the week of its first task to the
/// week of the as-of time, empty weeks as 0. The credit is summed by the task table.
pub fn weekly_counts(
    table: &TaskTable,
    timelines: &[Timeline],
    teams: &[Team],
    as_of: Ts,
    history_since: Option<Ts>,
    sources: &[super::SourceHint],
) -> PolarsResult<Vec<Vec<WeekCount>>> {
    let credit = table.weekly_credit(teams.len())?;
    Ok(teams
        .iter()
        .zip(credit)
        .map(|(team, by_week)| {
            let tasks = team.tasks.iter().map(|&i| &timelines[i]);
            let first = first_week(tasks, team.tz, as_of, history_since, sources);
            let last = week_start(local_day(as_of, team.tz));
            (first..=last)
                .step_by(7)
                .map(|w| {
                    let people = by_week.get(&w).cloned().unwrap_or_default();
                    let done = people.values().sum::<f64>().round() as u32;
                    let by_person = people.into_iter().map(|(p, c)| (p, round2(c))).collect();
                    WeekCount {
                        week_start: iso(w),
                        done,
                        partial: w == last,
                        by_person,
                    }
                })
                .collect()
        })
        .collect())
}

/// The first week of a team's weekly series: the week of its first task; but with a nightly
/// history, where some of the team's tasks come from a one-row-per-task export (which cannot
/// say what finished or started before the history began), the first whole week after the
/// history began, so no week before it shows a count nobody observed.
pub fn first_week<'a>(
    mut tasks: impl Iterator<Item = &'a Timeline>,
    tz: chrono_tz::Tz,
    as_of: Ts,
    history_since: Option<Ts>,
    sources: &[super::SourceHint],
) -> crate::model::calendar::Day {
    let mut first = as_of;
    let mut snapshot = false;
    for t in tasks.by_ref() {
        first = first.min(t.created);
        snapshot |= sources.get(t.input as usize).is_some_and(|s| s.snapshot);
    }
    let week = week_start(local_day(first, tz));
    match history_since.filter(|_| snapshot) {
        Some(since) => week.max(week_start(local_day(since, tz)) + 7),
        None => week,
    }
}

/// Minimum complete weeks before throughput gets a status.
const MIN_WEEKS: usize = 4;

/// The normal range of the last complete weeks and the throughput KPI: alert when the last two
/// complete weeks are both below the team's own P15, warn when the last one is.
pub fn summarise(weekly: Vec<WeekCount>, targets: &Targets) -> (ThroughputSummary, Kpi) {
    let complete: Vec<i32> = weekly
        .iter()
        .filter(|w| !w.partial)
        .map(|w| w.done as i32)
        .collect();
    let window = &complete[complete.len().saturating_sub(targets.throughput_weeks)..];
    let mut sorted = window.to_vec();
    sorted.sort_unstable();
    let (p15, p50, p85) = (
        nearest_rank(&sorted, 15),
        nearest_rank(&sorted, 50),
        nearest_rank(&sorted, 85),
    );
    let target = format!(
        "not 2 complete weeks in a row below the team's own P15 of the last {} weeks (policy)",
        targets.throughput_weeks
    );
    let kpi = if complete.len() < MIN_WEEKS {
        Kpi::not_available(
            KpiId::Throughput,
            target,
            format!(
                "fewer than {MIN_WEEKS} complete weeks of history ({})",
                complete.len()
            ),
        )
    } else {
        let low = p15.unwrap_or(0);
        let last_two = &complete[complete.len() - 2..];
        let below: Vec<String> = weekly
            .iter()
            .filter(|w| !w.partial)
            .rev()
            .take(2)
            .filter(|w| (w.done as i32) < low)
            .map(|w| format!("week of {}", w.week_start))
            .collect();
        let status = if last_two.iter().all(|&d| d < low) {
            Status::Alert
        } else if last_two[1] < low {
            Status::Warn
        } else {
            Status::Ok
        };
        let value = p50.map(f64::from);
        Kpi {
            value,
            status,
            reason: (status != Status::Ok)
                .then(|| format!("below P15 ({low}) in: {}", below.join(", "))),
            flagged: below,
            ..Kpi::new(KpiId::Throughput, target)
        }
    };
    (
        ThroughputSummary {
            weekly,
            p15,
            p50,
            p85,
        },
        kpi,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weeks(done: &[u32]) -> Vec<WeekCount> {
        let n = done.len();
        done.iter()
            .enumerate()
            .map(|(i, &d)| WeekCount {
                week_start: format!("w{i:02}"),
                done: d,
                partial: i == n - 1,
                by_person: BTreeMap::new(),
            })
            .collect()
    }

    #[test]
    fn the_partial_week_is_shown_but_not_in_the_range() {
        // Complete weeks 4,5,6,0,5,4 → sorted 0,4,4,5,5,6: P15 = x[ceil(0.9)] = x1 = 0,
        // P50 = x3 = 4, P85 = x[ceil(5.1)] = x6 = 6. The partial week (20) is ignored.
        let (s, k) = summarise(weeks(&[4, 5, 6, 0, 5, 4, 20]), &Targets::default());
        assert_eq!((s.p15, s.p50, s.p85), (Some(0), Some(4), Some(6)));
        assert_eq!(s.weekly.len(), 7);
        assert_eq!((k.value, k.status), (Some(4.0), Status::Ok));
    }

    #[test]
    fn two_weeks_below_p15_is_an_alert_and_one_a_warning() {
        let targets = Targets {
            throughput_weeks: 20,
            ..Targets::default()
        };
        // Last 20 complete weeks: eighteen 5s, then 4 and 1. Sorted 1,4,5,…:
        // P15 = x[ceil(0.15 × 20)] = x3 = 5, so both of the last two weeks are below.
        let mut d: Vec<u32> = vec![5; 20];
        d.extend([4, 1, 3]);
        let (s, k) = summarise(weeks(&d), &targets);
        assert_eq!((s.p15, k.status), (Some(5), Status::Alert));
        assert_eq!(k.flagged, ["week of w21", "week of w20"]);
        // Eighteen 5s, then 5 and 1: P15 = x3 = 5, only the last week is below.
        let mut d: Vec<u32> = vec![5; 20];
        d.extend([5, 1, 3]);
        let (_, k) = summarise(weeks(&d), &targets);
        assert_eq!((k.status, k.flagged.len()), (Status::Warn, 1));
        // With the default 12 weeks: ten 5s, 1, 1 → P15 = x[ceil(1.8)] = x2 = 1: not below.
        let mut d: Vec<u32> = vec![5; 20];
        d.extend([1, 1, 3]);
        let (s, k) = summarise(weeks(&d), &Targets::default());
        assert_eq!((s.p15, k.status), (Some(1), Status::Ok));
    }

    #[test]
    fn too_little_history_is_not_available() {
        let (_, k) = summarise(weeks(&[3, 4, 2]), &Targets::default());
        assert_eq!(k.status, Status::NotAvailable);
        assert!(k.reason.unwrap().contains("fewer than 4 complete weeks"));
    }
}
