//! Page contexts: display-ready data for each template, and the render calls.

use std::collections::BTreeMap;

use crate::model::error::Failure;
use anyhow::Result;
use serde::Serialize;
use tera::{Context, Tera};

use super::charts::{charts_for, ChartView, TeamData};
use super::SiteInput;
use crate::chart::format;
use crate::kpi::{Kpi, KpiId, Question, Status, CATALOGUE};
use crate::model::calendar::iso;

#[derive(Serialize)]
pub(super) struct Tile {
    id: &'static str,
    name: &'static str,
    sentence: &'static str,
    value: String,
    target: String,
    status: &'static str,
    status_label: &'static str,
    reason: String,
    trend: String,
    /// ↑, ↓ or → against four weeks earlier (empty without a trend).
    trend_arrow: &'static str,
    flagged: Vec<String>,
    /// The first few flagged items in one line, for the "what needs attention" table.
    flagged_brief: String,
    flagged_count: usize,
}

#[derive(Serialize)]
struct Section {
    question: &'static str,
    /// "1 alert · 2 ok": the statuses of its KPIs, for the collapsed line.
    statuses: String,
    /// One sentence answering the question, where the numbers allow.
    summary: String,
    anchor: String,
    tiles: Vec<Tile>,
    charts: Vec<ChartView>,
}

pub(super) fn tile(k: &Kpi) -> Tile {
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
        trend_arrow: match k.trend.as_ref().map(|t| t.change) {
            None => "",
            Some(c) if c > 0.0 => "↑",
            Some(c) if c < 0.0 => "↓",
            Some(_) => "→",
        },
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

/// "Where does our time go?" in one sentence: the biggest waiting state, else the biggest
/// state.
fn time_summary(tk: &crate::kpi::TeamKpis) -> String {
    let statuses = &tk.time_in_status;
    let waiting = statuses.iter().find(|s| s.category == "waiting");
    match (waiting, statuses.first()) {
        (Some(w), _) => format!(
            "The most waiting time is in “{}”: {:.0} % of the cycle time of the tasks finished \
             in the last 90 days ({} tasks waited there, for a median of {} day(s)).",
            w.status,
            w.share * 100.0,
            w.tasks,
            format::number(w.median_days)
        ),
        (None, Some(top)) => format!(
            "No waiting state took time: most of the cycle time of the tasks finished in the last \
             90 days is in “{}” ({:.0} %).",
            top.status,
            top.share * 100.0
        ),
        (None, None) => "No task finished in the last 90 days with a known start: there is no \
                         cycle time to split by status yet."
            .to_string(),
    }
}

/// "since 2026-05-01, WIP limit of 2: cycle time P85 15 → 9 days, throughput 3 → 3.5 a week"
fn decision_sentence(e: &crate::kpi::DecisionEffect) -> String {
    let head = format!("Since {}, {}", e.date, e.text);
    let (Some(b), Some(a)) = (&e.before, &e.after) else {
        return format!("{head}: {}.", e.note.clone().unwrap_or_default());
    };
    let days = |p: Option<i32>| p.map_or("—".to_string(), |d| d.to_string());
    let (which, before, after) = match (b.cycle_time_p85, a.cycle_time_p85) {
        (Some(_), Some(_)) => ("P85", b.cycle_time_p85, a.cycle_time_p85),
        _ => ("median", b.cycle_time_p50, a.cycle_time_p50),
    };
    format!(
        "{head}: cycle time {which} {} → {} days, throughput {} → {} a week ({} days before and \
         after).",
        days(before),
        days(after),
        format::number(b.throughput_per_week),
        format::number(a.throughput_per_week),
        e.window_days
    )
}

/// "1 alert · 2 ok · 1 n/a": how many of `tiles` are in each status, worst first.
fn statuses(tiles: &[Tile]) -> String {
    ["alert", "warn", "ok", "na"]
        .iter()
        .filter_map(|s| {
            let n = tiles.iter().filter(|t| t.status == *s).count();
            let label = match *s {
                "na" => "n/a",
                other => other,
            };
            (n > 0).then(|| format!("{n} {label}"))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A team's page, organised by the questions a team asks.
pub fn team(
    tera: &Tera,
    input: &SiteInput,
    data: TeamData,
    changes: Option<&super::changes::Changes>,
) -> Result<String> {
    let (tk, view) = (data.k, data.v);
    let by_id: BTreeMap<KpiId, &Kpi> = tk.kpis.iter().map(|k| (k.id, k)).collect();
    let mut sections = Vec::new();
    for (i, question) in Question::ALL.into_iter().enumerate() {
        let tiles: Vec<Tile> = question
            .kpis()
            .filter_map(|info| by_id.get(&info.id).map(|k| tile(k)))
            .collect();
        sections.push(Section {
            question: question.text(),
            statuses: statuses(&tiles),
            summary: match question {
                Question::Time => time_summary(tk),
                _ => String::new(),
            },
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
        &format!("{} to {}", iso(tk.data_from), iso(tk.data_to)),
    );
    ctx.insert("roster", &tk.roster);
    ctx.insert("history", &input.quality.history);
    let decisions: Vec<String> = tk.decisions.iter().map(decision_sentence).collect();
    ctx.insert("decisions", &decisions);
    ctx.insert("roster_inferred", &tk.roster_inferred);
    ctx.insert("sections", &sections);
    // Alerts first, then warnings, each in catalogue order.
    let attention: Vec<Tile> = [Status::Alert, Status::Warn]
        .iter()
        .flat_map(|s| tk.kpis.iter().filter(move |k| k.status == *s))
        .map(tile)
        .collect();
    ctx.insert("attention", &attention);
    ctx.insert("glance", &super::glance::glance(tk, changes));
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
