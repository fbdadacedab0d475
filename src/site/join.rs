//! `teampulse index`: the sites of several shards (builds of the same inputs, each limited to
//! some teams with `--teams`) joined under one overview, as one build of every team would
//! have made it.

use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::changes::{self, Changes};
use super::overview::{self, Overview};
use super::quality_page::{self, QualityFacts};
use super::{Files, Previous, SCHEMA};
use crate::model::error::Failure;
use crate::model::file::{read_regular, CAP};
use crate::model::SITE_MARKER;

/// Files every shard has in common: they must be the same in each.
const SHARED: &[&str] = &[
    "assets/style.css",
    "kpis.html",
    "data/rejections.csv",
    "data/data-quality.json",
];

/// The head of a shard's `kpis.json`, kept as written; the teams as written.
#[derive(Deserialize, Serialize)]
struct Head<'a> {
    schema: &'a str,
    as_of: &'a str,
    #[serde(borrow)]
    inputs: &'a RawValue,
    rejected: usize,
    #[serde(borrow)]
    unmapped_statuses: &'a RawValue,
    events_after_as_of: usize,
    #[serde(borrow)]
    teams: Vec<&'a RawValue>,
}

/// One shard's site, read.
struct Shard {
    path: PathBuf,
    kpis_json: Vec<u8>,
    overview: Overview,
}

/// Every file of the joined site, the overview drawn with `tera`.
pub fn join(sites: &[PathBuf], tera: &tera::Tera, previous: Option<&Previous>) -> Result<Files> {
    let mut real: Vec<PathBuf> = Vec::new();
    for site in sites {
        let r = std::fs::canonicalize(site).unwrap_or_else(|_| site.clone());
        if real.contains(&r) {
            return Err(usage(site, "is given twice").into());
        }
        real.push(r);
    }
    let shards = sites
        .iter()
        .map(|p| read_shard(p))
        .collect::<Result<Vec<Shard>, Failure>>()?;
    let heads = shards
        .iter()
        .map(|s| {
            serde_json::from_slice::<Head>(&s.kpis_json).map_err(|e| {
                usage(
                    &s.path,
                    &format!("data/kpis.json is not a teampulse kpis.json: {e}"),
                )
            })
        })
        .collect::<Result<Vec<Head>, Failure>>()?;
    let first = &heads[0];
    let settings = |shard: &Shard| -> Result<String, Failure> {
        let facts: serde_json::Value =
            serde_json::from_slice(&read(&shard.path, "data/data-quality.json")?)
                .map_err(|e| usage(&shard.path, &format!("data/data-quality.json: {e}")))?;
        Ok(facts["settings"].as_str().unwrap_or_default().to_string())
    };
    let first_settings = settings(&shards[0])?;
    for (shard, head) in shards.iter().zip(&heads).skip(1) {
        let other = &shards[0].path;
        let differs = |why: String| -> anyhow::Error {
            usage(
                &shard.path,
                &format!(
                    "{why}: build every shard from the same inputs, config, --people and --as-of"
                ),
            )
            .into()
        };
        if head.as_of != first.as_of {
            return Err(differs(format!(
                "was built as of {}, {} as of {}",
                head.as_of,
                other.display(),
                first.as_of
            )));
        }
        if head.inputs.get() != first.inputs.get()
            || head.rejected != first.rejected
            || head.unmapped_statuses.get() != first.unmapped_statuses.get()
            || head.events_after_as_of != first.events_after_as_of
        {
            return Err(differs(format!(
                "was built from other input files than {}",
                other.display()
            )));
        }
        if settings(shard)? != first_settings {
            return Err(differs(format!(
                "was built with another config, --people mode or teampulse version than {}",
                other.display()
            )));
        }
    }
    let mut files = Files::new();
    for rel in SHARED {
        let bytes = read(&shards[0].path, rel)?;
        for shard in &shards[1..] {
            if read(&shard.path, rel)? != bytes {
                return Err(usage(
                    &shard.path,
                    &format!(
                        "{rel} differs from the one of {}: were the shards built with the same \
                         version, config and templates?",
                        shards[0].path.display()
                    ),
                )
                .into());
            }
        }
        files.insert(PathBuf::from(rel), bytes);
    }
    // Teams in slug order, as one build lists them; each slug in one shard only.
    let mut teams: Vec<(&str, &RawValue, &Shard)> = Vec::new();
    for (shard, head) in shards.iter().zip(&heads) {
        for (raw, t) in head.teams.iter().zip(&shard.overview.teams) {
            teams.push((t.slug.as_str(), raw, shard));
        }
    }
    teams.sort_by(|a, b| a.0.cmp(b.0));
    for pair in teams.windows(2) {
        if pair[0].0 == pair[1].0 {
            return Err(usage(
                &pair[1].2.path,
                &format!(
                    "the team `{}` is also in {}: give each team to one shard",
                    pair[0].0,
                    pair[0].2.path.display()
                ),
            )
            .into());
        }
    }
    for (slug, _, shard) in &teams {
        // A slug names a folder: only what teampulse writes (no `..`, no `/`).
        let plain = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
        if slug.is_empty() || !slug.chars().all(plain) {
            return Err(usage(
                &shard.path,
                &format!("data/kpis.json names a team folder `{slug}` teampulse never writes"),
            )
            .into());
        }
        for folder in ["teams", "data"] {
            let rel = PathBuf::from(folder).join(slug);
            copy_tree(&shard.path, &rel, &mut files)?;
        }
    }
    let joined = Head {
        schema: first.schema,
        as_of: first.as_of,
        inputs: first.inputs,
        rejected: first.rejected,
        unmapped_statuses: first.unmapped_statuses,
        events_after_as_of: first.events_after_as_of,
        teams: teams.iter().map(|t| t.1).collect(),
    };
    let mut kpis_json = serde_json::to_vec_pretty(&joined)?;
    kpis_json.push(b'\n');
    let overview = overview::read(&kpis_json)?;
    // What changed: against the joined site published before (`previous`), else the shards'
    // baselines together, as one build of every team would have compared (a team no shard had
    // before is new).
    let mut parts = Vec::new();
    for shard in &shards {
        let Ok(bytes) = read_regular(&shard.path.join("data/changes.json"), CAP) else {
            continue;
        };
        let c: Changes = serde_json::from_slice(&bytes)
            .map_err(|e| usage(&shard.path, &format!("data/changes.json: {e}")))?;
        parts.extend(c.baseline);
    }
    let base = previous
        .and_then(|p| super::previous::baseline(p, &overview))
        .or_else(|| changes::merge(parts, &overview.as_of));
    let changes = changes::compare(base.as_ref(), &overview);
    let (changes_json, changes_md) = changes::files(&changes)?;
    files.insert(
        PathBuf::from("index.html"),
        overview::page(tera, &overview, Some(&changes))?.into_bytes(),
    );
    files.insert(PathBuf::from("data/changes.json"), changes_json);
    files.insert(PathBuf::from("data/changes.md"), changes_md);
    let facts: QualityFacts =
        serde_json::from_slice(&files[Path::new("data/data-quality.json")])
            .map_err(|e| usage(&shards[0].path, &format!("data/data-quality.json: {e}")))?;
    files.insert(
        PathBuf::from("data-quality.html"),
        quality_page::page(tera, &facts, &overview)?.into_bytes(),
    );
    files.insert(PathBuf::from("data/kpis.json"), kpis_json);
    Ok(files)
}

fn usage(site: &Path, why: &str) -> Failure {
    Failure::Usage(format!("{}: {why}", site.display()))
}

fn read_shard(path: &Path) -> Result<Shard, Failure> {
    if !path.join(SITE_MARKER).is_file() {
        return Err(usage(
            path,
            "is not a site teampulse built (it holds no .teampulse-site marker)",
        ));
    }
    let kpis_json = read(path, "data/kpis.json")?;
    let overview =
        overview::read(&kpis_json).map_err(|e| usage(path, &format!("data/kpis.json: {e:#}")))?;
    if overview.schema != SCHEMA {
        return Err(usage(
            path,
            &format!(
                "data/kpis.json is `{}`, this teampulse joins `{SCHEMA}`",
                overview.schema
            ),
        ));
    }
    Ok(Shard {
        path: path.to_path_buf(),
        kpis_json,
        overview,
    })
}

fn read(site: &Path, rel: &str) -> Result<Vec<u8>, Failure> {
    read_regular(&site.join(rel), CAP).map_err(|e| usage(site, &format!("cannot read {rel}: {e}")))
}

/// Adds every regular file under `site/rel` (links are not followed).
fn copy_tree(site: &Path, rel: &Path, files: &mut Files) -> Result<(), Failure> {
    // A team's folder, or the folder holding it, that is a link could lead anywhere: never
    // followed.
    for part in rel.ancestors().filter(|p| !p.as_os_str().is_empty()) {
        let meta = std::fs::symlink_metadata(site.join(part))
            .map_err(|e| usage(site, &format!("cannot read {}: {e}", part.display())))?;
        if !meta.is_dir() {
            return Err(usage(
                site,
                &format!(
                    "{} is not a folder teampulse wrote (a link or a file): not joined",
                    part.display()
                ),
            ));
        }
    }
    let mut stack = vec![rel.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(site.join(&dir))
            .map_err(|e| usage(site, &format!("cannot read {}: {e}", dir.display())))?;
        for entry in entries {
            let entry = entry.map_err(|e| usage(site, &e.to_string()))?;
            let rel = dir.join(entry.file_name());
            let kind = entry.file_type().map_err(|e| usage(site, &e.to_string()))?;
            if kind.is_dir() {
                stack.push(rel);
            } else if kind.is_file() {
                // A team's downloads may be large: regular files, of any size.
                let bytes = read_regular(&site.join(&rel), u64::MAX)
                    .map_err(|e| usage(site, &format!("cannot read {}: {e}", rel.display())))?;
                files.insert(rel, bytes);
            }
        }
    }
    Ok(())
}
