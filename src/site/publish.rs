//! Publishing, safe to run unattended: teampulse replaces only a folder it wrote itself (one
//! holding [`SITE_MARKER`]) and never one that holds the inputs or the config; builds into one
//! folder take a lock; the new site is written into a hidden sibling and exchanged with the old
//! one in one step (Linux `renameat2(RENAME_EXCHANGE)`), so a reader never finds the folder
//! without its `index.html`; staging folders left by builds that died are removed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::model::error::Failure;
use crate::model::SITE_MARKER;

/// Site files by relative path.
pub type Files = BTreeMap<PathBuf, Vec<u8>>;

/// What the marker file says (the same in every site, so builds stay byte-identical).
const MARKER_TEXT: &str =
    "This folder is a site written by teampulse. The next `teampulse build -o` \
into it replaces it whole; teampulse replaces no folder without this file.\n";

/// Refuses an output folder teampulse may not replace: a file, a link, a folder of someone
/// else's files, or one that holds an input, the config or the templates (`protected`).
pub fn check_output(out: &Path, protected: &[PathBuf]) -> Result<(), Failure> {
    let shown = out.display();
    let refuse = |why: String| {
        Err(Failure::Usage(format!(
            "-o {shown}: {why}; nothing was written"
        )))
    };
    let out_real = real_path(out);
    for p in protected {
        let p_real = real_path(p);
        if p_real.starts_with(&out_real) {
            let what = if p_real == out_real {
                "is".to_string()
            } else {
                "contains".to_string()
            };
            return refuse(format!(
                "{what} {}, which this build reads: choose another output folder",
                p.display()
            ));
        }
    }
    match std::fs::symlink_metadata(out) {
        Err(_) => {}
        Ok(m) if m.file_type().is_symlink() => {
            return refuse("is a symbolic link: give the folder it points to".into())
        }
        Ok(m) if !m.is_dir() => {
            return refuse("is a file, not a folder (teampulse writes a whole site folder)".into())
        }
        Ok(_) => {
            let marked = out.join(SITE_MARKER).is_file() || earlier_site(out);
            let entries: Vec<String> = std::fs::read_dir(out)
                .map_err(|e| Failure::Usage(format!("-o {shown}: cannot read it: {e}")))?
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .collect();
            if !marked && !entries.is_empty() {
                let mut some = entries.clone();
                some.sort();
                some.truncate(3);
                return refuse(format!(
                    "holds files teampulse did not write ({}{}), and teampulse only replaces a \
                     folder holding its {SITE_MARKER} marker: choose an empty or new folder",
                    some.join(", "),
                    if entries.len() > 3 { ", …" } else { "" }
                ));
            }
        }
    }
    Ok(())
}

/// A site written by a teampulse from before the marker: every file in it is one a site holds
/// (pages, `assets/style.css`, `teams/<slug>/index.html`, `data/kpis.json` of the teampulse
/// schema, the data downloads), or it is a `--split-teams` folder of such sites. Recognised so
/// that an upgrade does not stop a nightly job; any other file makes the folder foreign.
fn earlier_site(out: &Path) -> bool {
    let schema = std::fs::read_to_string(out.join("data/kpis.json"))
        .is_ok_and(|t| t.contains("\"schema\": \"teampulse/kpis/"));
    if schema {
        return only_site_files(out, Path::new(""));
    }
    // A split site: every entry a team's own site.
    let Ok(entries) = std::fs::read_dir(out) else {
        return false;
    };
    let mut any = false;
    for e in entries.filter_map(|e| e.ok()) {
        let p = e.path();
        if !p.is_dir() || !earlier_site_single(&p) {
            return false;
        }
        any = true;
    }
    any
}

fn earlier_site_single(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("data/kpis.json"))
        .is_ok_and(|t| t.contains("\"schema\": \"teampulse/kpis/"))
        && only_site_files(dir, Path::new(""))
}

/// Whether every file under `dir` is one a site holds.
fn only_site_files(dir: &Path, rel: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir.join(rel)) else {
        return false;
    };
    for e in entries.filter_map(|e| e.ok()) {
        let path = rel.join(e.file_name());
        let Ok(kind) = e.file_type() else {
            return false;
        };
        if kind.is_dir() {
            if !only_site_files(dir, &path) {
                return false;
            }
        } else if !kind.is_file() || !is_site_file(&path) {
            return false;
        }
    }
    true
}

/// The paths a site's files have.
fn is_site_file(rel: &Path) -> bool {
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect();
    let p: Vec<&str> = parts.iter().map(String::as_str).collect();
    matches!(
        p.as_slice(),
        ["index.html" | "kpis.html" | "data-quality.html"]
            | ["assets", "style.css"]
            | ["teams", _, "index.html"]
            | [
                "data",
                "kpis.json" | "rejections.csv" | "changes.json" | "changes.md"
            ]
            | [
                "data",
                _,
                "items.csv" | "cycle-data.csv" | "items.parquet" | "time-in-status.csv"
            ]
    )
}

/// The absolute, link-free form of a path that may not exist yet (its nearest existing
/// ancestor resolved, the rest appended).
fn real_path(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut tail = Vec::new();
    let mut cur = abs.as_path();
    loop {
        if let Ok(real) = std::fs::canonicalize(cur) {
            let mut out = real;
            for part in tail.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (cur.parent(), cur.file_name()) {
            (Some(parent), Some(name)) => {
                tail.push(name.to_os_string());
                cur = parent;
            }
            _ => return abs,
        }
    }
}

/// Writes `files` as the folder `out`, replacing what was there only once everything is
/// written; `protected` are the paths the build read (see [`check_output`]).
pub fn publish(
    files: &Files,
    out: &Path,
    protected: &[PathBuf],
    quiet: bool,
    jobs: usize,
) -> Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .ok_or_else(|| Failure::Usage(format!("-o {}: not a folder name", out.display())))?;
    std::fs::create_dir_all(&parent)
        .map_err(|e| Failure::Output(format!("cannot create {}: {e}", parent.display())))?;
    let _lock = lock(&parent, &name, quiet)?;
    // Checked again under the lock: another process may have put something there meanwhile.
    check_output(out, protected)?;
    remove_stale(&parent, &name);
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.building-"))
        .tempdir_in(&parent)
        .map_err(|e| {
            Failure::Output(format!(
                "cannot create a staging folder in {}: {e}",
                parent.display()
            ))
        })?;
    write_all(files, staging.path(), jobs)?;
    swap(staging.path(), out)?;
    // After an exchange the staging path holds the old site: dropping it removes it.
    drop(staging);
    Ok(())
}

/// Takes the lock of builds into `parent/name`, waiting for another build to finish.
fn lock(parent: &Path, name: &str, quiet: bool) -> Result<std::fs::File, Failure> {
    let what = format!("{}/{name}", parent.display());
    crate::model::lock::wait(&parent.join(format!(".{name}.lock")), &what, quiet)
}

/// Removes staging and swap folders of builds into `name` that died before finishing: under
/// the lock no live build owns them. Only folders holding the marker (or nothing) go.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.building-"), format!(".{name}.old-")];
    for e in entries.filter_map(|e| e.ok()) {
        let n = e.file_name().to_string_lossy().to_string();
        if !prefixes.iter().any(|p| n.starts_with(p.as_str())) {
            continue;
        }
        let path = e.path();
        let ours = path.join(SITE_MARKER).is_file()
            || std::fs::read_dir(&path).is_ok_and(|mut d| d.next().is_none());
        let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && ours {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

fn write_all(files: &Files, dir: &Path, jobs: usize) -> Result<(), Failure> {
    let fail =
        |p: &Path, e: std::io::Error| Failure::Output(format!("cannot write {}: {e}", p.display()));
    // The marker first: a staging folder is recognisable as ours from its first byte.
    let marker = dir.join(SITE_MARKER);
    std::fs::write(&marker, MARKER_TEXT).map_err(|e| fail(&marker, e))?;
    let folders: BTreeSet<PathBuf> = files
        .keys()
        .filter_map(|rel| dir.join(rel).parent().map(Path::to_path_buf))
        .collect();
    for p in &folders {
        std::fs::create_dir_all(p).map_err(|e| fail(p, e))?;
    }
    // Then the files on every worker (at 1M events the site is 42 MB, and copying it into the
    // system's cache is work a core can share); a folder that cannot be made is told first,
    // then the first file in file order that cannot be written.
    let list: Vec<(&PathBuf, &Vec<u8>)> = files.iter().collect();
    let written = crate::model::par::map(list.len(), jobs, |i| {
        let path = dir.join(list[i].0);
        std::fs::write(&path, list[i].1).map_err(|e| fail(&path, e))
    });
    written.into_iter().collect()
}

/// Puts the staged site at `out`: an atomic exchange where the system has one, else a rename
/// aside and back (a moment without the folder).
fn swap(staging: &Path, out: &Path) -> Result<(), Failure> {
    let fail = |e: std::io::Error| {
        Failure::Output(format!(
            "cannot move the new site into {}: {e}",
            out.display()
        ))
    };
    if std::fs::symlink_metadata(out).is_err() {
        return std::fs::rename(staging, out).map_err(fail);
    }
    match exchange(staging, out) {
        Ok(()) => Ok(()),
        Err(_) => {
            let old = staging.with_file_name(format!(
                "{}.old-{}",
                staging
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default(),
                std::process::id()
            ));
            std::fs::rename(out, &old).map_err(fail)?;
            if let Err(e) = std::fs::rename(staging, out) {
                let _ = std::fs::rename(&old, out);
                return Err(fail(e));
            }
            // The staging path is now free: put the old site there for the caller to remove.
            std::fs::rename(&old, staging).map_err(fail)
        }
    }
}

/// Exchanges two paths atomically (Linux 3.15+).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let a = std::ffi::CString::new(a.as_os_str().as_bytes())?;
    let b = std::ffi::CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call; renameat2
    // reads them and touches no other memory of ours.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE as libc::c_uint,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publishing_replaces_the_folder_and_removes_leftovers() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let mut files = Files::new();
        files.insert(PathBuf::from("stale/old.html"), b"old".to_vec());
        publish(&files, &out, &[], true, 1).unwrap();
        let mut files = Files::new();
        files.insert(PathBuf::from("index.html"), b"new".to_vec());
        publish(&files, &out, &[], true, 1).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "new"
        );
        assert!(!out.join("stale").exists());
        let mut left: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        left.sort();
        assert_eq!(left, [".site.lock", "site"]);
    }

    #[test]
    fn a_folder_of_someone_elses_files_is_refused_and_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("docs");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("thesis.tex"), "mine").unwrap();
        let err = publish(&Files::new(), &out, &[], true, 1).unwrap_err();
        assert!(err.to_string().contains("did not write"), "{err}");
        assert_eq!(
            std::fs::read_to_string(out.join("thesis.tex")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn an_output_holding_an_input_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let input = tmp.path().join("proj/in/events.csv");
        std::fs::create_dir_all(input.parent().unwrap()).unwrap();
        std::fs::write(&input, "x").unwrap();
        let err = check_output(&tmp.path().join("proj"), std::slice::from_ref(&input)).unwrap_err();
        assert!(err.to_string().contains("which this build reads"), "{err}");
        let err = check_output(&input, &[]).unwrap_err();
        assert!(err.to_string().contains("is a file"), "{err}");
    }

    #[test]
    fn an_unmarked_site_is_ours_only_if_every_file_is_a_site_file() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("legacy");
        for f in [
            "index.html",
            "data/kpis.json",
            "teams/core/index.html",
            "data/core/items.csv",
        ] {
            std::fs::create_dir_all(out.join(f).parent().unwrap()).unwrap();
            std::fs::write(out.join(f), "{\"schema\": \"teampulse/kpis/v1\"}").unwrap();
        }
        assert!(earlier_site(&out));
        std::fs::write(out.join("data/notes.txt"), "mine").unwrap();
        assert!(!earlier_site(&out));
        assert!(check_output(&out, &[]).is_err());
    }

    #[test]
    fn stale_staging_folders_of_dead_builds_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let dead = tmp.path().join(".site.building-4242");
        std::fs::create_dir_all(&dead).unwrap();
        std::fs::write(dead.join(SITE_MARKER), MARKER_TEXT).unwrap();
        let foreign = tmp.path().join(".site.building-notes");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("keep.txt"), "x").unwrap();
        publish(&Files::new(), &tmp.path().join("site"), &[], true, 1).unwrap();
        assert!(!dead.exists());
        assert!(foreign.join("keep.txt").exists());
    }
}
