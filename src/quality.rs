//! Data quality: every input file read, every row kept or rejected with a reason. Shown on
//! `data-quality.html`, counted in `kpis.json`, and turned into exit 3 by `--strict`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One input file as read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InputSummary {
    /// Path as given on the command line (or found in a folder).
    pub path: String,
    /// Detected format.
    pub format: String,
    /// Detected text encoding.
    pub encoding: String,
    /// Zone the file's local (offset-less) times were read in.
    pub timezone: String,
    /// Data rows read (header excluded).
    pub records: usize,
    /// Rows rejected.
    pub rejected: usize,
    /// Records read but of no use (a Trello action on a list, not a card), neither kept nor
    /// rejected: records = kept + rejected + skipped.
    pub skipped: usize,
    /// Why records were skipped, and how many each.
    pub skipped_why: BTreeMap<String, usize>,
    /// A board's open lists from left to right (Trello JSON), for `init`.
    #[serde(skip)]
    #[schemars(skip)]
    pub board_lists: Vec<String>,
    /// Distinct tasks in the kept rows.
    pub tasks: usize,
    /// Events identical to one another input already gave (an overlapping export), counted
    /// once.
    pub duplicates: usize,
}

/// An entry of an input folder that was not read, and why.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Skipped {
    /// Path as shown.
    pub path: String,
    /// Why it was passed over.
    pub reason: String,
}

/// A row that could not be used.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Rejection {
    /// File the row came from.
    pub path: String,
    /// Line the row starts on (1-based, header is line 1).
    pub line: u64,
    /// Why it was rejected.
    pub reason: String,
}

/// The nightly history a build read and appended to (`--history`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistorySummary {
    /// The folder, as given.
    pub folder: String,
    /// Runs it records (one file each), this build's included.
    pub runs: usize,
    /// The first run's observation time (RFC 3339).
    pub first: Option<String>,
    /// The latest run's observation time (RFC 3339).
    pub last: Option<String>,
    /// The longest time between two runs, in hours: a change seen by a run happened at most
    /// this long before the time it is dated.
    pub longest_gap_hours: Option<f64>,
    /// The median time between runs, in hours.
    pub typical_gap_hours: Option<f64>,
    /// The latest run's file (the same for every build that reads this history, whoever
    /// wrote it).
    pub latest: Option<String>,
    /// Events in the latest run's file.
    pub latest_events: usize,
    /// Tasks the history knows that the latest exports did not show.
    pub unseen: usize,
}

/// Everything the data-quality page shows.
#[derive(Debug, Default, Clone, Serialize)]
pub struct DataQuality {
    /// Files, in reading order.
    pub inputs: Vec<InputSummary>,
    /// Every rejected row, in reading order.
    pub rejections: Vec<Rejection>,
    /// Rows kept with a caveat (bytes not valid in the file's encoding, …).
    pub notes: Vec<Rejection>,
    /// Folder entries not read (links back into the tree, pipes, teampulse's own sites…).
    pub skipped: Vec<Skipped>,
    /// Things worth knowing about the data as a whole (teams with look-alike names…).
    pub warnings: Vec<String>,
    /// Statuses with no category and how many events carried them.
    pub unmapped_statuses: BTreeMap<String, usize>,
    /// Events later than the as-of time (ignored).
    pub events_after_as_of: usize,
    /// Timezone used to read naive timestamps, if any.
    pub input_timezone: Option<String>,
    /// The nightly history, when the build keeps one.
    pub history: Option<HistorySummary>,
    /// A fingerprint of what the numbers were computed with (version, config, people mode):
    /// `teampulse index` joins only shards that agree on it.
    pub settings: String,
}

impl DataQuality {
    /// Rejection counts by kind of reason, for summaries.
    pub fn rejections_by_reason(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for r in &self.rejections {
            *out.entry(reason_kind(&r.reason)).or_default() += 1;
        }
        out
    }

    /// A one-paragraph summary of rejections for the terminal, listing the first few rows.
    pub fn rejection_summary(&self, limit: usize) -> String {
        let mut s = format!("{} row(s) rejected", self.rejections.len());
        if self.rejections.is_empty() {
            return s;
        }
        for r in self.rejections.iter().take(limit) {
            s.push_str(&format!("\n  {}:{}: {}", r.path, r.line, r.reason));
        }
        if self.rejections.len() > limit {
            s.push_str(&format!(
                "\n  … and {} more (all listed on data-quality.html)",
                self.rejections.len() - limit
            ));
        }
        s
    }
}

/// The kind of a rejection reason: its text up to the first quoted value or number, so
/// "Created: relative date '11 days ago' …" and "… '3 days ago' …" count together.
pub fn reason_kind(reason: &str) -> String {
    let cut = reason
        .find(['\'', '(', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
        .unwrap_or(reason.len());
    let kind = reason[..cut]
        .trim()
        .trim_end_matches([':', ',', ';'])
        .trim();
    if kind.is_empty() {
        reason.to_string()
    } else {
        kind.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_group_by_their_kind() {
        assert_eq!(
            reason_kind("Created: relative date '11 days ago' cannot be placed"),
            "Created: relative date"
        );
        assert_eq!(
            reason_kind("wrong number of fields (4 where the header has 6)"),
            "wrong number of fields"
        );
        assert_eq!(reason_kind("empty task_id"), "empty task_id");
    }
}
