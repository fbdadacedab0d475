//! "Is the work spread well?" (WIP per person and over time, load, Gini trend, skills) and "Do
//! we check in well?" (the activity strip).

use anyhow::Result;

use super::{chart, last, newest_first, ChartView, TeamData, CHART_PEOPLE, CHART_WEEKS};
use crate::chart;
use crate::chart::format::number;
use crate::model::calendar::iso;

/// Tasks the activity strip shows (the longest untouched first).
const ACTIVITY_ROWS: usize = 60;

/// WIP per person and over time, load balance, the Gini trend and the skills matrix.
pub fn charts(team: TeamData) -> Result<Vec<ChartView>> {
    let mut out = vec![person_wip(team)?, wip_run(team)?, lorenz(team)?];
    if !team.k.load_balance.weekly_gini.is_empty() {
        out.push(gini(team)?);
    }
    if !team.k.skills.labels.is_empty() {
        out.push(skills(team)?);
    }
    Ok(out)
}

fn person_wip(team: TeamData) -> Result<ChartView> {
    let people = &team.v.person_wip;
    let rows = people
        .iter()
        .map(|p| {
            let n = [p.doing, p.waiting, p.limit].map(|x| x.to_string());
            vec![p.person.clone(), n[0].clone(), n[1].clone(), n[2].clone()]
        })
        .collect();
    Ok(chart(
        "wip-chart",
        chart::person_wip("wip-chart", &people[..people.len().min(CHART_PEOPLE)])?,
        "Started tasks per person".into(),
        vec!["Person", "Doing", "Waiting", "Limit"],
        rows,
    ))
}

fn wip_run(team: TeamData) -> Result<ChartView> {
    let days: Vec<(i32, u32)> = team.k.wip_daily.iter().map(|d| (d.day, d.wip)).collect();
    let rows = newest_first(&days, |(d, n)| vec![iso(*d), n.to_string()]);
    let limit = team.k.wip.team_limit;
    Ok(chart(
        "wip-run-chart",
        chart::wip_run("wip-run-chart", &days, limit, &super::decision_days(team))?,
        format!("Work in progress at the end of each day (team limit {limit})"),
        vec!["Day", "Started, not finished"],
        rows,
    ))
}

fn lorenz(team: TeamData) -> Result<ChartView> {
    let lb = &team.k.load_balance;
    let rows = lb
        .loads
        .iter()
        .map(|l| vec![l.person.clone(), number(l.load)])
        .collect();
    Ok(chart(
        "lorenz-chart",
        chart::lorenz("lorenz-chart", &lb.loads, lb.gini)?,
        "Load per person (started tasks held, 5-business-day mean ÷ capacity)".into(),
        vec!["Person", "Load"],
        rows,
    ))
}

fn gini(team: TeamData) -> Result<ChartView> {
    let weeks = &team.k.load_balance.weekly_gini;
    let rows = newest_first(weeks, |w| {
        vec![w.week_start.clone(), format!("{:.2}", w.gini)]
    });
    Ok(chart(
        "gini-chart",
        chart::gini_trend(
            "gini-chart",
            last(weeks, CHART_WEEKS),
            &super::decision_days(team),
        )?,
        "Gini at the end of each week".into(),
        vec!["Week starting", "Gini"],
        rows,
    ))
}

fn skills(team: TeamData) -> Result<ChartView> {
    let m = &team.k.skills;
    let rows = m
        .labels
        .iter()
        .enumerate()
        .map(|(j, l)| {
            let who: Vec<String> = m
                .people
                .iter()
                .enumerate()
                .filter(|(i, _)| m.cells[*i][j] > 0)
                .map(|(i, p)| format!("{p} {}", m.cells[i][j]))
                .collect();
            let (demand, coverage) = (m.demand[j].to_string(), m.coverage[j].to_string());
            vec![l.clone(), demand, coverage, who.join(", ")]
        })
        .collect();
    Ok(chart(
        "skills-chart",
        chart::skills("skills-chart", m)?,
        "Completions per label in the last 180 days".into(),
        vec![
            "Label",
            "Tasks (finished + open)",
            "People with 2 or more",
            "Finished by",
        ],
        rows,
    ))
}

/// The activity strip of work in progress.
pub fn checkin_charts(team: TeamData) -> Result<Vec<ChartView>> {
    let end = team.k.data_to;
    let activity = &team.v.activity;
    let rows = activity
        .iter()
        .map(|r| {
            vec![
                r.task_id.clone(),
                r.owner_days.len().to_string(),
                r.delegator_days.len().to_string(),
                r.idle_days.to_string(),
            ]
        })
        .collect();
    let strip = &activity[..activity.len().min(ACTIVITY_ROWS)];
    Ok(vec![chart(
        "activity-chart",
        chart::activity("activity-chart", strip, (end - 27, end))?,
        "Tasks in progress: days with updates in the last 28 days".into(),
        vec![
            "Task",
            "Days with an owner update",
            "Days the delegator touched it",
            "Days since the last touch",
        ],
        rows,
    )])
}
