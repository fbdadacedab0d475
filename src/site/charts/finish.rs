//! "How much do we finish?": weekly throughput, per-person sparklines, net flow, cumulative flow.

use anyhow::Result;
use serde::Serialize;
use tera::{Context, Tera};

use super::{chart, last, newest_first, ChartView, TeamData, CHART_WEEKS};
use crate::chart;
use crate::chart::format::number;
use crate::model::calendar::iso;

/// Per-person sparklines shown, in roster order.
const SPARK_PEOPLE: usize = 48;

/// Throughput, per-person sparklines, net flow and cumulative flow.
pub fn charts(team: TeamData, tera: &Tera) -> Result<Vec<ChartView>> {
    if team.k.throughput.weekly.is_empty() {
        // Finish dates are missing: the tiles say why; no row of zeros is drawn.
        return Ok(Vec::new());
    }
    Ok(vec![
        throughput(team)?,
        people_sparks(team, tera)?,
        net_flow(team)?,
        cumulative_flow(team)?,
    ])
}

fn throughput(team: TeamData) -> Result<ChartView> {
    let t = &team.k.throughput;
    let rows = newest_first(&t.weekly, |w| {
        let note = if w.partial { "partial week" } else { "" };
        vec![w.week_start.clone(), w.done.to_string(), note.to_string()]
    });
    let shown = crate::kpi::ThroughputSummary {
        weekly: last(&t.weekly, CHART_WEEKS).to_vec(),
        ..t.clone()
    };
    Ok(chart(
        "throughput-chart",
        chart::weekly_throughput("throughput-chart", &shown, &super::decision_days(team))?,
        "Tasks done per week".into(),
        vec!["Week starting", "Done", "Note"],
        rows,
    ))
}

/// One sparkline of a person, for the template.
#[derive(Serialize)]
struct Spark {
    name: String,
    total: String,
    weeks: usize,
    svg: String,
}

/// One sparkline per person (roster order, never ranked) of their weekly throughput credit.
fn people_sparks(team: TeamData, tera: &Tera) -> Result<ChartView> {
    let weekly = &team.k.throughput.weekly;
    let weeks = &weekly[weekly.len().saturating_sub(12)..];
    let mut people: Vec<String> = team.k.roster.clone();
    for p in weeks.iter().flat_map(|w| w.by_person.keys()) {
        if !people.contains(p) {
            people.push(p.clone());
        }
    }
    let (mut rows, mut sparks) = (Vec::new(), Vec::new());
    for (i, p) in people.iter().enumerate() {
        let values: Vec<(f64, bool)> = weeks
            .iter()
            .map(|w| (w.by_person.get(p).copied().unwrap_or(0.0), w.partial))
            .collect();
        let mut row = vec![p.clone()];
        row.extend(values.iter().map(|v| number(v.0)));
        rows.push(row);
        if i < SPARK_PEOPLE {
            let complete = values.iter().filter(|v| !v.1);
            sparks.push(Spark {
                name: p.clone(),
                total: number(complete.clone().map(|v| v.0).sum()),
                weeks: complete.count(),
                svg: chart::sparkline(
                    &format!("person-spark-{i}"),
                    &format!("{p}: weekly throughput"),
                    &values,
                )?,
            });
        }
    }
    let mut ctx = Context::new();
    ctx.insert("sparks", &sparks);
    ctx.insert("more", &people.len().saturating_sub(SPARK_PEOPLE));
    let html = super::super::pages::render(tera, "sparks.html", &ctx)?;
    let mut headers = vec!["Person".to_string()];
    headers.extend(weeks.iter().map(|w| match w.partial {
        true => format!("{} (partial)", &w.week_start[5..]),
        false => w.week_start[5..].to_string(),
    }));
    Ok(chart(
        "people-sparks",
        html,
        "Tasks done per person per week (a task shared by k people counts 1/k for each)".into(),
        headers,
        rows,
    ))
}

fn net_flow(team: TeamData) -> Result<ChartView> {
    let weeks = &team.k.flow_weekly;
    let rows = newest_first(weeks, |w| {
        vec![
            w.week_start.clone(),
            w.started.to_string(),
            w.finished.to_string(),
            format!("{:+}", w.started as i64 - w.finished as i64),
        ]
    });
    Ok(chart(
        "net-flow-chart",
        chart::net_flow(
            "net-flow-chart",
            last(weeks, CHART_WEEKS),
            &super::decision_days(team),
        )?,
        "Started and finished tasks per week".into(),
        vec!["Week starting", "Started", "Finished", "Net"],
        rows,
    ))
}

fn cumulative_flow(team: TeamData) -> Result<ChartView> {
    let days = &team.v.cfd;
    let rows = newest_first(days, |d| {
        vec![
            iso(d.day),
            d.created.to_string(),
            d.started.to_string(),
            d.finished.to_string(),
        ]
    });
    Ok(chart(
        "cfd-chart",
        chart::cumulative_flow("cfd-chart", days, &super::decision_days(team))?,
        "Cumulative tasks by the end of each day".into(),
        vec!["Day", "Created", "Started", "Finished"],
        rows,
    ))
}
