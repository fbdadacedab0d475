//! What each KPI means, in words for the team: the text of tiles and of `kpis.html`.

use serde::Serialize;

/// Words about one KPI.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct KpiInfo {
    /// Id in `kpis.json`.
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// The team question it answers.
    pub question: &'static str,
    /// One plain sentence: what it means and what good looks like.
    pub sentence: &'static str,
    /// How it is computed.
    pub how: &'static str,
}

/// Every KPI teampulse computes, in page order.
pub const CATALOGUE: &[KpiInfo] = &[
    KpiInfo {
        id: "throughput",
        name: "Throughput",
        question: "How much do we finish?",
        sentence: "How many tasks we finish each week; good is staying inside our own normal range, \
                   not beating a number.",
        how: "Tasks whose last move into a done status falls in each ISO week (Monday to Sunday in \
              the team's timezone). Empty weeks count 0. The band is P15–P85 of the last 12 complete \
              weeks; the current week is partial, shown but not used. Reopened tasks count once, \
              in the week they were finally done; cancelled tasks never count.",
    },
    KpiInfo {
        id: "wip",
        name: "Work in progress",
        question: "Is the work spread well?",
        sentence: "How many tasks we have started and not finished; good is everyone within their \
                   limit, so work gets finished instead of juggled.",
        how: "Tasks whose status is in the doing or waiting category at the as-of time. A task with \
              two assignees counts for each. The personal limit is 2 × capacity unless the config \
              sets one; the team limit is the sum over the roster.",
    },
    KpiInfo {
        id: "cycle_time",
        name: "Cycle time",
        question: "When will it be done?",
        sentence: "Once we start a task, how many days it takes to finish; good is finishing 85 % of \
                   tasks within our service level expectation (SLE).",
        how: "Calendar days from the first move into doing or waiting to the last move into done, \
              counted inclusively (same day = 1 day), for tasks done in the last 90 days. Nearest-rank \
              P50/P85/P95 with n shown; P85 needs 12 tasks and P95 20. Tasks that went straight from \
              to do to done have no cycle time.",
    },
    KpiInfo {
        id: "lead_time",
        name: "Lead time",
        question: "When will it be done?",
        sentence: "How long a request waits from being created until it is done, backlog time \
                   included; lower is better.",
        how: "Calendar days from the task's first event (created) to its last move into done, \
              inclusive, for tasks done in the last 90 days, including tasks never started.",
    },
    KpiInfo {
        id: "work_item_age",
        name: "Work item age",
        question: "When will it be done?",
        sentence: "How long each unfinished task has been in progress; good is no task older than \
                   almost every task we ever finished.",
        how: "Calendar days from start to the as-of time for every task in progress, compared with \
              the cycle-time percentiles of the last 90 days and the SLE.",
    },
];

/// The words for a KPI id.
pub fn describe(id: &str) -> Option<&'static KpiInfo> {
    CATALOGUE.iter().find(|k| k.id == id)
}
