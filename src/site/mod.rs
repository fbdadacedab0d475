//! Site stage: pages (tera), charts and data files, rendered in memory and published atomically.

mod changes;
mod charts;
mod data;
mod glance;
mod join;
mod overview;
mod pages;
mod previous;
mod publish;
mod quality_page;
mod templates;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::kpi::CYCLE_HEADER;
pub use crate::kpi::ITEMS_HEADER;
use crate::kpi::{Kpis, Team};
use crate::quality::DataQuality;
pub use data::{kpis_schema, SCHEMA};
pub use previous::{newly_failing, record, Previous};
pub use publish::{check_output, publish, Files};

/// Everything a site is made from.
pub struct SiteInput<'a> {
    /// Computed KPIs.
    pub kpis: &'a Kpis,
    /// Teams with their tasks (same order as `kpis.teams`).
    pub teams: &'a [Team],
    /// The task table (downloads are written from it).
    pub table: &'a crate::kpi::TaskTable,
    /// What was read and rejected.
    pub quality: &'a DataQuality,
    /// A per-team site of `--split-teams`: rejected rows (which cannot be told apart by team)
    /// are counted but not listed.
    pub split: bool,
    /// In a per-team site, the team's index in the task table.
    pub team_index: Option<usize>,
    /// Workers for the team pages (0 = every core).
    pub jobs: usize,
    /// What the previous build at the same place published, to say what changed.
    pub previous: Option<&'a Previous>,
}

/// Stylesheet, embedded.
const STYLE_CSS: &str = include_str!("../../templates/assets/style.css");

/// Renders every file of the site, by relative path. `templates_dir` overrides built-in
/// templates by file name.
pub fn render(input: &SiteInput, templates_dir: Option<&Path>) -> Result<Files> {
    let tera = templates::load(templates_dir)?;
    let mut files = Files::new();
    let css = match templates_dir
        .map(|d| d.join("assets/style.css"))
        .filter(|p| p.exists())
    {
        Some(p) => std::fs::read(&p).with_context(|| format!("cannot read {}", p.display()))?,
        None => STYLE_CSS.as_bytes().to_vec(),
    };
    files.insert(PathBuf::from("assets/style.css"), css);
    // Each team's downloads are pieces of work of their own, so that one large team keeps every
    // worker busy; they need nothing of the overview, so they are written while it is drawn
    // (one piece of work, first in the queue, that took a core 40 ms at 1M events), and the team
    // pages, which say what changed, after it. The longest pieces are queued first.
    let downloads: Vec<(usize, Piece)> = Piece::DOWNLOADS
        .iter()
        .flat_map(|&piece| (0..input.teams.len()).map(move |team| (team, piece)))
        .collect();
    let done = crate::model::par::map(downloads.len() + 1, input.jobs, |i| match i {
        0 => Drawn::Shared(shared(&tera, input)),
        _ => {
            let (team, piece) = downloads[i - 1];
            Drawn::File(piece.render(&tera, input, team, None))
        }
    });
    let (mut drawn, mut written) = (None, Vec::new());
    for d in done {
        match d {
            Drawn::Shared(s) => drawn = Some(s),
            Drawn::File(f) => written.push(f),
        }
    }
    let (shared, changes) = drawn.context("the overview was not drawn")??;
    files.extend(shared);
    for file in written {
        let (path, bytes) = file?;
        files.insert(path, bytes);
    }
    let pages = crate::model::par::map(input.teams.len(), input.jobs, |team| {
        Piece::Page.render(&tera, input, team, changes.as_ref())
    });
    for file in pages {
        let (path, bytes) = file?;
        files.insert(path, bytes);
    }
    files.insert(
        PathBuf::from("data/rejections.csv"),
        data::rejections_csv(input.quality)?,
    );
    Ok(files)
}

/// What one piece of work of the site drew.
enum Drawn {
    /// The files of the whole build, and the changes (see [`shared`]).
    Shared(Result<(Files, Option<changes::Changes>)>),
    /// One download of a team.
    File(Result<(PathBuf, Vec<u8>)>),
}

/// The files drawn from the whole build, not a team: `kpis.json`, the overview (drawn from
/// `kpis.json`, as `teampulse index` draws it from shards), what changed since the previous
/// build, the KPI catalogue and the data-quality page; and the changes, which the team pages
/// show.
fn shared(tera: &tera::Tera, input: &SiteInput) -> Result<(Files, Option<changes::Changes>)> {
    let mut files = Files::new();
    let kpis_json = data::kpis_json(input.kpis, input.quality)?;
    let overview = overview::read(&kpis_json)?;
    // A split site says what changed for its team when the history knows the last build.
    let changes = match (input.split, input.previous) {
        (true, None) => None,
        (split, previous) => {
            let only = input
                .teams
                .first()
                .map(|t| t.slug.as_str())
                .filter(|_| split);
            Some(previous::what_changed(previous, &overview, only)?)
        }
    };
    files.insert(
        PathBuf::from("index.html"),
        overview::page(tera, &overview, changes.as_ref().map(|c| &c.0))?.into_bytes(),
    );
    let changes = changes.map(|(c, changes_json, changes_md)| {
        files.insert(PathBuf::from("data/changes.json"), changes_json);
        files.insert(PathBuf::from("data/changes.md"), changes_md);
        c
    });
    files.insert(
        PathBuf::from("kpis.html"),
        pages::kpis(tera, input)?.into_bytes(),
    );
    let facts = quality_page::QualityFacts::of(input.quality, input.split);
    files.insert(
        PathBuf::from("data-quality.html"),
        quality_page::page(tera, &facts, &overview)?.into_bytes(),
    );
    files.insert(PathBuf::from("data/data-quality.json"), facts.json()?);
    files.insert(PathBuf::from("data/kpis.json"), kpis_json);
    Ok((files, changes))
}

/// `teampulse index`: the sites of shards joined under one overview (drawn with the templates
/// of `templates_dir`, as in a build).
pub fn join(
    sites: &[PathBuf],
    templates_dir: Option<&Path>,
    previous: Option<&Previous>,
) -> Result<Files> {
    let tera = templates::load(templates_dir)?;
    join::join(sites, &tera, previous)
}

/// One file of a team: its page or one of its downloads.
#[derive(Clone, Copy)]
enum Piece {
    Page,
    Items,
    Cycle,
    Parquet,
    TimeInStatus,
}

impl Piece {
    /// Every download, the longest first.
    const DOWNLOADS: [Piece; 4] = [
        Piece::Items,
        Piece::Cycle,
        Piece::Parquet,
        Piece::TimeInStatus,
    ];

    /// The file's path and bytes for the team at `index`.
    fn render(
        self,
        tera: &tera::Tera,
        input: &SiteInput,
        index: usize,
        changes: Option<&changes::Changes>,
    ) -> Result<(PathBuf, Vec<u8>)> {
        let team = &input.teams[index];
        let row = input.team_index.unwrap_or(index);
        let data = |file: &str| PathBuf::from(format!("data/{}/{file}", team.slug));
        Ok(match self {
            Piece::Page => {
                let view = charts::TeamData {
                    k: &input.kpis.teams[index],
                    v: &input.kpis.views[index],
                };
                let page = pages::team(tera, input, view, changes)?;
                (
                    PathBuf::from(format!("teams/{}/index.html", team.slug)),
                    page.into_bytes(),
                )
            }
            Piece::Items => {
                let rows = input.table.item_rows(row, &team.name)?;
                (data("items.csv"), data::rows_csv(&ITEMS_HEADER, &rows)?)
            }
            Piece::Parquet => (
                data("items.parquet"),
                input.table.items_parquet(row, &team.name)?,
            ),
            Piece::Cycle => {
                let rows = input.table.cycle_rows(row)?;
                (
                    data("cycle-data.csv"),
                    data::rows_csv(&CYCLE_HEADER, &rows)?,
                )
            }
            Piece::TimeInStatus => {
                let rows = input.kpis.views[index]
                    .status_days
                    .iter()
                    .map(|r| vec![r.task.clone(), r.status.to_string(), r.days.to_string()])
                    .collect();
                let csv = data::table_csv(&["task_id", "status", "days"], rows)?;
                (data("time-in-status.csv"), csv)
            }
        })
    }
}

/// `--split-teams`: each team as a complete site of its own in `<slug>/`, holding nothing of
/// the other teams.
pub fn render_split(input: &SiteInput, templates_dir: Option<&Path>) -> Result<Files> {
    let mut files = Files::new();
    for (i, team) in input.teams.iter().enumerate() {
        let kpis = Kpis {
            as_of: input.kpis.as_of,
            teams: vec![input.kpis.teams[i].clone()],
            views: vec![input.kpis.views[i].clone()],
        };
        // Files, rejected rows and unmapped statuses cannot be told apart by team: they stay
        // on the full site.
        let quality = DataQuality {
            input_timezone: input.quality.input_timezone.clone(),
            history: input.quality.history.clone(),
            ..DataQuality::default()
        };
        let one = SiteInput {
            kpis: &kpis,
            teams: std::slice::from_ref(team),
            table: input.table,
            quality: &quality,
            split: true,
            team_index: Some(i),
            jobs: input.jobs,
            previous: input.previous,
        };
        for (path, bytes) in render(&one, templates_dir)? {
            files.insert(PathBuf::from(&team.slug).join(path), bytes);
        }
    }
    Ok(files)
}
