//! `teampulse check`: a KPI table for the terminal and an exit status a CI job can gate on.

use crate::chart::format;
use crate::kpi::{Kpis, Status};

/// Which status makes `check` fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Fail on any KPI in alert.
    Alert,
    /// Fail on any KPI in warn or alert.
    Warn,
}

/// The table `check` prints: one line per team and KPI.
pub fn table(kpis: &Kpis) -> String {
    let mut rows = vec![[
        "team".to_string(),
        "kpi".into(),
        "status".into(),
        "value".into(),
        "flagged".into(),
    ]];
    for t in &kpis.teams {
        for k in &t.kpis {
            let flagged = match k.flagged.len() {
                0 => String::new(),
                n if n <= 5 => k.flagged.join(", "),
                n => format!("{} … (+{})", k.flagged[..5].join(", "), n - 5),
            };
            rows.push([
                t.team.clone(),
                k.id.as_str().to_string(),
                k.status.as_str().into(),
                format::value(k),
                flagged,
            ]);
        }
    }
    let widths: Vec<usize> = (0..5)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in &rows {
        let line: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(&crate::model::text::for_terminal(
            line.join("  ").trim_end(),
        ));
        out.push('\n');
    }
    out
}

/// The status `--fail-on` names.
pub fn threshold(fail_on: FailOn) -> Status {
    match fail_on {
        FailOn::Alert => Status::Alert,
        FailOn::Warn => Status::Warn,
    }
}

/// KPIs at or above the failing status, as `team/kpi` names.
pub fn failing(kpis: &Kpis, fail_on: FailOn) -> Vec<String> {
    let threshold = threshold(fail_on);
    kpis.teams
        .iter()
        .flat_map(|t| {
            t.kpis
                .iter()
                .filter(|k| k.status.reaches(threshold))
                .map(move |k| format!("{}/{}", t.slug, k.id))
        })
        .collect()
}
