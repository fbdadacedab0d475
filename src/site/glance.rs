//! The top of a team page, taken in at a glance: how many KPIs are in each status, the few
//! that need attention first, and last week's throughput against the team's usual range.

use serde::Serialize;

use super::changes::{sentence, Changes};
use crate::kpi::{Status, TeamKpis};

/// KPIs named in the glance; the rest are in "What needs attention".
const FIRST: usize = 3;

#[derive(Serialize)]
pub(super) struct Glance {
    /// "2 alert", "1 warn", "15 ok", "3 n/a": the statuses present, worst first.
    counts: Vec<Count>,
    /// Alerts, then warnings, in catalogue order: the first few.
    first: Vec<Entry>,
    /// How many more KPIs need attention than `first` shows.
    more: usize,
    /// Last complete week's throughput against the band, in one sentence.
    week: String,
    /// Work in progress now, in one sentence.
    wip: String,
    /// The previous build's as-of time, when there is one to compare with.
    since: Option<String>,
    /// What changed for this team since then, a line per KPI.
    changed: Vec<String>,
}

/// A KPI needing attention, with the first thing behind it.
#[derive(Serialize)]
struct Entry {
    id: &'static str,
    name: &'static str,
    status_label: &'static str,
    /// The first flagged task, person or label ("" when none).
    behind: String,
    /// How many more are flagged.
    more: usize,
}

#[derive(Serialize)]
struct Count {
    n: usize,
    label: &'static str,
    status: &'static str,
}

pub(super) fn glance(tk: &TeamKpis, changes: Option<&Changes>) -> Glance {
    let since = changes.and_then(|c| c.since.clone());
    // This team's part of what changed: its KPIs, and whether it is new.
    let changed = changes
        .and_then(|c| c.teams.iter().find(|t| t.slug == tk.slug))
        .map(|t| {
            let new = t
                .new_team
                .then(|| "New on the site since then.".to_string());
            new.into_iter().chain(t.kpis.iter().map(sentence)).collect()
        })
        .unwrap_or_default();
    let counts = [
        (Status::Alert, "alert", "alert"),
        (Status::Warn, "warn", "warn"),
        (Status::Ok, "ok", "ok"),
        (Status::NotAvailable, "n/a", "na"),
    ]
    .into_iter()
    .map(|(s, label, status)| Count {
        n: tk.kpis.iter().filter(|k| k.status == s).count(),
        label,
        status,
    })
    .filter(|c| c.n > 0)
    .collect();
    let off: Vec<&crate::kpi::Kpi> = [Status::Alert, Status::Warn]
        .iter()
        .flat_map(|s| tk.kpis.iter().filter(move |k| k.status == *s))
        .collect();
    Glance {
        counts,
        first: off
            .iter()
            .take(FIRST)
            .map(|k| Entry {
                id: k.id.as_str(),
                name: k.id.info().name,
                status_label: crate::chart::format::status_label(k.status),
                behind: k.flagged.first().cloned().unwrap_or_default(),
                more: k.flagged.len().saturating_sub(1),
            })
            .collect(),
        more: off.len().saturating_sub(FIRST),
        week: week(tk),
        since,
        changed,
        wip: match tk.wip.team_limit {
            0 => format!("{} task(s) in progress now.", tk.wip.total),
            limit => format!(
                "{} task(s) in progress now; the team's limit is {limit}.",
                tk.wip.total
            ),
        },
    }
}

/// "Last week (from 2026-06-22): 3 tasks finished, inside the usual 2–4 a week."
fn week(tk: &TeamKpis) -> String {
    let t = &tk.throughput;
    let so_far = t
        .weekly
        .last()
        .filter(|w| w.partial)
        .map(|w| format!(" This week so far: {}.", w.done))
        .unwrap_or_default();
    let Some(last) = t.weekly.iter().rev().find(|w| !w.partial) else {
        return format!("No complete week yet.{so_far}");
    };
    let head = format!(
        "Last week (from {}): {} task(s) finished",
        last.week_start, last.done
    );
    let verdict = match (t.p15, t.p85) {
        (Some(low), Some(high)) => {
            let done = last.done as i32;
            let place = match done {
                d if d < low => "below",
                d if d > high => "above",
                _ => "inside",
            };
            format!(
                ", {place} the team's usual {low}–{high} a week (P15–P85 of recent complete weeks)"
            )
        }
        _ => ", too few complete weeks yet for a usual range".to_string(),
    };
    format!("{head}{verdict}.{so_far}")
}
