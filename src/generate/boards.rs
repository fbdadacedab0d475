//! Synthetic Trello board JSON and ServiceNow incident list for the demo, from the simulated
//! tasks.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono_tz::Tz;
use serde_json::{json, Value};

use super::exports::{local, Task};

fn hex_id(ts: i64, n: u64) -> String {
    format!("{ts:08x}{n:016x}")
}

/// A Trello board export: lists by status, actions newest first, cards with their state.
pub(super) fn trello(tasks: BTreeMap<String, Task>) -> Result<Vec<u8>> {
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
pub(super) fn servicenow(tasks: BTreeMap<String, Task>) -> Result<Vec<u8>> {
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
