//! Every real export in `../shared/exports/` (when that folder exists, as in CI) builds, every
//! task is accounted for (kept in `items.csv` or rejected), and the done count matches what the
//! file itself says, counted here independently of the adapters.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::util::*;

fn exports() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for folder in ["../shared/exports", "../shared/exports-more"] {
        let dir = root().join(folder);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            // In CI the shared exports are always there: missing them is a failure, not a pass.
            assert!(
                std::env::var_os("CI").is_none(),
                "{} is missing in CI",
                dir.display()
            );
            continue;
        };
        files.extend(
            entries
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "csv" || e == "json")),
        );
    }
    files.sort();
    files
}

/// Header → column, and rows, decoding Windows-1252 where UTF-8 fails.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap();
    let text = match String::from_utf8(bytes.clone()) {
        Ok(t) => t,
        Err(_) => bytes.iter().map(|&b| b as char).collect(),
    };
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    let header = rows.remove(0);
    (header, rows)
}

fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

/// (tasks, done) as the file states them.
fn expected(path: &Path) -> (usize, usize) {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    if name.starts_with("trello") {
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let mut cards: BTreeSet<String> = v["cards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect();
        for a in v["actions"].as_array().unwrap() {
            if let Some(id) = a["data"]["card"]["id"].as_str() {
                cards.insert(id.to_string());
            }
        }
        let done_lists: BTreeSet<&str> = v["lists"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["name"].as_str().unwrap().eq_ignore_ascii_case("done"))
            .map(|l| l["id"].as_str().unwrap())
            .collect();
        let done = v["cards"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| done_lists.contains(c["idList"].as_str().unwrap()))
            .count();
        return (cards.len(), done);
    }
    let (h, rows) = read_csv(path);
    if name.starts_with("servicenow_uci") {
        let (n, s) = (col(&h, "number"), col(&h, "incident_state"));
        let last: BTreeMap<&str, &str> = rows
            .iter()
            .map(|r| (r[n].as_str(), r[s].as_str()))
            .collect();
        let done = last
            .values()
            .filter(|s| ["Resolved", "Closed"].contains(s))
            .count();
        return (last.len(), done);
    }
    let done = if name.starts_with("jira") {
        match h.iter().position(|x| {
            x == "Status Category" || x == "Categoría de estado" || x == "Categoria do status"
        }) {
            Some(c) => rows
                .iter()
                .filter(|r| ["Done", "Listo", "Itens concluídos"].contains(&r[c].as_str()))
                .count(),
            None => rows
                .iter()
                .filter(|r| !r[col(&h, "Resolved")].is_empty())
                .count(),
        }
    } else if name.starts_with("linear") {
        rows.iter()
            .filter(|r| r.get(col(&h, "Completed")).is_some_and(|v| !v.is_empty()))
            .count()
    } else if name.starts_with("servicenow") {
        let s = col(&h, "state");
        rows.iter()
            .filter(|r| ["Closed", "Resolved", "Closed Complete"].contains(&r[s].as_str()))
            .count()
    } else if name.starts_with("gitlab") {
        let s = col(&h, "State");
        rows.iter().filter(|r| r[s] == "Closed").count()
    } else if name.starts_with("clickup") {
        // ClickUp dates finished work in Date Done.
        let d = col(&h, "Date Done");
        rows.iter().filter(|r| !r[d].is_empty()).count()
    } else if name.starts_with("azuredevops") {
        let s = col(&h, "State");
        rows.iter()
            .filter(|r| ["Closed", "Done", "Resolved"].contains(&r[s].as_str()))
            .count()
    } else {
        panic!("no expectation for {name}: add one");
    };
    (rows.len(), done)
}

#[test]
fn every_real_export_builds_and_accounts_for_every_task() {
    let files = exports();
    if files.is_empty() {
        eprintln!("../shared/exports not found: nothing to check");
        return;
    }
    for path in files {
        let s = Scratch::new("export");
        let site = s.path("site");
        // The Azure DevOps query export has no date column at all: its as-of must be given.
        let mut args: Vec<String> = if path.to_string_lossy().contains("azuredevops") {
            vec!["--as-of".into(), "2026-01-01T00:00:00Z".into()]
        } else {
            Vec::new()
        };
        // A board with lists after DONE that nothing can name (Italian team jargon: parking
        // lists): `init` leaves them to the team, which maps them, as a user would.
        if path.to_string_lossy().contains("_it_board") {
            let config = stdout(&teampulse(&["init", path.to_str().unwrap()]));
            assert!(
                config.contains("# \"Cosa mi lascia NAPS\" = \"\"  # not recognised"),
                "{config}"
            );
            let config = config.replace("[statuses]\n", "[statuses]\n\"Cosa mi lascia NAPS\" = \"waiting\"\nLokalise = \"waiting\"\nInternals = \"waiting\"\n\"Varie ed eventuali\" = \"waiting\"\n");
            let cfg = s.write("teampulse.toml", config);
            args.extend(["-c".into(), cfg.display().to_string()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        build_ok(&[&path], &site, &args);
        let k = kpis(&site);
        let rejected = k["inputs"][0]["rejected"].as_u64().unwrap() as usize;
        let mut kept = 0;
        let mut done = 0;
        for team in k["teams"].as_array().unwrap() {
            let rows = items(&site, team["slug"].as_str().unwrap());
            kept += rows.len();
            done += rows.iter().filter(|r| r["category"] == "done").count();
        }
        let (tasks, expected_done) = expected(&path);
        let name = path.file_name().unwrap().to_string_lossy();
        assert_eq!(
            kept + rejected,
            tasks,
            "{name}: {kept} kept + {rejected} rejected"
        );
        assert_eq!(done, expected_done, "{name}: done");
    }
}
