//! The built site: contracts, determinism, atomic replacement, the committed demo, `check`.

use crate::util::*;

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let s = Scratch::new("determinism");
    build_ok(&[&root().join("sample-data")], &s.path("a"), &[]);
    build_ok(&[&root().join("sample-data")], &s.path("b"), &[]);
    let (a, b) = (tree(&s.path("a")), tree(&s.path("b")));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(
            bytes == &b[path],
            "{} differs between builds",
            path.display()
        );
    }
}

#[test]
fn the_committed_site_equals_a_fresh_build_of_sample_data() {
    let s = Scratch::new("committed");
    // Built from the project root with relative paths, exactly as the README says.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_teampulse"))
        .current_dir(root())
        .args([
            "build",
            "sample-data",
            "-o",
            s.path("site").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let (fresh, committed) = (tree(&s.path("site")), tree(&root().join("site")));
    let stale: std::collections::BTreeSet<String> = fresh
        .keys()
        .chain(committed.keys())
        .filter(|p| fresh.get(*p) != committed.get(*p))
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        stale.is_empty(),
        "site/ is stale in {stale:?}: rebuild it with `cargo run -- build sample-data`"
    );
}

#[test]
fn the_site_has_every_page_and_data_file() {
    let s = Scratch::new("layout");
    build_ok(&[&root().join("sample-data")], &s.path("site"), &[]);
    for team in ["platform", "mobile", "support"] {
        assert!(
            s.path(&format!("site/teams/{team}/index.html")).is_file(),
            "{team} page"
        );
        let rows = items(&s.path("site"), team);
        assert!(rows.len() > 50, "{team}: {} items", rows.len());
    }
    for f in [
        "index.html",
        "kpis.html",
        "data-quality.html",
        "data/kpis.json",
        "assets/style.css",
    ] {
        assert!(s.path(&format!("site/{f}")).is_file(), "{f}");
    }
    let header = std::fs::read_to_string(s.path("site/data/platform/items.csv")).unwrap();
    assert!(header.starts_with(
        "task_id,team,type,status,category,assignee,created,started,done,cycle_time_days,lead_time_days,age_days\n"
    ));
}

#[test]
fn kpis_json_follows_the_contract() {
    let s = Scratch::new("contract");
    build_ok(&[&root().join("sample-data")], &s.path("site"), &[]);
    let k = kpis(&s.path("site"));
    assert_eq!(k["schema"], "teampulse/kpis/v1");
    assert!(k["as_of"].as_str().unwrap().ends_with('Z'));
    for key in ["path", "format", "records", "rejected"] {
        assert!(!k["inputs"][0][key].is_null(), "inputs[0].{key}");
    }
    let ids = [
        "throughput",
        "net_flow",
        "cumulative_flow",
        "flow_efficiency",
        "wip",
        "load_balance",
        "assigned_while_busy",
        "skill_coverage",
        "checkin_cadence",
        "stale_work",
        "over_checking",
        "ownership_churn",
        "lead_concentration",
        "cycle_time",
        "lead_time",
        "work_item_age",
        "due_date_reliability",
        "forecast",
    ];
    for team in k["teams"].as_array().unwrap() {
        for key in [
            "team",
            "slug",
            "throughput",
            "wip",
            "cycle_time_days",
            "kpis",
        ] {
            assert!(!team[key].is_null(), "{key}");
        }
        assert!(team["wip"]["by_person"].is_object());
        let got: Vec<&str> = team["kpis"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["id"].as_str().unwrap())
            .collect();
        assert_eq!(got, ids);
        for kpi in team["kpis"].as_array().unwrap() {
            assert!(
                kpi["name"].is_string() && !kpi["sentence"].as_str().unwrap().is_empty(),
                "{kpi}"
            );
            assert!(kpi.get("trend").is_some(), "{kpi}");
            assert!(["ok", "warn", "alert", "n/a"].contains(&kpi["status"].as_str().unwrap()));
            assert!(kpi["target"].is_string() && kpi["flagged"].is_array());
            if kpi["status"] == "n/a" {
                assert!(kpi["reason"].is_string());
            }
        }
    }
}

#[test]
fn pages_make_no_external_requests_and_link_relatively() {
    let s = Scratch::new("links");
    build_ok(&[&root().join("sample-data")], &s.path("site"), &[]);
    for (path, bytes) in tree(&s.path("site")) {
        if path.extension().is_some_and(|e| e == "html") {
            let html = String::from_utf8(bytes).unwrap();
            for attr in ["href=\"", "src=\""] {
                for part in html.split(attr).skip(1) {
                    let target = part.split('"').next().unwrap();
                    assert!(
                        !target.contains("//") && !target.starts_with('/'),
                        "{}: {target}",
                        path.display()
                    );
                    if !target.starts_with('#') {
                        let file = path
                            .parent()
                            .unwrap()
                            .join(target.split('#').next().unwrap());
                        assert!(
                            s.path("site").join(&file).exists(),
                            "{}: broken link {target}",
                            path.display()
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let s = Scratch::new("atomic");
    let site = s.path("site");
    build_ok(&[&root().join("sample-data")], &site, &[]);
    let before = tree(&site);
    let bad = s.write("bad.csv", "no,header,here\n1,2,3\n");
    let out = teampulse(&["build", bad.to_str().unwrap(), "-o", site.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("bad.csv: not a recognised export"),
        "{}",
        stderr(&out)
    );
    assert_eq!(tree(&site), before);
    let leftovers: Vec<_> = std::fs::read_dir(&s.0)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 2, "{leftovers:?}");
}

#[test]
fn check_prints_a_table_and_exits_1_on_alert_0_otherwise() {
    let out = teampulse(&["check", root().join("sample-data").to_str().unwrap()]);
    let table = stdout(&out);
    assert!(table.starts_with("team"), "{table}");
    assert!(table.contains("work_item_age"));
    let alerts = table.lines().filter(|l| l.contains("  alert  ")).count();
    assert_eq!(
        out.status.code(),
        Some(if alerts > 0 { 1 } else { 0 }),
        "{table}"
    );
    let s = Scratch::new("check-ok");
    let input = s.write(
        "events.csv",
        "task_id,timestamp,event,actor,assignee,status\nA,2026-03-02T09:00:00Z,created,lead,ana,To Do\n",
    );
    let out = teampulse(&["check", input.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}
