//! "Where does our time go?": time in status (shares, and week by week), and finished work by
//! type week by week. Also the iterations chart of "How much do we finish?".

use std::collections::BTreeMap;

use anyhow::Result;

use super::{chart, last, newest_first, ChartView, TeamData};
use crate::chart;
use crate::chart::format::number;
use crate::model::calendar::iso;

/// Weeks the weekly charts of this question show.
const WEEKS: usize = 26;

/// Statuses shown on their own in the weekly chart; the rest are "other".
const STATUSES_SHOWN: usize = 5;

/// Time in status and the work mix.
pub fn charts(team: TeamData) -> Result<Vec<ChartView>> {
    let mut out = Vec::new();
    if !team.k.time_in_status.is_empty() {
        out.push(shares(team)?);
        out.push(time_weekly(team)?);
    }
    if !team.v.mix_weekly.is_empty() {
        out.push(mix_weekly(team)?);
    }
    Ok(out)
}

fn shares(team: TeamData) -> Result<ChartView> {
    let statuses = &team.k.time_in_status;
    let shown: Vec<(String, f64, bool)> = statuses
        .iter()
        .take(12)
        .map(|s| (s.status.clone(), s.share, s.category == "waiting"))
        .collect();
    let rows = statuses
        .iter()
        .map(|s| {
            vec![
                s.status.clone(),
                s.category.clone(),
                s.tasks.to_string(),
                number(s.median_days),
                s.p85_days.map(number).unwrap_or_else(|| "—".into()),
                format!("{:.0} %", s.share * 100.0),
            ]
        })
        .collect();
    Ok(chart(
        "time-in-status-chart",
        chart::share_bars(
            "time-in-status-chart",
            "Where the cycle time of finished work went",
            &shown,
        )?,
        "Time in each status of the tasks finished in the last 90 days (elapsed days from first \
         start to done)"
            .into(),
        vec![
            "Status",
            "Category",
            "Tasks",
            "Median days",
            "P85 days",
            "Share",
        ],
        rows,
    ))
}

/// Column labels and series of a weekly stacked chart: the most common keys on their own, the
/// rest summed as "other".
fn stack<K: Clone + Ord + Into<String>>(
    weeks: &[(String, BTreeMap<K, f64>)],
    keep: usize,
) -> (Vec<String>, Vec<(String, Vec<f64>)>) {
    let mut totals: BTreeMap<K, f64> = BTreeMap::new();
    for (_, by) in weeks {
        for (k, v) in by {
            *totals.entry(k.clone()).or_default() += v;
        }
    }
    let mut order: Vec<(K, f64)> = totals.into_iter().collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let shown: Vec<K> = order.iter().take(keep).map(|(k, _)| k.clone()).collect();
    let mut series: Vec<(String, Vec<f64>)> = shown
        .iter()
        .map(|k| {
            let values = weeks
                .iter()
                .map(|(_, by)| by.get(k).copied().unwrap_or(0.0))
                .collect();
            (k.clone().into(), values)
        })
        .collect();
    if order.len() > keep {
        let other = weeks
            .iter()
            .map(|(_, by)| {
                by.iter()
                    .filter(|(k, _)| !shown.contains(k))
                    .map(|(_, v)| v)
                    .sum()
            })
            .collect();
        series.push(("other".into(), other));
    }
    (
        weeks
            .iter()
            .map(|(w, _)| w.get(5..).unwrap_or(w).to_string())
            .collect(),
        series,
    )
}

fn time_weekly(team: TeamData) -> Result<ChartView> {
    let weeks: Vec<(String, BTreeMap<String, f64>)> = last(&team.v.time_weekly, WEEKS)
        .iter()
        .map(|w| (iso(w.week_start), w.days.clone()))
        .collect();
    stacked_weeks(
        team,
        "time-weekly-chart",
        &weeks,
        STATUSES_SHOWN,
        [
            "days of cycle time",
            "week finished (month-day)",
            "Cycle time of the work finished each week, by status",
        ],
        [
            "Days in each status of the tasks finished each week",
            "Days by status",
        ],
    )
}

fn mix_weekly(team: TeamData) -> Result<ChartView> {
    let weeks: Vec<(String, BTreeMap<String, f64>)> = last(&team.v.mix_weekly, WEEKS)
        .iter()
        .map(|w| {
            let by = w
                .by_type
                .iter()
                .map(|(k, v)| (k.clone(), *v as f64))
                .collect();
            (iso(w.week_start), by)
        })
        .collect();
    stacked_weeks(
        team,
        "mix-chart",
        &weeks,
        6,
        [
            "tasks finished",
            "week (month-day)",
            "Finished work by type, week by week",
        ],
        ["Tasks finished each week, by type", "Finished by type"],
    )
}

/// Stacked bars of `weeks` (the `keep` largest series shown) with their table, newest week
/// first; `axes` are the y and x descriptions and the title, `table` the caption and the
/// second column's header.
fn stacked_weeks(
    team: TeamData,
    id: &str,
    weeks: &[(String, BTreeMap<String, f64>)],
    keep: usize,
    axes: [&str; 3],
    table: [&str; 2],
) -> Result<ChartView> {
    let (columns, series) = stack(weeks, keep);
    let rows = newest_first(weeks, |(w, by)| {
        let parts: Vec<String> = by
            .iter()
            .map(|(s, d)| format!("{s} {}", number(*d)))
            .collect();
        vec![w.clone(), parts.join(", ")]
    });
    let [y_desc, x_desc, title] = axes;
    Ok(chart(
        id,
        chart::stacked_bars(
            id,
            &chart::Stacked {
                columns: &columns,
                series: &series,
                y_desc,
                x_desc,
                title,
                marks: &week_marks(team, weeks),
            },
        )?,
        table[0].into(),
        vec!["Week starting", table[1]],
        rows,
    ))
}

/// Where the team's decisions fall among the weeks of a weekly chart.
fn week_marks(team: TeamData, weeks: &[(String, BTreeMap<String, f64>)]) -> Vec<f64> {
    let starts: Vec<String> = weeks.iter().map(|(w, _)| w.clone()).collect();
    chart::week_marks(&starts, &super::decision_days(team))
}

/// Iterations: finished, carried over and removed per iteration, with what was committed.
pub fn iterations(team: TeamData) -> Result<Option<ChartView>> {
    let its = last(&team.k.iterations, 24);
    if its.is_empty() {
        return Ok(None);
    }
    let columns: Vec<String> = its.iter().map(|i| i.name.clone()).collect();
    let part =
        |f: fn(&crate::kpi::IterationSummary) -> usize| its.iter().map(|i| f(i) as f64).collect();
    let series = vec![
        ("finished".to_string(), part(|i| i.finished)),
        ("carried over".to_string(), part(|i| i.carried_over)),
        ("removed".to_string(), part(|i| i.removed)),
    ];
    let rows = newest_first(&team.k.iterations, |i| {
        vec![
            i.name.clone(),
            i.start.clone(),
            i.end.clone().unwrap_or_else(|| "running".into()),
            i.committed.to_string(),
            i.added.to_string(),
            i.removed.to_string(),
            i.finished.to_string(),
            i.carried_over.to_string(),
        ]
    });
    Ok(Some(chart(
        "iterations-chart",
        chart::stacked_bars(
            "iterations-chart",
            &chart::Stacked {
                columns: &columns,
                series: &series,
                y_desc: "tasks",
                x_desc: "iteration",
                title: "What each iteration finished, carried over and removed",
                marks: &[],
            },
        )?,
        "Iterations: committed at the start, added, removed, finished, carried over".into(),
        vec![
            "Iteration",
            "Start",
            "End",
            "Committed",
            "Added",
            "Removed",
            "Finished",
            "Carried over",
        ],
        rows,
    )))
}
