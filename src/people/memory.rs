//! What the nightly history remembers of names: the keyed hashes of the words that named
//! people (first names, surnames, usernames — never the names), so that a name stays hidden
//! after its person has left the exports (a team still called `Zed's Team`).

use std::path::Path;

use rustc_hash::FxHashSet;

/// The file in the history folder.
const FILE: &str = ".teampulse-names";

/// The keyed hash of a folded word (64 bits of HMAC-SHA-256, apart from the people's ids).
pub(super) fn word_hash(secret: &str, word: &str) -> u64 {
    let h = super::keyed_hash(secret, &format!("name word:{word}"));
    u64::from_be_bytes(h[..8].try_into().expect("8 bytes"))
}

/// The hashes a history folder remembers (none when it has no such file, or it cannot be
/// read: a name then hides as it did before).
pub fn remembered(dir: &Path) -> FxHashSet<u64> {
    let Ok(text) = std::fs::read_to_string(dir.join(FILE)) else {
        return FxHashSet::default();
    };
    text.lines()
        .filter_map(|l| u64::from_str_radix(l.trim(), 16).ok())
        .collect()
}

/// Writes `hashes` (what was remembered and tonight's) into the history folder, sorted, one
/// per line, replacing the file in one step.
pub fn remember(dir: &Path, hashes: &FxHashSet<u64>) -> std::io::Result<()> {
    let mut sorted: Vec<u64> = hashes.iter().copied().collect();
    sorted.sort_unstable();
    let mut text = String::with_capacity(sorted.len() * 17);
    for h in sorted {
        text.push_str(&format!("{h:016x}\n"));
    }
    let tmp = crate::model::file::scratch_file(dir, ".names-", "", text.as_bytes())?;
    tmp.persist(dir.join(FILE)).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_written_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        assert!(remembered(dir.path()).is_empty());
        let hashes: FxHashSet<u64> = [word_hash("k", "zed"), word_hash("k", "quist")]
            .into_iter()
            .collect();
        remember(dir.path(), &hashes).unwrap();
        assert_eq!(remembered(dir.path()), hashes);
        assert_ne!(word_hash("k", "zed"), word_hash("other", "zed"));
    }
}
