//! The data-quality page, drawn from the facts a site keeps in `data/data-quality.json` and the
//! teams of `kpis.json`, so that `teampulse index` draws the same page for joined shards.

use std::collections::BTreeMap;

use anyhow::Result;
use serde::{Deserialize, Serialize};
use tera::{Context, Tera};

use super::overview::Overview;
use super::pages::render;
use crate::quality::{DataQuality, HistorySummary, InputSummary, Rejection, Skipped};

/// Most rows of each list shown on the page; all rejected rows are in `data/rejections.csv`.
const MAX_LISTED: usize = 200;

/// What the data-quality page shows besides the teams (lists capped at 200 rows).
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub struct QualityFacts {
    inputs: Vec<InputSummary>,
    inputs_total: usize,
    rejected_total: usize,
    rejections: Vec<Rejection>,
    rejections_by_reason: BTreeMap<String, usize>,
    notes_total: usize,
    notes: Vec<Rejection>,
    skipped: Vec<Skipped>,
    warnings: Vec<String>,
    duplicates_total: usize,
    unmapped: BTreeMap<String, usize>,
    unmapped_total: usize,
    after_as_of: usize,
    split: bool,
    input_timezone: String,
    history: Option<HistorySummary>,
    settings: String,
}

fn first<T: Clone>(items: &[T]) -> Vec<T> {
    items[..items.len().min(MAX_LISTED)].to_vec()
}

impl QualityFacts {
    /// The facts of a build; `split` for a per-team site, which lists no rejected rows.
    pub fn of(q: &DataQuality, split: bool) -> QualityFacts {
        QualityFacts {
            inputs: first(&q.inputs),
            inputs_total: q.inputs.len(),
            rejected_total: q.rejections.len(),
            rejections: first(&q.rejections),
            rejections_by_reason: q.rejections_by_reason(),
            notes_total: q.notes.len(),
            notes: first(&q.notes),
            skipped: first(&q.skipped),
            warnings: first(&q.warnings),
            duplicates_total: q.inputs.iter().map(|i| i.duplicates).sum(),
            unmapped: q
                .unmapped_statuses
                .iter()
                .take(MAX_LISTED)
                .map(|(k, v)| (k.clone(), *v))
                .collect(),
            unmapped_total: q.unmapped_statuses.len(),
            after_as_of: q.events_after_as_of,
            split,
            input_timezone: q
                .input_timezone
                .clone()
                .unwrap_or_else(|| "none (naive timestamps are rejected)".into()),
            history: q.history.clone(),
            settings: q.settings.clone(),
        }
    }

    /// `data/data-quality.json`.
    pub fn json(&self) -> Result<Vec<u8>> {
        let mut out = serde_json::to_vec_pretty(self)?;
        out.push(b'\n');
        Ok(out)
    }
}

/// Inputs, rows kept and rejected, unmapped statuses, and each team's timezone and roster.
pub fn page(tera: &Tera, facts: &QualityFacts, overview: &Overview) -> Result<String> {
    let mut ctx = Context::from_serialize(facts)?;
    ctx.insert("root", "");
    ctx.insert("title", "Data quality");
    ctx.insert("as_of", &overview.as_of);
    ctx.insert("teams_total", &overview.teams.len());
    let teams: Vec<(&str, &str, bool)> = overview
        .teams
        .iter()
        .take(MAX_LISTED)
        .map(|t| (t.team.as_str(), t.timezone.as_str(), t.roster_inferred))
        .collect();
    ctx.insert("teams", &teams);
    render(tera, "data-quality.html", &ctx)
}
