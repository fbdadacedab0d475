//! Page contexts: display-ready data for each template, and the render calls.

use std::collections::BTreeMap;

use crate::model::error::Failure;
use anyhow::Result;
use serde::Serialize;
use tera::{Context, Tera};

use super::charts::{charts_for, ChartView, TeamData};
use super::SiteInput;
use crate::chart;
use crate::chart::format;
use crate::kpi::{Kpi, KpiId, Question, Status, CATALOGUE};
use crate::model::calendar::iso;

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
    flagged_count: usize,
}

#[derive(Serialize)]
struct Section {
    question: &'static str,
    anchor: String,
    tiles: Vec<Tile>,
    charts: Vec<ChartView>,
}

fn tile(k: &Kpi) -> Tile {
    let info = k.id.info();
    Tile {
        id: k.id.as_str(),
        name: info.name,
        sentence: info.sentence,
        value: format::value(k),
        target: k.target.clone(),
        status: status_class(k.status),
        status_label: format::status_label(k.status),
        reason: k.reason.clone().unwrap_or_default(),
        trend: format::trend(k.trend.as_ref()),
        flagged: shown(&k.flagged),
        flagged_brief: brief(&k.flagged),
        flagged_count: k.flagged.len(),
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

pub fn render(tera: &Tera, name: &str, ctx: &Context) -> Result<String> {
    // A template that cannot render is a problem of the templates (a user's override), not of
    // the inputs: exit 2, with tera's own account of where.
    tera.render(name, ctx).map_err(|e| {
        let mut why = format!("template {name} cannot render: {e}");
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            why.push_str(&format!(": {s}"));
            source = s.source();
        }
        Failure::Usage(why).into()
    })
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
        .zip(&input.kpis.views)
        .zip(input.teams)
        .map(|((tk, view), team)| -> Result<Card> {
            Ok(Card {
                name: tk.team.clone(),
                href: format!("teams/{}/index.html", tk.slug),
                range: format!("{} to {}", iso(view.data_range.0), iso(view.data_range.1)),
                as_of: format::instant(input.kpis.as_of, team.tz),
                wip: tk.wip.total,
                kpis: tk.kpis.iter().map(tile).collect(),
                spark: {
                    let weekly =
                        &tk.throughput.weekly[tk.throughput.weekly.len().saturating_sub(12)..];
                    let values: Vec<(f64, bool)> =
                        weekly.iter().map(|w| (w.done as f64, w.partial)).collect();
                    chart::sparkline(
                        &format!("spark-{}", tk.slug),
                        &format!("{}: weekly throughput", tk.team),
                        &values,
                    )?
                },
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
        })
        .collect::<Result<_>>()?;
    let mut ctx = base_context(input, "", "Team overview");
    ctx.insert("cards", &cards);
    ctx.insert("rejected", &input.quality.rejections.len());
    render(tera, "index.html", &ctx)
}

/// A team's page, organised by the questions a team asks.
pub fn team(tera: &Tera, input: &SiteInput, data: TeamData) -> Result<String> {
    let (tk, view) = (data.k, data.v);
    let by_id: BTreeMap<KpiId, &Kpi> = tk.kpis.iter().map(|k| (k.id, k)).collect();
    let mut sections = Vec::new();
    for (i, question) in Question::ALL.into_iter().enumerate() {
        let tiles = question
            .kpis()
            .filter_map(|info| by_id.get(&info.id).map(|k| tile(k)))
            .collect();
        sections.push(Section {
            question: question.text(),
            anchor: format!("q{}", i + 1),
            tiles,
            charts: charts_for(question, data, tera)?,
        });
    }
    let mut ctx = base_context(input, "../../", &tk.team);
    ctx.insert("team", &tk.team);
    ctx.insert("slug", &tk.slug);
    ctx.insert("timezone", &tk.timezone);
    ctx.insert(
        "range",
        &format!("{} to {}", iso(view.data_range.0), iso(view.data_range.1)),
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
        &view
            .sle
            .as_ref()
            .map(|(d, src)| format!("{d} days ({src})")),
    );
    render(tera, "team.html", &ctx)
}

/// What every KPI means.
pub fn kpis(tera: &Tera, input: &SiteInput) -> Result<String> {
    let mut ctx = base_context(input, "", "What the KPIs mean");
    ctx.insert("catalogue", CATALOGUE);
    render(tera, "kpis.html", &ctx)
}

/// Most rejected rows listed on the page itself; all are in `data/rejections.csv`.
const MAX_LISTED: usize = 200;

/// Inputs, rows kept and rejected, unmapped statuses.
pub fn data_quality(tera: &Tera, input: &SiteInput) -> Result<String> {
    let q = input.quality;
    let mut ctx = base_context(input, "", "Data quality");
    ctx.insert("inputs", &q.inputs[..q.inputs.len().min(MAX_LISTED)]);
    ctx.insert("inputs_total", &q.inputs.len());
    ctx.insert("rejected_total", &q.rejections.len());
    ctx.insert(
        "rejections",
        &q.rejections[..q.rejections.len().min(MAX_LISTED)],
    );
    ctx.insert("rejections_by_reason", &q.rejections_by_reason());
    ctx.insert("notes_total", &q.notes.len());
    ctx.insert("notes", &q.notes[..q.notes.len().min(MAX_LISTED)]);
    ctx.insert("skipped", &q.skipped[..q.skipped.len().min(MAX_LISTED)]);
    ctx.insert("warnings", &q.warnings[..q.warnings.len().min(MAX_LISTED)]);
    ctx.insert(
        "duplicates_total",
        &q.inputs.iter().map(|i| i.duplicates).sum::<usize>(),
    );
    let unmapped: BTreeMap<&String, &usize> = q.unmapped_statuses.iter().take(MAX_LISTED).collect();
    ctx.insert("unmapped", &unmapped);
    ctx.insert("unmapped_total", &q.unmapped_statuses.len());
    ctx.insert("after_as_of", &q.events_after_as_of);
    ctx.insert("split", &input.split);
    ctx.insert(
        "input_timezone",
        &q.input_timezone
            .clone()
            .unwrap_or_else(|| "none (naive timestamps are rejected)".into()),
    );
    ctx.insert("teams_total", &input.kpis.teams.len());
    let teams: Vec<(String, String, bool)> = input
        .kpis
        .teams
        .iter()
        .take(MAX_LISTED)
        .map(|t| (t.team.clone(), t.timezone.clone(), t.roster_inferred))
        .collect();
    ctx.insert("teams", &teams);
    render(tera, "data-quality.html", &ctx)
}
