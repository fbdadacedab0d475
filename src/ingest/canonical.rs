//! Adapter for the canonical event log: columns by name in any order, extra columns ignored.

use anyhow::Result;

use super::table::{unterminated_quote, unterminated_reason};
use super::timestamp::{parse_due, parse_instant};
use super::{Sink, Source};
use crate::error::Failure;
use crate::model::{Category, Event, EventKind};

/// Column positions, by name.
struct Columns {
    width: usize,
    task_id: usize,
    timestamp: usize,
    event: usize,
    actor: Option<usize>,
    assignee: Option<usize>,
    status: Option<usize>,
    status_category: Option<usize>,
    team: Option<usize>,
    title: Option<usize>,
    item_type: Option<usize>,
    priority: Option<usize>,
    labels: Option<usize>,
    due: Option<usize>,
}

impl Columns {
    fn find(path: &str, header: &csv::StringRecord) -> Result<Columns> {
        let names: Vec<String> = header
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
            .collect();
        let find = |alts: &[&str]| names.iter().position(|n| alts.contains(&n.as_str()));
        let required = |name: &str| {
            find(&[name]).ok_or_else(|| {
                Failure::Input(format!(
                    "{path}: line 1: missing required column `{name}` (the header has: {})",
                    names.join(", ")
                ))
            })
        };
        Ok(Columns {
            width: names.len(),
            task_id: required("task_id")?,
            timestamp: required("timestamp")?,
            event: required("event")?,
            actor: find(&["actor"]),
            assignee: find(&["assignee"]),
            status: find(&["status"]),
            status_category: find(&["status_category"]),
            team: find(&["team"]),
            title: find(&["title"]),
            item_type: find(&["type", "item_type"]),
            priority: find(&["priority"]),
            labels: find(&["labels"]),
            due: find(&["due", "due_at"]),
        })
    }
}

/// Reads a canonical event log.
pub fn read(source: &Source, sink: &mut Sink) -> Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(source.text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| Failure::Input(format!("{}: cannot read the header: {e}", source.path)))?
        .clone();
    let cols = Columns::find(source.path, &header)?;
    let mut record = csv::StringRecord::new();
    let mut last_start = 0usize;
    let mut last_kept = false;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                sink.records += 1;
                let (line, byte) = record.position().map_or((0, 0), |p| (p.line(), p.byte()));
                last_start = byte as usize;
                last_kept = match parse_row(&cols, &header, &record, sink) {
                    Ok(event) => {
                        sink.saw_task(event.task);
                        sink.log.events.push(event);
                        true
                    }
                    Err(reason) => {
                        sink.reject(source.path, line, reason);
                        false
                    }
                };
            }
            Err(e) => {
                sink.records += 1;
                let line = e.position().map_or(0, |p| p.line());
                sink.reject(source.path, line, format!("malformed CSV: {e}"));
                last_kept = false;
            }
        }
    }
    check_unterminated_quote(source, sink, last_start, last_kept);
    Ok(())
}

fn check_unterminated_quote(source: &Source, sink: &mut Sink, last_start: usize, last_kept: bool) {
    let Some((line, end)) = unterminated_quote(source.text, last_start) else {
        return;
    };
    let reason = unterminated_reason(line, end);
    if last_kept {
        sink.log.events.pop();
        sink.reject(source.path, line, reason);
    } else if let Some(last) = sink.rejections.last_mut() {
        // Already rejected (usually for its field count): the quote is the real cause.
        last.reason = reason;
    }
}

fn parse_row(
    cols: &Columns,
    header: &csv::StringRecord,
    record: &csv::StringRecord,
    sink: &mut Sink,
) -> Result<Event, String> {
    if record.len() != cols.width {
        return Err(format!(
            "wrong number of fields: the row has {}, the header has {}",
            record.len(),
            cols.width
        ));
    }
    if record == header {
        return Err("repeated header row".to_string());
    }
    let get = |i: Option<usize>| i.map(|i| record[i].trim()).filter(|v| !v.is_empty());
    let task = get(Some(cols.task_id)).ok_or("empty task_id")?;
    let ts_text = get(Some(cols.timestamp)).ok_or("empty timestamp")?;
    let ts = parse_instant(ts_text, sink.settings.canonical_tz)?;
    let kind_text = record[cols.event].trim();
    let kind = EventKind::parse(kind_text).ok_or_else(|| {
        format!(
            "unknown event kind '{kind_text}' (expected created, status, assigned, comment or updated)"
        )
    })?;
    let mut status = get(cols.status).map(str::to_string);
    let mut category = match get(cols.status_category) {
        Some(c) => Some(Category::parse(c).ok_or_else(|| {
            format!(
                "unknown status_category '{c}' (expected todo, doing, waiting, done or cancelled)"
            )
        })?),
        None => None,
    };
    let shorthand = kind_text.to_ascii_lowercase();
    if kind == EventKind::Status && status.is_none() {
        match shorthand.as_str() {
            "done" => (status, category) = (Some("Done".into()), Some(Category::Done)),
            "cancelled" | "canceled" => {
                (status, category) = (Some("Cancelled".into()), Some(Category::Cancelled))
            }
            _ => return Err(format!("{kind_text} event without a status")),
        }
    }
    let due = get(cols.due).map(parse_due).transpose()?;
    let strings = &mut sink.log.strings;
    let mut intern = |v: Option<&str>| v.map(|v| strings.intern(v));
    // On an `assigned` event an empty assignee means "unassigned"; elsewhere "unchanged".
    let assignee = match (kind, cols.assignee) {
        (EventKind::Assigned, Some(i)) => Some(record[i].trim()),
        (EventKind::Assigned, None) => Some(""),
        _ => get(cols.assignee),
    };
    let task = intern(Some(task)).expect("present");
    Ok(Event {
        task,
        ts,
        seq: 0,
        kind,
        actor: intern(get(cols.actor)),
        assignee: intern(assignee),
        status: intern(status.as_deref()),
        category,
        team: intern(get(cols.team)),
        title: intern(get(cols.title)),
        item_type: intern(get(cols.item_type)),
        priority: intern(get(cols.priority)),
        labels: intern(get(cols.labels)),
        due,
    })
    .map(|mut e| {
        e.seq = sink.next_seq();
        e
    })
}
