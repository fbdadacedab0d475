//! A tracker export read as a table: the header kept verbatim (repeated names and all), rows
//! with the line they start on, the delimiter sniffed, short rows padded, damaged rows rejected.

use super::records::{Item, Records};
use super::{Sink, Source};

/// One data row.
#[derive(Debug, Clone)]
pub struct Row {
    /// Line the row starts on (the header is line 1).
    pub line: u64,
    /// Cells, padded to the header's width.
    pub cells: Vec<String>,
    /// How many fields the record had before the padding.
    pub fields: usize,
}

impl Row {
    /// Makes the people of this row's person columns known names (see [`Sink::other_name`]),
    /// whether the row is kept or rejected: a reader calls it once for every row.
    pub fn keep_people(&self, cols: &[Option<usize>], sink: &mut Sink) {
        for &col in cols {
            if let Some(v) = self.get(col) {
                sink.other_name(without_address(v));
            }
        }
    }

    /// The cell at `col`, trimmed, with a spreadsheet formula guard (`'` before `= + - @`)
    /// removed; `None` when empty.
    pub fn get(&self, col: Option<usize>) -> Option<&str> {
        let v = self.cells.get(col?)?.trim();
        let v = match v.strip_prefix('\'') {
            Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
            _ => v,
        };
        (!v.is_empty()).then_some(v)
    }

    /// Every non-empty cell of the given columns (a repeated header such as `Labels`).
    pub fn all(&self, cols: &[usize]) -> Vec<&str> {
        cols.iter().filter_map(|&c| self.get(Some(c))).collect()
    }
}

/// A whole export.
#[derive(Debug, Clone)]
pub struct Table {
    /// Header cells as written (BOM removed, trimmed).
    pub header: Vec<String>,
    /// Data rows that could be read.
    pub rows: Vec<Row>,
}

impl Table {
    /// Reads `source`; damaged and over-long rows are rejected into `sink` and counted.
    pub fn read(source: &Source, sink: &mut Sink) -> Table {
        let delimiter = sniff_delimiter(source.text);
        let mut records = Records::new(source.text, delimiter);
        let mut fields = Vec::new();
        let mut header: Vec<String> = Vec::new();
        let mut rows = Vec::new();
        while let Some(item) = records.next(&mut fields) {
            let line = match item {
                Item::Record { line } => line,
                Item::Damaged { line, reason } => {
                    sink.records += 1;
                    sink.reject(source.path, line, reason);
                    continue;
                }
            };
            if header.is_empty() {
                header = fields
                    .iter()
                    .map(|h| h.trim().trim_start_matches('\u{feff}').trim().to_string())
                    .collect();
                records.set_width(header.len());
                continue;
            }
            sink.records += 1;
            if fields.iter().all(|c| c.trim().is_empty()) {
                sink.reject(source.path, line, "empty row");
                continue;
            }
            if fields.len() > header.len() {
                sink.reject(
                    source.path,
                    line,
                    format!(
                        "wrong number of fields ({} where the header has {})",
                        fields.len(),
                        header.len()
                    ),
                );
                continue;
            }
            if fields.iter().zip(&header).all(|(c, h)| c.trim() == h) {
                sink.reject(source.path, line, "repeated header row");
                continue;
            }
            let mut cells: Vec<String> = fields.iter().map(|c| c.to_string()).collect();
            // Some exports (Linear) leave out trailing empty fields: pad, don't reject.
            cells.resize(header.len(), String::new());
            rows.push(Row {
                line,
                cells,
                fields: fields.len(),
            });
        }
        Table { header, rows }
    }

    /// The first column whose name matches one of `names` (case-insensitive).
    pub fn col(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|n| self.header.iter().position(|h| h.eq_ignore_ascii_case(n)))
    }

    /// The columns that name people beyond those a reader uses (watchers, project leads, who
    /// closed or changed a work item, people in custom fields): their people are known names
    /// all the same, scrubbed from free text under `--people hidden` and `pseudonym`.
    pub fn other_people(&self) -> Vec<Option<usize>> {
        (0..self.header.len())
            .filter(|&i| holds_people(&self.header[i]))
            .map(Some)
            .collect()
    }

    /// Every column whose name matches one of `names` (repeated headers).
    pub fn cols(&self, names: &[&str]) -> Vec<usize> {
        (0..self.header.len())
            .filter(|&i| names.iter().any(|n| self.header[i].eq_ignore_ascii_case(n)))
            .collect()
    }
}

/// Column names that hold people in the exports teampulse reads, beside the ones each reader
/// maps (lower case): Jira's watchers and project lead in English, Spanish and Portuguese,
/// Azure DevOps' and ServiceNow's who-did-what fields.
const PEOPLE_COLUMNS: &[&str] = &[
    "watchers",
    "interesados",
    "seguidores",
    "project lead",
    "responsable del proyecto",
    "líder do projeto",
    "closed by",
    "activated by",
    "changed by",
    "resolved by",
    "created by",
];

/// Words of a custom field's name that make it a field of people (`Custom field (Reviewer)`,
/// `Campo personalizado (Assignee 2)`).
const PEOPLE_FIELD_WORDS: &[&str] = &[
    "assignee",
    "reviewer",
    "approver",
    "tester",
    "participants",
    "responders",
    "revisor",
    "aprobador",
];

/// Whether a column of this name holds people.
fn holds_people(header: &str) -> bool {
    let h = header.trim().to_lowercase();
    if PEOPLE_COLUMNS.contains(&h.as_str()) {
        return true;
    }
    let custom = ["custom field (", "campo personalizado ("]
        .iter()
        .any(|p| h.starts_with(p));
    custom && PEOPLE_FIELD_WORDS.iter().any(|w| h.contains(w))
}

/// Picks `,`, `;` or tab: whichever occurs most in the first line outside quotes.
pub fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let mut quoted = false;
    let mut counts = [0usize; 3];
    for c in first.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// `Display Name <email>` → `Display Name` (Azure DevOps, Git); anything else as it is.
pub fn without_address(s: &str) -> &str {
    match s.split_once(" <") {
        Some((name, rest)) if rest.ends_with('>') && !name.trim().is_empty() => name.trim(),
        _ => s.trim(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delimiter_is_sniffed_from_the_header() {
        assert_eq!(sniff_delimiter("a,b,c\n1;2"), b',');
        assert_eq!(sniff_delimiter("Schlüssel;Status;\"a,b\"\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\tc"), b'\t');
    }

    #[test]
    fn a_formula_guard_is_removed_but_other_quotes_stay() {
        let row = Row {
            line: 2,
            cells: vec!["'=SUM(1)".into(), "'tis".into(), "  ".into()],
            fields: 3,
        };
        assert_eq!(
            (row.get(Some(0)), row.get(Some(1)), row.get(Some(2))),
            (Some("=SUM(1)"), Some("'tis"), None)
        );
    }
}
