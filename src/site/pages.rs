//! Page contexts: display-ready data for each template, and the render calls.

use std::collections::BTreeMap;

use anyhow::{Context as _, Result};
use serde::Serialize;
use tera::{Context, Tera};

use super::format::{self, number};
use super::SiteInput;
use crate::chart;
use crate::kpi::calendar::iso;
use crate::kpi::{describe, Kpi, TeamKpis, CATALOGUE};

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
        flagged: k.flagged.clone(),
    }
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
    ctx.insert(
        "sle",
        &tk.sle.as_ref().map(|(d, src)| format!("{d} days ({src})")),
    );
    render(tera, "team.html", &ctx)
}

fn charts_for(question: &str, tk: &TeamKpis) -> Result<Vec<ChartView>> {
    let mut out = Vec::new();
    match question {
        "How much do we finish?" => {
            let t = &tk.throughput;
            out.push(ChartView {
                id: "throughput-chart".into(),
                svg: chart::weekly_throughput("throughput-chart", t)?,
                table: Table {
                    caption: "Tasks done per week".into(),
                    headers: vec!["Week starting", "Done", "Note"],
                    rows: t
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
                        .collect(),
                },
            });
        }
        "Is the work spread well?" => {
            out.push(ChartView {
                id: "wip-chart".into(),
                svg: chart::person_wip("wip-chart", &tk.person_wip)?,
                table: Table {
                    caption: "Started tasks per person".into(),
                    headers: vec!["Person", "Doing", "Waiting", "Limit"],
                    rows: tk
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
                        .collect(),
                },
            });
        }
        "When will it be done?" => {
            let ct = &tk.cycle_time_days;
            let end = tk.data_range.1;
            let mut dist: BTreeMap<i32, usize> = BTreeMap::new();
            for p in &tk.cycle_points {
                *dist.entry(p.days).or_default() += 1;
            }
            out.push(ChartView {
                id: "cycle-chart".into(),
                svg: chart::cycle_scatter("cycle-chart", &tk.cycle_points, ct, (end - 89, end))?,
                table: Table {
                    caption: format!(
                        "Cycle times of the {} tasks finished in the last 90 days",
                        ct.count
                    ),
                    headers: vec!["Cycle time (days)", "Tasks"],
                    rows: dist
                        .iter()
                        .map(|(d, n)| vec![d.to_string(), n.to_string()])
                        .collect(),
                },
            });
            let mut aging = tk.aging.clone();
            aging.sort_by(|a, b| b.age.cmp(&a.age).then(a.task_id.cmp(&b.task_id)));
            out.push(ChartView {
                id: "aging-chart".into(),
                svg: chart::aging_wip("aging-chart", &tk.aging, ct)?,
                table: Table {
                    caption: "Tasks in progress by age".into(),
                    headers: vec!["Task", "Status", "Age (days)"],
                    rows: aging
                        .iter()
                        .map(|a| vec![a.task_id.clone(), a.status.clone(), number(a.age as f64)])
                        .collect(),
                },
            });
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
