//! What each KPI means, in words for the team: the text of tiles and of `kpis.html`.

use serde::{Deserialize, Serialize};

use super::question::Question;

/// A KPI, by the id it has in `kpis.json`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum KpiId {
    /// `throughput`.
    Throughput,
    /// `net_flow`.
    NetFlow,
    /// `cumulative_flow`.
    CumulativeFlow,
    /// `flow_efficiency`.
    FlowEfficiency,
    /// `wip`.
    Wip,
    /// `load_balance`.
    LoadBalance,
    /// `assigned_while_busy`.
    AssignedWhileBusy,
    /// `skill_coverage`.
    SkillCoverage,
    /// `checkin_cadence`.
    CheckinCadence,
    /// `stale_work`.
    StaleWork,
    /// `over_checking`.
    OverChecking,
    /// `ownership_churn`.
    OwnershipChurn,
    /// `lead_concentration`.
    LeadConcentration,
    /// `cycle_time`.
    CycleTime,
    /// `lead_time`.
    LeadTime,
    /// `work_item_age`.
    WorkItemAge,
    /// `due_date_reliability`.
    DueDateReliability,
    /// `forecast`.
    Forecast,
    /// `blocked_time`.
    BlockedTime,
    /// `work_mix`.
    WorkMix,
    /// `iteration_predictability`.
    IterationPredictability,
    /// `handoff_clarity`.
    HandoffClarity,
    /// `stretch`.
    Stretch,
}

impl KpiId {
    /// The id as written in `kpis.json` and on pages.
    pub fn as_str(self) -> &'static str {
        match self {
            KpiId::Throughput => "throughput",
            KpiId::NetFlow => "net_flow",
            KpiId::CumulativeFlow => "cumulative_flow",
            KpiId::FlowEfficiency => "flow_efficiency",
            KpiId::Wip => "wip",
            KpiId::LoadBalance => "load_balance",
            KpiId::AssignedWhileBusy => "assigned_while_busy",
            KpiId::SkillCoverage => "skill_coverage",
            KpiId::CheckinCadence => "checkin_cadence",
            KpiId::StaleWork => "stale_work",
            KpiId::OverChecking => "over_checking",
            KpiId::OwnershipChurn => "ownership_churn",
            KpiId::LeadConcentration => "lead_concentration",
            KpiId::CycleTime => "cycle_time",
            KpiId::LeadTime => "lead_time",
            KpiId::WorkItemAge => "work_item_age",
            KpiId::DueDateReliability => "due_date_reliability",
            KpiId::Forecast => "forecast",
            KpiId::BlockedTime => "blocked_time",
            KpiId::WorkMix => "work_mix",
            KpiId::IterationPredictability => "iteration_predictability",
            KpiId::HandoffClarity => "handoff_clarity",
            KpiId::Stretch => "stretch",
        }
    }

    /// The words for this KPI.
    pub fn info(self) -> &'static KpiInfo {
        // The catalogue lists every id once, in declaration order (a test checks it).
        &CATALOGUE[self as usize]
    }
}

impl std::fmt::Display for KpiId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Words about one KPI.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct KpiInfo {
    /// Id in `kpis.json`.
    pub id: KpiId,
    /// Display name.
    pub name: &'static str,
    /// The team question it answers.
    pub question: Question,
    /// What its value counts.
    pub unit: &'static str,
    /// One plain sentence: what it means and what good looks like.
    pub sentence: &'static str,
    /// How it is computed.
    pub how: &'static str,
}

/// Every KPI teampulse computes, in page order.
pub const CATALOGUE: &[KpiInfo] = &[
    KpiInfo {
        id: KpiId::Throughput,
        name: "Throughput",
        question: Question::Finish,
        unit: "tasks/week",
        sentence: "How many tasks we finish each week; good is staying inside our own normal range, \
                   not beating a number.",
        how: "Tasks whose last move into a done status falls in each ISO week (Monday to Sunday in \
              the team's timezone). Empty weeks count 0. The band is P15–P85 of the last 12 complete \
              weeks; the current week is partial, shown but not used. Reopened tasks count once, \
              in the week they were finally done; cancelled tasks never count.",
    },
    KpiInfo {
        id: KpiId::NetFlow,
        name: "Net flow",
        question: Question::Finish,
        unit: "tasks over 4 weeks",
        sentence: "Tasks we started minus tasks we finished over the last 4 weeks; good is close to \
                   zero, so work in progress does not pile up.",
        how: "Per ISO week, tasks whose first move into doing or waiting falls in the week minus tasks \
              done or cancelled in it; the value sums the last 4 complete weeks. Positive means work \
              in progress is growing. Warns when the sum is beyond ±10 % of the tasks finished, or \
              when 3 weeks in a row grew.",
    },
    KpiInfo {
        id: KpiId::CumulativeFlow,
        name: "Cumulative flow",
        question: Question::Finish,
        unit: "tasks (WIP band change)",
        sentence: "How many tasks have been created, started and finished, day by day; good is \
                   parallel bands — work leaves as fast as it arrives.",
        how: "For each of the last 90 days, the number of tasks created, started (first move into \
              doing or waiting) and finished (done or cancelled) by the end of the day, as known at \
              the as-of time, so no line goes down. The value is the change of the work-in-progress \
              band (started − finished) over the 90 days.",
    },
    KpiInfo {
        id: KpiId::FlowEfficiency,
        name: "Flow efficiency",
        question: Question::Finish,
        unit: "% of cycle time",
        sentence: "Of the time a task is in progress, how much it is actively worked rather than \
                   waiting for review or unblocking; below 15 % waiting dominates.",
        how: "For tasks done in the last 90 days: time spent in doing statuses between start and done, \
              divided by the time from start to done, summed over tasks. Calendar time, nights and \
              weekends included. Shown without a target: it is easy to game by renaming statuses.",
    },
    KpiInfo {
        id: KpiId::Wip,
        name: "Work in progress",
        question: Question::Spread,
        unit: "tasks",
        sentence: "How many tasks we have started and not finished; good is everyone within their \
                   limit, so work gets finished instead of juggled.",
        how: "Tasks whose status is in the doing or waiting category at the as-of time. A task with \
              two assignees counts for each. The personal limit is 2 × capacity unless the config \
              sets one; the team limit is the sum over the roster.",
    },
    KpiInfo {
        id: KpiId::LoadBalance,
        name: "Load balance",
        question: Question::Spread,
        unit: "Gini",
        sentence: "Whether started work is spread evenly across everyone on the team, or piles up on \
                   a few people while others have room; good is a Gini near 0 and nobody over their \
                   limit.",
        how: "Each roster member's load is the mean number of started tasks they held at the end of \
              the last 5 business days, divided by their capacity; idle members count with 0. The \
              Gini coefficient of these loads (0 = even, 1 = one person holds everything), the peak \
              (highest load ÷ mean), people over their WIP limit, and started tasks nobody owns. \
              Needs 3 people.",
    },
    KpiInfo {
        id: KpiId::AssignedWhileBusy,
        name: "Assigned while busy",
        question: Question::Spread,
        unit: "% of hand-offs",
        sentence: "How often someone hands a task to a person who is already at their WIP limit; good \
                   is rarely — give work to whoever has room.",
        how: "Every assignment in the last 90 days made by someone other than the new assignee (a \
              hand-off), per person added; it counts as busy when that person already held as many \
              started tasks as their limit just before.",
    },
    KpiInfo {
        id: KpiId::SkillCoverage,
        name: "Skill coverage",
        question: Question::Spread,
        unit: "labels at risk",
        sentence: "For each kind of work (label), how many of us have recently done it; good is at \
                   least two people for every recurring label, so nobody is a single point of failure.",
        how: "Per label, people with at least 2 finished tasks carrying it in the last 180 days (each \
              assignee of a shared task counts fully). A label on 3 or more tasks (finished in the \
              window or open) is recurring; it is at risk when one person or nobody covers it.",
    },
    KpiInfo {
        id: KpiId::CheckinCadence,
        name: "Check-in cadence",
        question: Question::CheckIn,
        unit: "% of WIP updated",
        sentence: "Whether the people doing the work post regular updates — comments, status moves — \
                   without anyone having to ask; good is an update every working day or two.",
        how: "Owner updates are comments, status changes and edits by someone assigned at that moment \
              (bots, creation and reassignments do not count). Gaps between them are counted in \
              business days (Friday → Monday is 1) over the last 28 days. The value is the share of \
              work in progress updated today or on the previous business day.",
    },
    KpiInfo {
        id: KpiId::StaleWork,
        name: "Stale work",
        question: Question::CheckIn,
        unit: "% of WIP",
        sentence: "Started tasks nobody has touched for more than 5 days; good is none, or a few at \
                   most — stale work is usually blocked or forgotten.",
        how: "Tasks in progress whose last event by a person (not a bot), or their start, is more than \
              5 calendar days before the as-of time. The value is their share of work in progress; \
              any untouched for more than 10 days is an alert.",
    },
    KpiInfo {
        id: KpiId::OverChecking,
        name: "Over-checking",
        question: Question::CheckIn,
        unit: "% of delegated WIP",
        sentence: "Delegated tasks the person who handed them out checks on more than once a working \
                   day, or comments on more than the owner does; good is trusting the owner to report.",
        how: "Tasks in progress for at least 3 business days whose current assignee was given the task \
              by someone else (the delegator). Flagged when the delegator's touches exceed one per \
              business day in progress, or when the delegator wrote most of its comments (3 or \
              more). A heuristic, not a verdict.",
    },
    KpiInfo {
        id: KpiId::OwnershipChurn,
        name: "Ownership churn",
        question: Question::Delegation,
        unit: "reassignments/task",
        sentence: "How often tasks change hands, bounce A→B→A, or go back to the person who \
                   delegated them; good is work staying with its owner until done.",
        how: "Over tasks in progress or finished in the last 90 days: reassignments per task (distinct \
              owners in a row, an unassigned spell not counted), ping-pong (A→B→A), and bounce-back: \
              a delegation after which the task returned to the delegator alone, or the delegator \
              moved it from doing to done while the delegate still held it. Closing from review is a \
              decision, not a bounce.",
    },
    KpiInfo {
        id: KpiId::LeadConcentration,
        name: "Lead concentration",
        question: Question::Delegation,
        unit: "% by one person",
        sentence: "Whether one person finishes or closes most of the team's work; good is no single \
                   person carrying the outcomes — if one person drives everything, they are the \
                   bottleneck.",
        how: "Over tasks done in the last 90 days: the largest share of completions credited to one \
              person (1/k each for k assignees) and the largest share of moves into done made by one \
              person; the value is the larger. The limit is max(35 %, 2/n) for a roster of n.",
    },
    KpiInfo {
        id: KpiId::CycleTime,
        name: "Cycle time",
        question: Question::When,
        unit: "days (P85)",
        sentence: "Once we start a task, how many days it takes to finish; good is finishing 85 % of \
                   tasks within our service level expectation (SLE).",
        how: "Calendar days from the first move into doing or waiting to the last move into done, \
              counted inclusively (same day = 1 day), for tasks done in the last 90 days. Nearest-rank \
              P50/P85/P95 with n shown; P85 needs 12 tasks and P95 20. Tasks that went straight from \
              to do to done have no cycle time.",
    },
    KpiInfo {
        id: KpiId::LeadTime,
        name: "Lead time",
        question: Question::When,
        unit: "days (P85)",
        sentence: "How long a request waits from being created until it is done, backlog time \
                   included; lower is better.",
        how: "Calendar days from the task's first event (created) to its last move into done, \
              inclusive, for tasks done in the last 90 days, including tasks never started.",
    },
    KpiInfo {
        id: KpiId::WorkItemAge,
        name: "Work item age",
        question: Question::When,
        unit: "tasks older than the SLE",
        sentence: "How long each unfinished task has been in progress; good is no task older than \
                   almost every task we ever finished.",
        how: "Calendar days from start to the as-of time for every task in progress, compared with \
              the cycle-time percentiles of the last 90 days and the SLE.",
    },
    KpiInfo {
        id: KpiId::DueDateReliability,
        name: "Due-date reliability",
        question: Question::When,
        unit: "% on time",
        sentence: "When we give a due date, how often we meet it; good is 85 % or more on time and \
                   nothing open past its date.",
        how: "For tasks done in the last 90 days with a due date: the date in force when the task \
              started (else the first one set) is the commitment; later moves do not reset it. On \
              time means done on or before that day. Open tasks past their current due date are \
              listed. Needs 12 tasks with due dates to show a rate.",
    },
    KpiInfo {
        id: KpiId::Forecast,
        name: "Forecast",
        question: Question::When,
        unit: "tasks in 4 weeks (85 %)",
        sentence: "From our own recent pace, how many tasks we will likely finish in the next 4 weeks \
                   and when today's open work would be done — a range with its confidence, not a \
                   promise.",
        how: "Monte Carlo: 10,000 trials, each drawing weekly throughput at random from the last 12 \
              complete weeks (PCG-64 generator, fixed seed, so every run gives the same numbers). \
              \"85 %: 11 or more\" means 85 % of trials finished at least 11. The date is the last \
              day of the week by which that share of trials had finished all open tasks.",
    },
    KpiInfo {
        id: KpiId::BlockedTime,
        name: "Blocked time",
        question: Question::Time,
        unit: "% of cycle time",
        sentence: "Of the time our finished tasks were in progress, how much they sat blocked; \
                   good is little, and each blocked task named so someone can clear the way.",
        how: "For tasks finished in the last 90 days, the elapsed time (24-hour days) from first \
              start to done that overlaps a blocked span, over their whole elapsed cycle time. A \
              task is blocked from a `blocked` event (Jira's Flagged, an impediment) to the next \
              `unblocked`, while its status is a blocked one, or while it carries a blocked label \
              (`blocked` and its translations, plus any `blocked = [...]` names in the config). \
              Flagged: the tasks blocked now, with how long. Target: at most 10 % (warn up to \
              20 %); team policy.",
    },
    KpiInfo {
        id: KpiId::WorkMix,
        name: "Unplanned work",
        question: Question::Time,
        unit: "% of finished work",
        sentence: "How much of what we finish is unplanned — bugs, incidents, hotfixes — rather \
                   than what we chose to do; good is a share we can plan around.",
        how: "Tasks finished in the last 90 days whose type is unplanned (Bug, Incident, Defect, \
              Problem, Hotfix) or that carry an unplanned label (unplanned, hotfix, incident), \
              over all tasks finished; both lists are `[work_mix]` in the config. Target: at most \
              30 % (warn up to 50 %); team policy. The chart shows finished work by type, week by \
              week.",
    },
    KpiInfo {
        id: KpiId::IterationPredictability,
        name: "Iteration predictability",
        question: Question::Finish,
        unit: "% of committed",
        sentence: "Of the work an iteration (sprint) started with, how much it finished; good is \
                   most of it, without padding.",
        how: "Per iteration (Jira sprints from a changelog or the nightly history, Azure DevOps \
              iteration paths, Linear cycles, the canonical log's `iteration` column): it starts \
              when its first task joins it and ends when the next one starts. Committed: in it \
              within a day of its start; added: joined later; removed: left before its end \
              unfinished; finished: done while in it; carried over: still in it, unfinished, at \
              its end. The value is finished ÷ committed of the last finished iteration. Target: \
              80–120 % (warn 60–150 %); team policy.",
    },
    KpiInfo {
        id: KpiId::HandoffClarity,
        name: "Hand-off clarity",
        question: Question::Delegation,
        unit: "% of hand-offs",
        sentence: "When work is handed over, whether it comes with the what, the why and the \
                   expected outcome; good is nearly always, so nobody has to come back and ask.",
        how: "Hand-offs: assignments in the last 90 days made by someone other than the \
              assignee. One is clear when, at that moment, the task had a description of at \
              least 20 words (the what), a parent, epic or goal (the why) and an expected \
              outcome: acceptance criteria or a definition of done in the description, a \
              checklist, or a due date. Only the description's length and structure are read; \
              its text is never kept or shown. A part no input has a column for is not checked, \
              and the reason says so. Flagged: each unclear hand-off with what it lacked. \
              Target: at least 80 % (warn from 60 %); team policy.",
    },
    KpiInfo {
        id: KpiId::Stretch,
        name: "Room to grow",
        question: Question::Spread,
        unit: "% of finished work",
        sentence: "How much of what we finish is a new kind of work for whoever finished it; \
                   good is some stretch, not chaos — beside skill coverage, it shows whether \
                   the team is growing out of its single points of failure.",
        how: "Of the tasks finished in the last 90 days, the share finished by someone who had \
              not finished a task with that label (or, without labels, that type) in the 180 \
              days before. Flagged: roster members who got no new kind of work in the 90 days, \
              in roster order — for the team's own conversation, never a ranking. Target: \
              10–30 %; team policy.",
    },
];

/// The words for a KPI id as written in `kpis.json`.
pub fn describe(id: &str) -> Option<&'static KpiInfo> {
    CATALOGUE.iter().find(|k| k.id.as_str() == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_lists_every_id_once_in_declaration_order() {
        for (i, info) in CATALOGUE.iter().enumerate() {
            assert_eq!(info.id as usize, i, "{}", info.id);
            assert_eq!(info.id.info().name, info.name);
        }
    }
}
