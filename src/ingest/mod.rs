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
mod months;
mod records;
mod servicenow;
mod shapes;
mod simple;
pub mod snapshot;
mod table;
mod trello;

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Result;
use chrono_tz::Tz;

use crate::config::Config;
use crate::model::error::Failure;
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
#[derive(Clone, Copy)]
pub struct Settings<'a> {
    /// Zone for naive timestamps in the canonical log: only when configured.
    pub canonical_tz: Option<Tz>,
    /// How tracker dates are read (zone defaults to UTC).
    pub dates: DateReader,
    /// Team for every task of the input, overriding the export's own field.
    pub team: Option<&'a str>,
    /// The configuration (status mappings decide some adapters' readings).
    pub config: &'a Config,
    /// Workers a large file may be read on (0 = every core).
    pub jobs: usize,
}

/// Where adapters put what they read.
pub struct Sink<'a> {
    /// The log being built.
    pub log: &'a mut EventLog,
    /// Path of the input, as shown.
    pub path: &'a str,
    /// Line (or record) being read: events made now are traced back to it.
    pub line: u64,
    /// Index of the input among all inputs.
    pub input: u16,
    /// Rejected rows of this file.
    pub rejections: Vec<Rejection>,
    /// Rows kept with a caveat.
    pub notes: std::cell::RefCell<Vec<Rejection>>,
    /// How this input is read.
    pub settings: Settings<'a>,
    /// Data rows (or JSON records) read, kept or not.
    pub records: usize,
    /// Records read but of no use to teampulse, by reason (neither kept nor rejected).
    pub skipped: BTreeMap<String, usize>,
    /// A board's lists from left to right (Trello), for `init`'s proposals.
    pub board_lists: Vec<String>,
    /// Which task ids (by symbol) this file has kept rows for.
    pub tasks: Vec<bool>,
    /// Task id → the line of its row, in a one-row-per-task export (a second row of one task
    /// is noted).
    pub rows: rustc_hash::FxHashMap<Sym, u64>,
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

    /// A person an input names beyond its events (a rejected row, a display name beside a
    /// username): a known name all the same, scrubbed from free text under `--people hidden`
    /// and `pseudonym`.
    pub fn other_name(&mut self, value: &str) {
        let value = value.trim();
        if !value.is_empty() {
            let id = self.log.strings.intern(value);
            self.log.other_names.push(id);
        }
    }

    /// Counts a record that is read but carries nothing teampulse uses.
    pub fn skip(&mut self, why: &str) {
        *self.skipped.entry(why.to_string()).or_default() += 1;
    }

    /// Records a row kept with a caveat.
    pub fn note(&self, line: u64, reason: impl Into<String>) {
        let reason = reason.into();
        self.notes.borrow_mut().push(Rejection {
            path: self.path.to_string(),
            line,
            reason: crate::model::text::clean(&reason).into_owned(),
        });
    }

    /// Marks a task as seen in this file.
    pub fn saw_task(&mut self, task: Sym) {
        let i = task.get() as usize;
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
    load_within(inputs, config, format, Window::until_now(), 0)
}

/// [`load`] with an explicit plausibility window.
pub fn load_within(
    inputs: &[PathBuf],
    config: &Config,
    format: Option<Format>,
    window: Window,
    jobs: usize,
) -> Result<(EventLog, DataQuality)> {
    let log = EventLog::default();
    let mut quality = DataQuality {
        input_timezone: config.timezone.clone(),
        ..Default::default()
    };
    let expansion = files::expand(inputs)?;
    if expansion.files.is_empty() {
        return Err(Failure::Input(
            "no input files: give CSV or JSON files, or folders holding them".into(),
        )
        .into());
    }
    quality.skipped = expansion.skipped;
    load_files(&expansion.files, config, format, window, jobs, log, quality)
}

/// Reads the given files (already expanded) into one event log.
pub fn load_files(
    files: &[InputFile],
    config: &Config,
    format: Option<Format>,
    window: Window,
    jobs: usize,
    mut log: EventLog,
    mut quality: DataQuality,
) -> Result<(EventLog, DataQuality)> {
    let mut starts = Vec::with_capacity(files.len());
    for file in files {
        starts.push(log.events.len());
        let summary = load_file(file, config, format, window, jobs, &mut log, &mut quality)?;
        quality.inputs.push(summary);
    }
    log.resolve_aliases();
    checks::drop_duplicates(&mut log, &mut starts, &mut quality);
    checks::reject_far_after(&mut log, &starts, &mut quality);
    checks::order_rejections(&mut quality);
    Ok((log, quality))
}

/// Reads one file of the canonical event log (a history file) into `log`, listing it among
/// the inputs of `quality`; returns the rows it rejected (the caller decides whether a history
/// with a damaged row can be used: it cannot).
pub fn load_canonical(
    file: &InputFile,
    config: &Config,
    window: Window,
    log: &mut EventLog,
    quality: &mut DataQuality,
) -> Result<Vec<Rejection>> {
    let before = quality.rejections.len();
    let summary = load_file(
        file,
        config,
        Some(Format::Canonical),
        window,
        1,
        log,
        quality,
    )?;
    quality.inputs.push(summary);
    Ok(quality.rejections[before..].to_vec())
}

fn load_file(
    file: &InputFile,
    config: &Config,
    format: Option<Format>,
    window: Window,
    jobs: usize,
    log: &mut EventLog,
    quality: &mut DataQuality,
) -> Result<InputSummary> {
    let shown = file.shown.as_str();
    let bytes = crate::model::file::read_input(&file.path, jobs)
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
        config,
        jobs,
    };
    // About 60 bytes a row: reserving up front saves re-copying a million events while growing.
    log.events.reserve(text.len() / 60);
    let mut sink = Sink {
        log,
        path: shown,
        line: 0,
        input: quality.inputs.len().min(u16::MAX as usize) as u16,
        rejections: Vec::new(),
        notes: Default::default(),
        settings,
        records: 0,
        skipped: BTreeMap::new(),
        board_lists: Vec::new(),
        tasks: Vec::new(),
        rows: Default::default(),
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
        skipped: sink.skipped.values().sum(),
        skipped_why: sink.skipped.clone(),
        board_lists: std::mem::take(&mut sink.board_lists),
        tasks: sink.tasks.iter().filter(|&&seen| seen).count(),
        duplicates: 0,
    };
    quality.rejections.append(&mut sink.rejections);
    quality.notes.append(&mut sink.notes.borrow_mut());
    Ok(summary)
}
