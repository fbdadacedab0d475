//! Skill coverage: for each label, how many people have recently finished work carrying it.
//! A recurring label that only one person finishes is a bus-factor risk — and a place to grow.

use std::collections::BTreeSet;

use serde::Serialize;

use super::KpiId;
use super::{Kpi, Status, TeamCtx};

/// Days of completions that count as knowing a label.
pub const SKILL_DAYS: i64 = 180;
/// Completions that make a person count as covering a label.
const K_MIN: u32 = 2;
/// Demand (finished + open) that makes a label recurring.
const MIN_DEMAND: u32 = 3;

/// People × labels: completions per cell, for the heat map.
#[derive(Debug, Clone, Serialize, Default, PartialEq, schemars::JsonSchema)]
pub struct SkillMatrix {
    /// Labels, sorted.
    pub labels: Vec<String>,
    /// People, sorted.
    pub people: Vec<String>,
    /// `cells[person][label]` completions in the last 180 days.
    pub cells: Vec<Vec<u32>>,
    /// People with at least 2 completions, per label.
    pub coverage: Vec<u32>,
    /// Finished in the window plus open now, per label.
    pub demand: Vec<u32>,
}

/// The matrix and the KPI: recurring labels (demand ≥ 3) covered by at most one person are at
/// risk; any → warn, more than half of the recurring labels → alert (policy).
pub fn skill_coverage(ctx: &TeamCtx) -> (SkillMatrix, Kpi) {
    let target = "every recurring label (3 or more tasks) finished at least twice by 2 or more people in 180 days (policy)".to_string();
    // Knowledge is credited in full to each person who held the task at done (pairing teaches
    // both), else to whoever finished it; bots never (the task table's query, since
    // SKILL_DAYS before now).
    let skills = &ctx.queries.skills;
    let (done, demand) = (&skills.done, &skills.demand);
    let mut people: BTreeSet<String> = ctx.team.roster.iter().cloned().collect();
    people.extend(skills.holders.iter().cloned());
    let labels: Vec<String> = demand.keys().cloned().collect();
    let people: Vec<String> = people.into_iter().collect();
    let cells: Vec<Vec<u32>> = people
        .iter()
        .map(|p| {
            labels
                .iter()
                .map(|l| done.get(&(p.clone(), l.clone())).copied().unwrap_or(0))
                .collect()
        })
        .collect();
    let coverage: Vec<u32> = (0..labels.len())
        .map(|j| cells.iter().filter(|row| row[j] >= K_MIN).count() as u32)
        .collect();
    let demand: Vec<u32> = labels.iter().map(|l| demand[l]).collect();
    let matrix = SkillMatrix {
        labels,
        people,
        cells,
        coverage,
        demand,
    };
    let recurring: Vec<usize> = (0..matrix.labels.len())
        .filter(|&j| matrix.demand[j] >= MIN_DEMAND)
        .collect();
    if recurring.is_empty() {
        let kpi = Kpi::not_available(
            KpiId::SkillCoverage,
            target,
            "no label on 3 or more tasks (the input has no labels, or too few)".into(),
        );
        return (matrix, kpi);
    }
    let at_risk: Vec<String> = recurring
        .iter()
        .filter(|&&j| matrix.coverage[j] <= 1)
        .map(|&j| matrix.labels[j].clone())
        .collect();
    let status = if at_risk.is_empty() {
        Status::Ok
    } else if at_risk.len() * 2 > recurring.len() {
        Status::Alert
    } else {
        Status::Warn
    };
    let kpi = Kpi {
        value: Some(at_risk.len() as f64),
        status,
        reason: Some(format!(
            "{} of {} recurring labels covered by one person or nobody",
            at_risk.len(),
            recurring.len()
        )),
        flagged: at_risk,
        ..Kpi::new(KpiId::SkillCoverage, target)
    };
    (matrix, kpi)
}
