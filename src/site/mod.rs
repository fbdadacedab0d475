//! Site stage: pages (tera), charts and data files, rendered in memory and published atomically.

mod changes;
mod charts;
mod data;
mod glance;
mod join;
mod overview;
mod pages;
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

/// The previous build's `kpis.json`, and its changes files (kept when a build of the same
/// as-of time is made again, so a rebuild is byte-identical).
#[derive(Debug, Clone, Default)]
pub struct Previous {
    pub kpis_json: Vec<u8>,
    pub changes_json: Option<Vec<u8>>,
    pub changes_md: Option<Vec<u8>>,
}

/// In a history folder: what the last build with it published.
const LAST_BUILD: &str = ".teampulse-last-build.json";

impl Previous {
    /// What the last build recorded in a history folder, if it can be read.
    pub fn of_history(dir: &Path) -> Option<Previous> {
        Previous::from_bytes(&std::fs::read(dir.join(LAST_BUILD)).ok()?)
    }

    /// Record what a build published in its history folder, for the next build.
    pub fn remember(&self, history: &Path) -> std::io::Result<()> {
        let mut temp = tempfile::NamedTempFile::new_in(history)?;
        std::io::Write::write_all(&mut temp, &self.to_bytes())?;
        temp.persist(history.join(LAST_BUILD))
            .map_err(|e| e.error)?;
        Ok(())
    }

    /// What a site folder holds, if teampulse wrote it.
    pub fn of_site(dir: &Path) -> Option<Previous> {
        if !dir.join(crate::model::SITE_MARKER).is_file() {
            return None;
        }
        Some(Previous {
            kpis_json: std::fs::read(dir.join("data/kpis.json")).ok()?,
            changes_json: std::fs::read(dir.join("data/changes.json")).ok(),
            changes_md: std::fs::read(dir.join("data/changes.md")).ok(),
        })
    }

    /// What a build published, from its files.
    pub fn of_files(files: &Files) -> Option<Previous> {
        Some(Previous {
            kpis_json: files.get(Path::new("data/kpis.json"))?.clone(),
            changes_json: files.get(Path::new("data/changes.json")).cloned(),
            changes_md: files.get(Path::new("data/changes.md")).cloned(),
        })
    }

    /// One file holding the three, for a history folder (one file, so that two builds at once
    /// never leave one's numbers beside the other's changes).
    fn to_bytes(&self) -> Vec<u8> {
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        serde_json::to_vec(&Kept {
            kpis_json: text(&self.kpis_json),
            changes_json: self.changes_json.as_deref().map(text),
            changes_md: self.changes_md.as_deref().map(text),
        })
        .expect("strings serialise")
    }

    /// Read back what [`Previous::to_bytes`] wrote; `None` when it cannot be read.
    fn from_bytes(bytes: &[u8]) -> Option<Previous> {
        let kept: Kept = serde_json::from_slice(bytes).ok()?;
        Some(Previous {
            kpis_json: kept.kpis_json.into_bytes(),
            changes_json: kept.changes_json.map(String::into_bytes),
            changes_md: kept.changes_md.map(String::into_bytes),
        })
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Kept {
    kpis_json: String,
    changes_json: Option<String>,
    changes_md: Option<String>,
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
    // The overview is drawn from kpis.json, as `teampulse index` draws it from shards.
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
            Some(what_changed(previous, &overview, only)?)
        }
    };
    files.insert(
        PathBuf::from("index.html"),
        overview::page(&tera, &overview, changes.as_ref().map(|c| &c.0))?.into_bytes(),
    );
    if let Some((_, changes_json, changes_md)) = changes {
        files.insert(PathBuf::from("data/changes.json"), changes_json);
        files.insert(PathBuf::from("data/changes.md"), changes_md);
    }
    files.insert(
        PathBuf::from("kpis.html"),
        pages::kpis(&tera, input)?.into_bytes(),
    );
    let facts = quality_page::QualityFacts::of(input.quality, input.split);
    files.insert(
        PathBuf::from("data-quality.html"),
        quality_page::page(&tera, &facts, &overview)?.into_bytes(),
    );
    files.insert(PathBuf::from("data/data-quality.json"), facts.json()?);
    // Each team's page and downloads on a worker; inserted in team order.
    let per_team = crate::model::par::map(input.teams.len(), input.jobs, |index| {
        team_files(&tera, input, index)
    });
    for team in per_team {
        files.extend(team?);
    }
    files.insert(PathBuf::from("data/kpis.json"), kpis_json);
    files.insert(
        PathBuf::from("data/rejections.csv"),
        data::rejections_csv(input.quality)?,
    );
    Ok(files)
}

/// The changes since the previous build, and their two files. A rebuild for the same as-of
/// time keeps the previous build's files, so it is byte-identical; a previous build of
/// another version that cannot be read counts as none.
fn what_changed(
    previous: Option<&Previous>,
    now: &overview::Overview,
    only: Option<&str>,
) -> Result<(changes::Changes, Vec<u8>, Vec<u8>)> {
    let before = previous.and_then(|p| overview::read(&p.kpis_json).ok().map(|o| (p, o)));
    let recorded = before
        .as_ref()
        .filter(|(_, o)| o.as_of == now.as_of)
        .and_then(|(p, _)| {
            serde_json::from_slice::<changes::Changes>(p.changes_json.as_ref()?).ok()
        });
    let c = match recorded {
        // One team's part of what the whole build recorded (`--split-teams`).
        Some(c) if only.is_some() => changes::only(c, only),
        Some(c) => {
            let (p, _) = before.as_ref().expect("recorded from a previous build");
            if let (Some(json), Some(md)) = (&p.changes_json, &p.changes_md) {
                return Ok((c, json.clone(), md.clone()));
            }
            c
        }
        None => {
            let before = before.filter(|(_, o)| o.as_of != now.as_of).map(|(_, o)| o);
            changes::only(changes::compare(before.as_ref(), now), only)
        }
    };
    let (json, md) = changes::files(&c)?;
    Ok((c, json, md))
}

/// What one site of every team would publish as its `kpis.json` and changes files, to record
/// in the history when the teams are published as split sites.
pub fn record(input: &SiteInput, previous: Option<&Previous>) -> Result<Previous> {
    let kpis_json = data::kpis_json(input.kpis, input.quality)?;
    let (_, json, md) = what_changed(previous, &overview::read(&kpis_json)?, None)?;
    Ok(Previous {
        kpis_json,
        changes_json: Some(json),
        changes_md: Some(md),
    })
}

/// Which KPIs newly reached the failing status since `previous`: `check --changed`. A
/// previous build of the same as-of time (the site just built) stands for the changes it
/// recorded, so a gate after a build fails on what that build found new.
pub fn newly_failing(
    kpis: &Kpis,
    quality: &DataQuality,
    previous: &Previous,
    threshold: crate::kpi::Status,
) -> Result<Vec<String>> {
    let now = overview::read(&data::kpis_json(kpis, quality)?)?;
    overview::read(&previous.kpis_json)?;
    let (c, _, _) = what_changed(Some(previous), &now, None)?;
    Ok(changes::newly_failing(&c, threshold))
}

/// `teampulse index`: the sites of shards joined under one overview (drawn with the templates
/// of `templates_dir`, as in a build).
pub fn join(sites: &[PathBuf], templates_dir: Option<&Path>) -> Result<Files> {
    let tera = templates::load(templates_dir)?;
    join::join(sites, &tera)
}

/// One team's page and downloads.
fn team_files(tera: &tera::Tera, input: &SiteInput, index: usize) -> Result<Files> {
    let (team, tk, view) = (
        &input.teams[index],
        &input.kpis.teams[index],
        &input.kpis.views[index],
    );
    // The page and the downloads are independent: on two threads when there are fewer teams
    // than workers (one large team is otherwise one long task).
    let page = || pages::team(tera, input, charts::TeamData { k: tk, v: view });
    let downloads = || team_downloads(input, index);
    let (page, downloads) = if input.teams.len() < crate::model::par::workers(input.jobs) {
        std::thread::scope(|scope| {
            let page = scope.spawn(page);
            let downloads = downloads();
            (page.join().expect("a page does not panic"), downloads)
        })
    } else {
        (page(), downloads())
    };
    let mut files = downloads?;
    files.insert(
        PathBuf::from(format!("teams/{}/index.html", team.slug)),
        page?.into_bytes(),
    );
    Ok(files)
}

/// One team's downloads: items.csv, items.parquet and cycle-data.csv.
fn team_downloads(input: &SiteInput, index: usize) -> Result<Files> {
    let team = &input.teams[index];
    let mut files = Files::new();
    let row = input.team_index.unwrap_or(index);
    let items = data::table_csv(&ITEMS_HEADER, input.table.item_rows(row, &team.name)?)?;
    files.insert(
        PathBuf::from(format!("data/{}/items.csv", team.slug)),
        items,
    );
    files.insert(
        PathBuf::from(format!("data/{}/items.parquet", team.slug)),
        input.table.items_parquet(row, &team.name)?,
    );
    let cycle = data::table_csv(&CYCLE_HEADER, input.table.cycle_rows(row)?)?;
    files.insert(
        PathBuf::from(format!("data/{}/cycle-data.csv", team.slug)),
        cycle,
    );
    let view = &input.kpis.views[index];
    let time = view
        .status_days
        .iter()
        .map(|r| vec![r.task.clone(), r.status.to_string(), r.days.to_string()])
        .collect();
    files.insert(
        PathBuf::from(format!("data/{}/time-in-status.csv", team.slug)),
        data::table_csv(&["task_id", "status", "days"], time)?,
    );
    Ok(files)
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
