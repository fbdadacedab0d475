//! Adapter for the canonical event log: columns by name in any order, extra columns ignored.

use std::borrow::Cow;

use anyhow::Result;

use super::records::{Item, Records};
use super::table::sniff_delimiter;
use super::{Sink, Source};
use crate::model::error::Failure;
use crate::model::timestamp::{parse_due, parse_instant};
use crate::model::{Category, Event, EventKind};

mod parallel;

/// Column positions, by name.
pub(super) struct Columns {
    pub width: usize,
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
    iteration: Option<usize>,
    description: Option<usize>,
    parent: Option<usize>,
}

impl Columns {
    fn find(path: &str, header: &[String]) -> Result<Columns> {
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
            iteration: find(&["iteration", "sprint", "cycle"]),
            description: find(&["description"]),
            parent: find(&["parent", "epic", "goal"]),
        })
    }
}

/// Reads a canonical event log.
pub fn read(source: &Source, sink: &mut Sink) -> Result<()> {
    let delimiter = sniff_delimiter(source.text);
    let mut records = Records::new(source.text, delimiter);
    let mut fields = Vec::new();
    let header: Vec<String> = match records.next(&mut fields) {
        Some(Item::Record { .. }) => fields.iter().map(|f| f.to_string()).collect(),
        Some(Item::Damaged { reason, .. }) => {
            return Err(Failure::Input(format!(
                "{}: cannot read the header: {reason}",
                source.path
            ))
            .into())
        }
        None => return Err(Failure::Input(format!("{}: no header row", source.path)).into()),
    };
    let cols = Columns::find(source.path, &header)?;
    records.require_width(cols.width);
    let jobs = crate::model::par::workers(sink.settings.jobs);
    if jobs > 1 && source.text.len() >= PARALLEL_BYTES && !records.cr_only() {
        let chunks = chunks(source.text, records.position(), records.line(), jobs * 2);
        let head = ChunkHead {
            cols: &cols,
            header: &header,
            delimiter,
        };
        if parallel::read(source, sink, &head, &chunks) {
            return Ok(());
        }
    }
    while let Some(item) = records.next(&mut fields) {
        sink.records += 1;
        match item {
            Item::Record { line } => {
                sink.line = line;
                match parse_row(&cols, &header, &fields, sink) {
                    Ok(event) => sink.push(event),
                    Err(reason) => sink.reject(source.path, line, reason),
                }
            }
            Item::Damaged { line, reason } => sink.reject(source.path, line, reason),
        }
    }
    Ok(())
}

/// Files this large are read in chunks on several workers.
const PARALLEL_BYTES: usize = 4 << 20;

/// What every chunk of a file shares.
pub(super) struct ChunkHead<'a> {
    pub cols: &'a Columns,
    pub header: &'a [String],
    pub delimiter: u8,
}

/// Splits `text[start..]` into about `n` chunks that start at a record: at a line start with an
/// even number of quotes before it (so not inside a quoted field). Each chunk is `(start, end,
/// first line)`.
fn chunks(text: &str, start: usize, first_line: u64, n: usize) -> Vec<(usize, usize, u64)> {
    let bytes = text.as_bytes();
    let size = (text.len() - start) / n.max(1);
    let (mut out, mut from, mut line) = (Vec::new(), start, first_line);
    let mut quotes_even = true;
    let mut scanned = start;
    let mut lines = 0;
    while from < text.len() {
        let mut cut = (from + size.max(1)).min(text.len());
        // Advance to a line start outside quotes.
        loop {
            if cut >= text.len() {
                // The last chunk: what it holds counts for no later chunk.
                cut = text.len();
                break;
            }
            match bytes[cut..].iter().position(|&b| b == b'\n') {
                Some(off) => cut += off + 1,
                None => cut = text.len(),
            }
            // Quotes and line ends counted in one pass.
            let (mut q, mut n) = (0usize, 0usize);
            for &b in &bytes[scanned..cut] {
                q += usize::from(b == b'"');
                n += usize::from(b == b'\n');
            }
            quotes_even ^= q % 2 == 1;
            lines += n as u64;
            scanned = cut;
            if quotes_even || cut >= text.len() {
                break;
            }
        }
        out.push((from, cut, line));
        line += std::mem::take(&mut lines);
        from = cut;
    }
    out
}

pub(super) fn parse_row(
    cols: &Columns,
    header: &[String],
    record: &[Cow<str>],
    sink: &mut Sink,
) -> Result<Event, String> {
    let event = parse_event(cols, header, record, sink);
    if event.is_err() && record.len() == cols.width {
        // A rejected row's people are still people: known, so scrubbed from free text.
        for i in [cols.actor, cols.assignee].into_iter().flatten() {
            sink.other_name(&record[i]);
        }
    }
    event
}

fn parse_event(
    cols: &Columns,
    header: &[String],
    record: &[Cow<str>],
    sink: &mut Sink,
) -> Result<Event, String> {
    if record.len() != cols.width {
        return Err(format!(
            "wrong number of fields ({} where the header has {})",
            record.len(),
            cols.width
        ));
    }
    if record.iter().zip(header).all(|(c, h)| c.trim() == h.trim()) {
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
    let due = crate::model::due_day(get(cols.due).map(parse_due).transpose()?);
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
        line: 0,
        input: sink.input,
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
        iteration: intern(get(cols.iteration)),
        parent: intern(get(cols.parent)),
        // Only its length and structure are kept, never the text.
        desc: get(cols.description).map(crate::model::Desc::of),
    })
    .map(|mut e| {
        e.seq = sink.next_seq();
        e.line = sink.line.min(u32::MAX as u64) as u32;
        e
    })
}
