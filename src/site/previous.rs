//! The previous build, read back to say what changed: from the site at `-o`, from the record a
//! history folder keeps of the last build, or from the files `check --changed` is given.

use std::path::Path;

use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};

use super::changes::{self, seconds, Baseline, Changes};
use super::overview::{self, Overview};
use super::{data, Files, SiteInput, SCHEMA};
use crate::config::PeopleDisplay;
use crate::kpi::teams::slugify;
use crate::kpi::{Kpis, Status};
use crate::model::file::read_regular;
use crate::quality::DataQuality;
use sha2::Digest;

/// What a build published: its `kpis.json`, and its `changes.json` (which holds the baseline
/// it compared with).
#[derive(Debug, Clone)]
pub struct Previous {
    pub kpis_json: Vec<u8>,
    pub changes_json: Option<Vec<u8>>,
}

/// Largest `kpis.json` or `changes.json` read back: about five times the `kpis.json` of ten
/// million events.
const MAX: u64 = 256 << 20;

/// In a history folder: what the last build of `selection` (the teams `--teams` chose; `None`,
/// every team) published. Shards sharing one history each keep their own record.
fn last_build(dir: &Path, selection: Option<&[String]>) -> std::path::PathBuf {
    match selection {
        None => dir.join(".teampulse-last-build.json"),
        Some(slugs) => {
            let mut slugs = slugs.to_vec();
            slugs.sort();
            let digest = sha2::Sha256::digest(slugs.join(",").as_bytes());
            let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
            dir.join(format!(".teampulse-last-build-{hex}.json"))
        }
    }
}

/// The history's record, one file (so that two builds at once never leave one's numbers beside
/// the other's changes).
#[derive(Serialize, Deserialize)]
struct Kept {
    kpis_json: String,
    changes_json: Option<String>,
}

impl Previous {
    /// The previous build as this one shows teams: under `pseudonym` and `hidden`, its team
    /// names as `shown` shows them, with the names this build knows hidden (a name learnt
    /// tonight was not yet hidden last night; a build before a switch from `named` hid none),
    /// and its folder names following them. What cannot be read is left as it is, for the
    /// comparison to refuse with its reason.
    pub fn seen_as(self, people: PeopleDisplay, shown: &dyn Fn(&str) -> String) -> Previous {
        if people == PeopleDisplay::Named {
            return self;
        }
        let Ok(mut kpis) = serde_json::from_slice::<serde_json::Value>(&self.kpis_json) else {
            return self;
        };
        let rename = |teams: Option<&mut serde_json::Value>| {
            for team in teams.and_then(|t| t.as_array_mut()).into_iter().flatten() {
                let Some(name) = team["team"].as_str().map(str::to_string) else {
                    continue;
                };
                let now = shown(&name);
                if now == name {
                    continue;
                }
                if team["slug"].as_str() == Some(slugify(&name).as_str()) {
                    team["slug"] = slugify(&now).into();
                }
                team["team"] = now.into();
            }
        };
        rename(kpis.get_mut("teams"));
        let Ok(mut kpis_json) = serde_json::to_vec_pretty(&kpis) else {
            return self;
        };
        kpis_json.push(b'\n');
        let changes_json = self.changes_json.and_then(|j| {
            let mut c: serde_json::Value = serde_json::from_slice(&j).ok()?;
            rename(c.get_mut("baseline").and_then(|b| b.get_mut("teams")));
            if let Some(gone) = c.get_mut("gone").and_then(|g| g.as_array_mut()) {
                for g in gone.iter_mut() {
                    if let Some(name) = g.as_str().map(shown) {
                        *g = name.into();
                    }
                }
            }
            let mut out = serde_json::to_vec_pretty(&c).ok()?;
            out.push(b'\n');
            Some(out)
        });
        Previous {
            kpis_json,
            changes_json,
        }
    }

    /// What the last build of `selection` recorded in a history folder, if it can be read.
    pub fn of_history(dir: &Path, selection: Option<&[String]>) -> Option<Previous> {
        let bytes = read_regular(&last_build(dir, selection), 2 * MAX).ok()?;
        let kept: Kept = serde_json::from_slice(&bytes).ok()?;
        Some(Previous {
            kpis_json: kept.kpis_json.into_bytes(),
            changes_json: kept.changes_json.map(String::into_bytes),
        })
    }

    /// What a site folder holds, if teampulse wrote it.
    pub fn of_site(dir: &Path) -> Option<Previous> {
        if !dir.join(crate::model::SITE_MARKER).is_file() {
            return None;
        }
        Previous::of_kpis_file(&dir.join("data/kpis.json")).ok()
    }

    /// A `kpis.json` given by name, with the `changes.json` beside it when there is one.
    pub fn of_kpis_file(file: &Path) -> std::io::Result<Previous> {
        let kpis_json = read_regular(file, MAX)?;
        // Beside the file itself, not beside a link to it.
        let beside = std::fs::canonicalize(file)?.with_file_name("changes.json");
        Ok(Previous {
            kpis_json,
            changes_json: read_regular(&beside, MAX).ok(),
        })
    }

    /// What a build published, from its files (`None` for split sites).
    pub fn of_files(files: &Files) -> Option<Previous> {
        Some(Previous {
            kpis_json: files.get(Path::new("data/kpis.json"))?.clone(),
            changes_json: files.get(Path::new("data/changes.json")).cloned(),
        })
    }

    /// The record written into a scratch file of the history folder, to be put in place with
    /// [`Previous::keep`] once the site is published.
    pub fn stage(&self, history: &Path) -> std::io::Result<tempfile::NamedTempFile> {
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        let bytes = serde_json::to_vec(&Kept {
            kpis_json: text(&self.kpis_json),
            changes_json: self.changes_json.as_deref().map(text),
        })
        .expect("strings serialise");
        crate::model::file::scratch_file(history, ".tmp", "", &bytes)
    }

    /// Puts a staged record of `selection` in place.
    pub fn keep(
        staged: tempfile::NamedTempFile,
        history: &Path,
        selection: Option<&[String]>,
    ) -> std::io::Result<()> {
        staged
            .persist(last_build(history, selection))
            .map_err(|e| e.error)?;
        Ok(())
    }
}

/// The previous build's `kpis.json`, if it is one this teampulse reads.
fn read(previous: &Previous) -> Result<Overview> {
    let o = overview::read(&previous.kpis_json)?;
    if o.schema != SCHEMA {
        bail!("it is `{}`, this teampulse compares `{SCHEMA}`", o.schema);
    }
    Ok(o)
}

/// What `now` is compared with, by the rules of `previous`: an earlier build as it is; a
/// build of the same as-of time (a rebuild, or the site just built) what it recorded it
/// compared with (`None` after a first build: nothing). An error says why `previous` cannot
/// be used: not a `kpis.json` this teampulse reads, a later build, or a same-time build whose
/// `changes.json` is missing or damaged.
fn compared_with(previous: &Previous, now: &Overview) -> Result<Option<Baseline>> {
    let then = read(previous)?;
    let (Some(at), Some(was)) = (seconds(&now.as_of), seconds(&then.as_of)) else {
        bail!("its as-of time `{}` is not an RFC 3339 time", then.as_of);
    };
    match was.cmp(&at) {
        std::cmp::Ordering::Less => Ok(Some(Baseline::of(&then))),
        std::cmp::Ordering::Greater => {
            bail!("it is as of {}, later than {}", then.as_of, now.as_of)
        }
        std::cmp::Ordering::Equal => {
            let recorded = previous
                .changes_json
                .as_ref()
                .and_then(|j| serde_json::from_slice::<Changes>(j).ok());
            match recorded {
                Some(c) if c.since.is_none() => Ok(None),
                Some(Changes {
                    baseline: Some(b), ..
                }) if b.before(&now.as_of) => Ok(Some(b)),
                _ => bail!(
                    "it is as of the same time ({}) and its data/changes.json, which says what \
                     it compared with, is missing or damaged: give an earlier build",
                    now.as_of
                ),
            }
        }
    }
}

/// What a build compares with: [`compared_with`], and nothing when `previous` cannot be used.
pub(super) fn baseline(previous: &Previous, now: &Overview) -> Option<Baseline> {
    compared_with(previous, now).ok().flatten()
}

/// The changes since the previous build (only one team's, for a split site), and their two
/// files.
pub(super) fn what_changed(
    previous: Option<&Previous>,
    now: &Overview,
    only: Option<&str>,
) -> Result<(Changes, Vec<u8>, Vec<u8>)> {
    let base = previous.and_then(|p| baseline(p, now));
    let c = changes::only(changes::compare(base.as_ref(), now), only);
    let (json, md) = changes::files(&c)?;
    Ok((c, json, md))
}

/// What one site of every team would publish as its `kpis.json` and changes, to record in the
/// history when the teams are published as split sites.
pub fn record(input: &SiteInput, previous: Option<&Previous>) -> Result<Previous> {
    let kpis_json = data::kpis_json(input.kpis, input.quality)?;
    let (_, json, _) = what_changed(previous, &overview::read(&kpis_json)?, None)?;
    Ok(Previous {
        kpis_json,
        changes_json: Some(json),
    })
}

/// Which KPIs newly reached the failing status since `previous`: `check --changed`. A
/// previous build of the same as-of time (the site just built) stands for what it compared
/// with, so a gate after a build fails on what that build found new.
pub fn newly_failing(
    kpis: &Kpis,
    quality: &DataQuality,
    previous: &Previous,
    threshold: Status,
) -> Result<Vec<String>> {
    let now = overview::read(&data::kpis_json(kpis, quality)?)?;
    // After a first build, nothing was there before: everything off target is new.
    let base = compared_with(previous, &now)?.unwrap_or(Baseline {
        as_of: now.as_of.clone(),
        teams: Vec::new(),
    });
    // One shard's or one split team's site: every other team would count as new every night.
    let shared = base
        .teams
        .iter()
        .any(|t| now.teams.iter().any(|n| n.slug == t.slug));
    if !base.teams.is_empty() && !shared {
        bail!(
            "it has none of the teams this check computes (another shard, or another team's \
             split site?): give a build of the same teams, or limit the check with --teams"
        );
    }
    let c = changes::compare(Some(&base), &now);
    Ok(changes::newly_failing(&c, threshold))
}
