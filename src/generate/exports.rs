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
use serde_json::{json, Value};

use super::{simulate, Row, Spec, TeamSpec};

/// One task's history, from the simulated rows.
#[derive(Default)]
struct Task {
    created: Option<Row>,
    statuses: Vec<(i64, &'static str, String)>,
    assignments: Vec<(i64, String, String)>,
    comments: Vec<(i64, String)>,
}

impl Task {
    fn status(&self) -> &'static str {
        self.statuses
            .last()
            .map_or(self.created.as_ref().map_or("To Do", |c| c.status), |s| s.1)
    }

    fn assignee(&self) -> &str {
        self.assignments.last().map_or("", |a| a.1.as_str())
    }

    fn updated(&self) -> i64 {
        let c = self.created.as_ref().map_or(0, |c| c.ts);
        let last = |v: &[i64]| v.iter().copied().max().unwrap_or(c);
        last(&[
            c,
            last(&self.statuses.iter().map(|s| s.0).collect::<Vec<_>>()),
            last(&self.assignments.iter().map(|s| s.0).collect::<Vec<_>>()),
            last(&self.comments.iter().map(|s| s.0).collect::<Vec<_>>()),
        ])
    }

    fn first_start(&self) -> Option<i64> {
        self.statuses
            .iter()
            .find(|s| matches!(s.1, "In Progress" | "In Review" | "Blocked"))
            .map(|s| s.0)
    }

    fn finished(&self) -> Option<i64> {
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

fn local(ts: i64, tz: Tz, fmt: &str) -> String {
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

fn hex_id(ts: i64, n: u64) -> String {
    format!("{ts:08x}{n:016x}")
}

/// A Trello board export: lists by status, actions newest first, cards with their state.
fn trello(tasks: BTreeMap<String, Task>) -> Result<Vec<u8>> {
    let statuses = [
        "Backlog",
        "To Do",
        "In Progress",
        "In Review",
        "Blocked",
        "Done",
        "Won't Do",
        "Cancelled",
    ];
    let list_id = |s: &str| {
        hex_id(
            1_767_225_600,
            statuses.iter().position(|x| *x == s).unwrap_or(0) as u64 + 1,
        )
    };
    let mut people: Vec<String> = tasks
        .values()
        .flat_map(|t| t.assignments.iter().map(|a| a.1.clone()))
        .collect();
    people.extend(
        tasks
            .values()
            .filter_map(|t| t.created.as_ref().map(|c| c.actor.clone())),
    );
    people.sort();
    people.dedup();
    let member_id = |p: &str| {
        hex_id(
            1_767_225_600,
            1000 + people.iter().position(|x| x == p).unwrap_or(0) as u64,
        )
    };
    let creator = |p: &str| json!({"id": member_id(p), "fullName": p});
    let mut actions: Vec<(i64, Value)> = Vec::new();
    let mut cards = Vec::new();
    for (n, (key, t)) in tasks.iter().enumerate() {
        let c = t.created.as_ref().expect("created");
        let id = hex_id(c.ts, n as u64);
        let short = key
            .rsplit('-')
            .next()
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(n as u64);
        let card = json!({"id": id, "idShort": short, "name": c.title});
        let act = |k: &str, ts: i64, who: &str, data: Value| {
            json!({"id": hex_id(ts, n as u64 * 100), "type": k, "date": local(ts, Tz::UTC, "%Y-%m-%dT%H:%M:%S%.3fZ"),
                   "idMemberCreator": member_id(who), "memberCreator": creator(who), "data": data})
        };
        actions.push((
            c.ts,
            act(
                "createCard",
                c.ts,
                &c.actor,
                json!({"card": card, "list": {"name": c.status, "id": list_id(c.status)}}),
            ),
        ));
        let mut before = c.status;
        for (ts, to, who) in &t.statuses {
            let data = json!({"card": card, "listBefore": {"name": before}, "listAfter": {"name": to}, "old": {"idList": list_id(before)}});
            actions.push((*ts, act("updateCard", *ts, who, data)));
            before = to;
        }
        let mut holder = String::new();
        for (ts, to, who) in &t.assignments {
            if !holder.is_empty() {
                actions.push((*ts, act("removeMemberFromCard", *ts, who, json!({"card": card, "idMember": member_id(&holder), "member": {"name": holder}}))));
            }
            if !to.is_empty() {
                actions.push((
                    *ts,
                    act(
                        "addMemberToCard",
                        *ts,
                        who,
                        json!({"card": card, "idMember": member_id(to), "member": {"name": to}}),
                    ),
                ));
            }
            holder = to.clone();
        }
        for (ts, who) in &t.comments {
            actions.push((
                *ts,
                act(
                    "commentCard",
                    *ts,
                    who,
                    json!({"card": card, "text": "progress note"}),
                ),
            ));
        }
        let members: Vec<String> = if t.assignee().is_empty() {
            vec![]
        } else {
            vec![member_id(t.assignee())]
        };
        cards.push(json!({"id": id, "idShort": short, "name": c.title, "idList": list_id(t.status()), "idMembers": members,
            "labels": [{"name": c.labels}], "closed": false,
            "dateLastActivity": local(t.updated(), Tz::UTC, "%Y-%m-%dT%H:%M:%S%.3fZ")}));
    }
    actions.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1["id"].as_str().cmp(&a.1["id"].as_str()))
    });
    let board = json!({
        "id": hex_id(1_767_225_600, 0), "name": "Design", "shortLink": "DsGn2026", "closed": false,
        "members": people.iter().map(|p| creator(p)).collect::<Vec<_>>(),
        "lists": statuses.iter().map(|s| json!({"id": list_id(s), "name": s, "closed": false})).collect::<Vec<_>>(),
        "cards": cards,
        "actions": actions.into_iter().map(|a| a.1).collect::<Vec<_>>(),
    });
    Ok(serde_json::to_vec(&board)?)
}

fn state(status: &str) -> &'static str {
    match status {
        "Backlog" | "To Do" => "New",
        "In Progress" => "In Progress",
        "In Review" | "Blocked" => "On Hold",
        "Done" => "Resolved",
        _ => "Canceled",
    }
}

/// A ServiceNow incident list export: field-name headers, every value quoted, `MM-dd-yyyy`
/// dates in UTC, journals newest first, Windows-1252.
fn servicenow(tasks: BTreeMap<String, Task>) -> Result<Vec<u8>> {
    const SN: &str = "%m-%d-%Y %H:%M:%S";
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(Vec::new());
    w.write_record([
        "number",
        "short_description",
        "state",
        "priority",
        "assignment_group",
        "assigned_to",
        "opened_at",
        "opened_by",
        "work_start",
        "resolved_at",
        "closed_at",
        "sys_updated_on",
        "active",
        "comments_and_work_notes",
    ])?;
    for (n, t) in tasks.values().enumerate() {
        let c = t.created.as_ref().expect("created");
        let at = |ts: Option<i64>| ts.map(|t| local(t, Tz::UTC, SN)).unwrap_or_default();
        let st = state(t.status());
        let journal: String = t
            .comments
            .iter()
            .rev()
            .enumerate()
            .map(|(i, (ts, who))| {
                let kind = if i % 2 == 0 {
                    "Work notes"
                } else {
                    "Additional comments"
                };
                format!(
                    "{} - {who} ({kind})\nchecked with the caller – café downstairs\n\n",
                    local(*ts, Tz::UTC, SN)
                )
            })
            .collect();
        let priority = match c.priority {
            "High" => "2 - High",
            "Low" => "4 - Low",
            _ => "3 - Moderate",
        };
        w.write_record([
            format!("INC{:07}", 10_000 + n),
            c.title.clone(),
            st.to_string(),
            priority.to_string(),
            "Service Desk".into(),
            t.assignee().to_string(),
            at(Some(c.ts)),
            c.actor.clone(),
            at(t.first_start()),
            at(t.finished().filter(|_| st == "Resolved")),
            at(t.finished().filter(|_| st == "Canceled")),
            at(Some(t.updated())),
            (!matches!(st, "Resolved" | "Canceled")).to_string(),
            journal,
        ])?;
    }
    let text = String::from_utf8(w.into_inner()?)?;
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
    Ok(bytes.into_owned())
}
