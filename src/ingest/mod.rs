//! Ingest stage: input files → the canonical [`EventLog`] plus [`DataQuality`]. Each format is
//! one adapter with the same signature, `fn read(&Source, &mut Sink) -> Result<()>`; the format
//! is detected from the header or JSON shape, or given with `--format` or the config.

mod canonical;
mod dates;
mod decode;
mod formats;
mod jira;
mod jira_history;
mod servicenow;
mod shapes;
mod simple;
pub mod snapshot;
mod table;
pub mod timestamp;
mod trello;

use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono_tz::Tz;

use crate::config::Config;
use crate::error::Failure;
use crate::model::{EventLog, Sym};
use crate::quality::{DataQuality, InputSummary, Rejection};
pub use dates::{DateOrder, DateReader};
pub use formats::Format;
pub use shapes::ShapeGuard;

/// A decoded input file handed to an adapter.
pub struct Source<'a> {
    /// Path for messages.
    pub path: &'a str,
    /// The whole file as UTF-8 text.
    pub text: &'a str,
}

/// How one input is read, from the config's `[inputs."<file>"]` or the defaults.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'a> {
    /// Zone for naive timestamps in the canonical log: only when configured.
    pub canonical_tz: Option<Tz>,
    /// How tracker dates are read (zone defaults to UTC).
    pub dates: DateReader,
    /// Team for every task of the input, overriding the export's own field.
    pub team: Option<&'a str>,
}

/// Where adapters put what they read.
pub struct Sink<'a> {
    /// The log being built.
    pub log: &'a mut EventLog,
    /// Rejected rows of this file.
    pub rejections: Vec<Rejection>,
    /// How this input is read.
    pub settings: Settings<'a>,
    /// Data rows (or JSON records) read, kept or not.
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

    /// The team for a task: the input's configured team, else what the export says.
    pub fn team(&self, from_export: Option<&str>) -> Option<String> {
        self.settings.team.or(from_export).map(str::to_string)
    }
}

/// Reads every input into one event log. Files and folders (every `.csv` and `.json` inside,
/// sorted, recursively) are accepted. A file that cannot be used at all is an error (exit 3);
/// bad rows are rejected and reported in the returned [`DataQuality`].
pub fn load(
    inputs: &[PathBuf],
    config: &Config,
    format: Option<Format>,
) -> Result<(EventLog, DataQuality)> {
    let mut log = EventLog::default();
    let mut quality = DataQuality {
        input_timezone: config.timezone.clone(),
        ..Default::default()
    };
    let files = expand(inputs)?;
    if files.is_empty() {
        return Err(Failure::Input(
            "no input files: give CSV or JSON files, or folders holding them".into(),
        )
        .into());
    }
    for path in files {
        let summary = load_file(&path, config, format, &mut log, &mut quality.rejections)?;
        quality.inputs.push(summary);
    }
    log.resolve_aliases();
    Ok((log, quality))
}

fn load_file(
    path: &Path,
    config: &Config,
    format: Option<Format>,
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
    let input = config.input(&shown);
    let format = match format.or(input.and_then(|i| i.format)) {
        Some(f) => f,
        None => Format::detect(&text).map_err(|why| Failure::Input(format!("{shown}: {why}")))?,
    };
    let tz = input
        .and_then(|i| i.timezone.as_deref())
        .or(config.timezone.as_deref());
    let tz: Option<Tz> = tz.and_then(|t| t.parse().ok());
    let settings = Settings {
        canonical_tz: tz,
        dates: DateReader {
            tz: tz.unwrap_or(Tz::UTC),
            order: input.and_then(|i| i.date_order),
        },
        team: input.and_then(|i| i.team.as_deref()),
    };
    // About 60 bytes a row: reserving up front saves re-copying a million events while growing.
    log.events.reserve(text.len() / 60);
    let mut sink = Sink {
        log,
        rejections: Vec::new(),
        settings,
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
        timezone: settings.dates.tz.to_string(),
        records: sink.records,
        rejected: sink.rejections.len(),
        tasks: sink.tasks.iter().filter(|&&seen| seen).count(),
    };
    rejections.append(&mut sink.rejections);
    Ok(summary)
}

/// Files named by the inputs: files as given, folders walked (sorted, recursive) for `.csv`
/// and `.json`.
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
            .is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("json"))
        {
            files.push(path);
        }
    }
    Ok(())
}
