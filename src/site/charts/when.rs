//! "When will it be done?": cycle and lead time scatterplots, aging work and the forecast.

use std::collections::BTreeMap;

use anyhow::Result;

use super::{chart, ChartView, TeamData};
use crate::chart;
use crate::chart::format::number;
use crate::kpi::{CyclePoint, Forecast};

/// Cycle and lead time scatterplots, aging work and the forecast.
pub fn charts(team: TeamData) -> Result<Vec<ChartView>> {
    let mut out = vec![cycle(team)?, lead(team)?, aging(team)?];
    if let Some(f) = &team.k.forecast {
        out.push(forecast(f)?);
    }
    Ok(out)
}

/// How many tasks took each number of days.
fn distribution(points: &[CyclePoint]) -> Vec<Vec<String>> {
    let mut dist: BTreeMap<i32, usize> = BTreeMap::new();
    for p in points {
        *dist.entry(p.days).or_default() += 1;
    }
    dist.iter()
        .map(|(d, n)| vec![d.to_string(), n.to_string()])
        .collect()
}

fn cycle(team: TeamData) -> Result<ChartView> {
    let (end, ct, points) = (
        team.v.data_range.1,
        &team.k.cycle_time_days,
        &team.v.cycle_points,
    );
    Ok(chart(
        "cycle-chart",
        chart::cycle_scatter("cycle-chart", points, ct, (end - 89, end))?,
        format!(
            "Cycle times of the {} tasks finished in the last 90 days",
            ct.count
        ),
        vec!["Cycle time (days)", "Tasks"],
        distribution(points),
    ))
}

fn lead(team: TeamData) -> Result<ChartView> {
    let (end, lt, points) = (
        team.v.data_range.1,
        &team.k.lead_time_days,
        &team.v.lead_points,
    );
    Ok(chart(
        "lead-chart",
        chart::lead_scatter("lead-chart", points, lt, (end - 89, end))?,
        format!(
            "Lead times (created → done) of the {} tasks finished in the last 90 days",
            lt.count
        ),
        vec!["Lead time (days)", "Tasks"],
        distribution(points),
    ))
}

fn aging(team: TeamData) -> Result<ChartView> {
    let mut aging = team.v.aging.clone();
    aging.sort_by(|a, b| b.age.cmp(&a.age).then(a.task_id.cmp(&b.task_id)));
    let rows = aging
        .iter()
        .map(|a| vec![a.task_id.clone(), a.status.clone(), number(a.age as f64)])
        .collect();
    Ok(chart(
        "aging-chart",
        chart::aging_wip("aging-chart", &team.v.aging, &team.k.cycle_time_days)?,
        "Tasks in progress by age".into(),
        vec!["Task", "Status", "Age (days)"],
        rows,
    ))
}

fn forecast(f: &Forecast) -> Result<ChartView> {
    let rows = [50, 85, 95]
        .iter()
        .enumerate()
        .map(|(i, p)| {
            vec![
                format!("{p} %"),
                format!("{} or more", f.how_many[i]),
                format!("by {} ({} weeks)", f.when_dates[i], f.when_weeks[i]),
            ]
        })
        .collect();
    let caption = format!(
        "Forecast from {} weeks of throughput, {} trials, seed {}; {} open tasks",
        f.samples.len(),
        f.trials,
        f.seed,
        f.backlog
    );
    Ok(chart(
        "forecast-chart",
        chart::forecast("forecast-chart", f)?,
        caption,
        vec![
            "Confidence",
            "Tasks in the next 4 weeks",
            "All open tasks done",
        ],
        rows,
    ))
}
