//! Page contexts: display-ready data for each template, and the render calls.

use std::collections::BTreeMap;

use anyhow::{Context as _, Result};
use serde::Serialize;
use tera::{Context, Tera};

use super::format::{self, number};
use super::SiteInput;
use crate::chart;
use crate::kpi::calendar::iso;
use crate::kpi::{describe, Kpi, Status, TeamKpis, CATALOGUE};

/// Rows of data shown beside a chart.
#[derive(Serialize)]
struct Table {
    caption: String,
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

#[derive(Serialize)]
struct ChartView {
    id: String,
    svg: String,
    table: Table,
}

#[derive(Serialize)]
struct Tile {
    id: &'static str,
    name: &'static str,
    sentence: &'static str,
    value: String,
    target: String,
    status: &'static str,
    status_label: &'static str,
    reason: String,
    trend: String,
    flagged: Vec<String>,
    /// The first few flagged items in one line, for the "what needs attention" table.
    flagged_brief: String,
}

#[derive(Serialize)]
struct Section {
    question: &'static str,
    anchor: String,
    tiles: Vec<Tile>,
    charts: Vec<ChartView>,
}

fn tile(k: &Kpi) -> Tile {
    let info = describe(k.id);
    Tile {
        id: k.id,
        name: info.map_or(k.id, |i| i.name),
        sentence: info.map_or("", |i| i.sentence),
        value: format::value(k),
        target: k.target.clone(),
        status: status_class(k.status),
        status_label: format::status_label(k.status),
        reason: k.reason.clone().unwrap_or_default(),
        trend: format::trend(k.trend.as_ref()),
        flagged: shown(&k.flagged),
        flagged_brief: brief(&k.flagged),
    }
}

/// Most flagged items listed on a page; `kpis.json` has all of them.
const MAX_FLAGGED: usize = 40;

fn shown(flagged: &[String]) -> Vec<String> {
    let mut out: Vec<String> = flagged.iter().take(MAX_FLAGGED).cloned().collect();
    if flagged.len() > MAX_FLAGGED {
        out.push(format!(
            "… and {} more (all in data/kpis.json)",
            flagged.len() - MAX_FLAGGED
        ));
    }
    out
}

/// The first 8 flagged items, and how many more there are.
fn brief(flagged: &[String]) -> String {
    let mut s = flagged
        .iter()
        .take(8)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if flagged.len() > 8 {
        s.push_str(&format!(" … (+{} more)", flagged.len() - 8));
    }
    s
}

/// Most rows of a chart's table; the downloads have every task.
const MAX_ROWS: usize = 200;

fn capped(mut rows: Vec<Vec<String>>, columns: usize) -> Vec<Vec<String>> {
    if rows.len() > MAX_ROWS {
        let more = rows.len() - MAX_ROWS;
        rows.truncate(MAX_ROWS);
        let mut last = vec![format!("… and {more} more (all in items.csv)")];
        last.resize(columns, String::new());
        rows.push(last);
    }
    rows
}

fn status_class(s: crate::kpi::Status) -> &'static str {
    match s {
        crate::kpi::Status::NotAvailable => "na",
        other => other.as_str(),
    }
}

fn base_context(input: &SiteInput, root: &str, title: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert("root", root);
    ctx.insert("title", title);
    ctx.insert("as_of", &format::rfc3339(input.kpis.as_of));
    ctx
}

fn render(tera: &Tera, name: &str, ctx: &Context) -> Result<String> {
    tera.render(name, ctx)
        .with_context(|| format!("cannot render {name}"))
}

#[derive(Serialize)]
struct Card {
    name: String,
    href: String,
    range: String,
    as_of: String,
    wip: usize,
    kpis: Vec<Tile>,
    spark: String,
    counts: Vec<(String, usize)>,
}

/// The overview: one card per team.
pub fn index(tera: &Tera, input: &SiteInput) -> Result<String> {
    let cards: Vec<Card> = input
        .kpis
        .teams
        .iter()
        .zip(input.teams)
        .map(|(tk, team)| Card {
            name: tk.team.clone(),
            href: format!("teams/{}/index.html", tk.slug),
            range: format!("{} to {}", iso(tk.data_range.0), iso(tk.data_range.1)),
            as_of: format::instant(input.kpis.as_of, team.tz),
            wip: tk.wip.total,
            kpis: tk.kpis.iter().map(tile).collect(),
            spark: chart::sparkline(
                &format!("spark-{}", tk.slug),
                &tk.team,
                &tk.throughput.weekly,
                12,
            )
            .unwrap_or_default(),
            counts: [
                Status::Alert,
                Status::Warn,
                Status::Ok,
                Status::NotAvailable,
            ]
            .iter()
            .map(|s| {
                (
                    format::status_label(*s).to_string(),
                    tk.kpis.iter().filter(|k| k.status == *s).count(),
                )
            })
            .filter(|(_, n)| *n > 0)
            .collect(),
        })
        .collect();
    let mut ctx = base_context(input, "", "Team overview");
    ctx.insert("cards", &cards);
    ctx.insert("rejected", &input.quality.rejections.len());
    render(tera, "index.html", &ctx)
}

/// A team's page, organised by the questions a team asks.
pub fn team(tera: &Tera, input: &SiteInput, tk: &TeamKpis) -> Result<String> {
    let by_id: BTreeMap<&str, &Kpi> = tk.kpis.iter().map(|k| (k.id, k)).collect();
    let mut questions: Vec<&'static str> = Vec::new();
    for info in CATALOGUE {
        if !questions.contains(&info.question) {
            questions.push(info.question);
        }
    }
    let mut sections = Vec::new();
    for (i, question) in questions.into_iter().enumerate() {
        let tiles = CATALOGUE
            .iter()
            .filter(|info| info.question == question)
            .filter_map(|info| by_id.get(info.id).map(|k| tile(k)))
            .collect();
        sections.push(Section {
            question,
            anchor: format!("q{}", i + 1),
            tiles,
            charts: charts_for(question, tk)?,
        });
    }
    let mut ctx = base_context(input, "../../", &tk.team);
    ctx.insert("team", &tk.team);
    ctx.insert("slug", &tk.slug);
    ctx.insert("timezone", &tk.timezone);
    ctx.insert(
        "range",
        &format!("{} to {}", iso(tk.data_range.0), iso(tk.data_range.1)),
    );
    ctx.insert("roster", &tk.roster);
    ctx.insert("roster_inferred", &tk.roster_inferred);
    ctx.insert("sections", &sections);
    let attention: Vec<Tile> = tk
        .kpis
        .iter()
        .filter(|k| matches!(k.status, Status::Alert | Status::Warn))
        .map(tile)
        .collect();
    ctx.insert("attention", &attention);
    ctx.insert(
        "sle",
        &tk.sle.as_ref().map(|(d, src)| format!("{d} days ({src})")),
    );
    render(tera, "team.html", &ctx)
}

fn chart(
    id: &str,
    svg: String,
    caption: String,
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
) -> ChartView {
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

fn charts_for(question: &str, tk: &TeamKpis) -> Result<Vec<ChartView>> {
    let mut out = Vec::new();
    let end = tk.data_range.1;
    match question {
        "How much do we finish?" => {
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
                chart::weekly_throughput("throughput-chart", t)?,
                "Tasks done per week".into(),
                vec!["Week starting", "Done", "Note"],
                rows,
            ));
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
                chart::net_flow("net-flow-chart", &tk.flow_weekly)?,
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
        }
        "Is the work spread well?" => {
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
                chart::person_wip("wip-chart", &tk.person_wip)?,
                "Started tasks per person".into(),
                vec!["Person", "Doing", "Waiting", "Limit"],
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
        }
        "Do we check in well?" => {
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
                chart::activity("activity-chart", &tk.activity, (end - 27, end))?,
                "Tasks in progress: days with updates in the last 28 days".into(),
                vec![
                    "Task",
                    "Days with an owner update",
                    "Days the delegator touched it",
                    "Days since the last touch",
                ],
                rows,
            ));
        }
        "When will it be done?" => {
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
                capped(rows, 3),
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
        }
        _ => {}
    }
    Ok(out)
}

/// What every KPI means.
pub fn kpis(tera: &Tera, input: &SiteInput) -> Result<String> {
    let mut ctx = base_context(input, "", "What the KPIs mean");
    ctx.insert("catalogue", CATALOGUE);
    render(tera, "kpis.html", &ctx)
}

/// Most rejected rows listed on the page itself; all are in `data/rejections.csv`.
const MAX_LISTED: usize = 5000;

/// Inputs, rows kept and rejected, unmapped statuses.
pub fn data_quality(tera: &Tera, input: &SiteInput) -> Result<String> {
    let q = input.quality;
    let mut ctx = base_context(input, "", "Data quality");
    ctx.insert("inputs", &q.inputs);
    ctx.insert("rejected_total", &q.rejections.len());
    ctx.insert(
        "rejections",
        &q.rejections[..q.rejections.len().min(MAX_LISTED)],
    );
    ctx.insert("rejections_by_reason", &q.rejections_by_reason());
    ctx.insert("unmapped", &q.unmapped_statuses);
    ctx.insert("after_as_of", &q.events_after_as_of);
    ctx.insert("split", &input.split);
    ctx.insert(
        "input_timezone",
        &q.input_timezone
            .clone()
            .unwrap_or_else(|| "none (naive timestamps are rejected)".into()),
    );
    let teams: Vec<(String, String, bool)> = input
        .kpis
        .teams
        .iter()
        .map(|t| (t.team.clone(), t.timezone.clone(), t.roster_inferred))
        .collect();
    ctx.insert("teams", &teams);
    render(tera, "data-quality.html", &ctx)
}
