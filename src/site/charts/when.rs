//! "When will it be done?": cycle and lead time scatterplots, aging work and the forecast.

use std::collections::BTreeMap;

use anyhow::Result;

use super::{chart, ChartView, TeamData};
use crate::chart;
use crate::chart::format::number;
use crate::kpi::percentile::Percentiles;
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
    let ct = &team.k.cycle_time_days;
    let caption = format!(
        "Cycle times of the {} tasks finished in the last 90 days",
        ct.count
    );
    scatter(
        team,
        "cycle",
        "cycle time",
        &team.v.cycle_points,
        ct,
        caption,
    )
}

fn lead(team: TeamData) -> Result<ChartView> {
    let lt = &team.k.lead_time_days;
    let caption = format!(
        "Lead times (created → done) of the {} tasks finished in the last 90 days",
        lt.count
    );
    scatter(team, "lead", "lead time", &team.v.lead_points, lt, caption)
}

/// A scatterplot of the last 90 days with the distribution of its days as the table.
fn scatter(
    team: TeamData,
    id: &str,
    what: &str,
    points: &[CyclePoint],
    pct: &Percentiles,
    caption: String,
) -> Result<ChartView> {
    let (end, id) = (team.k.data_to, format!("{id}-chart"));
    let mut heading = what.to_string();
    heading[..1].make_ascii_uppercase();
    Ok(chart(
        &id,
        chart::scatter(
            &id,
            what,
            points,
            pct,
            (end - 89, end),
            &super::decision_days(team),
        )?,
        caption,
        vec![format!("{heading} (days)"), "Tasks".to_string()],
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
