//! Trello: the board JSON export (actions: createCard, list moves, comments, members) and the
//! CSV export. Lists are statuses, mapped to categories by the config. A card's creation time
//! is in its id (a MongoDB ObjectId) when the createCard action is missing.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use serde_json::Value;

use super::snapshot::{emit, join_list, TaskRow};
use super::table::Table;
use super::{Sink, Source};
use crate::model::error::Failure;
use crate::model::{EventKind, Ts};

/// Creation time encoded in the first 8 hex digits of a Trello (MongoDB) id.
pub fn id_time(id: &str) -> Option<Ts> {
    i64::from_str_radix(id.get(..8)?, 16).ok()
}

/// The creation time of a card from its id: 24 hex digits whose first 8 date it, plausibly.
fn card_time(id: &str, sink: &Sink) -> Result<Ts, String> {
    if id.len() != 24 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("card id '{id}' is not a Trello id (24 hex digits)"));
    }
    let ts = id_time(id).ok_or_else(|| format!("card id '{id}' holds no date"))?;
    sink.settings
        .dates
        .window
        .check(ts, &crate::model::window::show(ts))
        .map_err(|e| format!("card id '{id}' dates the card: {e}"))
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter()
        .try_fold(v, |v, k| v.get(k))?
        .as_str()
        .filter(|s| !s.is_empty())
}

/// Reads a board JSON export.
pub fn read_json(source: &Source, sink: &mut Sink) -> Result<()> {
    let board: Value = serde_json::from_str(source.text).map_err(|e| {
        Failure::Input(format!(
            "{}: line {}, column {}: not valid JSON: {e}",
            source.path,
            e.line(),
            e.column()
        ))
    })?;
    let board_name = str_at(&board, &["name"])
        .unwrap_or("Trello board")
        .to_string();
    let short = str_at(&board, &["shortLink"]).unwrap_or("card").to_string();
    let team = sink.team(Some(&board_name));
    let members: BTreeMap<&str, &str> = array(&board, "members")
        .iter()
        .filter_map(|m| {
            Some((
                str_at(m, &["id"])?,
                str_at(m, &["fullName"]).or(str_at(m, &["username"]))?,
            ))
        })
        .collect();
    // Every member of the board is a known name, by full name and by username, whether or not
    // an action of theirs is kept.
    for m in array(&board, "members") {
        for name in [str_at(m, &["fullName"]), str_at(m, &["username"])] {
            sink.other_name(name.unwrap_or_default());
        }
    }
    // The board's open lists left to right: `init` proposes categories from their places.
    let mut ordered: Vec<(f64, &str)> = array(&board, "lists")
        .iter()
        .filter(|l| l.get("closed").and_then(Value::as_bool) != Some(true))
        .filter_map(|l| {
            Some((
                l.get("pos").and_then(Value::as_f64).unwrap_or(0.0),
                str_at(l, &["name"])?,
            ))
        })
        .collect();
    ordered.sort_by(|a, b| a.0.total_cmp(&b.0));
    sink.board_lists = ordered.iter().map(|(_, n)| n.to_string()).collect();
    let lists: BTreeMap<&str, &str> = array(&board, "lists")
        .iter()
        .filter_map(|l| Some((str_at(l, &["id"])?, str_at(l, &["name"])?)))
        .collect();
    let cards: BTreeMap<&str, &Value> = array(&board, "cards")
        .iter()
        .filter_map(|c| Some((str_at(c, &["id"])?, c)))
        .collect();
    let without_id = array(&board, "cards").len() - cards.len();
    let key_of = |card: &Value| -> Option<String> {
        let n = card.get("idShort").and_then(Value::as_i64)?;
        Some(format!("{short}-{n}"))
    };
    // Actions come newest first; replay them oldest first.
    let mut actions: Vec<&Value> = array(&board, "actions").iter().collect();
    actions.reverse();
    let mut created: BTreeSet<String> = BTreeSet::new();
    let mut member_sets: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut last_list: BTreeMap<String, String> = BTreeMap::new();
    for (i, a) in actions.iter().enumerate() {
        sink.records += 1;
        let line = i as u64 + 1;
        sink.line = line;
        let kind = str_at(a, &["type"]).unwrap_or("");
        let Some(card) = a.get("data").and_then(|d| d.get("card")) else {
            sink.skip("actions on the board or a list, not on a card");
            continue;
        };
        let Some(card_id) = str_at(card, &["id"]) else {
            sink.skip("actions on a card without an id");
            continue;
        };
        let key = cards
            .get(card_id)
            .and_then(|c| key_of(c))
            .or_else(|| key_of(card))
            .unwrap_or_else(|| card_id.to_string());
        // Whoever made the action is a known name by full name and username, kept or not.
        for name in ["fullName", "username"] {
            sink.other_name(str_at(a, &["memberCreator", name]).unwrap_or_default());
        }
        let Some(ts) = str_at(a, &["date"]).and_then(|d| sink.settings.dates.instant(d).ok())
        else {
            sink.reject(
                source.path,
                line,
                format!(
                    "action {} ({kind}): missing or unreadable date",
                    str_at(a, &["id"]).unwrap_or("?")
                ),
            );
            continue;
        };
        let actor = str_at(a, &["memberCreator", "fullName"])
            .or(str_at(a, &["memberCreator", "username"]))
            .or_else(|| str_at(a, &["idMemberCreator"]).and_then(|m| members.get(m).copied()))
            .map(str::to_string);
        let data = &a["data"];
        let event = match kind {
            "createCard" | "copyCard" | "convertToCardFromCheckItem" | "moveCardToBoard" => {
                created.insert(key.clone());
                let mut e = sink.event(&key, ts, EventKind::Created);
                let list = str_at(data, &["list", "name"]).or(str_at(data, &["listAfter", "name"]));
                if let Some(l) = list {
                    last_list.insert(key.clone(), l.to_string());
                }
                e.status = list.map(|l| sink.log.strings.intern(l));
                e.title = str_at(card, &["name"]).map(|n| sink.log.strings.intern(n));
                e.team = team.as_deref().map(|t| sink.log.strings.intern(t));
                Some(e)
            }
            "updateCard" => {
                if let Some(list) = str_at(data, &["listAfter", "name"]) {
                    last_list.insert(key.clone(), list.to_string());
                    let mut e = sink.event(&key, ts, EventKind::Status);
                    e.status = Some(sink.log.strings.intern(list));
                    Some(e)
                } else {
                    // Archiving keeps the card's list as its status: a card archived from
                    // Done stays done, one archived from To Do is still not started.
                    Some(sink.event(&key, ts, EventKind::Updated))
                }
            }
            "commentCard" => Some(sink.event(&key, ts, EventKind::Comment)),
            "addMemberToCard" | "removeMemberFromCard" => {
                let who = str_at(data, &["member", "name"])
                    .or_else(|| str_at(data, &["idMember"]).and_then(|m| members.get(m).copied()))
                    .or(str_at(data, &["idMember"]))
                    .unwrap_or("?")
                    .to_string();
                let set = member_sets.entry(key.clone()).or_default();
                if kind == "addMemberToCard" {
                    set.insert(who);
                } else {
                    set.remove(&who);
                }
                let list: Vec<String> = set.iter().cloned().collect();
                let mut e = sink.event(&key, ts, EventKind::Assigned);
                e.assignee = Some(sink.log.strings.intern(&list.join(";")));
                Some(e)
            }
            _ => {
                sink.skip(
                    "card actions that change nothing teampulse uses (checklists, attachments…)",
                );
                None
            }
        };
        if let Some(mut e) = event {
            e.actor = actor.as_deref().map(|a| sink.log.strings.intern(a));
            sink.push(e);
        }
    }
    for n in 0..without_id {
        sink.records += 1;
        let line = (actions.len() + cards.len() + n + 1) as u64;
        sink.reject(source.path, line, "card without an id");
    }
    // Every card: created from its id when no action did, and its state as exported.
    for (n, (id, card)) in cards.iter().enumerate() {
        sink.records += 1;
        sink.line = (actions.len() + n + 1) as u64;
        let created_by_id = if created.contains(&key_of(card).unwrap_or_else(|| id.to_string())) {
            None
        } else {
            match card_time(id, sink) {
                Ok(ts) => Some(ts),
                Err(why) => {
                    let line = sink.line;
                    sink.reject(source.path, line, why);
                    continue;
                }
            }
        };
        let key = key_of(card).unwrap_or_else(|| id.to_string());
        let status = str_at(card, &["idList"])
            .and_then(|l| lists.get(l))
            .map(|l| l.to_string());
        let task = TaskRow {
            key: key.clone(),
            title: str_at(card, &["name"]).map(str::to_string),
            team: team.clone(),
            status,
            assignees: card["idMembers"]
                .as_array()
                .map(|ms| {
                    ms.iter()
                        .filter_map(Value::as_str)
                        .map(|m| members.get(m).copied().unwrap_or(m).to_string())
                        .collect()
                })
                .unwrap_or_default(),
            created: created_by_id,
            updated: str_at(card, &["dateLastActivity"]).and_then(|d| {
                kept_without(sink, "dateLastActivity", sink.settings.dates.instant(d))
            }),
            due: str_at(card, &["due"])
                .and_then(|d| kept_without(sink, "due", sink.settings.dates.due(d))),
            labels: card["labels"]
                .as_array()
                .map(|ls| {
                    ls.iter()
                        .filter_map(|l| str_at(l, &["name"]))
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            // A card's description, and its checklists as the expected outcome.
            description: str_at(card, &["desc"]).map(|d| {
                let desc = crate::model::Desc::of(d);
                let checklist = card["idChecklists"]
                    .as_array()
                    .is_some_and(|c| !c.is_empty());
                crate::model::Desc::from_parts(desc.words(), desc.outcome() || checklist)
            }),
            ..TaskRow::default()
        };
        if created.contains(&key) {
            let members_known = member_sets.contains_key(&key);
            let list_known = task.status.is_some() && last_list.get(&key) == task.status.as_ref();
            snapshot_only(task, members_known, list_known, sink);
        } else {
            emit(task, sink);
        }
    }
    Ok(())
}

/// The state a card was exported in, for a card whose history the actions already gave: a
/// snapshot of its list and members at its last activity.
fn snapshot_only(task: TaskRow, members_known: bool, list_known: bool, sink: &mut Sink) {
    let Some(ts) = task.updated else { return };
    if !members_known && !task.assignees.is_empty() {
        let mut e = sink.event(&task.key, ts, EventKind::Assigned);
        e.assignee = Some(sink.log.strings.intern(&join_list(&task.assignees)));
        sink.push(e);
    }
    let kind = if list_known {
        EventKind::Updated
    } else {
        EventKind::Snapshot
    };
    let mut e = sink.event(&task.key, ts, kind);
    e.status = task
        .status
        .as_deref()
        .filter(|_| !list_known)
        .map(|s| sink.log.strings.intern(s));
    e.labels = (!task.labels.is_empty()).then(|| sink.log.strings.intern(&join_list(&task.labels)));
    e.due = crate::model::due_day(task.due);
    sink.push(e);
}

fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Reads the CSV export (paid plans): one row per card, no history. The card id dates its
/// creation.
pub fn read_csv(source: &Source, sink: &mut Sink) -> Result<()> {
    let t = Table::read(source, sink);
    let id = t
        .col(&["Card ID"])
        .ok_or_else(|| Failure::Input(format!("{}: line 1: no Card ID column", source.path)))?;
    let (name, list, board) = (
        t.col(&["Card Name"]),
        t.col(&["List Name"]),
        t.col(&["Board Name"]),
    );
    let (members, labels, due) = (
        t.col(&["Members"]),
        t.col(&["Labels"]),
        t.col(&["Due Date"]),
    );
    let activity = t.col(&["Last Activity Date", "Last Activity"]);
    let dates = sink.settings.dates;
    for row in &t.rows {
        sink.line = row.line;
        row.keep_people(&[members], sink);
        let Some(card) = row.get(Some(id)) else {
            sink.reject(source.path, row.line, "empty Card ID");
            continue;
        };
        let created = match card_time(card, sink) {
            Ok(ts) => ts,
            Err(why) => {
                sink.reject(source.path, row.line, why);
                continue;
            }
        };
        let updated = match row.get(activity).map(|d| dates.instant(d)).transpose() {
            Ok(v) => v,
            Err(e) => {
                sink.reject(source.path, row.line, format!("Last Activity Date: {e}"));
                continue;
            }
        };
        let task = TaskRow {
            key: card.to_string(),
            title: row.get(name).map(str::to_string),
            team: sink.team(row.get(board)),
            status: row.get(list).map(str::to_string),
            assignees: row.get(members).map(split_comma).unwrap_or_default(),
            created: Some(created),
            updated,
            due: match row.get(due).map(|d| dates.due(d)).transpose() {
                Ok(v) => v,
                Err(e) => {
                    sink.reject(source.path, row.line, format!("Due Date: {e}"));
                    continue;
                }
            },
            labels: row
                .get(labels)
                .map(|l| {
                    split_comma(l)
                        .into_iter()
                        .map(|x| strip_colour(&x))
                        .collect()
                })
                .unwrap_or_default(),
            // The card's description; a checklist states the expected outcome.
            description: t.col(&["Card Description"]).map(|c| {
                let desc = crate::model::Desc::of(row.get(Some(c)).unwrap_or(""));
                let checklist = row
                    .get(t.col(&["Checklist Item Total Count"]))
                    .and_then(|n| n.trim().parse::<u32>().ok())
                    .is_some_and(|n| n > 0);
                crate::model::Desc::from_parts(desc.words(), desc.outcome() || checklist)
            }),
            ..TaskRow::default()
        };
        emit(task, sink);
    }
    Ok(())
}

fn split_comma(s: &str) -> Vec<String> {
    crate::model::list_items(s, ',')
        .map(str::to_string)
        .collect()
}

/// `Urgent (red)` → `Urgent`.
fn strip_colour(label: &str) -> String {
    match label.rsplit_once(" (") {
        Some((name, colour)) if colour.ends_with(')') => name.to_string(),
        _ => label.to_string(),
    }
}

/// A card's optional date, or `None` with a note that the card is kept without it (Trello
/// writes its JSON dates itself: a bad one is damage, not a reason to lose the card).
fn kept_without<T>(sink: &Sink, field: &str, value: Result<T, String>) -> Option<T> {
    value
        .map_err(|e| {
            sink.note(
                sink.line,
                format!("{field}: {e}; the card is kept without it"),
            )
        })
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_id_holds_its_creation_time() {
        // 0x5a29f1f0 = 1512698352 = 2017-12-08T01:59:12Z.
        assert_eq!(id_time("5a29f1f0c4c6a1b2c3d4e5f6"), Some(1_512_698_352));
        assert_eq!(id_time("xyz"), None);
    }

    #[test]
    fn label_colours_are_dropped() {
        assert_eq!(strip_colour("Einkauf (green)"), "Einkauf");
        assert_eq!(strip_colour("plain"), "plain");
    }
}
