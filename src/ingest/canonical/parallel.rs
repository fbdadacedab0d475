//! A large canonical log read in chunks on several workers, each with its own string table,
//! then merged in file order: the same events, lines, rejections and reading order as a serial
//! read. A chunk that meets a damaged record (whose re-synchronisation could cross a chunk
//! boundary) makes the caller read the file serially instead.

use std::borrow::Cow;

use super::super::records::{Item, Records};
use super::super::{Sink, Source};
use super::{parse_row, ChunkHead};
use crate::model::{Event, EventLog, Interner, Sym};
use crate::quality::Rejection;

/// What one chunk read.
struct Chunk {
    log: EventLog,
    rejections: Vec<Rejection>,
    records: usize,
    damaged: bool,
}

/// Reads `chunks` of `source` in parallel into `sink`; `false` (and nothing added) when a chunk
/// met a damaged record.
pub(in crate::ingest) fn read(
    source: &Source,
    sink: &mut Sink,
    head: &ChunkHead,
    chunks: &[(usize, usize, u64)],
) -> bool {
    let (settings, path, input) = (sink.settings, sink.path, sink.input);
    let read = crate::model::par::map(chunks.len(), settings.jobs, |i| {
        let (start, end, line) = chunks[i];
        let mut log = EventLog::default();
        // Room for every row at once (a line is at most a row): no copy as the chunk grows.
        let lines = source.text.as_bytes()[start..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        log.events.reserve_exact(lines + 1);
        let mut sub = Sink {
            log: &mut log,
            path,
            line: 0,
            input,
            rejections: Vec::new(),
            notes: Default::default(),
            settings,
            records: 0,
            skipped: Default::default(),
            board_lists: Vec::new(),
            tasks: Vec::new(),
        };
        let mut records = Records::range(source.text, start, end, line, head.delimiter);
        records.set_width(head.cols.width);
        let mut fields: Vec<Cow<str>> = Vec::new();
        let mut damaged = false;
        while let Some(item) = records.next(&mut fields) {
            sub.records += 1;
            match item {
                Item::Record { line } => {
                    sub.line = line;
                    match parse_row(head.cols, head.header, &fields, &mut sub) {
                        Ok(event) => sub.push(event),
                        Err(reason) => sub.reject(path, line, reason),
                    }
                }
                Item::Damaged { .. } => damaged = true,
            }
        }
        let (rejections, records) = (sub.rejections, sub.records);
        Chunk {
            log,
            rejections,
            records,
            damaged,
        }
    });
    if read.iter().any(|c| c.damaged) {
        return false;
    }
    // Room for every event at once: growing the log chunk by chunk would copy it each time.
    sink.log
        .events
        .reserve_exact(read.iter().map(|c| c.log.events.len()).sum());
    for chunk in read {
        merge(sink, chunk);
    }
    true
}

/// Appends a chunk's events to the sink, its string ids mapped to the sink's.
fn merge(sink: &mut Sink, chunk: Chunk) {
    let Chunk {
        log,
        rejections,
        records,
        ..
    } = chunk;
    let map = remap(&log.strings, &mut sink.log.strings);
    let to = |s: Sym| map[s.get() as usize - 1];
    for e in log.events {
        let event = Event {
            seq: sink.next_seq(),
            ..e.remap(to)
        };
        sink.saw_task(event.task);
        sink.log.events.push(event);
    }
    sink.rejections.extend(rejections);
    sink.records += records;
}

/// The id in `to` of every string of `from`, by `from`'s id order.
fn remap(from: &Interner, to: &mut Interner) -> Vec<Sym> {
    (1..=from.len() as u32)
        .map(|i| to.intern(from.resolve(Sym::new(i).expect("ids start at 1"))))
        .collect()
}
