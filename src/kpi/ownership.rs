//! Does delegated work stay delegated? Ownership churn (reassignments, ping-pong, bounce-back
//! to the delegator) and lead concentration (one person driving every outcome).

use std::collections::BTreeMap;

use super::load::band;
use super::KpiId;
use super::{round2, Kpi, TeamCtx, WINDOW_DAYS};
use crate::model::{Category, Name, Timeline};

/// The distinct owner sets a task went through, consecutive repeats and unassigned spells
/// collapsed: A → (nobody) → A is one owner, A → B → A is three.
fn owner_sequence(t: &Timeline) -> Vec<&[Name]> {
    let mut seq: Vec<&[Name]> = Vec::new();
    for a in t.assignments.iter().filter(|a| !a.to.is_empty()) {
        if seq.last().is_none_or(|last| *last != a.to.as_slice()) {
            seq.push(&a.to);
        }
    }
    seq
}

/// Whether the owners went A → B → A somewhere.
fn ping_pong(seq: &[&[Name]]) -> bool {
    seq.windows(3).any(|w| w[0] == w[2] && w[0] != w[1])
}

/// Delegations (someone assigning a task to others) in the window, and which of them bounced:
/// the task came back to the delegator alone, or the delegator moved it from `doing` to `done`
/// while the delegate still held it. Closing from a waiting state (review) is a decision, not a
/// bounce.
fn bounces(ctx: &TeamCtx, t: &Timeline, since: i64) -> (usize, usize) {
    let (mut delegations, mut bounced) = (0, 0);
    let finish = t.done.or(t.cancelled).unwrap_or(i64::MAX);
    for (i, a) in t.assignments.iter().enumerate() {
        let Some(lead) = a.actor.as_ref() else {
            continue;
        };
        if a.ts < since || a.to.is_empty() || a.to.contains(lead) || ctx.config.is_bot(lead) {
            continue;
        }
        delegations += 1;
        let next_delegation = t.assignments[i + 1..]
            .iter()
            .find(|b| b.actor.as_ref().is_some_and(|x| !b.to.contains(x)))
            .map_or(i64::MAX, |b| b.ts);
        let until = finish.min(next_delegation);
        let handed_back = t.assignments[i + 1..]
            .iter()
            .any(|b| b.ts <= until && b.to.len() == 1 && b.to[0] == *lead);
        let finished_by_lead = t.transitions.windows(2).any(|w| {
            w[1].ts > a.ts
                && w[1].ts <= until
                && w[0].category == Category::Doing
                && w[1].category == Category::Done
                && w[1].actor.as_ref() == Some(lead)
                && t.assignees_at(w[1].ts)
                    .iter()
                    .any(|p| a.to.contains(p) && p != lead)
        });
        if handed_back || finished_by_lead {
            bounced += 1;
        }
    }
    (delegations, bounced)
}

/// Ownership churn over tasks finished in the last 90 days and tasks in progress: mean
/// reassignments per task ≤ 0.5, ping-pong ≤ 5 %, bounce-back ≤ 10 % (policy); each doubled is
/// an alert.
pub fn ownership_churn(ctx: &TeamCtx) -> Kpi {
    let target =
        "mean reassignments per task ≤ 0.5, ping-pong (A→B→A) ≤ 5 %, bounce-back to the delegator \
                  ≤ 10 % (policy)"
            .to_string();
    let since = ctx.as_of - WINDOW_DAYS as i64 * 86_400;
    let in_scope =
        |t: &&&Timeline| t.category.is_wip() || t.done.or(t.cancelled).is_some_and(|f| f >= since);
    let tasks: Vec<&&Timeline> = ctx.tasks.iter().filter(in_scope).collect();
    if !ctx
        .tasks
        .iter()
        .any(|t| t.assignments.iter().any(|a| a.actor.is_some()))
    {
        return Kpi::not_available(
            KpiId::OwnershipChurn,
            target,
            "the input has no assignment history".into(),
        );
    }
    if tasks.is_empty() {
        return Kpi::not_available(
            KpiId::OwnershipChurn,
            target,
            format!("no tasks in progress or finished in the last {WINDOW_DAYS} days"),
        );
    }
    let (mut reassignments, mut pp, mut delegations, mut bounced) =
        (0usize, Vec::new(), 0usize, Vec::new());
    for t in &tasks {
        let seq = owner_sequence(t);
        reassignments += seq.len().saturating_sub(1);
        if ping_pong(&seq) {
            pp.push(t.task_id.clone());
        }
        let (d, b) = bounces(ctx, t, since);
        delegations += d;
        if b > 0 {
            bounced.push(t.task_id.clone());
        }
    }
    let n = tasks.len() as f64;
    let mean = round2(reassignments as f64 / n);
    let pp_rate = round2(pp.len() as f64 / n * 100.0);
    let bb_rate = if delegations == 0 {
        0.0
    } else {
        round2(bounced.len() as f64 / delegations as f64 * 100.0)
    };
    let status = band(mean, 0.5, 1.0)
        .max(band(pp_rate, 5.0, 10.0))
        .max(band(bb_rate, 10.0, 20.0));
    let mut flagged: Vec<String> = pp.iter().chain(&bounced).cloned().collect();
    flagged.sort();
    flagged.dedup();
    let reason = format!(
        "{mean} reassignments per task over {} tasks; ping-pong {pp_rate} % ({}); bounced back {bb_rate} % of {delegations} delegations ({})",
        tasks.len(),
        pp.len(),
        bounced.len()
    );
    Kpi {
        value: Some(mean),
        status,
        reason: Some(reason),
        flagged,
        ..Kpi::new(KpiId::OwnershipChurn, target)
    }
}

/// Minimum completions before concentration is judged.
const MIN_DONE: usize = 12;

/// Lead concentration: the share of completions (credit 1/k per assignee) and of moves into
/// done made by the single busiest person in the last 90 days; ok when both are at most
/// max(35 %, 2/n) for a roster of n (policy), alert 20 points above.
pub fn lead_concentration(ctx: &TeamCtx) -> Kpi {
    let n = ctx.team.roster.len().max(1);
    let limit = (0.35f64).max(2.0 / n as f64);
    let target = format!(
        "no one person makes more than {} % of completions or of moves to done (policy)",
        round2(limit * 100.0)
    );
    let since = ctx.as_of - WINDOW_DAYS as i64 * 86_400;
    let done: Vec<&&Timeline> = ctx
        .tasks
        .iter()
        .filter(|t| t.done.is_some_and(|d| d >= since))
        .collect();
    if done.len() < MIN_DONE {
        return Kpi::not_available(
            KpiId::LeadConcentration,
            target,
            format!(
                "fewer than {MIN_DONE} finished tasks in the last {WINDOW_DAYS} days (n = {})",
                done.len()
            ),
        );
    }
    let mut credit: BTreeMap<&str, f64> = BTreeMap::new();
    let mut closes: BTreeMap<&str, usize> = BTreeMap::new();
    for t in &done {
        let k = t.assignees_at_done.len();
        for p in &t.assignees_at_done {
            *credit.entry(p).or_default() += 1.0 / k as f64;
        }
        if let Some(actor) = t.done_actor.as_deref().filter(|a| !ctx.config.is_bot(a)) {
            *closes.entry(actor).or_default() += 1;
        }
    }
    let total = done.len() as f64;
    let closes_total = closes.values().sum::<usize>().max(1) as f64;
    fn top<'a>(m: &BTreeMap<&'a str, f64>, total: f64) -> (&'a str, f64) {
        m.iter()
            .map(|(p, v)| (*p, v / total))
            .fold(("", 0.0), |best, x| if x.1 > best.1 { x } else { best })
    }
    let (who_done, share_done) = top(&credit, total);
    let closes_f: BTreeMap<&str, f64> = closes.iter().map(|(p, c)| (*p, *c as f64)).collect();
    let (who_close, share_close) = top(&closes_f, closes_total);
    let worst = share_done.max(share_close);
    let status = band(worst, limit, limit + 0.20);
    let mut flagged: Vec<String> = Vec::new();
    if share_done > limit {
        flagged.push(who_done.to_string());
    }
    if share_close > limit && who_close != who_done {
        flagged.push(who_close.to_string());
    }
    let reason = format!(
        "{who_done} has {} % of completions; {who_close} made {} % of moves to done",
        round2(share_done * 100.0),
        round2(share_close * 100.0)
    );
    Kpi {
        value: Some(round2(worst * 100.0)),
        status,
        reason: Some(reason),
        flagged,
        ..Kpi::new(KpiId::LeadConcentration, target)
    }
}
