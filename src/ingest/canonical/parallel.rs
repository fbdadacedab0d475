//! A large canonical log read in chunks on several workers, each with its own string table,
//! then merged in file order: the same events, lines, rejections and reading order as a serial
//! read. A chunk that meets a damaged record (whose re-synchronisation could cross a chunk
//! boundary) makes the caller read the file serially instead.

use std::borrow::Cow;

use super::super::records::{Item, Records};
use super::super::{Sink, Source};
use super::{parse_row, ChunkHead};
use crate::model::{Event, EventKind, EventLog, Interner, Sym, UNDATED};
use crate::quality::Rejection;

/// What one chunk read; its events are in its part of the log.
struct Chunk {
    /// The chunk's own string table, which its events' ids refer to.
    strings: Interner,
    /// People of its rejected rows, in its own ids.
    other_names: Vec<Sym>,
    /// Events written at the start of the chunk's part.
    kept: usize,
    rejections: Vec<Rejection>,
    records: usize,
    /// A damaged record was met, or the part was too small (a stray quote fooled
    /// [`record_starts`]).
    damaged: bool,
}

/// Reads `chunks` of `source` in parallel into `sink`; `false` (and nothing added) when a chunk
/// met a damaged record. Each chunk is parsed straight into its own part of the log, sized by
/// the records it can hold (see [`record_starts`]), and the parts are then closed up in place:
/// the events are never held twice.
pub(in crate::ingest) fn read(
    source: &Source,
    sink: &mut Sink,
    head: &ChunkHead,
    chunks: &[(usize, usize, u64)],
) -> bool {
    let (settings, path, input) = (sink.settings, sink.path, sink.input);
    let bytes = source.text.as_bytes();
    let sizes = crate::model::par::map(chunks.len(), settings.jobs, |i| {
        let (start, end, _) = chunks[i];
        record_starts(&bytes[start..end])
    });
    let base = sink.log.events.len();
    let blank = Event::new(Sym::MIN, UNDATED, EventKind::Created);
    let total: usize = sizes.iter().sum();
    // Exactly that much room: `resize` alone may double the capacity.
    sink.log.events.reserve_exact(total);
    sink.log.events.resize(base + total, blank);
    let read = crate::model::par::fill(
        &mut sink.log.events[base..],
        &sizes,
        settings.jobs,
        |i, part| {
            let (start, end, line) = chunks[i];
            let mut log = EventLog::default();
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
                rows: Default::default(),
            };
            let mut records = Records::range(source.text, start, end, line, head.delimiter);
            records.require_width(head.cols.width);
            let mut fields: Vec<Cow<str>> = Vec::new();
            let (mut kept, mut damaged) = (0, false);
            while let Some(item) = records.next(&mut fields) {
                sub.records += 1;
                match item {
                    Item::Record { line } => {
                        sub.line = line;
                        match parse_row(head.cols, head.header, &fields, &mut sub) {
                            Ok(event) if sub.admit(&event) => match part.get_mut(kept) {
                                Some(slot) => {
                                    *slot = event;
                                    kept += 1;
                                }
                                None => damaged = true,
                            },
                            Ok(_) => {}
                            Err(reason) => sub.reject(path, line, reason),
                        }
                    }
                    Item::Damaged { .. } => damaged = true,
                }
            }
            let (rejections, records) = (sub.rejections, sub.records);
            Chunk {
                strings: log.strings,
                other_names: log.other_names,
                kept,
                rejections,
                records,
                damaged,
            }
        },
    );
    if read.iter().any(|c| c.damaged) {
        sink.log.events.truncate(base);
        return false;
    }
    // Each chunk's strings joined to the log's, in file order.
    let mut read = read;
    let maps: Vec<Vec<Sym>> = read
        .iter_mut()
        .map(|chunk| {
            let strings = std::mem::take(&mut chunk.strings);
            if sink.log.strings.is_empty() {
                // The first strings of the log: the chunk's table becomes the log's, ids
                // unchanged.
                sink.log.strings = strings;
                (1..=sink.log.strings.len() as u32)
                    .map(|i| Sym::new(i).expect("ids start at 1"))
                    .collect()
            } else {
                remap(&strings, &mut sink.log.strings)
            }
        })
        .collect();
    // Where each chunk's events go once the room of its rejected rows is closed up.
    let targets: Vec<usize> = read
        .iter()
        .scan(base, |to, chunk| {
            let at = *to;
            *to += chunk.kept;
            Some(at)
        })
        .collect();
    // Each chunk's events renumbered in its own part, on every worker.
    crate::model::par::fill(
        &mut sink.log.events[base..],
        &sizes,
        settings.jobs,
        |i, part| {
            let id = |s: Sym| maps[i][s.get() as usize - 1];
            for (k, slot) in part[..read[i].kept].iter_mut().enumerate() {
                let event = slot.clone().remap(id);
                *slot = Event {
                    seq: (targets[i] + k) as u32,
                    ..event
                };
            }
        },
    );
    let mut from = base;
    let mut end = base;
    for (i, (chunk, size)) in read.into_iter().zip(sizes).enumerate() {
        // Closed up: a part moves left over the room earlier parts left (none, most often).
        let to = targets[i];
        if to != from {
            for k in 0..chunk.kept {
                sink.log.events.swap(to + k, from + k);
            }
        }
        from += size;
        end = to + chunk.kept;
        let other = chunk
            .other_names
            .iter()
            .map(|&s| maps[i][s.get() as usize - 1]);
        sink.log.other_names.extend(other);
        sink.rejections.extend(chunk.rejections);
        sink.records += chunk.records;
    }
    sink.log.events.truncate(end);
    for e in base..end {
        let task = sink.log.events[e].task;
        sink.saw_task(task);
    }
    true
}

/// How many records a chunk (which starts at a record) can hold at most: its lines that are
/// not blank and do not begin inside a quoted field. Blank lines and the lines of multi-line
/// cells take no room in the log (a file of 50M blank lines would otherwise reserve 3.5 GB).
/// A stray quote can make this too few; the chunk then counts as damaged and the file is read
/// serially, with the same result.
fn record_starts(text: &[u8]) -> usize {
    // One pass over the quotes and line ends; `odd`: the line so far holds an odd number of
    // quotes.
    let (mut count, mut quoted, mut odd, mut start) = (0, false, false, 0);
    // The end of the text ends its last line, if it has one.
    let ends = memchr::memchr2_iter(b'"', b'\n', text).chain(std::iter::once(text.len()));
    for at in ends {
        if text.get(at) == Some(&b'"') {
            odd = !odd;
            continue;
        }
        if at == text.len() && start == at {
            break;
        }
        // A line of nothing but its end (`\n`, `\r\n`, stray `\r`s) is blank.
        let blank = !odd && text[start..at].iter().all(|&b| b == b'\r');
        if !quoted && !blank {
            count += 1;
        }
        quoted ^= odd;
        (odd, start) = (false, at + 1);
    }
    count
}

/// The id in `to` of every string of `from`, by `from`'s id order.
fn remap(from: &Interner, to: &mut Interner) -> Vec<Sym> {
    (1..=from.len() as u32)
        .map(|i| to.intern(from.resolve(Sym::new(i).expect("ids start at 1"))))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn blank_lines_and_the_lines_of_a_multi_line_cell_hold_no_record() {
        // Records start at `a,b`, `"x` (whose cell runs on to `y",z`) and `c`.
        assert_eq!(super::record_starts(b"a,b\n\n\"x\ny\",z\n\r\nc\n"), 3);
        assert_eq!(super::record_starts(b"a,b"), 1);
        assert_eq!(super::record_starts(b"\n\n"), 0);
        assert_eq!(super::record_starts(b"\r\n\"\"\r\n\r"), 1);
    }

    /// The count as first written: line by line, a line holding only line-end bytes blank.
    fn line_by_line(text: &[u8]) -> usize {
        let (mut count, mut quoted) = (0, false);
        for line in text.split_inclusive(|&b| b == b'\n') {
            if !quoted && !line.iter().all(|&b| b == b'\n' || b == b'\r') {
                count += 1;
            }
            quoted ^= line.iter().filter(|&&b| b == b'"').count() % 2 == 1;
        }
        count
    }

    #[test]
    fn the_one_pass_count_agrees_with_a_line_by_line_count() {
        // Random texts of up to 40 bytes made of the bytes that matter.
        let alphabet = b"a\"\n\r,";
        let mut seeded = crate::model::seeded::Seeded::new(7);
        for len in 0..=40 {
            for _ in 0..400 {
                let text: Vec<u8> = (0..len)
                    .map(|_| alphabet[seeded.below(alphabet.len())])
                    .collect();
                assert_eq!(super::record_starts(&text), line_by_line(&text), "{text:?}");
            }
        }
    }
}
