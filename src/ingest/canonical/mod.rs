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
        let chunks = chunks(
            source.text,
            records.position(),
            records.line(),
            jobs * 2,
            sink.settings.jobs,
        );
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
/// first line)`. The quotes and line ends between the line starts tried are counted on up to
/// `jobs` workers (one pass over 80 MB took a core 25 ms while the other waited); where the
/// quotes before a line start are odd, the chunk goes on to the next one.
fn chunks(
    text: &str,
    start: usize,
    first_line: u64,
    n: usize,
    jobs: usize,
) -> Vec<(usize, usize, u64)> {
    if start >= text.len() {
        return Vec::new();
    }
    let bytes = text.as_bytes();
    let size = ((text.len() - start) / n.max(1)).max(1);
    // The line starts tried: the first after each `size` bytes.
    let mut cuts = vec![start];
    for k in 1..n.max(1) {
        let at = start + k * size;
        let Some(off) = bytes.get(at..).and_then(|rest| memchr::memchr(b'\n', rest)) else {
            break;
        };
        let cut = at + off + 1;
        if cut > *cuts.last().unwrap_or(&start) && cut < text.len() {
            cuts.push(cut);
        }
    }
    cuts.push(text.len());
    let counts = crate::model::par::map(cuts.len() - 1, jobs, |i| {
        let (mut q, mut lines) = (0usize, 0u64);
        for &b in &bytes[cuts[i]..cuts[i + 1]] {
            q += usize::from(b == b'"');
            lines += u64::from(b == b'\n');
        }
        (q % 2 == 1, lines)
    });
    let (mut out, mut from, mut line) = (Vec::new(), start, first_line);
    let (mut quotes_odd, mut lines) = (false, 0);
    for (i, (odd, n)) in counts.into_iter().enumerate() {
        quotes_odd ^= odd;
        lines += n;
        let cut = cuts[i + 1];
        if !quotes_odd || cut == text.len() {
            out.push((from, cut, line));
            line += std::mem::take(&mut lines);
            from = cut;
        }
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
    let window = sink.settings.dates.window;
    let due = get(cols.due)
        .map(|d| {
            let day = parse_due(d)?;
            window.check_due(day, d).map_err(|e| format!("due: {e}"))
        })
        .transpose()?;
    let due = crate::model::due_day(due);
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
        // `[inputs."file"] team` names the team of every task in the file.
        team: intern(sink.settings.team.or(get(cols.team))),
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

#[cfg(test)]
mod tests {
    use super::chunks;

    #[test]
    fn chunks_cover_the_text_and_start_at_records_with_their_line_numbers() {
        let pieces = ["a,b", "\n", "\"", "\"x\ny\"", "\r\n", "long text,", ",,"];
        let mut seeded = crate::model::seeded::Seeded::new(7);
        let mut pick = |n: usize| seeded.below(n);
        for round in 0..400 {
            let text: String = (0..round % 90)
                .map(|_| pieces[pick(pieces.len())])
                .collect();
            let start = text.find('\n').map_or(0, |i| i + 1);
            for (n, jobs) in [(1, 1), (4, 2), (7, 3)] {
                let got = chunks(&text, start, 2, n, jobs);
                let mut from = start;
                for &(a, b, line) in &got {
                    assert_eq!(a, from, "{text:?}");
                    assert!(b > a, "{text:?}");
                    // A line start outside quotes (or the end), numbered as a serial read would.
                    let before = &text[..a];
                    assert!(a == start || before.ends_with('\n'), "{text:?}");
                    assert_eq!(before[start..].matches('"').count() % 2, 0, "{text:?}");
                    assert_eq!(line, 2 + before[start..].matches('\n').count() as u64);
                    from = b;
                }
                assert_eq!(from.max(start), text.len().max(start), "{text:?}");
            }
        }
    }
}
