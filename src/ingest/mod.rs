//! Ingest stage: input files → the canonical [`EventLog`] plus [`DataQuality`]. Each format is
//! one adapter with the same signature, `fn read(&Source, &mut Sink) -> Result<()>`; the format
//! is detected from the header or JSON shape, or given with `--format` or the config.

mod canonical;
mod checks;
mod dates;
mod decode;
pub mod files;
mod formats;
mod jira;
mod jira_history;
mod records;
mod servicenow;
mod shapes;
mod simple;
pub mod snapshot;
mod table;
pub mod timestamp;
mod trello;

use std::path::PathBuf;

use anyhow::Result;
use chrono_tz::Tz;

use crate::config::Config;
use crate::error::Failure;
use crate::model::{EventLog, Sym, Window};
use crate::quality::{DataQuality, InputSummary, Rejection};
pub use dates::{DateOrder, DateReader};
pub use files::{InputFile, SITE_MARKER};
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
    /// Path of the input, as shown.
    pub path: &'a str,
    /// Line (or record) being read: events made now are traced back to it.
    pub line: u64,
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
    /// Records a rejected row; control characters in the reason (which quotes the data) are
    /// replaced.
    pub fn reject(&mut self, path: &str, line: u64, reason: impl Into<String>) {
        let reason = reason.into();
        self.rejections.push(Rejection {
            path: path.to_string(),
            line,
            reason: crate::model::text::clean(&reason).into_owned(),
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

/// Reads every input into one event log, accepting instants from 1990 to the build machine's
/// clock. Files and folders (every `.csv` and `.json` inside, sorted, recursively) are
/// accepted. A file that cannot be used at all is an error (exit 3); bad rows are rejected and
/// reported in the returned [`DataQuality`].
pub fn load(
    inputs: &[PathBuf],
    config: &Config,
    format: Option<Format>,
) -> Result<(EventLog, DataQuality)> {
    load_within(inputs, config, format, Window::until_now())
}

/// [`load`] with an explicit plausibility window.
pub fn load_within(
    inputs: &[PathBuf],
    config: &Config,
    format: Option<Format>,
    window: Window,
) -> Result<(EventLog, DataQuality)> {
    let mut log = EventLog::default();
    let mut quality = DataQuality {
        input_timezone: config.timezone.clone(),
        ..Default::default()
    };
    let expansion = files::expand(inputs)?;
    quality.skipped = expansion.skipped;
    if expansion.files.is_empty() {
        return Err(Failure::Input(
            "no input files: give CSV or JSON files, or folders holding them".into(),
        )
        .into());
    }
    let mut starts = Vec::with_capacity(expansion.files.len());
    for file in &expansion.files {
        starts.push(log.events.len());
        let summary = load_file(file, config, format, window, &mut log, &mut quality)?;
        quality.inputs.push(summary);
    }
    log.resolve_aliases();
    checks::drop_duplicates(&mut log, &mut starts, &mut quality);
    checks::reject_far_after(&mut log, &starts, &mut quality);
    Ok((log, quality))
}

fn load_file(
    file: &InputFile,
    config: &Config,
    format: Option<Format>,
    window: Window,
    log: &mut EventLog,
    quality: &mut DataQuality,
) -> Result<InputSummary> {
    let shown = file.shown.as_str();
    let bytes = std::fs::read(&file.path)
        .map_err(|e| Failure::Input(format!("{shown}: cannot read: {e}")))?;
    let input = config.input(shown);
    let forced = match input.and_then(|i| i.encoding.as_deref()) {
        Some(label) => Some(decode::encoding_for(label).ok_or_else(|| {
            Failure::Usage(format!(
                "inputs.\"{shown}\": unknown encoding `{label}` (e.g. utf-8, windows-1252, windows-1251)"
            ))
        })?),
        None => None,
    };
    let decoded = decode::decode(&bytes, forced);
    let text = decoded.text;
    if text.trim().is_empty() {
        return Err(
            Failure::Input(format!("{shown}: the file is empty (no header, no rows)")).into(),
        );
    }
    for line in &decoded.bad_lines {
        quality.notes.push(Rejection {
            path: shown.to_string(),
            line: *line,
            reason: format!(
                "bytes that are not valid {} (shown as \u{FFFD}); the row is kept",
                decoded.encoding
            ),
        });
    }
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
            window,
        },
        team: input.and_then(|i| i.team.as_deref()),
    };
    // About 60 bytes a row: reserving up front saves re-copying a million events while growing.
    log.events.reserve(text.len() / 60);
    let mut sink = Sink {
        log,
        path: shown,
        line: 0,
        rejections: Vec::new(),
        settings,
        records: 0,
        tasks: Vec::new(),
    };
    format.read(
        &Source {
            path: shown,
            text: &text,
        },
        &mut sink,
    )?;
    let summary = InputSummary {
        path: shown.to_string(),
        format: format.name().to_string(),
        encoding: decoded.encoding,
        timezone: settings.dates.tz.to_string(),
        records: sink.records,
        rejected: sink.rejections.len(),
        tasks: sink.tasks.iter().filter(|&&seen| seen).count(),
        duplicates: 0,
    };
    quality.rejections.append(&mut sink.rejections);
    Ok(summary)
}
