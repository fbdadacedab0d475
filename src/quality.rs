//! Data quality: every input file read, every row kept or rejected with a reason. Shown on
//! `data-quality.html`, counted in `kpis.json`, and turned into exit 3 by `--strict`.

use std::collections::BTreeMap;

use serde::Serialize;

/// One input file as read.
#[derive(Debug, Clone, Serialize)]
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
    /// Distinct tasks in the kept rows.
    pub tasks: usize,
}

/// A row that could not be used.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Rejection {
    /// File the row came from.
    pub path: String,
    /// Line the row starts on (1-based, header is line 1).
    pub line: u64,
    /// Why it was rejected.
    pub reason: String,
}

/// Everything the data-quality page shows.
#[derive(Debug, Default, Clone, Serialize)]
pub struct DataQuality {
    /// Files, in reading order.
    pub inputs: Vec<InputSummary>,
    /// Every rejected row, in reading order.
    pub rejections: Vec<Rejection>,
    /// Statuses with no category and how many events carried them.
    pub unmapped_statuses: BTreeMap<String, usize>,
    /// Events later than the as-of time (ignored).
    pub events_after_as_of: usize,
    /// Timezone used to read naive timestamps, if any.
    pub input_timezone: Option<String>,
}

impl DataQuality {
    /// Rejection counts by reason kind (the text before the first `:`), for summaries.
    pub fn rejections_by_reason(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for r in &self.rejections {
            let kind = r.reason.split(':').next().unwrap_or(&r.reason).to_string();
            *out.entry(kind).or_default() += 1;
        }
        out
    }

    /// A one-paragraph summary of rejections for the terminal, listing the first few rows.
    pub fn rejection_summary(&self, limit: usize) -> String {
        let mut s = format!("{} row(s) rejected", self.rejections.len());
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
