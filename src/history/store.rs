//! The history folder: one canonical event-log file per run that changed something, named by
//! its observation time (`2026-03-02T051500Z.csv`); files are never rewritten, a new one is
//! written whole under a temporary name and then linked in place without replacing anything.

use std::path::{Path, PathBuf};

use chrono::{NaiveDateTime, TimeZone, Utc};

use crate::model::error::Failure;
use crate::model::{Category, Ts, EVENT_COLUMNS, TASK_COLUMNS};

/// The columns of a history file: the canonical log's, then `observed_after`.
fn header() -> Vec<&'static str> {
    [
        &EVENT_COLUMNS[..],
        &["status_category"],
        &TASK_COLUMNS,
        &["observed_after"],
    ]
    .concat()
}

/// One file of the history.
#[derive(Debug, Clone)]
pub struct Run {
    /// Where it is.
    pub path: PathBuf,
    /// Its file name.
    pub name: String,
    /// The observation time its name gives.
    pub at: Ts,
}

/// The observation time a file name gives (`2026-03-02T051500Z.csv`, or `…Z-2.csv` when two
/// runs saw the same instant); `None` for any other name.
pub fn time_of(name: &str) -> Option<Ts> {
    let stem = name.strip_suffix(".csv")?;
    let stamp = match stem.split_once("Z-") {
        Some((stamp, n)) if n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty() => stamp,
        Some(_) => return None,
        None => stem.strip_suffix('Z')?,
    };
    let t = NaiveDateTime::parse_from_str(stamp, "%Y-%m-%dT%H%M%S").ok()?;
    Some(Utc.from_utc_datetime(&t).timestamp())
}

/// The file name of a run at `at`.
pub fn name_of(at: Ts) -> String {
    match Utc.timestamp_opt(at, 0).single() {
        Some(t) => format!("{}.csv", t.format("%Y-%m-%dT%H%M%SZ")),
        None => "undated.csv".to_string(),
    }
}

/// The runs in `dir`, oldest first, and the names of the entries that are not runs (hidden
/// entries, such as the lock, aside). A missing folder has no runs yet.
pub fn runs(dir: &Path) -> Result<(Vec<Run>, Vec<String>), Failure> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), Vec::new())),
        Err(e) => {
            return Err(Failure::Input(format!(
                "--history {}: cannot read it: {e}",
                dir.display()
            )))
        }
    };
    let mut runs = Vec::new();
    let mut others = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        let regular = entry.file_type().is_ok_and(|t| t.is_file());
        match time_of(&name).filter(|_| regular) {
            Some(at) => runs.push(Run {
                path: entry.path(),
                name,
                at,
            }),
            None => others.push(name),
        }
    }
    runs.sort_by(|a, b| (a.at, &a.name).cmp(&(b.at, &b.name)));
    others.sort();
    Ok((runs, others))
}

/// One row of a history file, values as written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub task: String,
    pub at: Ts,
    pub kind: &'static str,
    pub assignee: Option<String>,
    pub status: Option<String>,
    pub category: Option<Category>,
    pub team: Option<String>,
    pub title: Option<String>,
    pub item_type: Option<String>,
    pub priority: Option<String>,
    pub labels: Option<String>,
    pub due: Option<i32>,
    pub iteration: Option<String>,
    pub observed_after: Option<Ts>,
}

fn rfc3339(ts: Ts) -> String {
    Utc.timestamp_opt(ts, 0)
        .single()
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// The bytes of a history file holding `rows`.
pub fn csv(rows: &[Row]) -> Result<Vec<u8>, Failure> {
    let fail = |e: csv::Error| Failure::Output(format!("cannot write a history file: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header()).map_err(fail)?;
    for r in rows {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let due = r.due.map(crate::model::calendar::iso).unwrap_or_default();
        w.write_record([
            r.task.clone(),
            rfc3339(r.at),
            r.kind.to_string(),
            String::new(),
            opt(&r.assignee),
            opt(&r.status),
            r.category
                .map(Category::as_str)
                .unwrap_or_default()
                .to_string(),
            opt(&r.team),
            opt(&r.title),
            opt(&r.item_type),
            opt(&r.priority),
            opt(&r.labels),
            due,
            opt(&r.iteration),
            r.observed_after.map(rfc3339).unwrap_or_default(),
        ])
        .map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| Failure::Output(format!("cannot write a history file: {e}")))
}

/// Removes the temporary files of builds that were killed while writing a run (called under
/// the history's lock, so no build is writing one).
pub fn remove_unfinished(dir: &Path) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with(".run-") && name.ends_with(".csv") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Writes `bytes` as the run at `at` in `dir`: under a temporary name first, then linked to a
/// name no file has (`…Z.csv`, else `…Z-2.csv`, …), so no file is ever replaced and a reader
/// never sees half a file. A run whose file already holds exactly these bytes is not written
/// again. Returns the name written, if any.
pub fn write(dir: &Path, at: Ts, bytes: &[u8]) -> Result<Option<String>, Failure> {
    let fail = |what: &str, e: std::io::Error| {
        Failure::Output(format!("--history {}: cannot {what}: {e}", dir.display()))
    };
    std::fs::create_dir_all(dir).map_err(|e| fail("create the folder", e))?;
    let base = name_of(at);
    let mut temp = crate::model::file::scratch_file(dir, ".run-", ".csv", bytes)
        .map_err(|e| fail("write a file", e))?;
    for n in 1..1000 {
        let name = match n {
            1 => base.clone(),
            n => format!("{}-{n}.csv", base.trim_end_matches(".csv")),
        };
        let path = dir.join(&name);
        if path.exists() {
            if std::fs::read(&path).is_ok_and(|b| b == bytes) {
                return Ok(None);
            }
            continue;
        }
        match temp.persist_noclobber(&path) {
            Ok(_) => return Ok(Some(name)),
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => temp = e.file,
            Err(e) => return Err(fail("write a file", e.error)),
        }
    }
    Err(Failure::Output(format!(
        "--history {}: a thousand files already claim {base}",
        dir.display()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_times_go_both_ways() {
        let at = 1_772_428_500; // 2026-03-02T05:15:00Z
        assert_eq!(name_of(at), "2026-03-02T051500Z.csv");
        assert_eq!(time_of("2026-03-02T051500Z.csv"), Some(at));
        assert_eq!(time_of("2026-03-02T051500Z-2.csv"), Some(at));
        for other in [
            "notes.csv",
            "2026-03-02.csv",
            "2026-03-02T051500Z-x.csv",
            "a.txt",
        ] {
            assert_eq!(time_of(other), None, "{other}");
        }
    }

    #[test]
    fn a_file_is_never_replaced_and_the_same_run_is_not_written_twice() {
        let dir = tempfile::tempdir().unwrap();
        let at = 1_772_428_500;
        assert_eq!(
            write(dir.path(), at, b"a\n").unwrap().as_deref(),
            Some("2026-03-02T051500Z.csv")
        );
        assert_eq!(write(dir.path(), at, b"a\n").unwrap(), None);
        assert_eq!(
            write(dir.path(), at, b"b\n").unwrap().as_deref(),
            Some("2026-03-02T051500Z-2.csv")
        );
        assert_eq!(
            std::fs::read(dir.path().join("2026-03-02T051500Z.csv")).unwrap(),
            b"a\n"
        );
        let (runs, others) = runs(dir.path()).unwrap();
        assert_eq!(runs.len(), 2);
        assert!(others.is_empty(), "{others:?}");
    }
}
