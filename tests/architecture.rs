//! The architecture, stated in code: which top-level module of `src/` may use which. A test
//! reads every `crate::…` path in `src/` (code and unit tests alike) and fails on an edge the
//! table below does not allow — so no import cycle and no upward import can creep in.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::util::*;

/// Who may use whom (arrows point down the pipeline: ingest → model → kpi → chart/site).
const ALLOWED: &[(&str, &[&str])] = &[
    ("main", &["*"]),
    ("cli", &["*"]),
    ("lib", &["*"]),
    ("analyse", &["*"]),
    ("check", &["*"]),
    ("inspect", &["*"]),
    ("site", &["chart", "kpi", "quality", "config", "model"]),
    ("chart", &["kpi", "model"]),
    ("kpi", &["config", "model"]),
    ("history", &["ingest", "quality", "config", "model"]),
    ("ingest", &["quality", "config", "model"]),
    ("people", &["quality", "config", "model"]),
    ("generate", &["quality", "config", "model"]),
    ("config", &["model"]),
    ("quality", &["model"]),
    ("progress", &[]),
    ("model", &[]),
];

/// The top-level module a source file belongs to.
fn module_of(rel: &Path) -> String {
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy()
        .to_string();
    first.trim_end_matches(".rs").to_string()
}

/// The top-level modules named by `crate::` paths in `text` (`use crate::{a, b::c}` included).
fn uses(text: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        let names: Vec<String> = if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            group[..end]
                .split(',')
                .map(|s| s.trim().split("::").next().unwrap_or("").to_string())
                .collect()
        } else {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            vec![rest[..end].to_string()]
        };
        for n in names {
            // Items defined in lib.rs itself (`crate::analyse`) belong to `lib`.
            let m = if modules.contains(&n) {
                n
            } else {
                "lib".to_string()
            };
            out.insert(m);
        }
    }
    out
}

#[test]
fn no_module_uses_one_above_it_or_in_a_cycle() {
    let src = root().join("src");
    let modules: BTreeSet<String> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_string()
        })
        .filter(|m| m != "bin")
        .collect();
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    for m in &modules {
        assert!(
            allowed.contains_key(m.as_str()),
            "module `{m}` is not in the table: add it"
        );
    }
    let mut bad = Vec::new();
    for (rel, bytes) in tree(&src) {
        if rel.starts_with("bin") {
            continue;
        }
        let from = module_of(&rel);
        let may = allowed[from.as_str()];
        for to in uses(&String::from_utf8_lossy(&bytes), &modules) {
            if to != from && !may.contains(&"*") && !may.contains(&to.as_str()) {
                bad.push(format!("{} ({from}) uses {to}", rel.display()));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "edges the table does not allow:\n{}",
        bad.join("\n")
    );
}

/// Modules stay small enough to read in one sitting.
const MAX_LINES: usize = 450;

#[test]
fn no_source_file_is_longer_than_450_lines() {
    let long: Vec<String> = tree(&root().join("src"))
        .into_iter()
        .map(|(rel, bytes)| (rel, bytes.iter().filter(|&&b| b == b'\n').count()))
        .filter(|(_, lines)| *lines > MAX_LINES)
        .map(|(rel, lines)| format!("src/{} has {lines} lines", rel.display()))
        .collect();
    assert!(long.is_empty(), "split these files:\n{}", long.join("\n"));
}

/// Crates that would let the build reach a network or a cloud store: none may enter the tree
/// (polars' `parquet` and `csv` features would bring them; teampulse writes parquet with
/// polars' own writer and parses CSV itself).
const FORBIDDEN: &[&str] = &[
    "reqwest",
    "hyper",
    "hyper-util",
    "h2",
    "object_store",
    "rustls",
    "tokio-rustls",
    "ureq",
    "openssl",
    "native-tls",
    "curl",
    "aws-config",
    "aws-sdk-s3",
    "google-cloud-storage",
    "azure_core",
    "zstd-sys",
    "lz4-sys",
];

#[test]
fn no_network_or_cloud_crate_is_in_the_build() {
    // The lock file also lists optional dependencies that are never built: ask cargo for the
    // tree actually compiled.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args([
            "tree",
            "-e",
            "normal",
            "--prefix",
            "none",
            "-p",
            "teampulse",
        ])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    let names: BTreeSet<&str> = tree.lines().filter_map(|l| l.split(' ').next()).collect();
    assert!(names.contains("polars-core"), "the tree: {tree}");
    let found: Vec<&&str> = FORBIDDEN.iter().filter(|f| names.contains(**f)).collect();
    assert!(
        found.is_empty(),
        "network or cloud crates in the build: {found:?}"
    );
}
