//! Synthetic tracker exports for the demo, made from the same simulation as the event log: a
//! Jira issue CSV with its changelog, a Trello board JSON and a ServiceNow incident list
//! (Windows-1252, month-first dates, journals), one team each.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use chrono::TimeZone;
use chrono_tz::Tz;
use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;

use super::boards::{servicenow, trello};
use super::{simulate, Row, Spec, TeamSpec};

/// One task's history, from the simulated rows.
#[derive(Default)]
pub(super) struct Task {
    pub(super) created: Option<Row>,
    pub(super) statuses: Vec<(i64, &'static str, String)>,
    pub(super) assignments: Vec<(i64, String, String)>,
    pub(super) comments: Vec<(i64, String)>,
}

impl Task {
    pub(super) fn status(&self) -> &'static str {
        self.statuses
            .last()
            .map_or(self.created.as_ref().map_or("To Do", |c| c.status), |s| s.1)
    }

    pub(super) fn assignee(&self) -> &str {
        self.assignments.last().map_or("", |a| a.1.as_str())
    }

    pub(super) fn updated(&self) -> i64 {
        let c = self.created.as_ref().map_or(0, |c| c.ts);
        let last = |v: &[i64]| v.iter().copied().max().unwrap_or(c);
        last(&[
            c,
            last(&self.statuses.iter().map(|s| s.0).collect::<Vec<_>>()),
            last(&self.assignments.iter().map(|s| s.0).collect::<Vec<_>>()),
            last(&self.comments.iter().map(|s| s.0).collect::<Vec<_>>()),
        ])
    }

    pub(super) fn first_start(&self) -> Option<i64> {
        self.statuses
            .iter()
            .find(|s| matches!(s.1, "In Progress" | "In Review" | "Blocked"))
            .map(|s| s.0)
    }

    pub(super) fn finished(&self) -> Option<i64> {
        matches!(self.status(), "Done" | "Won't Do" | "Cancelled")
            .then(|| self.statuses.last().map(|s| s.0))
            .flatten()
    }
}

fn tasks(rows: Vec<Row>) -> BTreeMap<String, Task> {
    let mut out: BTreeMap<String, Task> = BTreeMap::new();
    for r in rows {
        let t = out.entry(r.task.clone()).or_default();
        match r.event {
            "created" => t.created = Some(r),
            "status" => t.statuses.push((r.ts, r.status, r.actor)),
            "assigned" => t.assignments.push((r.ts, r.assignee.clone(), r.actor)),
            _ => t.comments.push((r.ts, r.actor)),
        }
    }
    out.retain(|_, t| t.created.is_some());
    out
}

fn team(name: &str, key: &str, tz: &str, people: &[&str]) -> TeamSpec {
    TeamSpec {
        name: name.to_string(),
        key: key.to_string(),
        tz: tz.parse().expect("valid zone"),
        people: people.iter().map(|p| p.to_string()).collect(),
        labels: &["api", "billing", "mobile"],
    }
}

pub(super) fn local(ts: i64, tz: Tz, fmt: &str) -> String {
    tz.timestamp_opt(ts, 0)
        .single()
        .expect("valid instant")
        .format(fmt)
        .to_string()
}

/// Writes the three exports into `dir` (`jira/`, `trello/`, `servicenow/`).
pub fn write_exports(spec: &Spec, dir: &Path) -> Result<()> {
    let mut rng = Pcg64Mcg::seed_from_u64(spec.seed + 1);
    let spec = Spec {
        tasks_per_week: spec.tasks_per_week * 0.75,
        ..spec.clone()
    };
    let payments = team(
        "Payments",
        "PAY",
        "Europe/Madrid",
        &["lucía", "marco", "nadia", "oscar", "pia"],
    );
    let design = team(
        "Design",
        "DSGN",
        "America/Los_Angeles",
        &["quinn", "rosa", "sam", "tomás"],
    );
    let desk = team(
        "Service Desk",
        "INC",
        "UTC",
        &["uma", "victor", "wen", "xavier", "yara", "zoë"],
    );
    let rows = simulate(&spec, &[payments, design, desk], &mut rng, false);
    let mut by_team: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    for r in rows {
        let key = r.task.split('-').next().unwrap_or("").to_string();
        by_team.entry(key).or_default().push(r);
    }
    let write = |rel: &str, bytes: Vec<u8>| -> Result<()> {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("has a parent"))?;
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
    };
    let (issues, changelog) = jira(
        tasks(by_team.remove("PAY").unwrap_or_default()),
        "Europe/Madrid".parse()?,
    )?;
    write("jira/payments-issues.csv", issues)?;
    write("jira/payments-changelog.csv", changelog)?;
    write(
        "trello/design-board.json",
        trello(tasks(by_team.remove("DSGN").unwrap_or_default()))?,
    )?;
    write(
        "servicenow/service-desk-incidents.csv",
        servicenow(tasks(by_team.remove("INC").unwrap_or_default()))?,
    )?;
    Ok(())
}

fn category(status: &str) -> &'static str {
    match status {
        "Backlog" | "To Do" => "To Do",
        "Done" | "Won't Do" | "Cancelled" => "Done",
        _ => "In Progress",
    }
}

/// Jira Cloud "all fields"-style issues (local times, `dd/MMM/yy h:mm AM`, repeated Comment
/// columns) and a jiraone-style changelog (ISO times with offsets).
fn jira(tasks: BTreeMap<String, Task>, tz: Tz) -> Result<(Vec<u8>, Vec<u8>)> {
    const JIRA: &str = "%d/%b/%y %-I:%M %p";
    let comments = tasks
        .values()
        .map(|t| t.comments.len())
        .max()
        .unwrap_or(0)
        .min(6);
    let mut header = vec![
        "Summary",
        "Issue key",
        "Issue id",
        "Issue Type",
        "Status",
        "Project key",
        "Project name",
        "Priority",
        "Resolution",
        "Assignee",
        "Reporter",
        "Created",
        "Updated",
        "Resolved",
        "Due date",
        "Labels",
    ];
    header.extend(std::iter::repeat_n("Comment", comments));
    header.extend(["Status Category", "Status Category Changed"]);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header)?;
    let mut h = csv::Writer::from_writer(Vec::new());
    h.write_record([
        "Issue Key",
        "Summary",
        "Author",
        "Created",
        "Field Type",
        "Field",
        "From",
        "From String",
        "To",
        "To String",
    ])?;
    for (n, (key, t)) in tasks.iter().enumerate() {
        let c = t.created.as_ref().expect("kept only with a created row");
        let status = t.status();
        let resolution = match status {
            "Done" => "Done",
            "Won't Do" | "Cancelled" => "Won't Do",
            _ => "",
        };
        let changed = t
            .statuses
            .iter()
            .rev()
            .take_while(|s| category(s.1) == category(status))
            .last()
            .map_or(c.ts, |s| s.0);
        let mut record = vec![
            c.title.clone(),
            key.clone(),
            (10_000 + n).to_string(),
            c.item_type.to_string(),
            status.to_string(),
            "PAY".into(),
            "Payments".into(),
            c.priority.to_string(),
            resolution.into(),
            t.assignee().to_string(),
            c.actor.clone(),
            local(c.ts, tz, JIRA),
            local(t.updated(), tz, JIRA),
            t.finished().map(|f| local(f, tz, JIRA)).unwrap_or_default(),
            if c.due.is_empty() {
                String::new()
            } else {
                format!(
                    "{} 12:00 AM",
                    chrono::NaiveDate::parse_from_str(&c.due, "%Y-%m-%d")?.format("%d/%b/%y")
                )
            },
            c.labels.clone(),
        ];
        for i in 0..comments {
            record.push(t.comments.get(i).map_or(String::new(), |(ts, who)| {
                format!(
                    "{};{who};Update {}; see the thread",
                    local(*ts, tz, JIRA),
                    i + 1
                )
            }));
        }
        record.push(category(status).into());
        record.push(local(changed, tz, JIRA));
        w.write_record(&record)?;
        let mut from = c.status;
        for (ts, to, who) in &t.statuses {
            let at = local(*ts, tz, "%Y-%m-%dT%H:%M:%S%.3f%z");
            h.write_record([key, &c.title, who, &at, "jira", "status", "", from, "", to])?;
            from = to;
        }
        for (ts, to, who) in &t.assignments {
            let at = local(*ts, tz, "%Y-%m-%dT%H:%M:%S%.3f%z");
            h.write_record([
                key.as_str(),
                &c.title,
                who,
                &at,
                "jira",
                "assignee",
                "",
                "",
                "",
                to,
            ])?;
        }
    }
    Ok((w.into_inner()?, h.into_inner()?))
}
