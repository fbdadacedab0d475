//! Real exports read right, in any language: every task in the right category (worked out by
//! hand for each fixture below, modelled on real exports), every n/a with its real cause, every
//! record accounted for, and what is behind each number named.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::util::*;

fn lang(name: &str) -> PathBuf {
    fixture(&format!("languages/{name}"))
}

/// Builds `inputs`; returns kpis.json and task id → category over all teams.
fn categories(inputs: &[PathBuf], extra: &[&str]) -> (serde_json::Value, BTreeMap<String, String>) {
    let s = Scratch::new("lang");
    let site = s.path("site");
    let refs: Vec<&std::path::Path> = inputs.iter().map(PathBuf::as_path).collect();
    build_ok(&refs, &site, extra);
    let k = kpis(&site);
    let mut out = BTreeMap::new();
    for team in k["teams"].as_array().unwrap() {
        for row in items(&site, team["slug"].as_str().unwrap()) {
            out.insert(row["task_id"].clone(), row["category"].clone());
        }
    }
    (k, out)
}

fn expect(got: &BTreeMap<String, String>, want: &[(&str, &str)]) {
    let want: BTreeMap<String, String> = want
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(*got, want);
}

#[test]
fn a_spanish_trello_board_counts_its_finished_cards() {
    let (k, got) = categories(&[lang("trello-es.json")], &[]);
    // Lists COSAS POR HACER, HACIENDO, PRUEBAS, TERMINADO, Finalizado, left to right.
    expect(
        &got,
        &[
            ("EsWb0001-1", "todo"),
            ("EsWb0001-2", "doing"),
            ("EsWb0001-3", "doing"),
            ("EsWb0001-4", "done"),
            ("EsWb0001-5", "done"),
        ],
    );
    assert!(k["unmapped_statuses"].as_object().unwrap().is_empty());
    // 15 actions and 5 cards; the list, board and checklist actions are skipped, not lost.
    let input = &k["inputs"][0];
    assert_eq!(
        (
            input["records"].as_u64(),
            input["rejected"].as_u64(),
            input["skipped"].as_u64()
        ),
        (Some(20), Some(0), Some(3))
    );
}

#[test]
fn jira_without_a_status_category_goes_by_the_resolution() {
    let (_, got) = categories(&[lang("jira-server-resolutions.csv")], &[]);
    expect(
        &got,
        &[
            ("J-1", "done"),       // Closed, Fixed
            ("J-2", "cancelled"),  // Closed, Rejected
            ("J-3", "cancelled"),  // Rejected, Rejected
            ("J-4", "todo"),       // Closed without a resolution: unresolved
            ("J-5", "cancelled"),  // Resolved, Duplicate
            ("J-6", "doing"),      // In Progress
            ("J-7", "todo"),       // Open
            ("J-8", "cancelled"),  // Done, Won't Fix
            ("J-9", "cancelled"),  // Closed, Cannot Reproduce
            ("J-10", "done"),      // Resolved, Fixed
            ("J-11", "cancelled"), // Cerrada, No se hará
            ("J-12", "done"),      // Hecho, Listo (Spanish "Done")
        ],
    );
    // The config may say that its workflow closes without a resolution.
    let s = Scratch::new("closed-done");
    let cfg = s.write("teampulse.toml", "[statuses]\nCLOSED = \"done\"\n");
    let (_, got) = categories(
        &[lang("jira-server-resolutions.csv")],
        &["-c", cfg.to_str().unwrap()],
    );
    assert_eq!(got["J-4"], "done");
    let s = Scratch::new("note");
    build_ok(
        &[&lang("jira-server-resolutions.csv")],
        &s.path("site"),
        &[],
    );
    let page = std::fs::read_to_string(s.path("site/data-quality.html")).unwrap();
    assert!(
        page.contains("status &#39;Closed&#39; without a Resolution"),
        "the row is kept with a caveat"
    );
}

#[test]
fn done_without_a_finish_date_is_never_a_week_of_zeros() {
    let (k, got) = categories(&[lang("servicenow-no-resolved.csv")], &[]);
    assert_eq!(got.values().filter(|c| *c == "done").count(), 24);
    let team = &k["teams"][0];
    assert!(team["throughput"]["weekly"].as_array().unwrap().is_empty());
    let t = kpi(&k, 0, "throughput");
    assert_eq!(t["status"], "n/a");
    assert_eq!(
        t["reason"],
        "24 of 24 finished tasks have no finish date in the export, so no week can count them: add the Resolved column to the list export (ServiceNow: resolved_at, or closed_at) (servicenow export)"
    );
    for id in [
        "forecast",
        "cycle_time",
        "lead_time",
        "net_flow",
        "due_date_reliability",
    ] {
        assert!(
            kpi(&k, 0, id)["reason"]
                .as_str()
                .unwrap()
                .starts_with("24 of 24 finished tasks"),
            "{id}"
        );
    }
}

#[test]
fn inputs_without_any_date_are_named_with_the_fix() {
    let s = Scratch::new("dateless");
    let out = teampulse(&[
        "build",
        lang("dateless-a.csv").to_str().unwrap(),
        lang("dateless-b.csv").to_str().unwrap(),
        "-o",
        s.path("site").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("dateless-a.csv, dateless-b.csv") && err.contains("--as-of"),
        "{err}"
    );
}

#[test]
fn a_canonical_log_saved_with_semicolons_reads_with_them() {
    let (_, got) = categories(&[lang("canonical-semicolon-de.csv")], &[]);
    expect(
        &got,
        &[("K-1", "done"), ("K-2", "waiting"), ("K-3", "cancelled")],
    );
}

#[test]
fn the_jira_changelog_refuses_mixed_date_forms() {
    let s = Scratch::new("history-mixed");
    let site = s.path("site");
    build_ok(&[&lang("jira-history-mixed.csv")], &site, &[]);
    let rej = std::fs::read_to_string(site.join("data/rejections.csv")).unwrap();
    assert!(
        rej.contains("jira-history-mixed.csv,3,mixed date formats in column Created"),
        "{rej}"
    );
}

#[test]
fn inspect_describes_each_file_by_itself() {
    let out = teampulse(&[
        "inspect",
        lang("jira-fr.csv").to_str().unwrap(),
        lang("canonical-semicolon-de.csv").to_str().unwrap(),
    ]);
    let text = stdout(&out);
    let (de, fr) = text.split_at(text.find("jira-fr.csv").unwrap());
    assert!(de.contains("Erledigt") && !de.contains("Terminé"), "{de}");
    assert!(fr.contains("Terminé") && !fr.contains("Erledigt"), "{fr}");
    assert!(fr.contains("people    2 (Claire, Hugo)"), "{fr}");
}

#[test]
fn init_places_unknown_trello_lists_by_their_place_on_the_board() {
    let s = Scratch::new("init-trello");
    let board = std::fs::read_to_string(lang("trello-es.json"))
        .unwrap()
        .replace("COSAS POR HACER", "Bolsa")
        .replace("HACIENDO", "Semana")
        .replace("PRUEBAS", "Cliente")
        .replace("TERMINADO", "Entregado")
        .replace("Finalizado", "Archivo");
    let input = s.write("board.json", board);
    let config = stdout(&teampulse(&["init", input.to_str().unwrap()]));
    assert!(
        config.contains("\"Bolsa\" = \"todo\"  # the leftmost list of the board"),
        "{config}"
    );
    assert!(
        config.contains("\"Semana\" = \"doing\"  # list 2 of 5"),
        "{config}"
    );
    assert!(
        config.contains("\"Archivo\" = \"done\"  # the rightmost list of the board"),
        "{config}"
    );
    assert!(!config.contains("= \"todo\"\n"), "no blind todo: {config}");
    let cfg = s.write("teampulse.toml", &config);
    let (_, got) = categories(&[input], &["-c", cfg.to_str().unwrap()]);
    assert_eq!(got["EsWb0001-5"], "done");
}

#[test]
fn every_adapter_reads_non_english_statuses() {
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)]);
    let cases: &[Case] = &[
        (
            &["jira-fr.csv"],
            &[
                ("FR-1", "todo"),
                ("FR-2", "doing"),
                ("FR-3", "waiting"),
                ("FR-4", "done"),
                ("FR-5", "cancelled"),
            ],
        ),
        (
            &["jira-pt.csv", "jira-history-pt.csv"],
            &[
                ("PT-1", "done"),
                ("PT-2", "waiting"),
                ("PT-3", "cancelled"),
                ("PT-4", "todo"),
            ],
        ),
        (
            &["trello-it.csv"],
            &[
                ("69a5b3100000000000000d01", "todo"),
                ("69a5b3100000000000000d02", "doing"),
                ("69a5b3100000000000000d03", "waiting"),
                ("69a5b3100000000000000d04", "done"),
            ],
        ),
        (
            &["servicenow-es.csv"],
            &[
                ("INC0100001", "todo"),
                ("INC0100002", "doing"),
                ("INC0100003", "waiting"),
                ("INC0100004", "done"),
                ("INC0100005", "cancelled"),
            ],
        ),
        (
            &["servicenow-log-nl.csv"],
            &[("INC9001", "done"), ("INC9002", "waiting")],
        ),
        (
            &["linear-pt.csv"],
            &[
                ("APP-1", "done"),
                ("APP-2", "doing"),
                ("APP-3", "todo"),
                ("APP-4", "cancelled"),
            ],
        ),
        (
            &["azure-devops-nl.csv"],
            &[("201", "done"), ("202", "doing"), ("203", "todo")],
        ),
        (
            &["asana-es.csv"],
            &[
                ("1211430000000101", "done"),
                ("1211430000000102", "doing"),
                ("1211430000000103", "todo"),
            ],
        ),
        (&["gitlab-cs.csv"], &[("31", "done"), ("32", "todo")]),
        (
            &["canonical-semicolon-de.csv"],
            &[("K-1", "done"), ("K-2", "waiting"), ("K-3", "cancelled")],
        ),
    ];
    for (files, want) in cases {
        let inputs: Vec<PathBuf> = files.iter().map(|f| lang(f)).collect();
        let (k, got) = categories(&inputs, &[]);
        expect(&got, want);
        assert!(
            k["unmapped_statuses"].as_object().unwrap().is_empty(),
            "{files:?}: {}",
            k["unmapped_statuses"]
        );
    }
}

#[test]
fn what_is_behind_a_number_within_target_is_named() {
    // 25 tasks; one goes lead → ana → ben → ana (ping-pong): 4 %, within the 5 % target.
    let mut csv = String::from("task_id,timestamp,event,actor,assignee,status,team\n");
    for i in 0..25 {
        csv.push_str(&format!(
            "T-{i},2026-03-02T09:00:00Z,created,lead,ana,To Do,Core\n"
        ));
        csv.push_str(&format!(
            "T-{i},2026-03-03T09:00:00Z,status,ana,,In Progress,\n"
        ));
    }
    csv.push_str("T-7,2026-03-04T09:00:00Z,assigned,lead,ben,,\n");
    csv.push_str("T-7,2026-03-05T09:00:00Z,assigned,lead,ana,,\n");
    let s = Scratch::new("behind");
    let input = s.write("events.csv", csv);
    let site = s.path("site");
    build_ok(&[&input], &site, &[]);
    let k = kpis(&site);
    let churn = kpi(&k, 0, "ownership_churn");
    assert_eq!(churn["status"], "ok", "{churn}");
    assert_eq!(churn["flagged"], serde_json::json!(["T-7"]));
    let page = std::fs::read_to_string(site.join("teams/core/index.html")).unwrap();
    assert!(page.contains("Behind this number (1)"), "the page lists it");
    let out = teampulse(&["check", input.to_str().unwrap()]);
    assert!(
        stdout(&out)
            .lines()
            .any(|l| l.contains("ownership_churn") && l.contains("T-7")),
        "{}",
        stdout(&out)
    );
}
