//! Seeded generator of realistic canonical event logs: the demo's `sample-data/` and benchmark
//! logs of any size. Same spec and seed → byte-identical file on every machine (named PRNG).

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Result;
use chrono::{NaiveDate, TimeZone};
use chrono_tz::Tz;
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;

use crate::model::{EVENT_COLUMNS, TASK_COLUMNS};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Spec {
    /// PRNG seed.
    pub seed: u64,
    /// Number of teams (the first three have fixed names, zones and people).
    pub teams: usize,
    /// Weeks of history.
    pub weeks: u32,
    /// New tasks per team per week (mean).
    pub tasks_per_week: f64,
    /// Monday the history starts.
    pub start: NaiveDate,
}

impl Spec {
    /// The demo: three teams, 26 weeks, a few hundred tasks.
    pub fn sample() -> Spec {
        Spec {
            seed: 7,
            teams: 3,
            weeks: 26,
            tasks_per_week: 4.0,
            start: NaiveDate::from_ymd_opt(2026, 1, 5).expect("valid date"),
        }
    }

    /// A benchmark log of about `events` events (≈ 6.6 per task, 50,000 per team).
    pub fn with_events(events: usize, seed: u64) -> Spec {
        let teams = (events / 50_000).clamp(1, 20);
        let weeks = 26;
        let tasks = events as f64 / 6.6;
        Spec {
            seed,
            teams,
            weeks,
            tasks_per_week: tasks / (teams as f64 * weeks as f64),
            ..Spec::sample()
        }
    }
}

struct TeamSpec {
    name: String,
    key: String,
    tz: Tz,
    people: Vec<String>,
    labels: &'static [&'static str],
}

const FIXED: &[(&str, &str, &[&str], &[&str])] = &[
    (
        "Platform",
        "Europe/Berlin",
        &["ana", "ben", "chloe", "dev", "eli"],
        &["ci", "database", "networking", "security"],
    ),
    (
        "Mobile",
        "America/New_York",
        &["fatima", "gus", "hana", "ivan", "jo", "kai"],
        &["ios", "android", "api", "design"],
    ),
    (
        "Support",
        "UTC",
        &["lena", "mo", "nia", "omar"],
        &["billing", "onboarding", "outage"],
    ),
];

fn team_specs(n: usize) -> Vec<TeamSpec> {
    (0..n)
        .map(|i| match FIXED.get(i) {
            Some((name, tz, people, labels)) => TeamSpec {
                name: name.to_string(),
                key: name[..4].to_uppercase(),
                tz: tz.parse().expect("valid zone"),
                people: people.iter().map(|p| p.to_string()).collect(),
                labels,
            },
            None => TeamSpec {
                name: format!("Team {i:02}"),
                key: format!("T{i:02}"),
                tz: Tz::UTC,
                people: (0..5 + i % 3).map(|p| format!("t{i:02}p{p}")).collect(),
                labels: FIXED[i % FIXED.len()].3,
            },
        })
        .collect()
}

mod boards;
mod exports;
mod sim;
pub use exports::write_exports;
use sim::{working_time, Sim};

/// One event row before writing.
#[derive(Debug, Clone)]
struct Row {
    ts: i64,
    task: String,
    event: &'static str,
    actor: String,
    assignee: String,
    status: &'static str,
    team: String,
    title: String,
    item_type: &'static str,
    priority: &'static str,
    labels: String,
    due: String,
    /// Sprint (the first team works in two-week sprints).
    iteration: String,
    /// Parent (an epic), on created rows.
    parent: String,
    /// Description, on created rows.
    description: String,
    tz: Tz,
}

impl Row {
    /// An event of `task` at `ts` by `actor`, every other field blank.
    fn event(ts: i64, task: String, event: &'static str, actor: String, tz: Tz) -> Row {
        Row {
            ts,
            task,
            event,
            actor,
            assignee: String::new(),
            status: "",
            team: String::new(),
            title: String::new(),
            item_type: "",
            priority: "",
            labels: String::new(),
            due: String::new(),
            iteration: String::new(),
            parent: String::new(),
            description: String::new(),
            tz,
        }
    }
}

/// Simulates every team's tasks between the spec's start and end, stories included for the
/// three demo teams.
fn simulate(spec: &Spec, teams: &[TeamSpec], rng: &mut Pcg64Mcg, stories: bool) -> Vec<Row> {
    let start = spec
        .start
        .and_hms_opt(0, 0, 0)
        .expect("valid time")
        .and_utc()
        .timestamp();
    let end = start + spec.weeks as i64 * 7 * 86_400;
    let mut rows = Vec::new();
    for (ti, team) in teams.iter().enumerate() {
        let total = (spec.tasks_per_week * spec.weeks as f64).round() as usize;
        for n in 0..total {
            let created = start + rng.random_range(0..(end - start));
            let task = format!("{}-{}", team.key, n + 1);
            Sim::of(rng, team, &mut rows, end, task, ti).task_life(working_time(created, team.tz));
        }
        if stories && ti < FIXED.len() {
            let task = format!("{}-{}", team.key, total + 1);
            Sim::of(rng, team, &mut rows, end, task, ti).story(end);
        }
    }
    // The event log's first team works in sprints (the tracker exports carry none).
    if let Some(team) = teams.first().filter(|_| stories) {
        sprints(&mut rows, &team.name, start, end);
    }
    rows.sort_by(|a, b| a.ts.cmp(&b.ts).then(a.task.cmp(&b.task)));
    rows
}

/// Two-week sprints for one team: a task joins the sprint running when it is created and, while
/// unfinished, moves to each next sprint on its first Monday morning (by nobody in particular).
fn sprints(rows: &mut Vec<Row>, team: &str, start: i64, end: i64) {
    const SPRINT: i64 = 14 * 86_400;
    let name = |at: i64| format!("Sprint {}", (at - start) / SPRINT + 1);
    // Each of the team's tasks: its created row, and when it was finished.
    let mut life: BTreeMap<String, (Row, i64)> = BTreeMap::new();
    for r in rows.iter_mut() {
        if r.event == "created" && r.team == team {
            r.iteration = name(r.ts);
            life.insert(r.task.clone(), (r.clone(), end));
        }
    }
    for r in rows.iter() {
        if let Some(l) = life
            .get_mut(&r.task)
            .filter(|_| matches!(r.status, "Done" | "Won't Do"))
        {
            l.1 = l.1.min(r.ts);
        }
    }
    let mut moves = Vec::new();
    for (template, finished) in life.into_values() {
        let created = template.ts;
        let mut boundary = start + ((created - start) / SPRINT + 1) * SPRINT + 9 * 3_600;
        while boundary < finished && boundary < end {
            moves.push(Row {
                iteration: name(boundary),
                ..Row::event(
                    boundary,
                    template.task.clone(),
                    "updated",
                    String::new(),
                    template.tz,
                )
            });
            boundary += SPRINT;
        }
    }
    rows.extend(moves);
}

/// Writes a generated event log as CSV, events in time order.
pub fn generate(spec: &Spec, out: impl Write) -> Result<usize> {
    let mut rng = Pcg64Mcg::seed_from_u64(spec.seed);
    let rows = simulate(spec, &team_specs(spec.teams), &mut rng, true);
    let mut w = csv::Writer::from_writer(out);
    w.write_record(
        [
            &EVENT_COLUMNS[..],
            &TASK_COLUMNS,
            &["parent", "description"],
        ]
        .concat(),
    )?;
    for r in &rows {
        let ts = stamp(r.ts, r.tz);
        w.write_record([
            r.task.as_str(),
            &ts,
            r.event,
            &r.actor,
            &r.assignee,
            r.status,
            &r.team,
            &r.title,
            r.item_type,
            r.priority,
            &r.labels,
            &r.due,
            &r.iteration,
            &r.parent,
            &r.description,
        ])?;
    }
    w.flush()?;
    Ok(rows.len())
}

/// RFC 3339 in the team's zone, with its offset (`Z` for UTC).
fn stamp(ts: i64, tz: Tz) -> String {
    let t = tz.timestamp_opt(ts, 0).single().expect("valid instant");
    if tz == Tz::UTC {
        t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    } else {
        t.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_log() {
        let spec = Spec {
            weeks: 4,
            ..Spec::sample()
        };
        let (mut a, mut b) = (Vec::new(), Vec::new());
        generate(&spec, &mut a).unwrap();
        generate(&spec, &mut b).unwrap();
        assert_eq!(a, b);
        assert!(a.len() > 1000);
    }
}
