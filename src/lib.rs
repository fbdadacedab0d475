//! teampulse turns task-tracker exports into a static KPI site that teams use to watch their own
//! work. The pipeline runs one way: ingest → model (replay) → kpi → chart → site.

pub mod analyse;
pub mod chart;
pub mod check;
pub mod cli;
pub mod config;
pub mod generate;
pub mod history;
pub mod ingest;
pub mod inspect;
pub mod kpi;
pub mod model;
pub mod people;
pub mod progress;
pub mod quality;
pub mod site;

use std::path::{Path, PathBuf};

use anyhow::Result;

pub use crate::analyse::{analyse, load_config, AnalyseOptions, Analysis};
use crate::model::error::Failure;
pub use crate::progress::Progress;
use crate::progress::Steps;

/// `teampulse index`: joins the sites of shards (builds of the same inputs with `--teams`)
/// into `out`, with one overview of every team, safely as a build publishes; returns the
/// number of teams.
pub fn index(
    sites: &[PathBuf],
    out: &Path,
    templates: Option<&Path>,
    quiet: bool,
) -> Result<usize> {
    for site in sites {
        if !site.is_dir() {
            return Err(Failure::Usage(format!("{}: no such site folder", site.display())).into());
        }
    }
    let mut protected: Vec<PathBuf> = sites.to_vec();
    protected.extend(templates.map(Path::to_path_buf));
    site::check_output(out, &protected)?;
    // What changed: against the joined site already at `-o`, else the shards' own baselines.
    let previous = site::Previous::of_site(out);
    let files = site::join(sites, templates, previous.as_ref())?;
    let teams = files
        .keys()
        .filter(|p| p.starts_with("teams") && p.ends_with("index.html"))
        .count();
    site::publish(&files, out, &protected, quiet, 0)?;
    Ok(teams)
}

/// What a build produced, for the one-line summary.
pub struct BuildSummary {
    /// Teams on the site.
    pub teams: usize,
    /// Tasks replayed.
    pub tasks: usize,
    /// Rows rejected.
    pub rejected: usize,
    /// Statuses without a category.
    pub unmapped: usize,
    /// Files written.
    pub files: usize,
}

/// Builds the site into `out`, atomically.
pub fn build(
    opts: &AnalyseOptions,
    out: &Path,
    templates: Option<&Path>,
    split_teams: bool,
) -> Result<BuildSummary> {
    for input in &opts.inputs {
        if std::fs::metadata(input).is_err() {
            return Err(
                Failure::Input(format!("{}: no such file or folder", input.display())).into(),
            );
        }
    }
    // What this build reads may never be where it writes: checked before any work.
    let mut protected: Vec<PathBuf> = opts.inputs.clone();
    protected.extend(opts.config.iter().cloned());
    protected.extend(opts.history.iter().cloned());
    protected.extend(templates.map(Path::to_path_buf));
    site::check_output(out, &protected)?;
    if let Some(dir) = templates.filter(|d| !d.is_dir()) {
        return Err(
            Failure::Usage(format!("--templates {}: no such folder", dir.display())).into(),
        );
    }
    let analysis = analyse(opts)?;
    let tasks = analysis.tasks;
    protected.extend(analysis.config.origin.iter().map(|o| o.path.clone()));
    protected.extend(analysis.config.templates.iter().cloned());
    protected.extend(analysis.config.history.iter().cloned());
    let mut clock = Steps::new(opts.progress, 3);
    // What the site being replaced published: the history's copy when there is one.
    let history = opts.history.clone().or(analysis.config.history.clone());
    // Under --teams, the history keeps a record per selection (shards may share a history).
    let selection: Option<Vec<String>> =
        (!opts.teams.is_empty()).then(|| analysis.teams.iter().map(|t| t.slug.clone()).collect());
    let remembered = history
        .as_deref()
        .and_then(|h| site::Previous::of_history(h, selection.as_deref()));
    // Split sites: only the history knows the last build of every team.
    let previous = match split_teams {
        true => remembered,
        false => remembered.or_else(|| site::Previous::of_site(out)),
    };
    let people = analysis.config.people_display;
    let previous = previous.map(|p| p.seen_as(people, &|n| analysis.value_shown(n)));
    let input = site::SiteInput {
        previous: previous.as_ref(),
        kpis: &analysis.kpis,
        teams: &analysis.teams,
        table: &analysis.table,
        quality: &analysis.quality,
        split: false,
        team_index: None,
        jobs: opts.jobs,
    };
    let templates = templates.or(analysis.config.templates.as_deref());
    let files = if split_teams {
        site::render_split(&input, templates)?
    } else {
        site::render(&input, templates)?
    };
    clock.step(&format!("render {} files", files.len()));
    // For the next build's "what changed" and `check --changed`: the history keeps what this
    // build published, or (split sites) what one site of every team would have. Written
    // before the site is published, put in place after.
    let history_fail = |h: &Path, e: std::io::Error| {
        Failure::Output(format!("--history {}: cannot write: {e}", h.display()))
    };
    let staged = match history.as_deref() {
        Some(h) => {
            let record = match site::Previous::of_files(&files) {
                Some(p) => p,
                None => site::record(&input, previous.as_ref())?,
            };
            Some((h, record.stage(h).map_err(|e| history_fail(h, e))?))
        }
        None => None,
    };
    site::publish(&files, out, &protected, opts.quiet, opts.jobs)?;
    if let Some((h, staged)) = staged {
        if let Err(e) = site::Previous::keep(staged, h, selection.as_deref()) {
            // The site is out: say so, and let the next build compare with an older one.
            eprintln!(
                "teampulse: warning: the site is published, but the history's record of it is \
                 not ({}): the next build says what changed since an earlier build",
                history_fail(h, e)
            );
        }
    }
    clock.step(&format!("publish {}", out.display()));
    Ok(BuildSummary {
        teams: analysis.teams.len(),
        tasks,
        rejected: analysis.quality.rejections.len(),
        unmapped: analysis.quality.unmapped_statuses.len(),
        files: files.len(),
    })
}
