//! Nightly history (`--history DIR`): snapshot exports say what each task looks like now, not
//! when it changed. Each build compares the tasks of its inputs with the last state the
//! history knows and appends what changed as dated canonical events, in a new file of DIR;
//! the history is read back with the inputs, so after a few weeks of nightly runs the KPIs
//! that need dated changes (cycle time, flow, ownership) fill in.
//!
//! When a change is dated: at the task's own `Updated` time when the export gives one after
//! the previous run, else at the run's observation time (`--as-of`, else the latest time in
//! the exports when it is after the previous run, else the clock). Each row keeps the
//! previous run's time in `observed_after`: the change happened in between. A task first
//! seen with a state it could have had for long (the first run, or a task older than the
//! previous run) is recorded as an undated `snapshot`, never as a change.

mod changes;
mod state;
mod store;

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;

use crate::config::Config;
use crate::ingest::{self, InputFile};
use crate::model::error::Failure;
use crate::model::{Category, Event, EventKind, EventLog, Sym, Ts, Window, UNDATED};
use crate::quality::{DataQuality, HistorySummary, InputSummary};
use changes::changes;
pub use state::TaskState;
use store::Row;

/// What a build asks of the history.
pub struct Request<'a> {
    /// The folder.
    pub dir: &'a Path,
    /// Append this run's changes (`build`); `check` only reads them.
    pub write: bool,
    /// `--as-of`, when given: the observation time.
    pub as_of: Option<Ts>,
    /// Titles may be stored (not under `--people pseudonym` or `hidden`).
    pub keep_titles: bool,
    /// The plausibility window of every instant read.
    pub window: Window,
    /// `-q`.
    pub quiet: bool,
    /// The clock, for a run whose exports give no time after the previous run.
    pub now: Ts,
    /// How people are written (the `--people` mode and a check of its secret): a history is
    /// read and written under one.
    pub people: String,
    /// The `--people` form a name has: "named", "pseudonym" or "hidden".
    pub form_of: fn(&str) -> &'static str,
}

/// The file in DIR that says how people are written in it.
const PEOPLE: &str = ".teampulse-history-people";

/// The status of a start no run saw (the task was done by the next run).
pub const STARTED_UNSEEN: &str = "(started between runs)";

/// The lock of builds appending to one history folder.
const LOCK: &str = ".teampulse-history.lock";

/// What the history holds after this run.
pub struct Outcome {
    /// For the data-quality page.
    pub summary: HistorySummary,
    /// The first run's observation time.
    pub since: Option<Ts>,
    /// Events this build added.
    pub added: usize,
}

/// Reads the history into `log` (after the inputs), appends this run's changes to it and to
/// DIR, and returns what the history holds. `category_of` maps a status as replay does;
/// `person` gives a name as the site displays it (a pseudonym or an id under `--people`), so
/// the history never holds a name the site hides.
pub fn update(
    req: &Request,
    config: &Config,
    log: &mut EventLog,
    quality: &mut DataQuality,
    category_of: &impl Fn(Sym, &str) -> Option<Category>,
    person: &impl Fn(&str) -> String,
) -> Result<Outcome> {
    // Shown by its own name, as inputs are: never the build machine's absolute path.
    let folder = req
        .dir
        .file_name()
        .map_or("history".to_string(), |n| n.to_string_lossy().to_string());
    if req.dir.exists() && !req.dir.is_dir() {
        return Err(Failure::Usage(format!(
            "--history {}: is a file, not a folder",
            req.dir.display()
        ))
        .into());
    }
    let _lock = match req.write {
        true => {
            std::fs::create_dir_all(req.dir).map_err(|e| {
                Failure::Output(format!("--history {folder}: cannot create it: {e}"))
            })?;
            let lock = crate::model::lock::wait(
                &req.dir.join(LOCK),
                &format!("the history {folder}"),
                req.quiet,
            )?;
            // Under the lock no other build writes: a half-written run is a killed build's.
            store::remove_unfinished(req.dir);
            Some(lock)
        }
        false => {
            if !req.dir.exists() {
                quality.warnings.push(format!(
                    "--history {folder}: no such folder yet: read as an empty history (a build \
                     creates it)"
                ));
            }
            None
        }
    };
    let (runs, others) = store::runs(req.dir)?;
    for name in others {
        quality.warnings.push(format!(
            "--history {folder}: `{name}` is not a history file (those are named by their run's \
             time, e.g. 2026-03-02T051500Z.csv): not read"
        ));
    }
    let inputs_end = log.events.len();
    for run in &runs {
        read_run(
            &run.path, &folder, &run.name, config, req.window, log, quality,
        )?;
    }
    check_people(req, &folder, log, inputs_end)?;
    let previous = runs.last().map(|r| r.at);
    let latest_input = log.events[..inputs_end]
        .iter()
        .map(|e| e.ts)
        .filter(|&t| t != UNDATED)
        .max();
    let observed_at = req
        .as_of
        .or(latest_input.filter(|&t| previous.is_none_or(|p| t > p)))
        .unwrap_or(req.now);
    let mut rows = changes(
        log,
        inputs_end,
        previous,
        observed_at,
        req.keep_titles,
        category_of,
        person,
    );
    if let Some(p) = previous.filter(|&p| observed_at <= p && !rows.is_empty()) {
        // The exports differ from the history but are not later than its last run: they
        // cannot be placed after it.
        let why = format!(
            "--history {folder}: the exports show changes but are not later than the last run \
             ({}): nothing added, and the site shows the history's state",
            crate::model::window::show(p)
        );
        if !req.quiet {
            eprintln!("teampulse: {why}");
        }
        quality.warnings.push(why);
        rows.clear();
    }
    let written = match (req.write, rows.is_empty()) {
        (true, false) => store::write(req.dir, observed_at, &store::csv(&rows)?)?,
        _ => None,
    };
    let added = rows.len();
    match &written {
        // Read back as any later build reads it: the same events, the same listing.
        Some(name) => read_run(
            &req.dir.join(name),
            &folder,
            name,
            config,
            req.window,
            log,
            quality,
        )?,
        None => append(log, quality, &rows, &folder),
    }
    let unseen = unseen_now(log, inputs_end);
    drop_undated_states(log, inputs_end);
    let mut times: Vec<Ts> = runs.iter().map(|r| r.at).collect();
    let mut latest = runs.last().map(|r| r.name.clone());
    if let Some(name) = &written {
        times.push(observed_at);
        latest = Some(name.clone());
    }
    let latest_events = match &latest {
        Some(name) => {
            let shown = format!("{folder}/{name}");
            quality
                .inputs
                .iter()
                .rev()
                .find(|i| i.path == shown)
                .map_or(0, |i| i.records)
        }
        None => 0,
    };
    Ok(Outcome {
        since: times.first().copied(),
        summary: summary(folder, &times, latest, latest_events, unseen),
        added,
    })
}

/// A history holds people in one form: the `--people` mode (and secret) of its first run. A
/// build with another would read one person as two, or write a real name where pseudonyms are.
fn check_people(req: &Request, folder: &str, log: &EventLog, from: usize) -> Result<()> {
    let path = req.dir.join(PEOPLE);
    let mode = |k: &str| k.split(' ').next().unwrap_or("").to_string();
    // Without its file (a copy that dropped hidden files), the history's own rows tell how
    // people were written: every name in one form, and titles only when named.
    let found = std::fs::read_to_string(&path).ok().or_else(|| {
        let events = &log.events[from..];
        let mut forms: std::collections::BTreeSet<&str> = events
            .iter()
            .filter_map(|e| e.assignee)
            .flat_map(|a| log.strings.resolve(a).split(';'))
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(req.form_of)
            .collect();
        if events.iter().any(|e| e.title.is_some()) {
            forms.insert("named");
        }
        match forms.len() {
            0 => None,
            1 if forms.contains(mode(&req.people).as_str()) => Some(req.people.clone()),
            _ => Some(forms.into_iter().collect::<Vec<_>>().join(" and ")),
        }
    });
    match found {
        Some(text) if text.trim() == req.people => {
            if req.write && !path.exists() {
                std::fs::write(&path, format!("{}\n", req.people)).map_err(|e| {
                    Failure::Output(format!("--history {folder}: cannot write: {e}"))
                })?;
            }
            Ok(())
        }
        Some(text) => {
            let why = match mode(text.trim()) == mode(&req.people) {
                true => "with another pseudonym secret".to_string(),
                false => format!("with --people {}", mode(text.trim())),
            };
            Err(Failure::Usage(format!(
                "--history {folder} was written {why}: build with the same, or start a new \
                 history folder"
            ))
            .into())
        }
        None if req.write => std::fs::write(&path, format!("{}\n", req.people))
            .map_err(|e| Failure::Output(format!("--history {folder}: cannot write: {e}")).into()),
        None => Ok(()),
    }
}

/// Reads one history file into the log; a rejected row refuses the whole history.
fn read_run(
    path: &Path,
    folder: &str,
    name: &str,
    config: &Config,
    window: Window,
    log: &mut EventLog,
    quality: &mut DataQuality,
) -> Result<()> {
    let file = InputFile {
        path: path.to_path_buf(),
        shown: format!("{folder}/{name}"),
    };
    let rejected = ingest::load_canonical(&file, config, window, log, quality)?;
    match rejected.first() {
        Some(r) => Err(Failure::Input(format!(
            "history file {}: line {}: {}; history files are never rewritten: repair or move \
             it, then build again (nothing was written)",
            r.path, r.line, r.reason
        ))
        .into()),
        None => Ok(()),
    }
}

/// Adds this run's rows to the log when they are not written (`check`).
fn append(log: &mut EventLog, quality: &mut DataQuality, rows: &[Row], folder: &str) {
    if rows.is_empty() {
        return;
    }
    let input = quality.inputs.len().min(u16::MAX as usize) as u16;
    let mut seq = log.events.iter().map(|e| e.seq).max().unwrap_or(0);
    for (line, r) in rows.iter().enumerate() {
        let strings = &mut log.strings;
        let kind = EventKind::parse(r.kind).unwrap_or(EventKind::Updated);
        let mut e = Event::new(strings.intern(&r.task), r.at, kind);
        seq += 1;
        e.seq = seq;
        e.line = line as u32 + 2;
        e.input = input;
        let mut intern = |v: &Option<String>| v.as_deref().map(|s| strings.intern(s));
        e.assignee = intern(&r.assignee);
        e.status = intern(&r.status);
        e.team = intern(&r.team);
        e.title = intern(&r.title);
        e.item_type = intern(&r.item_type);
        e.priority = intern(&r.priority);
        e.labels = intern(&r.labels);
        e.iteration = intern(&r.iteration);
        e.category = r.category;
        e.due = crate::model::due_day(r.due);
        log.events.push(e);
    }
    let tasks: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.task.as_str()).collect();
    quality.inputs.push(InputSummary {
        path: format!("{folder} (this run's changes, not written by check)"),
        format: "canonical".into(),
        encoding: "UTF-8".into(),
        timezone: "UTC".into(),
        records: rows.len(),
        rejected: 0,
        skipped: 0,
        skipped_why: BTreeMap::new(),
        board_lists: Vec::new(),
        tasks: tasks.len(),
        duplicates: 0,
    });
}

/// How many tasks the history's last word calls unseen.
fn unseen_now(log: &EventLog, from: usize) -> usize {
    let mut last: BTreeMap<Sym, bool> = BTreeMap::new();
    for e in &log.events[from..] {
        match e.kind {
            EventKind::Unseen => last.insert(e.task, true),
            EventKind::Seen => last.insert(e.task, false),
            _ => None,
        };
    }
    last.values().filter(|&&u| u).count()
}

/// The inputs' undated states (an export's current status) of tasks the history knows: the
/// history says when they were reached, or that it cannot tell.
fn drop_undated_states(log: &mut EventLog, inputs_end: usize) {
    let known: std::collections::HashSet<Sym> =
        log.events[inputs_end..].iter().map(|e| e.task).collect();
    let mut i = 0;
    log.events.retain(|e| {
        let input = i < inputs_end;
        i += 1;
        !(input && e.kind == EventKind::Snapshot && e.status.is_some() && known.contains(&e.task))
    });
}

fn summary(
    folder: String,
    times: &[Ts],
    latest: Option<String>,
    latest_events: usize,
    unseen: usize,
) -> HistorySummary {
    let show = |t: Ts| crate::model::window::show(t);
    let mut gaps: Vec<f64> = times
        .windows(2)
        .map(|w| (w[1] - w[0]) as f64 / 3600.0)
        .collect();
    gaps.sort_by(f64::total_cmp);
    let round1 = |x: f64| (x * 10.0).round() / 10.0;
    HistorySummary {
        folder,
        runs: times.len(),
        first: times.first().copied().map(show),
        last: times.last().copied().map(show),
        longest_gap_hours: gaps.last().copied().map(round1),
        typical_gap_hours: gaps
            .get(gaps.len().saturating_sub(1) / 2)
            .copied()
            .map(round1),
        latest,
        latest_events,
        unseen,
    }
}
