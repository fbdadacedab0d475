//! The charts of a team page, by question, each with the table of its numbers beside it.

use std::collections::BTreeMap;

use anyhow::Result;
use serde::Serialize;

use crate::chart;
use crate::chart::format::number;
use crate::kpi::{Question, TeamKpis};
use crate::model::calendar::iso;

/// Rows of data shown beside a chart.
#[derive(Serialize)]
pub struct Table {
    caption: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

#[derive(Serialize)]
pub struct ChartView {
    id: String,
    svg: String,
    table: Table,
}

/// Weeks a weekly chart shows (the last two years); `kpis.json` has every week.
const CHART_WEEKS: usize = 104;

/// People a per-person chart shows, in roster order; the tables and downloads have everyone.
const CHART_PEOPLE: usize = 200;

/// Per-person sparklines shown, in roster order.
const SPARK_PEOPLE: usize = 48;

/// Tasks the activity strip shows (the longest untouched first).
const ACTIVITY_ROWS: usize = 60;

/// The last `n` items of a series.
fn last<T>(items: &[T], n: usize) -> &[T] {
    &items[items.len().saturating_sub(n)..]
}

/// One sparkline per person (roster order, never ranked) of their weekly throughput credit.
fn people_sparks(tk: &TeamKpis) -> Result<ChartView> {
    let weeks = &tk.throughput.weekly[tk.throughput.weekly.len().saturating_sub(12)..];
    let mut people: Vec<String> = tk.roster.clone();
    for w in weeks {
        for p in w.by_person.keys() {
            if !people.contains(p) {
                people.push(p.clone());
            }
        }
    }
    let mut html = String::from("<div class=\"people-sparks\">");
    let mut rows = Vec::new();
    let shown = people.len().min(SPARK_PEOPLE);
    for (i, p) in people.iter().enumerate() {
        let values: Vec<(f64, bool)> = weeks
            .iter()
            .map(|w| (w.by_person.get(p).copied().unwrap_or(0.0), w.partial))
            .collect();
        let total: f64 = values.iter().filter(|v| !v.1).map(|v| v.0).sum();
        let mut row = vec![p.clone()];
        row.extend(values.iter().map(|v| number(v.0)));
        rows.push(row);
        if i >= shown {
            continue;
        }
        let svg = chart::sparkline(
            &format!("person-spark-{i}"),
            &format!("{p}: weekly throughput"),
            &values,
        )?;
        html.push_str(&format!(
            "<figure class=\"person-spark\"><figcaption>{} · {} in {} complete weeks</figcaption>{svg}</figure>",
            chart::escape(p),
            number(total),
            values.iter().filter(|v| !v.1).count()
        ));
    }
    if people.len() > shown {
        html.push_str(&format!(
            "<p class=\"more\">… and {} more people: their numbers are in the table</p>",
            people.len() - shown
        ));
    }
    html.push_str("</div>");
    let mut headers = vec!["Person".to_string()];
    headers.extend(weeks.iter().map(|w| {
        if w.partial {
            format!("{} (partial)", &w.week_start[5..])
        } else {
            w.week_start[5..].to_string()
        }
    }));
    Ok(chart(
        "people-sparks",
        html,
        "Tasks done per person per week (a task shared by k people counts 1/k for each)".into(),
        headers,
        capped(rows, weeks.len() + 1),
    ))
}

/// Most rows of a chart's table; the downloads have every task.
const MAX_ROWS: usize = 200;

fn capped(mut rows: Vec<Vec<String>>, columns: usize) -> Vec<Vec<String>> {
    if rows.len() > MAX_ROWS {
        let more = rows.len() - MAX_ROWS;
        rows.truncate(MAX_ROWS);
        let mut last = vec![format!(
            "… and {more} more rows (every task is in items.csv)"
        )];
        last.resize(columns, String::new());
        rows.push(last);
    }
    rows
}

fn chart<H: Into<String>>(
    id: &str,
    svg: String,
    caption: String,
    headers: Vec<H>,
    rows: Vec<Vec<String>>,
) -> ChartView {
    let headers: Vec<String> = headers.into_iter().map(Into::into).collect();
    let rows = capped(rows, headers.len());
    ChartView {
        id: id.to_string(),
        svg,
        table: Table {
            caption,
            headers,
            rows,
        },
    }
}

/// The charts answering one question, each with its table.
pub fn charts_for(question: Question, tk: &TeamKpis) -> Result<Vec<ChartView>> {
    match question {
        Question::Finish => finish_charts(tk),
        Question::Spread => spread_charts(tk),
        Question::CheckIn => checkin_charts(tk),
        // Delegation is told by its tiles and their flagged tasks.
        Question::Delegation => Ok(Vec::new()),
        Question::When => when_charts(tk),
    }
}

/// Throughput, per-person sparklines, net flow and cumulative flow.
fn finish_charts(tk: &TeamKpis) -> Result<Vec<ChartView>> {
    let mut out = Vec::new();
    if tk.throughput.weekly.is_empty() {
        // Finish dates are missing: the tiles say why; no row of zeros is drawn.
        return Ok(out);
    }
    let t = &tk.throughput;
    let rows = t
        .weekly
        .iter()
        .rev()
        .map(|w| {
            vec![
                w.week_start.clone(),
                w.done.to_string(),
                if w.partial {
                    "partial week".into()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    out.push(chart(
        "throughput-chart",
        chart::weekly_throughput(
            "throughput-chart",
            &crate::kpi::ThroughputSummary {
                weekly: last(&t.weekly, CHART_WEEKS).to_vec(),
                ..t.clone()
            },
        )?,
        "Tasks done per week".into(),
        vec!["Week starting", "Done", "Note"],
        rows,
    ));
    out.push(people_sparks(tk)?);
    let rows = tk
        .flow_weekly
        .iter()
        .rev()
        .map(|w| {
            vec![
                w.week_start.clone(),
                w.started.to_string(),
                w.finished.to_string(),
                format!("{:+}", w.started as i64 - w.finished as i64),
            ]
        })
        .collect();
    out.push(chart(
        "net-flow-chart",
        chart::net_flow("net-flow-chart", last(&tk.flow_weekly, CHART_WEEKS))?,
        "Started and finished tasks per week".into(),
        vec!["Week starting", "Started", "Finished", "Net"],
        rows,
    ));
    let rows = tk
        .cfd
        .iter()
        .rev()
        .map(|d| {
            vec![
                iso(d.day),
                d.created.to_string(),
                d.started.to_string(),
                d.finished.to_string(),
            ]
        })
        .collect();
    out.push(chart(
        "cfd-chart",
        chart::cumulative_flow("cfd-chart", &tk.cfd)?,
        "Cumulative tasks by the end of each day".into(),
        vec!["Day", "Created", "Started", "Finished"],
        rows,
    ));
    Ok(out)
}

/// WIP per person and over time, load balance, the Gini trend and the skills matrix.
fn spread_charts(tk: &TeamKpis) -> Result<Vec<ChartView>> {
    let mut out = Vec::new();
    let rows = tk
        .person_wip
        .iter()
        .map(|p| {
            vec![
                p.person.clone(),
                p.doing.to_string(),
                p.waiting.to_string(),
                p.limit.to_string(),
            ]
        })
        .collect();
    out.push(chart(
        "wip-chart",
        chart::person_wip(
            "wip-chart",
            &tk.person_wip[..tk.person_wip.len().min(CHART_PEOPLE)],
        )?,
        "Started tasks per person".into(),
        vec!["Person", "Doing", "Waiting", "Limit"],
        rows,
    ));
    let rows = tk
        .daily_wip
        .iter()
        .rev()
        .map(|(d, n)| vec![iso(*d), n.to_string()])
        .collect::<Vec<_>>();
    out.push(chart(
        "wip-run-chart",
        chart::wip_run("wip-run-chart", &tk.daily_wip, tk.wip.team_limit)?,
        format!(
            "Work in progress at the end of each day (team limit {})",
            tk.wip.team_limit
        ),
        vec!["Day", "Started, not finished"],
        rows,
    ));
    let lb = &tk.load_balance;
    let rows = lb
        .loads
        .iter()
        .map(|l| vec![l.person.clone(), number(l.load)])
        .collect();
    out.push(chart(
        "lorenz-chart",
        chart::lorenz("lorenz-chart", &lb.loads, lb.gini)?,
        "Load per person (started tasks held, 5-business-day mean ÷ capacity)".into(),
        vec!["Person", "Load"],
        rows,
    ));
    if !lb.weekly_gini.is_empty() {
        let rows = lb
            .weekly_gini
            .iter()
            .rev()
            .map(|w| vec![w.week_start.clone(), format!("{:.2}", w.gini)])
            .collect();
        out.push(chart(
            "gini-chart",
            chart::gini_trend("gini-chart", last(&lb.weekly_gini, CHART_WEEKS))?,
            "Gini at the end of each week".into(),
            vec!["Week starting", "Gini"],
            rows,
        ));
    }
    let m = &tk.skills;
    if !m.labels.is_empty() {
        let rows = m
            .labels
            .iter()
            .enumerate()
            .map(|(j, l)| {
                let who: Vec<String> = m
                    .people
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| m.cells[*i][j] > 0)
                    .map(|(i, p)| format!("{p} {}", m.cells[i][j]))
                    .collect();
                vec![
                    l.clone(),
                    m.demand[j].to_string(),
                    m.coverage[j].to_string(),
                    who.join(", "),
                ]
            })
            .collect();
        out.push(chart(
            "skills-chart",
            chart::skills("skills-chart", m)?,
            "Completions per label in the last 180 days".into(),
            vec![
                "Label",
                "Tasks (finished + open)",
                "People with 2 or more",
                "Finished by",
            ],
            rows,
        ));
    }
    Ok(out)
}

/// The activity strip of work in progress.
fn checkin_charts(tk: &TeamKpis) -> Result<Vec<ChartView>> {
    let mut out = Vec::new();
    let end = tk.data_range.1;
    let rows = tk
        .activity
        .iter()
        .map(|r| {
            vec![
                r.task_id.clone(),
                r.owner_days.len().to_string(),
                r.delegator_days.len().to_string(),
                r.idle_days.to_string(),
            ]
        })
        .collect();
    out.push(chart(
        "activity-chart",
        chart::activity(
            "activity-chart",
            &tk.activity[..tk.activity.len().min(ACTIVITY_ROWS)],
            (end - 27, end),
        )?,
        "Tasks in progress: days with updates in the last 28 days".into(),
        vec![
            "Task",
            "Days with an owner update",
            "Days the delegator touched it",
            "Days since the last touch",
        ],
        rows,
    ));
    Ok(out)
}

/// Cycle and lead time scatterplots, aging work and the forecast.
fn when_charts(tk: &TeamKpis) -> Result<Vec<ChartView>> {
    let mut out = Vec::new();
    let end = tk.data_range.1;
    let ct = &tk.cycle_time_days;
    let mut dist: BTreeMap<i32, usize> = BTreeMap::new();
    for p in &tk.cycle_points {
        *dist.entry(p.days).or_default() += 1;
    }
    let rows = dist
        .iter()
        .map(|(d, n)| vec![d.to_string(), n.to_string()])
        .collect();
    out.push(chart(
        "cycle-chart",
        chart::cycle_scatter("cycle-chart", &tk.cycle_points, ct, (end - 89, end))?,
        format!(
            "Cycle times of the {} tasks finished in the last 90 days",
            ct.count
        ),
        vec!["Cycle time (days)", "Tasks"],
        rows,
    ));
    let lt = &tk.lead_time_days;
    let mut lead_dist: BTreeMap<i32, usize> = BTreeMap::new();
    for p in &tk.lead_points {
        *lead_dist.entry(p.days).or_default() += 1;
    }
    out.push(chart(
        "lead-chart",
        chart::lead_scatter("lead-chart", &tk.lead_points, lt, (end - 89, end))?,
        format!(
            "Lead times (created → done) of the {} tasks finished in the last 90 days",
            lt.count
        ),
        vec!["Lead time (days)", "Tasks"],
        lead_dist
            .iter()
            .map(|(d, n)| vec![d.to_string(), n.to_string()])
            .collect(),
    ));
    let mut aging = tk.aging.clone();
    aging.sort_by(|a, b| b.age.cmp(&a.age).then(a.task_id.cmp(&b.task_id)));
    let rows = aging
        .iter()
        .map(|a| vec![a.task_id.clone(), a.status.clone(), number(a.age as f64)])
        .collect::<Vec<_>>();
    out.push(chart(
        "aging-chart",
        chart::aging_wip("aging-chart", &tk.aging, ct)?,
        "Tasks in progress by age".into(),
        vec!["Task", "Status", "Age (days)"],
        rows,
    ));
    if let Some(f) = &tk.forecast {
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
        out.push(chart(
            "forecast-chart",
            chart::forecast("forecast-chart", f)?,
            caption,
            vec![
                "Confidence",
                "Tasks in the next 4 weeks",
                "All open tasks done",
            ],
            rows,
        ));
    }
    Ok(out)
}
