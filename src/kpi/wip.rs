//! Work in progress: started, not finished tasks at the as-of time, per person against limits.

use std::collections::BTreeMap;

use serde::Serialize;

use super::over_time::{day_ends, Intervals};
use super::{Kpi, KpiId, Status, TeamCtx, WipSummary};
use crate::model::Timeline;

/// One person's WIP against their limit.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PersonWip {
    /// Person id.
    pub person: String,
    /// Tasks in a `doing` status.
    pub doing: u32,
    /// Tasks in a `waiting` status.
    pub waiting: u32,
    /// Personal WIP limit.
    pub limit: u32,
    /// On the team's roster (else: holds team work from outside it).
    pub on_roster: bool,
}

impl PersonWip {
    /// All started tasks held.
    pub fn total(&self) -> u32 {
        self.doing + self.waiting
    }
}

/// WIP summary, per-person rows in roster order (then others), and the `wip` KPI: ok when
/// everyone is within their limit and the team within the sum; warn at limit + 1; alert at
/// limit + 2 or more, or with the team over its limit.
pub fn compute(ctx: &TeamCtx) -> (WipSummary, Vec<PersonWip>, Kpi) {
    let (team, config) = (ctx.team, ctx.config);
    let mut people: BTreeMap<&str, (u32, u32)> =
        team.roster.iter().map(|p| (p.as_str(), (0, 0))).collect();
    for (p, counts) in &ctx.queries.wip {
        people.insert(p, *counts);
    }
    let wip: Vec<&&Timeline> = ctx.tasks.iter().filter(|t| t.category.is_wip()).collect();
    let total = wip.len();
    let unassigned = wip.iter().filter(|t| t.assignees.is_empty()).count();
    let mut rows: Vec<PersonWip> = people
        .iter()
        .map(|(p, &(doing, waiting))| PersonWip {
            person: p.to_string(),
            doing,
            waiting,
            limit: config.wip_limit_of(p),
            on_roster: team.roster.iter().any(|r| r == p),
        })
        .collect();
    rows.sort_by_key(|r| !r.on_roster);
    let team_limit: u32 = rows.iter().filter(|r| r.on_roster).map(|r| r.limit).sum();
    let over: Vec<&PersonWip> = rows.iter().filter(|r| r.total() > r.limit).collect();
    let status = if over.iter().any(|r| r.total() >= r.limit + 2) || total as u32 > team_limit {
        Status::Alert
    } else if !over.is_empty() {
        Status::Warn
    } else {
        Status::Ok
    };
    let reason = (status != Status::Ok).then(|| {
        let mut parts: Vec<String> = over
            .iter()
            .map(|r| format!("{} holds {} (limit {})", r.person, r.total(), r.limit))
            .collect();
        if total as u32 > team_limit {
            parts.push(format!("team holds {total} (limit {team_limit})"));
        }
        parts.join("; ")
    });
    let kpi = Kpi {
        value: Some(total as f64),
        status,
        reason,
        flagged: over.iter().map(|r| r.person.clone()).collect(),
        ..Kpi::new(
            KpiId::Wip,
            format!(
                "each person within their limit ({} × capacity), team ≤ {team_limit} (policy)",
                config.capacity.wip_per_capacity
            ),
        )
    };
    let summary = WipSummary {
        total,
        by_person: rows
            .iter()
            .map(|r| (r.person.clone(), r.total() as usize))
            .collect(),
        unassigned,
        team_limit,
    };
    (summary, rows, kpi)
}

/// Started, unfinished tasks at the end of each of the last `days` days (oldest first).
pub fn daily(
    tasks: &[&Timeline],
    tz: chrono_tz::Tz,
    today: crate::model::calendar::Day,
    as_of: crate::model::Ts,
    days: i32,
) -> Vec<(crate::model::calendar::Day, u32)> {
    let mut wip = Intervals::default();
    for t in tasks {
        let mut open: Option<i64> = None;
        for x in &t.transitions {
            match (x.category.is_wip(), open) {
                (true, None) => open = Some(x.ts),
                (false, Some(s)) => {
                    wip.push(s, Some(x.ts));
                    open = None;
                }
                _ => {}
            }
        }
        if let Some(s) = open {
            wip.push(s, None);
        }
    }
    let wip = wip.sorted();
    day_ends(today, days, tz, as_of)
        .map(|(d, eod)| (d, wip.at(eod) as u32))
        .collect()
}
