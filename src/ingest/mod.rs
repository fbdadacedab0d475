//! Ingest stage: input files → the canonical [`EventLog`] plus [`DataQuality`]. Each format is
//! one adapter with the same signature; the format is detected from the header.

mod canonical;
mod decode;
pub mod timestamp;

use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono_tz::Tz;

use crate::error::Failure;
use crate::model::{EventLog, Sym};
use crate::quality::{DataQuality, InputSummary, Rejection};

/// A decoded input file handed to an adapter.
pub struct Source<'a> {
    /// Path for messages.
    pub path: &'a str,
    /// The whole file as UTF-8 text.
    pub text: &'a str,
}

/// Where adapters put what they read.
pub struct Sink<'a> {
    /// The log being built.
    pub log: &'a mut EventLog,
    /// Rejected rows of this file.
    pub rejections: Vec<Rejection>,
    /// Zone for naive timestamps, if configured.
    pub tz: Option<Tz>,
    /// Data rows read, kept or not.
    pub records: usize,
    /// Which task ids (by symbol) this file has kept rows for.
    pub tasks: Vec<bool>,
}

impl Sink<'_> {
    /// Records a rejected row.
    pub fn reject(&mut self, path: &str, line: u64, reason: impl Into<String>) {
        self.rejections.push(Rejection {
            path: path.to_string(),
            line,
            reason: reason.into(),
        });
    }

    /// Marks a task as seen in this file.
    pub fn saw_task(&mut self, task: Sym) {
        let i = task as usize;
        if i >= self.tasks.len() {
            self.tasks.resize(i + 1, false);
        }
        self.tasks[i] = true;
    }

    /// The next reading-order number, the tie-breaker for equal timestamps.
    pub fn next_seq(&self) -> u32 {
        self.log.events.len() as u32
    }
}

/// The formats teampulse reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The generic event log of DESIGN.md.
    Canonical,
}

impl Format {
    /// Name shown in reports and `kpis.json`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Canonical => "canonical",
        }
    }

    /// Detects the format from a file's header line, or says why none fits.
    fn detect(header: &[String]) -> Option<Format> {
        let has = |name: &str| header.iter().any(|h| h == name);
        (has("task_id") || has("timestamp") || has("event")).then_some(Format::Canonical)
    }

    fn read(self, source: &Source, sink: &mut Sink) -> Result<()> {
        match self {
            Format::Canonical => canonical::read(source, sink),
        }
    }
}

/// Reads every input into one event log. Files and folders (all `.csv` files inside, sorted)
/// are accepted. A file that cannot be used at all is an error (exit 3); bad rows are rejected
/// and reported in the returned [`DataQuality`].
pub fn load(inputs: &[PathBuf], tz: Option<Tz>) -> Result<(EventLog, DataQuality)> {
    let mut log = EventLog::default();
    let mut quality = DataQuality {
        input_timezone: tz.map(|t| t.to_string()),
        ..Default::default()
    };
    let files = expand(inputs)?;
    if files.is_empty() {
        return Err(Failure::Input(
            "no input files: give CSV files or folders holding them".into(),
        )
        .into());
    }
    for path in files {
        let summary = load_file(&path, tz, &mut log, &mut quality.rejections)?;
        quality.inputs.push(summary);
    }
    Ok((log, quality))
}

fn load_file(
    path: &Path,
    tz: Option<Tz>,
    log: &mut EventLog,
    rejections: &mut Vec<Rejection>,
) -> Result<InputSummary> {
    let shown = path.display().to_string();
    let bytes =
        std::fs::read(path).map_err(|e| Failure::Input(format!("{shown}: cannot read: {e}")))?;
    let (text, encoding) = decode::decode(&bytes);
    if text.trim().is_empty() {
        return Err(
            Failure::Input(format!("{shown}: the file is empty (no header, no rows)")).into(),
        );
    }
    let header = header_of(&text);
    let format = Format::detect(&header).ok_or_else(|| {
        Failure::Input(format!(
            "{shown}: not a recognised export: the first line has no task_id, timestamp or event \
             column (found: {})",
            header.join(", ")
        ))
    })?;
    // About 60 bytes a row: reserving up front saves re-copying a million events while growing.
    log.events.reserve(text.len() / 60);
    let mut sink = Sink {
        log,
        rejections: Vec::new(),
        tz,
        records: 0,
        tasks: Vec::new(),
    };
    format.read(
        &Source {
            path: &shown,
            text: &text,
        },
        &mut sink,
    )?;
    let summary = InputSummary {
        path: shown,
        format: format.name().to_string(),
        encoding: encoding.to_string(),
        records: sink.records,
        rejected: sink.rejections.len(),
        tasks: sink.tasks.iter().filter(|&&seen| seen).count(),
    };
    rejections.append(&mut sink.rejections);
    Ok(summary)
}

/// The first record's fields, trimmed and lower-cased, for detection.
fn header_of(text: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => record
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect(),
        _ => Vec::new(),
    }
}

/// Files named by the inputs: files as given, folders walked (sorted, recursive) for `.csv`.
fn expand(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        let meta = std::fs::metadata(input)
            .map_err(|e| Failure::Input(format!("{}: {e}", input.display())))?;
        if meta.is_dir() {
            walk(input, &mut files)?;
        } else {
            files.push(input.clone());
        }
    }
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Failure::Input(format!("{}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, files)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        {
            files.push(path);
        }
    }
    Ok(())
}
