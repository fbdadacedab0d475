//! The built site: contracts, determinism, atomic replacement, the committed demo, `check`.

use crate::util::*;

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let s = Scratch::new("determinism");
    build_ok(&[&root().join("sample-data")], &s.path("a"), &[]);
    build_ok(&[&root().join("sample-data")], &s.path("b"), &[]);
    assert_same_tree(&s.path("a"), &s.path("b"), "two builds");
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
        "task_id,team,type,status,category,assignee,created,started,done,cycle_time_days,lead_time_days,age_days,blocked_days\n"
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
        "blocked_time",
        "work_mix",
        "iteration_predictability",
        "handoff_clarity",
        "stretch",
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
    let mut leftovers: Vec<String> = std::fs::read_dir(&s.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    leftovers.sort();
    assert_eq!(leftovers, [".site.lock", "bad.csv", "site"]);
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

#[test]
fn split_teams_gives_each_team_a_complete_site_holding_nothing_of_the_others() {
    let s = Scratch::new("split");
    let out = s.path("out");
    build_ok(&[&root().join("sample-data")], &out, &["--split-teams"]);
    let teams = [
        "design",
        "mobile",
        "payments",
        "platform",
        "service-desk",
        "support",
    ];
    let names = [
        "Design",
        "Mobile",
        "Payments",
        "Platform",
        "Service Desk",
        "Support",
    ];
    for (slug, name) in teams.iter().zip(names) {
        let dir = out.join(slug);
        for f in [
            "index.html",
            "kpis.html",
            "data-quality.html",
            "assets/style.css",
            "data/kpis.json",
        ] {
            assert!(dir.join(f).is_file(), "{slug}/{f}");
        }
        assert!(dir.join(format!("teams/{slug}/index.html")).is_file());
        assert!(dir.join(format!("data/{slug}/items.csv")).is_file());
        let k = kpis(&dir);
        assert_eq!(k["teams"].as_array().unwrap().len(), 1);
        assert_eq!(k["teams"][0]["team"], name);
        for (bytes, path) in tree(&dir).into_iter().map(|(p, b)| (b, p)) {
            let text = String::from_utf8_lossy(&bytes);
            for (other_slug, other) in teams.iter().zip(names).filter(|(o, _)| *o != slug) {
                assert!(
                    !text.contains(other) && !text.contains(&format!("/{other_slug}/")),
                    "{slug}/{}: mentions {other}",
                    path.display()
                );
            }
        }
    }
    let folders = std::fs::read_dir(&out)
        .unwrap()
        .filter(|e| {
            !e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with('.')
        })
        .count();
    assert_eq!(folders, teams.len());
    assert!(out.join(".teampulse-site").is_file());
}

#[test]
fn pseudonyms_replace_every_name_and_stay_the_same_across_runs() {
    let s = Scratch::new("people");
    let config = std::fs::read_to_string(root().join("sample-data/teampulse.toml")).unwrap();
    let config = s.write(
        "teampulse.toml",
        format!("pseudonym_secret = \"a test secret, long enough\"\n{config}"),
    );
    let args = ["-c", config.to_str().unwrap(), "--people", "pseudonym"];
    build_ok(&[&root().join("sample-data")], &s.path("a"), &args);
    build_ok(&[&root().join("sample-data")], &s.path("b"), &args);
    let (a, b) = (tree(&s.path("a")), tree(&s.path("b")));
    assert!(a == b, "pseudonymised builds differ");
    let people = [
        "ana", "ben", "chloe", "fatima", "gus", "lena", "omar", "lucía", "zoë", "quinn",
    ];
    for (path, bytes) in &a {
        let text = String::from_utf8_lossy(bytes);
        for p in people {
            let hit = text.match_indices(p).any(|(i, _)| {
                // A whole word: not inside another word such as "banana" or "Chloe's".
                let before = text[..i]
                    .chars()
                    .last()
                    .is_none_or(|c| !c.is_alphanumeric());
                let after = text[i + p.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
                before && after
            });
            assert!(!hit, "{} still names {p}", path.display());
        }
    }
    // Hidden mode without a secret is a config error.
    let out = teampulse(&[
        "build",
        root().join("sample-data").to_str().unwrap(),
        "--people",
        "hidden",
        "-o",
        s.path("c").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn markup_and_formulas_in_titles_and_names_come_out_inert() {
    let s = Scratch::new("inert");
    let csv = "task_id,timestamp,event,actor,assignee,status,title,team\n\
               \"=HYPERLINK(\"\"http://x\"\")\",2026-03-02T09:00:00Z,created,lead,\"<img src=x onerror=alert(1)>\",To Do,<script>alert(1)</script>,<b>Ops</b>\n\
               \"=HYPERLINK(\"\"http://x\"\")\",2026-03-03T09:00:00Z,status,\"<img src=x onerror=alert(1)>\",,In Progress,,\n\
               +SUM(1),2026-03-02T09:00:00Z,created,lead,@evil,To Do,\"\"\"quoted\"\" & <i>\",<b>Ops</b>\n\
               +SUM(1),2026-03-04T09:00:00Z,status,@evil,,In Progress,,\n";
    let input = s.write("events.csv", csv);
    build_ok(&[&input], &s.path("site"), &[]);
    for (path, bytes) in tree(&s.path("site")) {
        let text = String::from_utf8_lossy(&bytes);
        let ext = path
            .extension()
            .map_or(String::new(), |e| e.to_string_lossy().to_string());
        if ext == "html" {
            for raw in ["<script>", "<img", "<b>Ops", "<i>"] {
                assert!(!text.contains(raw), "{}: raw {raw}", path.display());
            }
        }
        if ext == "csv" {
            let mut r = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(bytes.as_slice());
            for rec in r.records() {
                for cell in rec.unwrap().iter() {
                    assert!(
                        !cell.starts_with(['=', '+', '-', '@']),
                        "{}: live formula {cell}",
                        path.display()
                    );
                }
            }
        }
    }
    let page = std::fs::read_to_string(s.path("site/teams/b-ops-b/index.html")).unwrap();
    assert!(
        page.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "the name is shown, escaped"
    );
}

#[test]
fn cycle_data_has_one_date_column_per_stage() {
    let s = Scratch::new("cycle-data");
    build_ok(
        &[&fixture("flow/events.csv")],
        &s.path("site"),
        &["--as-of", "2026-03-25T12:00:00Z"],
    );
    let text = std::fs::read_to_string(s.path("site/data/core/cycle-data.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "ID,Link,Name,Backlog,In Progress,Waiting,Done,Type,Status,Resolution"
    );
    // B: created 03-02, started 03-03, reopened, done 03-10; never waited, so Waiting takes
    // the Done date. C went straight to done: no stage dates between. D was cancelled.
    assert!(
        lines.contains(&"B,,,2026-03-02,2026-03-03,2026-03-10,2026-03-10,,Done,Done"),
        "{text}"
    );
    assert!(
        lines.contains(&"C,,,2026-03-02,,,2026-03-04,,Done,Done"),
        "{text}"
    );
    assert!(
        lines.contains(&"D,,,2026-03-02,2026-03-03,,,,Won't Do,Cancelled"),
        "{text}"
    );
}

#[test]
fn templates_and_css_can_be_overridden_from_a_folder() {
    let s = Scratch::new("branding");
    s.write(
        "brand/assets/style.css",
        "body { font-family: BrandSans; }\n",
    );
    let base = std::fs::read_to_string(root().join("templates/base.html")).unwrap();
    s.write(
        "brand/base.html",
        base.replace("<footer>", "<footer><p>ACME internal</p>"),
    );
    build_ok(
        &[&fixture("flow/events.csv")],
        &s.path("site"),
        &["--templates", s.path("brand").to_str().unwrap()],
    );
    assert_eq!(
        std::fs::read_to_string(s.path("site/assets/style.css")).unwrap(),
        "body { font-family: BrandSans; }\n"
    );
    for page in ["index.html", "kpis.html", "teams/core/index.html"] {
        assert!(
            std::fs::read_to_string(s.path(&format!("site/{page}")))
                .unwrap()
                .contains("ACME internal"),
            "{page}"
        );
    }
    // A broken override is a clear error naming the template, and the old site stays.
    s.write("bad/index.html", "{% if %}");
    let out = teampulse(&[
        "build",
        fixture("flow/events.csv").to_str().unwrap(),
        "--templates",
        s.path("bad").to_str().unwrap(),
        "-o",
        s.path("site").to_str().unwrap(),
    ]);
    assert_ne!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("template"), "{}", stderr(&out));
    assert!(std::fs::read_to_string(s.path("site/index.html"))
        .unwrap()
        .contains("ACME internal"));
}

#[test]
fn without_a_terminal_build_says_one_line_and_nothing_with_q() {
    let s = Scratch::new("quiet");
    let input = fixture("flow/events.csv");
    let out = teampulse(&[
        "build",
        input.to_str().unwrap(),
        "-o",
        s.path("a").to_str().unwrap(),
    ]);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("teampulse: built") && !err.contains('\r'),
        "{err}"
    );
    let out = teampulse(&[
        "build",
        input.to_str().unwrap(),
        "-o",
        s.path("b").to_str().unwrap(),
        "-q",
    ]);
    assert!(stderr(&out).is_empty() && stdout(&out).is_empty());
    let out = teampulse(&[
        "build",
        input.to_str().unwrap(),
        "-o",
        s.path("c").to_str().unwrap(),
        "-v",
    ]);
    let err = stderr(&out);
    let steps: Vec<&str> = err.lines().collect();
    assert!(
        steps.iter().any(|l| l.starts_with("teampulse: ingest "))
            && steps.iter().any(|l| l.starts_with("teampulse: render ")),
        "{steps:?}"
    );
}

#[test]
fn items_parquet_holds_the_items_rows_with_real_types() {
    use polars_parquet::read::{_read_metadata, infer_schema};
    let s = Scratch::new("parquet");
    let site = s.path("site");
    build_ok(&[&fixture("flow/events.csv")], &site, &[]);
    let bytes = std::fs::read(site.join("data/core/items.parquet")).unwrap();
    assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
    let meta = _read_metadata(&mut std::io::Cursor::new(&bytes)).unwrap();
    assert_eq!(meta.num_rows, items(&site, "core").len());
    let schema = infer_schema(&meta).unwrap();
    let types: Vec<(String, String)> = schema
        .iter_values()
        .map(|f| (f.name.to_string(), format!("{:?}", f.dtype)))
        .collect();
    let names: Vec<&str> = types.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, teampulse::site::ITEMS_HEADER);
    let of = |n: &str| types.iter().find(|(m, _)| m == n).unwrap().1.clone();
    assert_eq!(of("done"), "Date32");
    assert_eq!(of("cycle_time_days"), "Int32");
}
