//! The overview page, drawn from `kpis.json` alone: a build draws it from the file it has just
//! written, and `teampulse index` from the files of several shards, so a joined overview is
//! the overview one build of every team would have drawn.

use anyhow::{Context as _, Result};
use serde::{Deserialize, Serialize};
use tera::{Context, Tera};

use super::pages::{render, tile, Tile};
use crate::chart;
use crate::chart::format;
use crate::kpi::{Kpi, Status};

/// What the overview reads of `kpis.json` (every other field is left alone).
#[derive(Debug, Deserialize)]
pub struct Overview {
    /// Schema id.
    pub schema: String,
    /// The as-of time, RFC 3339.
    pub as_of: String,
    /// Rows rejected in all.
    pub rejected: usize,
    /// The teams.
    pub teams: Vec<OverviewTeam>,
}

/// One team's card.
#[derive(Debug, Deserialize)]
pub struct OverviewTeam {
    /// Display name.
    pub team: String,
    /// Folder name.
    pub slug: String,
    /// IANA zone of its days and weeks.
    pub timezone: String,
    /// Whether the roster was inferred from recent activity.
    pub roster_inferred: bool,
    data_from: String,
    data_to: String,
    wip: Total,
    throughput: Weekly,
    /// Every KPI.
    pub kpis: Vec<Kpi>,
}

#[derive(Debug, Deserialize)]
struct Total {
    total: usize,
}

#[derive(Debug, Deserialize)]
struct Weekly {
    weekly: Vec<Week>,
}

#[derive(Debug, Deserialize)]
struct Week {
    done: u32,
    partial: bool,
}

/// Reads what the overview needs from the bytes of a `kpis.json`.
pub fn read(kpis_json: &[u8]) -> Result<Overview> {
    serde_json::from_slice(kpis_json).context("not a teampulse kpis.json")
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

/// Most teams' change lines the overview lists; `data/changes.md` has all of them.
const CHANGE_LINES: usize = 12;

/// The overview: one card per team.
pub fn page(
    tera: &Tera,
    overview: &Overview,
    changes: Option<&super::changes::Changes>,
) -> Result<String> {
    let as_of = chrono::DateTime::parse_from_rfc3339(&overview.as_of)
        .with_context(|| format!("as_of `{}` is not an RFC 3339 time", overview.as_of))?
        .timestamp();
    // Teams in name order, each against its own targets and past: never ranked.
    let mut teams: Vec<&OverviewTeam> = overview.teams.iter().collect();
    teams.sort_by_key(|t| (t.team.to_lowercase(), t.slug.clone()));
    let cards = teams
        .into_iter()
        .map(|t| card(t, as_of))
        .collect::<Result<Vec<Card>>>()?;
    let mut ctx = Context::new();
    ctx.insert("root", "");
    ctx.insert("title", "Team overview");
    ctx.insert("as_of", &overview.as_of);
    ctx.insert("cards", &cards);
    ctx.insert("rejected", &overview.rejected);
    ctx.insert("since", &changes.and_then(|c| c.since.clone()));
    // KPIs that moved, teams new and teams gone.
    let moved: usize = changes.map_or(0, |c| {
        c.teams
            .iter()
            .map(|t| t.kpis.len() + usize::from(t.new_team))
            .sum::<usize>()
            + c.gone.len()
    });
    ctx.insert("moved", &moved);
    let lines = changes.map(super::changes::lines).unwrap_or_default();
    ctx.insert("changes_more", &lines.len().saturating_sub(CHANGE_LINES));
    ctx.insert(
        "changes",
        &lines.into_iter().take(CHANGE_LINES).collect::<Vec<_>>(),
    );
    render(tera, "index.html", &ctx)
}

fn card(t: &OverviewTeam, as_of: crate::model::Ts) -> Result<Card> {
    let tz: chrono_tz::Tz = t
        .timezone
        .parse()
        .map_err(|_| anyhow::anyhow!("team {}: unknown timezone `{}`", t.slug, t.timezone))?;
    let weekly = &t.throughput.weekly[t.throughput.weekly.len().saturating_sub(12)..];
    let values: Vec<(f64, bool)> = weekly.iter().map(|w| (w.done as f64, w.partial)).collect();
    let statuses = [
        Status::Alert,
        Status::Warn,
        Status::Ok,
        Status::NotAvailable,
    ];
    Ok(Card {
        name: t.team.clone(),
        href: format!("teams/{}/index.html", t.slug),
        range: format!("{} to {}", t.data_from, t.data_to),
        as_of: format::instant(as_of, tz),
        wip: t.wip.total,
        kpis: t.kpis.iter().map(tile).collect(),
        spark: chart::sparkline(
            &format!("spark-{}", t.slug),
            &format!("{}: weekly throughput", t.team),
            &values,
        )?,
        counts: statuses
            .iter()
            .map(|s| {
                let n = t.kpis.iter().filter(|k| k.status == *s).count();
                (format::status_label(*s).to_string(), n)
            })
            .filter(|(_, n)| *n > 0)
            .collect(),
    })
}
