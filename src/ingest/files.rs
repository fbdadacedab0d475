//! Which files the inputs name: files as given, folders walked. Each file is read once however
//! it was named (twice on the command line, a folder and a file in it, a symlink); the walk
//! follows no symlink loop, reads only regular files, and skips hidden entries and the sites
//! teampulse wrote itself. Files are read in the order of the path shown for them, so the
//! result never depends on the order of the arguments.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use anyhow::Result;

use crate::model::error::Failure;
use crate::model::text;
use crate::quality::Skipped;

pub use crate::model::SITE_MARKER;

/// One input file: where it is, and the path published for it (relative to the input argument,
/// never an absolute path of the build machine).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// Path to open.
    pub path: PathBuf,
    /// Path shown on pages, in files and in messages.
    pub shown: String,
}

/// The identity of a file or folder, whatever path leads to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct FileId(u64, u64);

#[cfg(unix)]
fn identity(meta: &std::fs::Metadata, _path: &Path) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    Some(FileId(meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn identity(_meta: &std::fs::Metadata, path: &Path) -> Option<FileId> {
    use std::hash::{Hash, Hasher};
    let canonical = std::fs::canonicalize(path).ok()?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    canonical.hash(&mut h);
    Some(FileId(0, h.finish()))
}

/// What the inputs name, and what was passed over on the way.
#[derive(Debug, Default)]
pub struct Expansion {
    /// Files to read, in the order of their shown paths.
    pub files: Vec<InputFile>,
    /// Entries not read, with the reason.
    pub skipped: Vec<Skipped>,
}

/// Expands the input arguments into the files to read.
pub fn expand(inputs: &[PathBuf]) -> Result<Expansion> {
    let mut walk = Walk::default();
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|e| {
            Failure::Input(format!(
                "{}: {e}",
                text::clean(&input.display().to_string())
            ))
        })?;
        let base = shown_base(input);
        if meta.is_dir() {
            if input.join(SITE_MARKER).is_file() {
                return Err(Failure::Input(format!(
                    "{}: this folder is a site teampulse wrote, not an export",
                    input.display()
                ))
                .into());
            }
            if let Some(id) = identity(&meta, input) {
                if !walk.dirs.insert(id) {
                    continue;
                }
            }
            walk.dir(input, &base)?;
        } else if meta.is_file() {
            walk.file(input, &meta, base);
        } else {
            return Err(Failure::Input(format!(
                "{}: not a regular file (a pipe, socket or device cannot be read as an export)",
                input.display()
            ))
            .into());
        }
    }
    let mut out = Expansion {
        files: walk.files,
        skipped: walk.skipped,
    };
    unique_shown(&mut out.files);
    out.files.sort_by(|a, b| a.shown.cmp(&b.shown));
    Ok(out)
}

#[derive(Default)]
struct Walk {
    dirs: BTreeSet<FileId>,
    seen: Vec<(FileId, String)>,
    files: Vec<InputFile>,
    skipped: Vec<Skipped>,
}

impl Walk {
    fn skip(&mut self, shown: &str, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            path: text::clean(shown).into_owned(),
            reason: reason.into(),
        });
    }

    fn file(&mut self, path: &Path, meta: &std::fs::Metadata, shown: String) {
        if let Some(id) = identity(meta, path) {
            if let Some((_, first)) = self.seen.iter().find(|(i, _)| *i == id) {
                let reason = format!("the same file as {first}: read once");
                self.skip(&shown, reason);
                return;
            }
            self.seen.push((id, shown.clone()));
        }
        self.files.push(InputFile {
            path: path.to_path_buf(),
            shown: text::clean(&shown).into_owned(),
        });
    }

    fn dir(&mut self, dir: &Path, shown: &str) -> Result<()> {
        let mut entries: Vec<(String, PathBuf, bool)> = std::fs::read_dir(dir)
            .map_err(|e| Failure::Input(format!("{}: {e}", dir.display())))?
            .filter_map(|e| e.ok())
            .map(|e| {
                let link = e.file_type().is_ok_and(|t| t.is_symlink());
                (e.file_name().to_string_lossy().to_string(), e.path(), link)
            })
            .collect();
        entries.sort();
        for (name, path, link) in entries {
            let shown = join_shown(shown, &name);
            if name.starts_with('.') {
                continue;
            }
            let Ok(meta) = std::fs::metadata(&path) else {
                self.skip(&shown, "cannot be followed (a broken link?)");
                continue;
            };
            if meta.is_dir() && link {
                // A link to a folder can lead anywhere (`/`): name it as an input to read it.
                self.skip(
                    &shown,
                    "a link to a folder: not followed (give it as an input)",
                );
                continue;
            }
            if meta.is_dir() && std::fs::read_dir(&path).is_err() {
                self.skip(&shown, "a folder that cannot be read");
                continue;
            }
            if meta.is_dir() {
                if path.join(SITE_MARKER).is_file() {
                    self.skip(&shown, "a site teampulse wrote: never read as input");
                    continue;
                }
                match identity(&meta, &path) {
                    Some(id) if !self.dirs.insert(id) => {
                        self.skip(&shown, "a folder already read");
                        continue;
                    }
                    _ => {}
                }
                self.dir(&path, &shown)?;
            } else if has_input_extension(&name) {
                if meta.is_file() {
                    self.file(&path, &meta, shown);
                } else {
                    self.skip(&shown, "not a regular file (a pipe, socket or device)");
                }
            }
        }
        Ok(())
    }
}

fn has_input_extension(name: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("json"))
}

fn join_shown(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_string()
    } else {
        format!("{}/{name}", base.trim_end_matches('/'))
    }
}

/// The shown path of an argument: as written when relative (without `./`), its last
/// component when absolute or when it climbs out with `..`; `` for the current folder.
fn shown_base(input: &Path) -> String {
    let relative_and_inside = input.is_relative()
        && input
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if relative_and_inside {
        return named_parts(input).join("/");
    }
    let resolved = std::fs::canonicalize(input).unwrap_or_else(|_| input.to_path_buf());
    resolved
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default()
}

/// The named components of a path (no root, `.` or `..`).
fn named_parts(path: &Path) -> Vec<String> {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(p) => Some(p.to_string_lossy().to_string()),
            _ => None,
        })
        .collect()
}

/// Two different files shown alike (`a/x.csv` and `b/x.csv` given by absolute paths) get more
/// of their real path until they differ.
fn unique_shown(files: &mut [InputFile]) {
    for _ in 0..32 {
        let mut clash = false;
        let names: Vec<String> = files.iter().map(|f| f.shown.clone()).collect();
        for f in files.iter_mut() {
            if names.iter().filter(|n| **n == f.shown).count() < 2 {
                continue;
            }
            clash = true;
            let real = std::fs::canonicalize(&f.path).unwrap_or_else(|_| f.path.clone());
            let depth = f.shown.matches('/').count() + 2;
            let parts = named_parts(&real);
            if depth > parts.len() {
                continue;
            }
            f.shown = parts[parts.len() - depth..].join("/");
        }
        if !clash {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_paths_never_carry_the_build_machines_folders() {
        assert_eq!(shown_base(Path::new("sample-data")), "sample-data");
        assert_eq!(
            shown_base(Path::new("./exports/jira.csv")),
            "exports/jira.csv"
        );
        assert_eq!(shown_base(Path::new("/srv/ci/exports")), "exports");
        assert_eq!(shown_base(Path::new(".")), "");
        assert_eq!(join_shown("", "a.csv"), "a.csv");
        assert_eq!(join_shown("exports", "a.csv"), "exports/a.csv");
    }
}
