//! Shared helpers: scratch folders, running the real binary, reading its output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A scratch folder (a `tempfile` directory) removed when dropped.
pub struct Scratch(pub PathBuf, #[allow(dead_code)] tempfile::TempDir);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let dir = tempfile::Builder::new()
            .prefix(&format!("teampulse-test-{name}-"))
            .tempdir()
            .unwrap();
        Scratch(dir.path().to_path_buf(), dir)
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }

    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, content).unwrap();
        p
    }
}

/// The project's root folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture file under `tests/fixtures`.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// Runs `teampulse` with arguments.
pub fn teampulse(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_teampulse"))
        .args(args)
        .output()
        .unwrap()
}

/// Runs `teampulse build` of `inputs` into `out` with extra arguments; panics with stderr on
/// failure.
pub fn build_ok(inputs: &[&Path], out: &Path, extra: &[&str]) -> Output {
    let mut args: Vec<String> = vec!["build".into()];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    args.extend(["-o".into(), out.display().to_string()]);
    args.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = teampulse(&refs);
    assert!(output.status.success(), "build failed: {}", stderr(&output));
    output
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// `data/kpis.json` of a built site.
pub fn kpis(site: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(site.join("data/kpis.json")).unwrap()).unwrap()
}

/// A site's `data/data-quality.json`.
pub fn quality(site: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(site.join("data/data-quality.json")).unwrap()).unwrap()
}

/// The display names of a `kpis.json`'s teams, in its order.
pub fn team_names(k: &serde_json::Value) -> Vec<&str> {
    k["teams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["team"].as_str().unwrap())
        .collect()
}

/// `items.csv` of a team as header-keyed rows.
pub fn items(site: &Path, slug: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(site.join(format!("data/{slug}/items.csv"))).unwrap();
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            headers
                .iter()
                .zip(rec.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// The KPI with `id` of the first team in `kpis.json`.
pub fn kpi<'a>(k: &'a serde_json::Value, team: usize, id: &str) -> &'a serde_json::Value {
    k["teams"][team]["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id)
        .unwrap()
}

/// Every file under `dir`, relative path → bytes.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

/// Fails unless the folders `a` and `b` hold the same files, byte for byte; `what` says which
/// two builds they are.
pub fn assert_same_tree(a: &Path, b: &Path, what: &str) {
    let (a, b) = (tree(a), tree(b));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}: the same files"
    );
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{what}: {} differs", path.display());
    }
}

/// Builds the fixture `rel` (a file or folder of `tests/fixtures`) as of `as_of`: the scratch
/// folder holding the site (at `site`) and its `kpis.json`.
pub fn kpis_of(rel: &str, as_of: &str) -> (Scratch, serde_json::Value) {
    let s = Scratch::new(&rel.replace('/', "-"));
    build_ok(&[&fixture(rel)], &s.path("site"), &["--as-of", as_of]);
    let k = kpis(&s.path("site"));
    (s, k)
}

/// Runs `teampulse index SITES… -o OUT`.
pub fn index(sites: &[&Path], out: &Path) -> Output {
    let mut args: Vec<String> = vec!["index".into()];
    args.extend(sites.iter().map(|p| p.display().to_string()));
    args.extend(["-o".into(), out.display().to_string()]);
    teampulse(&args.iter().map(String::as_str).collect::<Vec<_>>())
}
