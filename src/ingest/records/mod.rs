//! CSV text split into records, with exact line numbers for LF, CRLF and CR files, and
//! re-synchronisation after a damaged record: a quote that is never closed, or that runs on
//! into what are plainly the next records, costs its own line and nothing more.
//!
//! Fields follow RFC 4180 (a field is quoted when it starts with `"`, a doubled `""` inside
//! stands for one quote); text after a closing quote is kept as written, as spreadsheet tools
//! do. A record whose quoted field spans lines is kept when it is a real multi-line cell and
//! refused when one of the lines it swallowed is itself a complete record of the header's width,
//! when it comes out wider than the header (or of any other width, where every row must have
//! the header's: [`Records::require_width`]), or when the quote is never closed. Reading then
//! goes on from the line after the record's first line, so one stray quote never takes the rest
//! of the file with it.

use std::borrow::Cow;

/// What [`Records::next`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A record, its fields in the buffer; `line` is the line it starts on (1-based).
    Record {
        /// First line of the record.
        line: u64,
    },
    /// A damaged record: only its first line is given up.
    Damaged {
        /// The line the damaged record starts on.
        line: u64,
        /// Why, for the rejection list.
        reason: String,
    },
}

/// Iterates over the records of a CSV text.
pub struct Records<'a> {
    text: &'a str,
    pos: usize,
    end: usize,
    line: u64,
    delim: u8,
    width: usize,
    /// A CR-only file (classic Mac): there a lone `\r` ends a line; elsewhere it is data.
    cr_only: bool,
    /// Every record must have the header's width (see [`Records::require_width`]).
    exact: bool,
}

/// How one record was parsed.
struct Parsed {
    end: usize,
    breaks: u64,
    /// A quoted field ran over a line break.
    multiline: bool,
    unterminated: bool,
    swallowed: bool,
}

/// Why a damaged record was given up (the line is in the rejection's own column).
const NEVER_CLOSED: &str =
    "unterminated quoted field: the quote opened on this line is never closed; reading goes on \
     from the next line";
const MISSHAPEN: &str = "a quoted field runs over the end of this line into a record of the \
     wrong number of fields; reading goes on from the next line";
const RUNS_ON: &str = "unterminated quoted field: the quote opened on this line runs on into the \
     next records; reading goes on from the next line";

impl<'a> Records<'a> {
    /// Records of the whole text, the first starting on line 1.
    pub fn new(text: &'a str, delim: u8) -> Self {
        Records::range(text, 0, text.len(), 1, delim)
    }

    /// Records of `text[start..end]`, the first starting on line `first_line`; `start` must be
    /// the start of a record.
    pub fn range(text: &'a str, start: usize, end: usize, first_line: u64, delim: u8) -> Self {
        Records {
            text,
            pos: start,
            end,
            line: first_line,
            delim,
            width: 0,
            cr_only: !text.as_bytes().contains(&b'\n'),
            exact: false,
        }
    }

    /// The number of fields a record has (the header's): lets the reader tell a multi-line
    /// cell from a quote that swallowed the next records. 0 = not known yet.
    pub fn set_width(&mut self, width: usize) {
        self.width = width;
    }

    /// [`Records::set_width`] for a format whose every record has the header's width (a
    /// shorter row is refused, not padded): a multi-line record narrower than the header is
    /// then, like a wider one in any format, taken for a stray quote that swallowed the start
    /// of the next record (a multi-line one, so not plainly a record), and only its first line
    /// is given up.
    pub fn require_width(&mut self, width: usize) {
        self.width = width;
        self.exact = true;
    }

    /// The byte offset the next record starts at.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// The line the next record starts on.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Whether line breaks are lone CRs (a classic Mac file).
    pub fn cr_only(&self) -> bool {
        self.cr_only
    }

    /// The length of the line break at `i` (1 or 2 bytes), if one starts there.
    fn break_at(&self, i: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        match bytes.get(i)? {
            b'\n' if !self.cr_only => Some(1),
            b'\r' if self.cr_only => Some(1),
            b'\r' if bytes.get(i + 1) == Some(&b'\n') && i + 1 < self.end => Some(2),
            _ => None,
        }
    }

    /// The next line break at or after `i`: its position and length.
    fn next_break(&self, i: usize) -> Option<(usize, usize)> {
        let bytes = self.text.as_bytes();
        let target = if self.cr_only { b'\r' } else { b'\n' };
        let at = i + bytes.get(i..self.end)?.iter().position(|&b| b == target)?;
        // A CRLF break starts at its CR.
        Some(if !self.cr_only && at > i && bytes[at - 1] == b'\r' {
            (at - 1, 2)
        } else {
            (at, 1)
        })
    }

    /// The next record, its fields in `fields` (cleared first); blank lines are skipped.
    pub fn next(&mut self, fields: &mut Vec<Cow<'a, str>>) -> Option<Item> {
        loop {
            fields.clear();
            if self.pos >= self.end {
                return None;
            }
            // Blank lines separate nothing: skip them, counting them.
            if let Some(n) = self.break_at(self.pos) {
                self.pos += n;
                self.line += 1;
                continue;
            }
            let start_line = self.line;
            let parsed = self.parse(self.pos, fields);
            let misshapen = parsed.multiline
                && self.width > 0
                && (fields.len() > self.width || self.exact && fields.len() != self.width);
            if parsed.unterminated || parsed.swallowed || misshapen {
                let reason = match (parsed.unterminated, parsed.swallowed) {
                    (true, _) => NEVER_CLOSED.to_string(),
                    (_, true) => RUNS_ON.to_string(),
                    _ => format!(
                        "{MISSHAPEN} ({} where the header has {})",
                        fields.len(),
                        self.width
                    ),
                };
                fields.clear();
                self.pos = self.next_break(self.pos).map_or(self.end, |(at, n)| at + n);
                self.line += 1;
                return Some(Item::Damaged {
                    line: start_line,
                    reason,
                });
            }
            self.pos = parsed.end;
            self.line += parsed.breaks;
            return Some(Item::Record { line: start_line });
        }
    }

    /// Parses one record starting at `start`; `end` is just past its terminator, `breaks` the
    /// line breaks consumed (the terminator's included).
    fn parse(&self, start: usize, fields: &mut Vec<Cow<'a, str>>) -> Parsed {
        let bytes = self.text.as_bytes();
        let end = self.end;
        let mut pos = start;
        let mut breaks = 0u64;
        // `inner`: the line breaks inside quoted fields; `last`: the record's own (0 at the end
        // of the text).
        let done = |end: usize, inner: u64, last: u64| Parsed {
            end,
            breaks: inner + last,
            multiline: inner > 0,
            unterminated: false,
            swallowed: false,
        };
        loop {
            // One field.
            if pos < end && bytes[pos] == b'"' {
                let mut owned: Option<String> = None;
                let mut seg = pos + 1;
                let mut i = pos + 1;
                loop {
                    let Some(off) = bytes[i..end]
                        .iter()
                        .position(|&b| b == b'"' || b == b'\n' || b == b'\r')
                    else {
                        return Parsed {
                            end,
                            breaks,
                            multiline: breaks > 0,
                            unterminated: true,
                            swallowed: false,
                        };
                    };
                    i += off;
                    if bytes[i] == b'"' {
                        if bytes.get(i + 1) == Some(&b'"') && i + 1 < end {
                            owned
                                .get_or_insert_with(String::new)
                                .push_str(&self.text[seg..=i]);
                            i += 2;
                            seg = i;
                            continue;
                        }
                        break;
                    }
                    match self.break_at(i) {
                        // A line break inside the quotes.
                        Some(n) => {
                            breaks += 1;
                            if self.looks_like_record(i + n) {
                                return Parsed {
                                    end,
                                    breaks,
                                    multiline: true,
                                    unterminated: false,
                                    swallowed: true,
                                };
                            }
                            i += n;
                        }
                        // A lone CR in an LF file is text.
                        None => i += 1,
                    }
                }
                // `i` is the closing quote; text up to the next delimiter or line end is kept.
                let close = i;
                let mut j = close + 1;
                while j < end && bytes[j] != self.delim && self.break_at(j).is_none() {
                    j += 1;
                }
                let value = match owned {
                    None if j == close + 1 => Cow::Borrowed(&self.text[seg..close]),
                    o => {
                        let mut s = o.unwrap_or_default();
                        s.push_str(&self.text[seg..close]);
                        s.push_str(&self.text[close + 1..j]);
                        Cow::Owned(s)
                    }
                };
                fields.push(value);
                pos = j;
            } else {
                let mut j = pos;
                while j < end && bytes[j] != self.delim && self.break_at(j).is_none() {
                    j += 1;
                }
                fields.push(Cow::Borrowed(&self.text[pos..j]));
                pos = j;
            }
            // After a field: a delimiter, a line end or the end of the text.
            if pos >= end {
                return done(end, breaks, 0);
            }
            if let Some(n) = self.break_at(pos) {
                return done(pos + n, breaks, 1);
            }
            pos += 1; // the delimiter
        }
    }

    /// Whether the line starting at `start`, reached inside a quoted field, is plainly a record
    /// of its own: it does not close the field (an odd number of quotes would: the last line of
    /// a real multi-line cell) and, read on its own, it has exactly the header's width. Then
    /// the quote that ran into it was never meant to.
    fn looks_like_record(&self, start: usize) -> bool {
        if self.width < 2 || start >= self.end {
            return false;
        }
        let bytes = self.text.as_bytes();
        let line_end = self.next_break(start).map_or(self.end, |(at, _)| at);
        let line = &bytes[start..line_end];
        if line.iter().filter(|&&b| b == b'"').count() % 2 == 1 {
            // Odd quotes close the cell, unless the line is plainly a record with a broken
            // quote of its own: exactly the header's width split at every delimiter, its lone
            // quote opening a field (right after a delimiter) rather than ending a text.
            let naive = line.iter().filter(|&&b| b == self.delim).count() + 1;
            let opens = line
                .iter()
                .enumerate()
                .filter(|&(_, &b)| b == b'"')
                .all(|(i, _)| i > 0 && line[i - 1] == self.delim);
            return naive == self.width && opens;
        }
        let mut fields = 1usize;
        let mut quoted = false;
        let mut at_field_start = true;
        let mut i = start;
        while i < self.end {
            let b = bytes[i];
            let brk = self.break_at(i).is_some();
            if quoted {
                if b == b'"' {
                    if bytes.get(i + 1) == Some(&b'"') {
                        i += 1;
                    } else {
                        quoted = false;
                    }
                } else if brk {
                    return false;
                }
            } else if brk {
                break;
            } else if b == self.delim {
                fields += 1;
                at_field_start = true;
                i += 1;
                continue;
            } else if b == b'"' && at_field_start {
                quoted = true;
            }
            at_field_start = false;
            i += 1;
        }
        !quoted && fields == self.width
    }
}

#[cfg(test)]
mod tests;
