//! The `kpis.json` contract and the pages, guarded: the committed JSON Schema is the one the
//! types generate, every build's `kpis.json` validates against it, and insta snapshots of
//! `kpis.json` and of the `<main>` of each page kind make any change to numbers or markup a
//! reviewed diff (`cargo insta review`).

use std::path::{Path, PathBuf};

use crate::util::*;

fn committed_schema() -> serde_json::Value {
    let text = std::fs::read_to_string(root().join("docs/kpis.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_committed_schema_is_the_one_the_types_generate() {
    let committed = std::fs::read_to_string(root().join("docs/kpis.schema.json")).unwrap();
    assert!(
        committed == teampulse::site::kpis_schema(),
        "docs/kpis.schema.json is stale: regenerate it with `cargo run -- schema > docs/kpis.schema.json`"
    );
}

/// Fixture builds whose `kpis.json` is checked and snapshotted.
fn cases() -> Vec<(&'static str, Vec<PathBuf>, Vec<&'static str>)> {
    vec![
        ("flow", vec![fixture("flow/events.csv")], vec![]),
        ("delegation", vec![fixture("delegation")], vec![]),
        ("cadence", vec![fixture("cadence")], vec![]),
        (
            "snapshot-jira",
            vec![fixture("formats/jira-cloud.csv")],
            vec![],
        ),
        (
            "servicenow-undated-done",
            vec![fixture("languages/servicenow-no-resolved.csv")],
            vec![],
        ),
    ]
}

fn build_case(inputs: &[PathBuf], extra: &[&str]) -> (Scratch, PathBuf) {
    let s = Scratch::new("contract");
    let site = s.path("site");
    let refs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    build_ok(&refs, &site, extra);
    (s, site)
}

#[test]
fn every_kpis_json_validates_against_the_schema_and_matches_its_snapshot() {
    let validator = jsonschema::validator_for(&committed_schema()).unwrap();
    let mut all = cases();
    all.push(("demo", vec![root().join("sample-data")], vec![]));
    for (name, inputs, extra) in all {
        let (_s, site) = build_case(&inputs, &extra);
        let text = std::fs::read_to_string(site.join("data/kpis.json")).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{name}: kpis.json does not validate:\n{}",
            errors.join("\n")
        );
        if name != "demo" {
            // The demo's numbers are guarded by the committed site itself.
            insta::assert_snapshot!(format!("kpis_{name}"), text);
        }
    }
}

/// The `<main>` element of a page.
fn main_of(page: &str) -> String {
    let start = page.find("<main").expect("a <main>");
    let end = page.find("</main>").expect("a </main>") + "</main>".len();
    page[start..end].to_string()
}

#[test]
fn the_main_of_each_page_kind_matches_its_snapshot() {
    let (_s, site) = build_case(&[fixture("flow/events.csv")], &[]);
    for (name, page) in [
        ("index", "index.html"),
        ("team", "teams/core/index.html"),
        ("kpis", "kpis.html"),
        ("data_quality", "data-quality.html"),
    ] {
        let html = std::fs::read_to_string(site.join(page)).unwrap();
        insta::assert_snapshot!(format!("page_{name}"), main_of(&html));
    }
}
