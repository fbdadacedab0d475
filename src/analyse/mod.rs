//! Every step up to the KPIs: config, ingest, history, people, replay and evaluation.

mod evaluate;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::config::{self, Config};
use crate::kpi::{Kpis, Team};
use crate::model::error::Failure;
use crate::progress::Progress;
use crate::progress::Steps;
use crate::quality::DataQuality;
use crate::{history, ingest, kpi, model, people};
use evaluate::Evaluator;

/// Everything computed from the inputs, before rendering.
pub struct Analysis {
    /// The configuration used.
    pub config: Config,
    /// Rows read and rejected.
    pub quality: DataQuality,
    /// Tasks replayed as of now (of every team, whatever `--teams` selects).
    pub tasks: usize,
    /// Teams and their tasks.
    pub teams: Vec<Team>,
    /// The KPIs.
    pub kpis: Kpis,
    /// The task table the KPIs and downloads come from.
    pub table: kpi::TaskTable,
    /// The names this build hides (under `pseudonym` and `hidden`), for the team names of an
    /// earlier build.
    pub scrubber: people::Scrubber,
}

impl Analysis {
    /// How this build shows a team name (an earlier build's, from before a name was known).
    pub fn value_shown(&self, name: &str) -> String {
        let secret = self.config.pseudonym_secret.as_deref().unwrap_or_default();
        people::value_shown(&self.scrubber, secret, name)
    }
}

/// Options shared by the commands that analyse inputs.
#[derive(Debug, Clone, Default)]
pub struct AnalyseOptions {
    /// Files and folders to read.
    pub inputs: Vec<PathBuf>,
    /// Explicit config file.
    pub config: Option<PathBuf>,
    /// As-of time (RFC 3339); default the latest event.
    pub as_of: Option<String>,
    /// Turn any rejected row or unmapped status into an error (exit 3).
    pub strict: bool,
    /// How steps are reported on stderr.
    pub progress: Progress,
    /// Read every input as this format instead of detecting it.
    pub format: Option<ingest::Format>,
    /// How people appear (overrides the config).
    pub people: Option<people::PeopleDisplay>,
    /// Only these teams (slugs or names); empty: every team.
    pub teams: Vec<String>,
    /// `--history DIR`: the nightly history to read (and, with `write_history`, append to).
    pub history: Option<PathBuf>,
    /// Append this run's changes to the history (`build`; `check` only reads it).
    pub write_history: bool,
    /// `-q`: print nothing but errors (not even "waiting for another build").
    pub quiet: bool,
    /// Evaluate this many tasks at a time, one evaluation after the other (`None`: both at
    /// once for logs of up to 250,000 events, else 20,000 tasks at a time). The output is the
    /// same for any value; a smaller one needs less memory and more time.
    pub batch_tasks: Option<usize>,
    /// Workers for replay, KPIs and pages (`-j`; 0 = every core). The output is the same
    /// for any number.
    pub jobs: usize,
}

/// The config to use: `-c FILE`, else the `teampulse.toml` of the one input folder that has one,
/// else the built-in defaults. Two input folders with a config of their own are an error: which
/// one applies must not depend on the order of the arguments.
pub fn load_config(explicit: Option<&Path>, inputs: &[PathBuf]) -> Result<Config> {
    if let Some(path) = explicit {
        return Config::load(path);
    }
    let mut found: Vec<PathBuf> = inputs
        .iter()
        .filter(|p| p.is_dir())
        .map(|p| p.join("teampulse.toml"))
        .filter(|c| c.is_file())
        .collect();
    found.sort();
    found.dedup_by(|a, b| std::fs::canonicalize(&*a).ok() == std::fs::canonicalize(&*b).ok());
    match found.as_slice() {
        [] => Ok(Config::default()),
        [one] => Config::load(one),
        [a, b, ..] => Err(Failure::Usage(format!(
            "two input folders have a config ({} and {}): choose one with -c",
            a.display(),
            b.display()
        ))
        .into()),
    }
}

/// Ingest, replay and compute: every step up to the KPIs.
pub fn analyse(opts: &AnalyseOptions) -> Result<Analysis> {
    let mut clock = Steps::new(opts.progress, 0);
    let mut config = load_config(opts.config.as_deref(), &opts.inputs)?;
    if let Some(p) = opts.people {
        config.people_display = p;
    }
    config.pseudonym_secret = config.secret_from_env().map_err(Failure::Usage)?;
    if config.people_display != people::PeopleDisplay::Named && config.pseudonym_secret.is_none() {
        let why = format!(
            "people shown as pseudonyms or hidden need a secret of at least {} characters: \
             `pseudonym_secret` in teampulse.toml or the {} environment variable",
            config::MIN_SECRET_CHARS,
            config::SECRET_ENV
        );
        return Err(Failure::Usage(why).into());
    }
    let window = model::Window::until_now();
    let as_of = match &opts.as_of {
        Some(s) => Some(
            model::timestamp::parse_instant(s, config.input_timezone())
                .and_then(|t| window.check(t, s))
                .map_err(|e| Failure::Usage(format!("--as-of: {e}")))?,
        ),
        None => None,
    };
    clock.step("load config");
    let (mut log, mut quality) =
        ingest::load_within(&opts.inputs, &config, opts.format, window, opts.jobs)?;
    let read: Vec<String> = quality.inputs.iter().map(|i| i.path.clone()).collect();
    config.check_input_keys(&read).map_err(Failure::Usage)?;
    clock.step(&format!("ingest {} events", log.events.len()));
    // Rows read and every one rejected is a broken export, with or without --as-of: stop before
    // the history takes its tasks for gone and before an empty site replaces last night's. (An
    // export of no rows at all is an empty board: with --as-of, an empty site.)
    if log.events.is_empty() && !quality.rejections.is_empty() {
        return Err(no_usable_events(&quality));
    }
    let secret = config.pseudonym_secret.clone().unwrap_or_default();
    let history_dir = opts.history.clone().or(config.history.clone());
    // What the nightly history remembers of names hides them after their people have left.
    let remembered = history_dir
        .as_deref()
        .map(people::remembered)
        .unwrap_or_default();
    let scrubber = people::Scrubber::new(
        config.people_display,
        &secret,
        &people::known_names(&log, &config),
    )
    .remembering(config.people_display, remembered);
    // Each team value by the folder a named build gives it and in lower case, for decisions
    // and --teams that name a team so.
    let mut named_folders: BTreeMap<String, String> = BTreeMap::new();
    if !scrubber.is_idle() {
        let values: BTreeSet<model::Sym> = log.events.iter().filter_map(|e| e.team).collect();
        for v in values.into_iter().map(|t| log.strings.resolve(t)) {
            for key in [kpi::teams::slugify(v), v.to_lowercase()] {
                named_folders.entry(key).or_insert_with(|| v.to_string());
            }
        }
    }
    let mut scrubbed = people::scrub_log(&mut log, &config, &scrubber);
    quality.settings = settings_fingerprint(&config, &secret);
    if let Some(dir) = history_dir.as_deref() {
        check_history_apart(dir, &opts.inputs)?;
        let mode = config.people_display;
        let person = |name: &str| match mode {
            people::PeopleDisplay::Named => name.to_string(),
            _ => people::display(mode, &secret, name),
        };
        let category_of = |sym: model::Sym, s: &str| match scrubbed.categories.get(&sym) {
            Some(c) => *c,
            None => config.category_of(s),
        };
        let request = history::Request {
            dir,
            write: opts.write_history,
            as_of,
            keep_titles: mode == people::PeopleDisplay::Named,
            window,
            quiet: opts.quiet,
            now: chrono::Utc::now().timestamp(),
            people: people::history_key(mode, &secret),
            form_of: people::form_of,
        };
        let outcome = history::update(
            &request,
            &config,
            &mut log,
            &mut quality,
            &category_of,
            &person,
        )?;
        clock.step(&format!(
            "history: {} run(s), {} event(s) added",
            outcome.summary.runs, outcome.added
        ));
        config.history_since = outcome.since;
        quality.history = Some(outcome.summary);
        // What the history brought back was scrubbed with the names known the night it was
        // written: scrubbed again with tonight's (the rest is as it was).
        scrubbed.add(people::scrub_log(&mut log, &config, &scrubber));
        if opts.write_history && !scrubber.is_idle() {
            people::remember(dir, &scrubber.to_remember()).map_err(|e| {
                Failure::Output(format!(
                    "{}: cannot keep the names' hashes: {e}",
                    dir.display()
                ))
            })?;
        }
    }
    let mut wanted = opts.teams.clone();
    people::scrub_config(&mut config, &scrubber, &secret, &mut wanted, &named_folders);
    scrubbed.teach(&mut config);
    let status_categories = scrubbed.categories;
    for r in quality
        .rejections
        .iter_mut()
        .chain(quality.notes.iter_mut())
    {
        r.reason = scrubber.scrub(&r.reason);
        r.path = people::value_shown(&scrubber, &secret, &r.path);
    }
    // Paths as values, so that two files named after two people stay two.
    for i in &mut quality.inputs {
        i.path = people::value_shown(&scrubber, &secret, &i.path);
    }
    for s in &mut quality.skipped {
        s.path = people::value_shown(&scrubber, &secret, &s.path);
    }
    if let Some(h) = &mut quality.history {
        h.folder = people::value_shown(&scrubber, &secret, &h.folder);
    }
    let first = log
        .events
        .iter()
        .map(|e| e.ts)
        .filter(|&t| t != model::UNDATED)
        .min();
    let as_of = match as_of {
        Some(t) => {
            if let Some(first) = first.filter(|&f| t < f) {
                return Err(Failure::Usage(format!(
                    "--as-of {} is before all the data (the first event is {}): nothing would be \
                     on the site",
                    model::window::show(t),
                    model::window::show(first)
                ))
                .into());
            }
            t
        }
        None => match log.latest() {
            Some(t) if t != model::UNDATED => t,
            Some(_) => {
                let files: Vec<&str> = quality.inputs.iter().map(|i| i.path.as_str()).collect();
                return Err(Failure::Usage(format!(
                    "the inputs carry no dates at all ({}): give --as-of to say when they were \
                     exported",
                    files.join(", ")
                ))
                .into());
            }
            None => return Err(no_usable_events(&quality)),
        },
    };
    log.place_undated(as_of);
    model::sort_for_replay(&mut log, opts.jobs);
    clock.step("sort events for replay");
    let team_values: std::collections::BTreeSet<&str> = log
        .events
        .iter()
        .filter_map(|e| e.team.map(|t| log.strings.resolve(t)))
        .collect();
    let names = kpi::teams::TeamNames::new(team_values.into_iter(), &config);
    for (value, slug, first) in &names.clashes {
        quality.warnings.push(format!(
            "the teams `{value}` and `{first}` have the same folder name: `{value}` is shown as \
             teams/{slug}/; if they are one team, list both under one [teams.<slug>] `match`"
        ));
    }
    let only = match wanted.is_empty() {
        true => None,
        false => Some(names.select(&wanted, &config).map_err(Failure::Usage)?),
    };
    let sources = source_hints(&quality);
    // The KPIs as of T − 28 days first, for every trend: only their values are kept, so one
    // evaluation is in memory at a time; each spreads over the workers itself.
    let earlier = as_of - kpi::TREND_DAYS * 86_400;
    let category_of = |sym: model::Sym, s: &str| match status_categories.get(&sym) {
        Some(c) => *c,
        None => config.category_of(s),
    };
    let context = Evaluator {
        batch: opts.batch_tasks,
        config: &config,
        scrubber: &scrubber,
        names: &names,
        sources: &sources,
        category_of: &category_of,
        only: only.as_ref(),
        jobs: opts.jobs,
    };
    let ((tasks, teams, mut kpis, table), report, before, concurrent) =
        context.both(log, as_of, earlier, &mut clock)?;
    kpi::attach_trends(&mut kpis, &before);
    quality.unmapped_statuses = report.unmapped;
    quality.events_after_as_of = report.after_as_of;
    clock.step(&format!(
        "replay {} tasks and compute KPIs for {} teams{}",
        tasks,
        teams.len(),
        if concurrent {
            ", as of now and 28 days earlier at once"
        } else {
            ""
        }
    ));
    if opts.strict {
        strict_check(&quality)?;
    }
    Ok(Analysis {
        table,
        config,
        quality,
        tasks,
        teams,
        kpis,
        scrubber,
    })
}

/// What each input needs to date finished and started work, by input index.
fn source_hints(quality: &DataQuality) -> Vec<kpi::SourceHint> {
    use clap::ValueEnum;
    quality
        .inputs
        .iter()
        .map(|i| match ingest::Format::from_str(&i.format, false) {
            Ok(f) => kpi::SourceHint {
                format: i.format.clone(),
                finish: f.finish_hint().to_string(),
                start: f.start_hint().to_string(),
                history: f.history_hint().to_string(),
                snapshot: f.one_row_per_task(),
            },
            Err(_) => kpi::SourceHint::default(),
        })
        .collect()
}

/// What the numbers were computed with, as a short hex digest: the version, the config's
/// values (not where it lies) and the people mode (with a check of its secret, never the
/// secret itself).
fn settings_fingerprint(config: &Config, secret: &str) -> String {
    use sha2::Digest;
    let values = Config {
        origin: None,
        pseudonym_secret: None,
        templates: None,
        history: None,
        history_since: None,
        ..config.clone()
    };
    let text = format!(
        "{} {:?} {}",
        env!("CARGO_PKG_VERSION"),
        values,
        people::history_key(config.people_display, secret)
    );
    let digest = sha2::Sha256::digest(text.as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// The history folder must be apart from the inputs: read as an input as well, every event
/// it holds would count twice.
fn check_history_apart(dir: &Path, inputs: &[PathBuf]) -> Result<()> {
    let real = |p: &Path| {
        std::fs::canonicalize(p).unwrap_or_else(|_| match (p.parent(), p.file_name()) {
            (Some(parent), Some(name)) => std::fs::canonicalize(parent)
                .map(|d| d.join(name))
                .unwrap_or_else(|_| p.to_path_buf()),
            _ => p.to_path_buf(),
        })
    };
    let history = real(dir);
    for input in inputs {
        let input_real = real(input);
        if history.starts_with(&input_real) || input_real.starts_with(&history) {
            return Err(Failure::Usage(format!(
                "--history {} and the input {} overlap: keep the history folder apart from the \
                 exports (its files are read with them anyway)",
                dir.display(),
                input.display()
            ))
            .into());
        }
    }
    Ok(())
}

fn strict_check(quality: &DataQuality) -> Result<()> {
    let mut problems = Vec::new();
    if !quality.rejections.is_empty() {
        problems.push(quality.rejection_summary(20));
    }
    if !quality.unmapped_statuses.is_empty() {
        let names: Vec<&str> = quality
            .unmapped_statuses
            .keys()
            .map(String::as_str)
            .collect();
        problems.push(format!("unmapped status(es): {}", names.join(", ")));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Failure::Input(format!("--strict: {}", problems.join("\n"))).into())
    }
}

/// The error of inputs that give not one event.
fn no_usable_events(quality: &DataQuality) -> anyhow::Error {
    let why = quality.rejection_summary(10);
    Failure::Input(format!("no usable events in the inputs: {why}")).into()
}
