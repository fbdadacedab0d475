//! Safe to run unattended: teampulse never destroys what it did not write, never drops or
//! doubles data quietly, never hangs on a folder, never merges two teams or two people, and
//! never leaks a hidden name. Each test reproduces a failure first seen in the field.

use std::path::Path;

use crate::util::*;

const HEADER: &str = "task_id,timestamp,event,actor,assignee,status,team,title,labels\n";

/// A small valid log: `n` tasks of team Core, each created, started and finished.
fn log(n: usize) -> String {
    let mut s = String::from(HEADER);
    for i in 0..n {
        let d = 1 + i % 27;
        s.push_str(&format!(
            "T-{i},2026-03-{d:02}T09:00:00Z,created,lead,ana,To Do,Core,Task {i},db\n\
             T-{i},2026-03-{d:02}T10:00:00Z,status,ana,,In Progress,,,\n\
             T-{i},2026-04-{d:02}T10:00:00Z,status,ana,,Done,,,\n"
        ));
    }
    s
}

fn build(args: &[&str]) -> std::process::Output {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    teampulse(&all)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

// ---- Output -------------------------------------------------------------------------------

#[test]
fn an_output_folder_of_someone_elses_files_is_refused_with_exit_2_and_left_alone() {
    let sc = Scratch::new("foreign-out");
    let input = sc.write("in/events.csv", log(3));
    let docs = sc.write("docs/thesis.tex", "my thesis");
    let out = build(&[s(&input), "-o", s(docs.parent().unwrap())]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("did not write"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&docs).unwrap(), "my thesis");
}

#[test]
fn an_output_that_is_or_holds_the_inputs_or_is_a_file_is_refused() {
    let sc = Scratch::new("out-inputs");
    let input = sc.write("proj/in/events.csv", log(3));
    let in_dir = sc.path("proj/in");
    let before = tree(&sc.0);
    for out_dir in [in_dir.clone(), sc.path("proj"), input.clone()] {
        let out = build(&[s(&in_dir), "-o", s(&out_dir)]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{}: {}",
            out_dir.display(),
            stderr(&out)
        );
    }
    assert_eq!(tree(&sc.0), before, "nothing may change");
    // A config inside the output is protected too.
    let cfg = sc.write("cfgdir/teampulse.toml", "");
    let out = build(&[s(&input), "-c", s(&cfg), "-o", s(&sc.path("cfgdir"))]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(cfg.exists());
}

#[test]
fn every_site_carries_the_marker_and_is_replaced_by_the_next_build() {
    let sc = Scratch::new("marker");
    let input = sc.write("events.csv", log(3));
    let site = sc.path("site");
    build_ok(&[&input], &site, &[]);
    assert!(site.join(".teampulse-site").is_file());
    std::fs::write(site.join("stray.html"), "old").unwrap();
    build_ok(&[&input], &site, &[]);
    assert!(!site.join("stray.html").exists());
}

#[test]
fn a_build_in_the_input_folder_works_every_night() {
    let sc = Scratch::new("build-dot");
    sc.write("proj/events.csv", log(4));
    sc.write("proj/.git/config.csv", "not,an,export\n");
    sc.write("proj/.site.building-99/x.csv", "junk\n");
    let proj = sc.path("proj");
    for _ in 0..3 {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_teampulse"))
            .args(["build", "."])
            .current_dir(&proj)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let k = kpis(&proj.join("site"));
    assert_eq!(k["inputs"].as_array().unwrap().len(), 1, "{}", k["inputs"]);
    assert_eq!(k["inputs"][0]["path"], "events.csv");
}

#[test]
fn builds_into_one_folder_at_once_all_succeed_and_leave_nothing_behind() {
    let sc = Scratch::new("concurrent");
    let input = sc.write("events.csv", log(40));
    let site = sc.path("site");
    let children: Vec<_> = (0..4)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_teampulse"))
                .args(["build", s(&input), "-o", s(&site), "-q"])
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let mut left: Vec<String> = std::fs::read_dir(&sc.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    left.sort();
    assert_eq!(left, [".site.lock", "events.csv", "site"]);
}

#[test]
fn readers_never_see_the_site_without_its_index_during_a_rebuild() {
    let sc = Scratch::new("swap");
    let input = sc.write("events.csv", log(20));
    let site = sc.path("site");
    build_ok(&[&input], &site, &[]);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let (stop, index) = (stop.clone(), site.join("index.html"));
        std::thread::spawn(move || {
            let mut missing = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                if !index.exists() {
                    missing += 1;
                }
            }
            missing
        })
    };
    for _ in 0..5 {
        build_ok(&[&input], &site, &[]);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert_eq!(
        watcher.join().unwrap(),
        0,
        "index.html was missing during a swap"
    );
}

#[test]
fn staging_folders_of_killed_builds_are_cleaned_up() {
    let sc = Scratch::new("stale");
    let input = sc.write("events.csv", log(3));
    sc.write(".site.building-12345/.teampulse-site", "x");
    sc.write(".site.building-12345/index.html", "half");
    build_ok(&[&input], &sc.path("site"), &[]);
    assert!(!sc.path(".site.building-12345").exists());
}

#[test]
fn an_output_that_cannot_be_written_exits_4() {
    let sc = Scratch::new("exit4");
    let input = sc.write("events.csv", log(3));
    let blocker = sc.write("blocker", "a file where a folder should be");
    let out = build(&[s(&input), "-o", s(&blocker.join("site"))]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
}

// ---- Input accounting ---------------------------------------------------------------------

#[test]
fn an_unterminated_quote_costs_its_own_line_not_the_rest_of_the_file() {
    let sc = Scratch::new("quote");
    let mut text = log(100);
    let lines: Vec<&str> = text.lines().collect();
    let mut broken: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    broken[11] = broken[11].replacen(",ana,", ",\"ana,", 1);
    text = broken.join("\n") + "\n";
    let input = sc.write("events.csv", text);
    let site = sc.path("site");
    build_ok(&[&input], &site, &[]);
    let k = kpis(&site);
    assert_eq!(k["inputs"][0]["records"], 300);
    assert_eq!(k["inputs"][0]["rejected"], 1);
    assert_eq!(k["inputs"][0]["tasks"], 100);
    let rejections = std::fs::read_to_string(site.join("data/rejections.csv")).unwrap();
    assert!(
        rejections.contains("events.csv,12,unterminated quoted field"),
        "{rejections}"
    );
}

#[test]
fn line_numbers_are_exact_in_crlf_and_cr_files() {
    for (name, eol) in [("crlf", "\r\n"), ("cr", "\r"), ("lf", "\n")] {
        let sc = Scratch::new(name);
        let text = format!(
            "task_id,timestamp,event,actor{eol}A,2026-03-02T09:00:00Z,created,ana{eol}A,\"multi{eol}line\",comment,ana{eol}A,not a date,comment,ana{eol}A,2026-03-03T09:00:00Z,comment,ana{eol}"
        );
        let input = sc.write("events.csv", text);
        let site = sc.path("site");
        build_ok(&[&input], &site, &[]);
        let rej = std::fs::read_to_string(site.join("data/rejections.csv")).unwrap();
        assert!(rej.contains("events.csv,3,"), "{name}: {rej}");
        assert!(
            rej.contains("events.csv,5,\"unparseable timestamp 'not a date'"),
            "{name}: {rej}"
        );
    }
}

#[cfg(unix)]
#[test]
fn folder_scans_follow_no_loop_read_no_pipe_and_read_each_file_once() {
    let sc = Scratch::new("walk");
    let input = sc.write("in/events.csv", log(5));
    let dir = sc.path("in");
    std::os::unix::fs::symlink(".", dir.join("self")).unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("loop")).unwrap();
    let fifo = dir.join("pipe.csv");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let site = sc.path("site");
    // The folder, the file again and a link to it: every event once.
    build_ok(&[&dir, &input, &dir.join("self/events.csv")], &site, &[]);
    let k = kpis(&site);
    assert_eq!(k["inputs"].as_array().unwrap().len(), 1, "{}", k["inputs"]);
    let items = items(&site, "core");
    assert_eq!(items.len(), 5);
    let page = std::fs::read_to_string(site.join("data-quality.html")).unwrap();
    assert!(
        page.contains("pipe.csv") && page.contains("not a regular file"),
        "skipped entries are listed"
    );
}

#[test]
fn overlapping_exports_count_each_event_once_whatever_the_argument_order() {
    let sc = Scratch::new("overlap");
    let all = log(6);
    let lines: Vec<&str> = all.lines().collect();
    // a: header + tasks 0-3; b: header + tasks 2-5 — tasks 2 and 3 are in both.
    let a = format!("{}\n{}\n", lines[0], lines[1..13].join("\n"));
    let b = format!("{}\n{}\n", lines[0], lines[7..19].join("\n"));
    let a = sc.write("a.csv", a);
    let b = sc.write("b.csv", b);
    let one = sc.path("one");
    let two = sc.path("two");
    build_ok(&[&a, &b], &one, &[]);
    build_ok(&[&b, &a], &two, &[]);
    assert_eq!(tree(&one), tree(&two), "argument order changed the site");
    let k = kpis(&one);
    assert_eq!(k["inputs"][1]["duplicates"], 6, "{}", k["inputs"]);
    assert_eq!(items(&one, "core").len(), 6);
    let single = sc.write("all.csv", all);
    let three = sc.path("three");
    build_ok(&[&single], &three, &[]);
    let kk = kpis(&three);
    assert_eq!(k["teams"][0]["kpis"], kk["teams"][0]["kpis"]);
    let page = std::fs::read_to_string(one.join("data-quality.html")).unwrap();
    assert!(
        page.contains("(6 dropped in all)"),
        "the page says how many duplicates were dropped"
    );
}

// ---- Dates --------------------------------------------------------------------------------

#[test]
fn a_mistyped_year_is_rejected_with_its_line_and_never_moves_now() {
    let sc = Scratch::new("typo-year");
    let good = log(30);
    let clean = sc.write("clean.csv", &good);
    let mut bad = good.clone();
    bad.push_str("T-1,2206-03-05T09:00:00Z,comment,ana,,,,,\n");
    bad.push_str("T-2,9999-12-31T00:00:00Z,comment,ana,,,,,\n");
    bad.push_str("T-3,0001-01-01T00:00:00Z,comment,ana,,,,,\n");
    bad.push_str("T-4,+262142-12-31T00:00:00Z,comment,ana,,,,,\n");
    let typo = sc.write("typo/clean.csv", bad);
    let (a, b) = (sc.path("a"), sc.path("b"));
    build_ok(&[&clean], &a, &[]);
    build_ok(&[&typo], &b, &[]);
    let (ka, kb) = (kpis(&a), kpis(&b));
    assert_eq!(ka["as_of"], kb["as_of"]);
    assert_eq!(ka["teams"], kb["teams"]);
    assert_eq!(kb["inputs"][0]["rejected"], 4);
    let rej = std::fs::read_to_string(b.join("data/rejections.csv")).unwrap();
    for line in 92..=94 {
        assert!(
            rej.contains(&format!("clean.csv,{line},implausible date")),
            "{rej}"
        );
    }
    // A six-digit year: refused (as implausible, or as unparseable), never a panic.
    assert!(rej.contains("clean.csv,95,"), "{rej}");
    let size: usize = tree(&b).values().map(Vec::len).sum();
    assert!(size < 2_000_000, "site of {size} bytes");
}

#[test]
fn a_year_far_after_the_rest_of_the_data_is_rejected_even_before_the_clock() {
    let sc = Scratch::new("far-after");
    // The typo on line 11, an unparseable timestamp on the last line (243).
    let mut lines: Vec<String> = log(80)
        .replace("2026-", "2023-")
        .lines()
        .map(String::from)
        .collect();
    lines.insert(10, "T-1,2025-06-01T09:00:00Z,comment,ana,,,,,".into());
    lines.push("T-2,not a date,comment,ana,,,,,".into());
    let input = sc.write("events.csv", lines.join("\n") + "\n");
    let site = sc.path("site");
    build_ok(&[&input], &site, &[]);
    let k = kpis(&site);
    assert!(
        k["as_of"].as_str().unwrap().starts_with("2023-04"),
        "{}",
        k["as_of"]
    );
    // Listed in line order, though the reading found line 243 first.
    let rej = std::fs::read_to_string(site.join("data/rejections.csv")).unwrap();
    let rows: Vec<&str> = rej.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{rej}");
    assert!(
        rows[0].starts_with("events.csv,11,implausible date"),
        "{rej}"
    );
    assert!(rows[1].starts_with("events.csv,243,"), "{rej}");
}

#[test]
fn a_mistyped_due_date_is_rejected_with_its_line() {
    // 2206 for 2026, and a due date of 1970 (a placeholder): both refused, the rest kept.
    let sc = Scratch::new("due-typo");
    let text = "task_id,timestamp,event,status,team,due\n\
        T-1,2026-03-02T09:00:00Z,created,To Do,Core,2026-03-20\n\
        T-2,2026-03-02T09:00:00Z,created,To Do,Core,2206-03-20\n\
        T-3,2026-03-02T09:00:00Z,created,To Do,Core,1970-01-01\n";
    let input = sc.write("events.csv", text);
    let site = sc.path("site");
    build_ok(&[&input], &site, &["--as-of", "2026-03-21T00:00:00Z"]);
    let rejections = std::fs::read_to_string(site.join("data/rejections.csv")).unwrap();
    assert!(
        rejections
            .contains("events.csv,3,due: implausible date '2206-03-20': more than 20 years after")
            && rejections.contains("events.csv,4,due: implausible date '1970-01-01': before 1990"),
        "{rejections}"
    );
    let k = kpis(&site);
    let due = kpi(&k, 0, "due_date_reliability");
    assert_eq!(due["flagged"], serde_json::json!(["T-1"]));
}

#[test]
fn as_of_before_all_the_data_is_an_error() {
    let sc = Scratch::new("as-of");
    let input = sc.write("events.csv", log(3));
    let out = build(&[
        s(&input),
        "-o",
        s(&sc.path("site")),
        "--as-of",
        "2020-01-01T00:00:00Z",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("before all the data"),
        "{}",
        stderr(&out)
    );
    assert!(!sc.path("site").exists());
}

#[test]
fn the_data_quality_page_lists_at_most_200_rows() {
    let sc = Scratch::new("cap");
    let mut text = log(3);
    for i in 0..500 {
        text.push_str(&format!("X-{i},garbage,comment,ana,,,,,\n"));
    }
    let input = sc.write("events.csv", text);
    let site = sc.path("site");
    build_ok(&[&input], &site, &[]);
    let page = std::fs::read_to_string(site.join("data-quality.html")).unwrap();
    let rows = page
        .matches("unparseable timestamp &#39;garbage&#39;")
        .count();
    assert_eq!(rows, 200, "rows listed on the page");
    let csv = std::fs::read_to_string(site.join("data/rejections.csv")).unwrap();
    assert_eq!(csv.lines().count(), 501);
}

// ---- Names --------------------------------------------------------------------------------

#[test]
fn team_names_are_never_merged_and_slugs_are_safe() {
    let sc = Scratch::new("team-names");
    let names = [
        "Команда Альфа",
        "開発チーム",
        "צוות",
        "Ομάδα",
        "Team A",
        "team-a",
        "TEAM_A",
        "a/b",
        "a\\b",
        ".",
        "..",
        "con",
    ];
    let long = "L".repeat(300);
    let mut text = String::from(HEADER);
    for (i, n) in names
        .iter()
        .map(|n| n.to_string())
        .chain([long])
        .enumerate()
    {
        let n = if n.contains(['"', ',']) {
            format!("\"{n}\"")
        } else {
            n
        };
        text.push_str(&format!(
            "T-{i},2026-03-02T09:00:00Z,created,lead,ana,To Do,{n},t,\n"
        ));
    }
    let input = sc.write("events.csv", text);
    let site = sc.path("site");
    build_ok(&[&input], &site, &[]);
    let k = kpis(&site);
    let teams = k["teams"].as_array().unwrap();
    assert_eq!(teams.len(), names.len() + 1);
    let mut slugs: Vec<&str> = teams.iter().map(|t| t["slug"].as_str().unwrap()).collect();
    slugs.sort();
    slugs.dedup();
    assert_eq!(slugs.len(), names.len() + 1, "{slugs:?}");
    assert!(
        slugs.contains(&"komanda-alfa") && slugs.contains(&"con-team"),
        "{slugs:?}"
    );
    assert!(slugs.iter().all(|s| s.len() <= 48 && !s.starts_with('.')));
}

#[test]
fn hidden_and_pseudonym_builds_publish_no_real_name_anywhere() {
    let sc = Scratch::new("privacy");
    let text = format!(
        "{HEADER}T-1,2026-03-02T09:00:00Z,created,Zelda Quist,Ulrich Varga,To Do,Core,Ask Zelda Quist about ulrich's bug,zelda-review\n\
         T-1,2026-03-03T09:00:00Z,status,Ulrich Varga,,In Progress,,,\n\
         T-1,not a date Zelda Quist,comment,Ulrich Varga,,,,,\n\
         T-2,2026-03-04T09:00:00Z,created,Zelda Quist,Ulrich Varga,To Do,Core,Fix it,\n\
         T-3,2026-03-05T09:00:00Z,created,Zelda Quist,,To Do,Core,Also,marlowe-fix;petronella\n\
         T-3,2206-03-05T09:00:00Z,comment,Quentin Marlowe,,,,,\n\
         T-3,yesterday,comment,Petronella Okafor,,,,,\n"
    );
    let input = sc.write("events.csv", text);
    // Quentin Marlowe and Petronella Okafor are named only on rejected rows.
    let names = ["zelda", "quist", "ulrich", "varga", "marlowe", "petronella"];
    assert_no_name_in_hidden_or_pseudonym_sites(&sc, &input, &names);
}

#[test]
fn people_on_rejected_rows_of_tracker_exports_are_scrubbed_too() {
    // Wilhelmina Crabtree (Jira), Ignatius Fenwick (ServiceNow), Ottoline Marchbanks (a comment
    // or journal author) and Horatio Pennywhistle (Trello) are named only on rejected rows, and
    // Leopold Quennell only as who resolved an incident; labels elsewhere name them.
    let sc = Scratch::new("privacy-rejected");
    let jira = sc.write(
        "jira/jira.csv",
        "Issue key,Summary,Issue Type,Status,Assignee,Reporter,Created,Updated,Resolved,Labels,Comment\n\
         AB-1,One,Task,To Do,ana,ana,2026-03-02 09:00,2026-03-02 09:00,,crabtree-fix marchbanks,\n\
         AB-2,Two,Task,Done,Wilhelmina Crabtree,ana,not a date,2026-03-03 09:00,2026-03-03 09:00,,\
         03/Mar/26 9:30 AM;Ottoline Marchbanks;hello\n",
    );
    let names = ["crabtree", "wilhelmina", "marchbanks", "ottoline"];
    assert_no_name_in_hidden_or_pseudonym_sites(&sc, &jira, &names);
    let servicenow = sc.write(
        "servicenow/incident.csv",
        "number,short_description,state,assigned_to,opened_by,resolved_by,opened_at,sys_updated_on,closed_at,sys_tags,comments\n\
         INC001,One,New,ana,ana,Leopold Quennell,2026-03-02 09:00:00,2026-03-02 09:00:00,,fenwick-review quennell-fix marchbanks,\n\
         INC002,Two,Closed,Ignatius Fenwick,ana,,bad,2026-03-03 09:00:00,2026-03-03 09:00:00,,\
         \"2026-03-03 10:00:00 - Ottoline Marchbanks (Additional comments)\nhello\"\n",
    );
    let names = [
        "fenwick",
        "ignatius",
        "quennell",
        "leopold",
        "marchbanks",
        "ottoline",
    ];
    assert_no_name_in_hidden_or_pseudonym_sites(&sc, &servicenow, &names);
    let trello = sc.write(
        "trello/board.csv",
        "Card ID,Card Name,List Name,Board Name,Members,Labels,Due Date,Last Activity Date\n\
         69a5d0c0a1b2c3d4e5f60718,One,Doing,Board,ana,horatio-review,,2026-03-03T10:00:00.000Z\n\
         zz,Two,Done,Board,Horatio Pennywhistle,,,2026-03-03T10:00:00.000Z\n",
    );
    assert_no_name_in_hidden_or_pseudonym_sites(&sc, &trello, &["horatio", "pennywhistle"]);
    // A Trello board whose only mention of Hieronymus Vandersloot (not a board member) is an
    // action refused for its date.
    let mut board: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture("formats/trello-board.json")).unwrap())
            .unwrap();
    board["cards"][0]["labels"] = serde_json::json!([{"name": "vandersloot-fix"}]);
    let refused = serde_json::json!({
        "id": "a99", "type": "commentCard", "date": "not a date",
        "memberCreator": {"fullName": "Hieronymus Vandersloot", "username": "hvandersloot"},
        "data": {"card": {"id": "69a5b3100000000000000c01", "idShort": 1}, "text": "hi"}
    });
    board["actions"].as_array_mut().unwrap().push(refused);
    let json = sc.write("trello-json/board.json", board.to_string());
    assert_no_name_in_hidden_or_pseudonym_sites(&sc, &json, &["vandersloot", "hieronymus"]);
}

/// Builds `input` with `--people hidden` and with `pseudonym`, and fails where any file of
/// either site shows one of `names` (lower case), in any case.
fn assert_no_name_in_hidden_or_pseudonym_sites(sc: &Scratch, input: &Path, names: &[&str]) {
    hidden_and_pseudonym_sites(sc, input, "", names);
}

/// [`assert_no_name_in_hidden_or_pseudonym_sites`] with `config` added to the config; the
/// two sites, hidden first.
fn hidden_and_pseudonym_sites(
    sc: &Scratch,
    input: &Path,
    config: &str,
    names: &[&str],
) -> [std::path::PathBuf; 2] {
    let cfg = sc.write(
        "privacy.toml",
        format!("pseudonym_secret = \"a long enough test secret\"\n{config}"),
    );
    ["hidden", "pseudonym"].map(|mode| {
        let site = sc.path(mode);
        build_ok(&[input], &site, &["-c", s(&cfg), "--people", mode]);
        for (path, bytes) in tree(&site) {
            let text = String::from_utf8_lossy(&bytes).to_lowercase();
            for name in names {
                assert!(
                    !text.contains(name),
                    "{mode}: {} shows {name}",
                    path.display()
                );
            }
        }
        site
    })
}

#[test]
fn names_in_statuses_types_teams_and_file_names_are_scrubbed_too() {
    let sc = Scratch::new("privacy-more");
    let text = "task_id,timestamp,event,actor,assignee,status,team,title,type\n\
        B-1,2026-03-01T10:00:00Z,created,Bartholomew Quigley,,To Do,Team Quigley,x,Bartholomew-type\n\
        B-1,2026-03-02T10:00:00Z,assigned,Bartholomew Quigley,Zebediah Smithers,,,,\n\
        B-1,2026-03-03T10:00:00Z,status,Zebediah Smithers,,Waiting for Zebediah,,,\n\
        B-2,2026-03-03T10:00:00Z,created,Zebediah Smithers,,Smithers Review,Core,y,Task\n\
        B-2,2026-03-04T10:00:00Z,assigned,Zebediah Smithers,\"Zebediah Smithers, Ottoline Prufrock\",,,,\n\
        B-3,2026-03-04T11:00:00Z,created,Zebediah Smithers,,Ask Prufrock,Core,z,Ottoline-type\n";
    sc.write("Zebediah/export-Bartholomew.csv", text);
    let cfg = sc.write("c.toml", "pseudonym_secret = \"a long enough test secret\"\n[statuses]\n\"Smithers Review\" = \"waiting\"\n");
    let site = sc.path("site");
    build_ok(
        &[&sc.path("Zebediah")],
        &site,
        &["-c", s(&cfg), "--people", "hidden"],
    );
    for (path, bytes) in tree(&site) {
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        // Ottoline Prufrock is only ever the second of two assignees.
        for name in [
            "zebediah",
            "bartholomew",
            "quigley",
            "smithers",
            "ottoline",
            "prufrock",
        ] {
            assert!(!text.contains(name), "{} shows {name}", path.display());
        }
    }
    // The config's status mapping still applies to the scrubbed status.
    let items = items(&site, "core");
    assert_eq!(items[0]["category"], "waiting", "{items:?}");
}

#[test]
fn display_names_beside_usernames_are_scrubbed_too() {
    // GitLab identifies people by username; their display names stand in other columns and
    // must not reach a hidden site through the labels either.
    let sc = Scratch::new("privacy-usernames");
    let text = "Title,Description,Issue ID,URL,State,Author,Author Username,Assignee,Assignee Username,Confidential,Locked,Due Date,Created At (UTC),Updated At (UTC),Closed At (UTC),Milestone,Weight,Labels,Time Estimate,Time Spent\n\
        Fix the login,,12,https://gitlab.invalid/p/-/issues/12,Closed,Sabine Threlkeld,sthrelkeld,Raimund Oberhauser,roberhauser,No,No,2026-03-10,2026-03-02 09:00:00,2026-03-05 17:00:00,2026-03-05 17:00:00,Sprint 4,3,\"threlkeld,oberhauser,sabine-review\",0,0\n";
    let input = sc.write("gitlab.csv", text);
    let names = ["threlkeld", "oberhauser", "sabine", "raimund"];
    assert_no_name_in_hidden_or_pseudonym_sites(&sc, &input, &names);
}

#[test]
fn people_in_columns_no_reader_maps_are_scrubbed_too() {
    // Azure DevOps names who closed, activated and changed a work item; Jira lists watchers
    // and people in custom fields. Their names reach the labels only.
    let sc = Scratch::new("privacy-more-columns");
    let azure = sc.write(
        "azure.csv",
        "ID,Work Item Type,Title,Assigned To,State,Tags,Created Date,Closed Date,Closed By,Activated By,Changed By\n\
         1,Bug,x,Ana Lima <ana@example.com>,Closed,olga-qa; review-petrova; ingrid; bolton,2026-03-02 09:00,2026-03-04 09:00,\
         Olga Petrova <olga@example.com>,Ingrid Sandoval <i@example.com>,Bartholomew Bolton <b@example.com>\n",
    );
    let names = [
        "olga",
        "petrov",
        "ingrid",
        "sandoval",
        "bolton",
        "bartholomew",
    ];
    assert_no_name_in_hidden_or_pseudonym_sites(&sc, &azure, &names);
    let jira = sc.write(
        "jira.csv",
        "Issue key,Summary,Issue Type,Status,Assignee,Reporter,Created,Updated,Resolved,Labels,Watchers,Watchers,Custom field (Reviewer)\n\
         AB-1,One,Task,Done,ana,ana,2026-03-02 09:00,2026-03-03 09:00,2026-03-03 09:00,hugo-asked,Hugo Lindqvist,Weiqiang Zhang,Priya Raman\n\
         AB-2,Two,Task,To Do,ana,ana,2026-03-02 09:00,2026-03-02 09:00,,for-weiqiang priya-ok,,,\n",
    );
    let names = ["hugo", "lindqvist", "weiqiang", "zhang", "priya", "raman"];
    assert_no_name_in_hidden_or_pseudonym_sites(&sc, &jira, &names);
}

#[test]
fn a_value_spelt_like_a_person_is_scrubbed_and_hiding_names_merges_no_teams() {
    // A ClickUp Space named after its owner is the same string as her assignee value; a status
    // is spelt like an assignee; two Spaces differ only in whose they are; the config names a
    // team and a decision after people.
    let sc = Scratch::new("privacy-values");
    let input = sc.write(
        "clickup.csv",
        "\"Task ID\",\"Task Name\",\"Status\",\"Assignee\",\"Date Created\",\"Date Done\",\"Space\"\n\
         \"s1\",\"t\",\"in progress\",\"[Quentin Tarbell]\",\"2026-03-02T09:00:00.000+02:00\",\"\",\"Quentin Tarbell\"\n\
         \"s2\",\"u\",\"complete\",\"[Anneliese Voss]\",\"2026-03-02T09:00:00.000+02:00\",\"2026-03-05T09:00:00.000+02:00\",\"Anneliese's Team\"\n\
         \"s3\",\"v\",\"complete\",\"[Rajesh Kowalczyk]\",\"2026-03-02T09:00:00.000+02:00\",\"2026-03-06T09:00:00.000+02:00\",\"Rajesh's Team\"\n\
         \"s4\",\"w\",\"Rajesh Kowalczyk\",\"[Rajesh Kowalczyk]\",\"2026-03-02T09:00:00.000+02:00\",\"\",\"Platform\"\n",
    );
    let config = "[teams.alpha]\nname = \"Quentin's crew\"\nmatch = [\"Platform\"]\n\
        [[decisions]]\ndate = \"2026-03-04\"\nteam = \"Quentin's crew\"\n\
        text = \"Anneliese pairs with Rajesh\"\n";
    let names = [
        "quentin",
        "tarbell",
        "anneliese",
        "voss",
        "rajesh",
        "kowalczyk",
    ];
    for site in hidden_and_pseudonym_sites(&sc, &input, config, &names) {
        // Four teams, as in a named build: Quentin's Space, the two possessive Spaces told
        // apart, and the configured team, still with its decision.
        let k = kpis(&site);
        let teams = k["teams"].as_array().unwrap();
        assert_eq!(teams.len(), 4, "{}: {teams:?}", site.display());
        let alpha = teams.iter().find(|t| t["slug"] == "alpha").unwrap();
        assert_eq!(alpha["decisions"].as_array().unwrap().len(), 1);
    }
}

#[test]
fn names_learnt_later_or_after_a_switch_to_hidden_are_hidden_in_what_earlier_builds_left() {
    // Night 1 knows no Zed: its team `Zed Ops` is published as written. Night 2 assigns Zed
    // Quist: the history's `Zed Ops` and tonight's are one team, hidden, and what changed
    // names neither. Then a site built with names is rebuilt hidden: no name of the named
    // build is left in what changed.
    let sc = Scratch::new("privacy-later");
    let night = |n: u32, assignee: &str| {
        sc.write(
            "ex/gitlab.csv",
            format!(
                "Title,Issue ID,State,Assignee,Created At (UTC),Milestone\n\
                 a,1,Opened,{assignee},2026-03-02 09:00:00,Zed Ops\n\
                 b,2,Opened,ana,2026-03-02 09:00:00,Zed Ops\n\
                 c,3,Opened,ana,2026-03-0{n} 09:00:00,Core\n"
            ),
        )
    };
    let cfg = sc.write(
        "c.toml",
        "pseudonym_secret = \"a long enough test secret\"\n",
    );
    let (site, history) = (sc.path("site"), sc.path("history"));
    let args = |at: &'static str| {
        vec![
            "-c".to_string(),
            s(&cfg).to_string(),
            "--people".into(),
            "hidden".into(),
            "--history".into(),
            s(&history).to_string(),
            "--as-of".into(),
            at.into(),
        ]
    };
    let a = args("2026-03-02T20:00:00Z");
    build_ok(
        &[&night(2, "ana")],
        &site,
        &a.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let a = args("2026-03-03T20:00:00Z");
    build_ok(
        &[&night(3, "Zed Quist")],
        &site,
        &a.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let k = kpis(&site);
    let teams = team_names(&k);
    assert_eq!(teams.len(), 2, "{teams:?}");
    for (path, bytes) in tree(&site) {
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        assert!(!text.contains("zed"), "{} shows zed", path.display());
    }
    let md = std::fs::read_to_string(site.join("data/changes.md")).unwrap();
    assert!(
        !md.contains("new on the site") && !md.contains("no longer"),
        "{md}"
    );
    // Night 4: Zed's task went back to ana; Zed is in no export any more, but the history
    // remembers the word that named him: the team keeps its hidden name.
    let a = args("2026-03-04T20:00:00Z");
    build_ok(
        &[&night(4, "ana")],
        &site,
        &a.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert_eq!(team_names(&kpis(&site)), teams);
    for (path, bytes) in tree(&site) {
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        assert!(
            !text.contains("zed"),
            "night 4: {} shows zed",
            path.display()
        );
    }

    let named = sc.path("named");
    let log = sc.write(
        "log.csv",
        "task_id,timestamp,event,actor,assignee,status,team\n\
         T-1,2026-03-02T09:00:00Z,created,May Chen,May Chen,In Progress,Ops May\n",
    );
    build_ok(&[&log], &named, &["--as-of", "2026-03-03T00:00:00Z"]);
    build_ok(
        &[&log],
        &named,
        &[
            "-c",
            s(&cfg),
            "--people",
            "hidden",
            "--as-of",
            "2026-03-04T00:00:00Z",
        ],
    );
    for (path, bytes) in tree(&named) {
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        assert!(!text.contains("may"), "{} shows may", path.display());
    }
}

#[test]
fn hiding_names_keeps_the_configs_teams_decisions_and_default_team_apart() {
    // The config names a team after Anneliese, its default team after Leopold, and decisions by a
    // team's key and by a value its `match` claims; a second team's value holds Rajesh's name.
    let sc = Scratch::new("privacy-config");
    let log = sc.write(
        "log.csv",
        "task_id,timestamp,event,actor,assignee,status,team\n\
         A-1,2026-03-02T09:00:00Z,created,Anneliese Lindqvist,Anneliese Lindqvist,In Progress,Anneliese's Team\n\
         B-1,2026-03-02T09:00:00Z,created,Rajesh Kowalczyk,Rajesh Kowalczyk,In Progress,Rajesh's Team\n\
         C-1,2026-03-02T09:00:00Z,created,Leopold Wintergreen,Leopold Wintergreen,In Progress,\n\
         D-1,2026-03-02T09:00:00Z,created,Kimberley Odegaard,Kimberley Odegaard,In Progress,kimteam\n",
    );
    let config = "default_team = \"Leopold's Team\"\n\
        [teams.alpha]\nname = \"Anneliese's Team\"\n\
        [teams.kim]\nname = \"Platform\"\nmatch = [\"kimteam\"]\n\
        [[decisions]]\ndate = \"2026-02-20\"\nteam = \"kim\"\ntext = \"WIP limit of 2\"\n\
        [[decisions]]\ndate = \"2026-02-20\"\nteam = \"kimteam\"\ntext = \"pairing\"\n";
    let shape = |site: &Path| -> Vec<(String, f64, usize)> {
        let k = kpis(site);
        let mut v: Vec<(String, f64, usize)> = k["teams"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                let wip = t["kpis"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|x| x["id"] == "wip")
                    .unwrap()["value"]
                    .as_f64()
                    .unwrap();
                (
                    t["slug"].as_str().unwrap().to_string(),
                    wip,
                    t["decisions"].as_array().unwrap().len(),
                )
            })
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    let named = sc.path("named");
    let cfg = sc.write("named.toml", config);
    build_ok(
        &[&log],
        &named,
        &["-c", s(&cfg), "--as-of", "2026-03-03T00:00:00Z"],
    );
    let names = [
        "anneliese",
        "lindqvist",
        "rajesh",
        "kowalczyk",
        "leopold",
        "wintergreen",
    ];
    for site in hidden_and_pseudonym_sites(&sc, &log, config, &names) {
        // The same teams (the unclaimed ones under another folder name), the same WIP, the
        // same decisions.
        let (a, b) = (shape(&named), shape(&site));
        assert_eq!(a.len(), b.len(), "{a:?} {b:?}");
        let counts = |v: &[(String, f64, usize)]| {
            let mut c: Vec<(f64, usize)> = v.iter().map(|x| (x.1, x.2)).collect();
            c.sort_by(|x, y| x.partial_cmp(y).unwrap());
            c
        };
        assert_eq!(counts(&a), counts(&b), "{a:?} {b:?}");
        assert!(b.iter().any(|x| x.0 == "kim" && x.2 == 2), "{b:?}");
    }
}

#[test]
fn names_are_hidden_whatever_their_case_accents_or_script() {
    // Capitals without the accents the name has, accents the name lacks, a dotless ı, and a
    // Chinese name inside Chinese words (no spaces): in team names (and so folder names) and
    // labels.
    let sc = Scratch::new("privacy-scripts");
    let log = sc.write(
        "log.csv",
        "task_id,timestamp,event,actor,assignee,status,team,title,labels\n\
         A-1,2026-03-02T09:00:00Z,created,Işık Demir,Işık Demir,To Do,IŞIK TEAM,t,ışık\n\
         A-2,2026-03-02T09:00:00Z,created,Κώστας Παπαδόπουλος,Κώστας Παπαδόπουλος,To Do,ΟΜΑΔΑ ΚΩΣΤΑΣ,t,\n\
         A-3,2026-03-02T09:00:00Z,created,jose.nunez,jose.nunez,To Do,Equipo José,t,nuñez\n\
         A-4,2026-03-02T09:00:00Z,created,Zoe Quinn,Zoe Quinn,To Do,Zoë's crew,t,\n\
         A-5,2026-03-02T09:00:00Z,created,王芳,王芳,To Do,王芳组,t,审核王芳\n",
    );
    let names = [
        "işik",
        "ışık",
        "isik",
        "κωστας",
        "κωστασ",
        "kostas",
        "josé",
        "jose",
        "nuñez",
        "zoë",
        "zoe",
        "王芳",
        "wang-fang",
    ];
    assert_no_name_in_hidden_or_pseudonym_sites(&sc, &log, &names);
}

#[test]
fn hiding_names_changes_no_kpi() {
    // Labels that are first names, sprints and statuses named after people called May and
    // June, the automation's words ("for"), a blocked status and an unplanned label that hold
    // names: every KPI is the same hidden.
    let sc = Scratch::new("privacy-numbers");
    let mut text = String::from(
        "task_id,timestamp,event,actor,assignee,status,team,title,labels,type,iteration\n",
    );
    let people = ["Austin Reed", "Sydney Park", "May Chen", "June Park"];
    let labels = ["austin", "sydney", "jordan", "Austin", "AUSTIN"];
    for i in 0..12 {
        let who = people[i % 4];
        // Sprints and statuses that differ only in a name's capitals are two, as named.
        let (sprint, review) = match i % 3 {
            0 => ("May 2026", "Review by May"),
            1 => ("June 2026", "Review by June"),
            _ => ("may 2026", "Review by MAY"),
        };
        let label = labels[i % 5];
        // The blocked status, as the config writes it and in capitals.
        let blocked = ["Waiting for Sydney", "WAITING FOR SYDNEY"][i % 2];
        let d = 5 + i;
        text.push_str(&format!(
            "T-{i},2026-01-{d:02}T09:00:00Z,created,{who},{who},To Do,Alpha,t,{label},Story,{sprint}\n\
             T-{i},2026-01-{d:02}T10:00:00Z,status,{who},{who},In Progress,,,,,\n\
             T-{i},2026-01-{:02}T10:00:00Z,status,Automation for Jira,,{blocked},,,,,\n\
             T-{i},2026-01-{:02}T10:00:00Z,status,{who},,{review},,,,,\n\
             T-{i},2026-01-{:02}T10:00:00Z,status,{who},,Done,,,,,\n",
            d + 1,
            d + 2,
            d + 3
        ));
    }
    let log = sc.write("log.csv", text);
    let config = "bots = [\"Automation for Jira\"]\nblocked = [\"Waiting for Sydney\"]\n\
        [work_mix]\nunplanned_labels = [\"jordan\"]\n\
        [statuses]\n\"Waiting for Sydney\" = \"waiting\"\n\
        \"Review by May\" = \"waiting\"\n\"Review by June\" = \"waiting\"\n";
    let values = |site: &Path| -> Vec<(String, String, String)> {
        let k = kpis(site);
        let mut v: Vec<(String, String, String)> = k["teams"][0]["kpis"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                let id = x["id"].as_str().unwrap().to_string();
                (id, x["value"].to_string(), x["status"].to_string())
            })
            .collect();
        v.sort();
        let statuses = k["teams"][0]["time_in_status"].as_array().unwrap().len();
        v.push((
            "time_in_status rows".into(),
            statuses.to_string(),
            String::new(),
        ));
        v
    };
    let named = sc.path("named");
    let cfg = sc.write("named.toml", config);
    build_ok(
        &[&log],
        &named,
        &["-c", s(&cfg), "--as-of", "2026-02-01T00:00:00Z"],
    );
    let want = values(&named);
    let cfg = sc.write(
        "hidden.toml",
        format!("pseudonym_secret = \"a long enough test secret\"\n{config}"),
    );
    for mode in ["hidden", "pseudonym"] {
        let site = sc.path(mode);
        let args = [
            "-c",
            s(&cfg),
            "--people",
            mode,
            "--as-of",
            "2026-02-01T00:00:00Z",
        ];
        build_ok(&[&log], &site, &args);
        assert_eq!(values(&site), want, "{mode}");
    }
}

#[test]
fn files_and_a_history_folder_named_after_people_stay_apart_and_hidden() {
    let sc = Scratch::new("privacy-paths");
    let row = |t: &str, who: &str| {
        format!("task_id,timestamp,event,actor,assignee,status,team\n{t},2026-03-02T09:00:00Z,created,{who},{who},To Do,Core\n")
    };
    sc.write("ex/Anneliese.csv", row("A-1", "Anneliese Voss"));
    sc.write("ex/Rajesh.csv", row("R-1", "Rajesh Kowalczyk"));
    let cfg = sc.write(
        "c.toml",
        "pseudonym_secret = \"a long enough test secret\"\n",
    );
    let site = sc.path("site");
    let history = sc.path("Rajesh history");
    build_ok(
        &[&sc.path("ex")],
        &site,
        &[
            "-c",
            s(&cfg),
            "--people",
            "hidden",
            "--history",
            s(&history),
        ],
    );
    let k = kpis(&site);
    let paths: Vec<&str> = k["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 2);
    assert_ne!(paths[0], paths[1], "{paths:?}");
    for (path, bytes) in tree(&site) {
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        for name in ["anneliese", "rajesh"] {
            assert!(!text.contains(name), "{} shows {name}", path.display());
        }
    }
}

#[test]
fn decisions_and_teams_named_as_in_a_named_build_still_find_them_hidden() {
    // Without a [teams] section: a decision names Austin's team in other capitals, another by
    // the folder a named build gives it; --teams picks it by name.
    let sc = Scratch::new("privacy-decisions");
    let log = sc.write(
        "log.csv",
        "task_id,timestamp,event,actor,assignee,status,team\n\
         A-1,2026-03-02T09:00:00Z,created,Austin Reed,Austin Reed,In Progress,Austin's Team\n\
         B-1,2026-03-02T09:00:00Z,created,Bo,Bo,In Progress,Core\n",
    );
    let config =
        "[[decisions]]\ndate = \"2026-02-20\"\nteam = \"AUSTIN'S TEAM\"\ntext = \"WIP 2\"\n\
        [[decisions]]\ndate = \"2026-02-21\"\nteam = \"austins-team\"\ntext = \"pairing\"\n";
    for site in hidden_and_pseudonym_sites(&sc, &log, config, &["austin"]) {
        let k = kpis(&site);
        let decisions: usize = k["teams"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["decisions"].as_array().unwrap().len())
            .sum();
        // Each decision on its team; Core has none of them.
        assert_eq!(decisions, 2, "{}", site.display());
    }
    let cfg = sc.write(
        "only.toml",
        "pseudonym_secret = \"a long enough test secret\"\n",
    );
    for pick in ["austin's team", "austins-team"] {
        let site = sc.path("only");
        let args = ["-c", s(&cfg), "--people", "hidden", "--teams", pick];
        build_ok(&[&log], &site, &args);
        assert_eq!(kpis(&site)["teams"].as_array().unwrap().len(), 1, "{pick}");
    }
}

#[test]
fn one_config_per_build_and_one_entry_per_input() {
    let sc = Scratch::new("configs");
    sc.write("a/events.csv", log(3));
    sc.write("a/teampulse.toml", "timezone = \"UTC\"\n");
    sc.write("b/events.csv", log(3).replace("T-", "U-"));
    sc.write("b/teampulse.toml", "timezone = \"Europe/Berlin\"\n");
    let out = build(&[
        s(&sc.path("a")),
        s(&sc.path("b")),
        "-o",
        s(&sc.path("site")),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("two input folders have a config"),
        "{}",
        stderr(&out)
    );
    let cfg = sc.write(
        "two.toml",
        "[inputs.\"events.csv\"]\ntimezone = \"UTC\"\n[inputs.\"a/events.csv\"]\ntimezone = \"Europe/Berlin\"\n",
    );
    let out = build(&[s(&sc.path("a")), "-c", s(&cfg), "-o", s(&sc.path("site"))]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("line 1") && err.contains("line 3"), "{err}");
    for bad in [
        "[teams.con]\n",
        "[teams.com1]\n",
        &format!("[teams.{}]\n", "x".repeat(60)),
        "[targets]\nsle_days = 0\n",
    ] {
        let cfg = sc.write("bad.toml", bad);
        let out = build(&[s(&sc.path("a")), "-c", s(&cfg), "-o", s(&sc.path("site"))]);
        assert_eq!(out.status.code(), Some(2), "{bad}: {}", stderr(&out));
    }
}

#[cfg(unix)]
#[test]
fn a_link_to_a_folder_outside_the_inputs_is_listed_not_followed() {
    let sc = Scratch::new("link-out");
    sc.write("in/events.csv", log(3));
    sc.write("elsewhere/other.csv", log(3).replace("T-", "X-"));
    std::os::unix::fs::symlink(sc.path("elsewhere"), sc.path("in/outside")).unwrap();
    let site = sc.path("site");
    build_ok(&[&sc.path("in")], &site, &[]);
    assert_eq!(kpis(&site)["inputs"].as_array().unwrap().len(), 1);
    let page = std::fs::read_to_string(site.join("data-quality.html")).unwrap();
    assert!(
        page.contains("a link to a folder: not followed"),
        "listed as skipped"
    );
}

#[test]
fn the_secret_comes_from_the_environment_must_be_long_and_is_never_printed() {
    let sc = Scratch::new("secret");
    let input = sc.write("events.csv", log(3));
    let site = sc.path("site");
    let run = |secret: Option<&str>, cfg: &str| {
        let cfg_path = sc.write("c.toml", cfg);
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_teampulse"));
        cmd.args([
            "build",
            s(&input),
            "-o",
            s(&site),
            "-c",
            s(&cfg_path),
            "--people",
            "hidden",
        ]);
        cmd.env_remove("TEAMPULSE_PSEUDONYM_SECRET");
        if let Some(v) = secret {
            cmd.env("TEAMPULSE_PSEUDONYM_SECRET", v);
        }
        cmd.output().unwrap()
    };
    let out = run(Some("sixteen-chars-ok!"), "");
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(Some("short1"), "");
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains("short1"), "{}", stderr(&out));
    let out = run(None, "pseudonym_secret = \"tiny\"\n");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("line 1") && !err.contains("tiny"), "{err}");
}

// ---- Text ---------------------------------------------------------------------------------

#[test]
fn cyrillic_windows_1251_and_damaged_utf8_decode_right_and_say_so() {
    let sc = Scratch::new("encodings");
    let cyr = format!("{HEADER}T-1,2026-03-02T09:00:00Z,created,Иван Петров,Иван Петров,To Do,Команда Альфа,Задача выполнена,\n");
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&cyr);
    let f1 = sc.write("in/cyr.csv", bytes);
    let mut utf =
        format!("{HEADER}T-2,2026-03-02T09:00:00Z,created,José,José,To Do,Équipe,Café,\n")
            .into_bytes();
    utf.extend_from_slice(b"T-2,2026-03-03T09:00:00Z,comment,Jos\xe9,,,,,\n");
    let f2 = sc.write("in/utf.csv", utf);
    let site = sc.path("site");
    build_ok(&[&f1, &f2], &site, &[]);
    let k = kpis(&site);
    assert_eq!(k["inputs"][0]["encoding"], "windows-1251");
    assert_eq!(k["inputs"][1]["encoding"], "UTF-8");
    let items = items(&site, "komanda-alfa");
    assert_eq!(items[0]["assignee"], "Иван Петров");
    let eq = crate::util::items(&site, "equipe");
    assert_eq!(eq[0]["assignee"], "José");
    let page = std::fs::read_to_string(site.join("data-quality.html")).unwrap();
    assert!(page.contains("windows-1251"));
    assert!(
        page.contains("not valid UTF-8"),
        "the bad byte is reported by line"
    );
    let out = teampulse(&["inspect", s(&f1)]);
    assert!(stdout(&out).contains("windows-1251"), "{}", stdout(&out));
    let cfg = sc.write(
        "enc.toml",
        "[inputs.\"cyr.csv\"]\nencoding = \"windows-1252\"\n",
    );
    let forced = sc.path("forced");
    build_ok(&[&f1], &forced, &["-c", s(&cfg)]);
    assert_eq!(
        kpis(&forced)["inputs"][0]["encoding"],
        "windows-1252 (configured)"
    );
}

#[test]
fn control_characters_never_reach_a_terminal_a_page_or_a_config() {
    let sc = Scratch::new("controls");
    let text = format!(
        "{HEADER}T-1,2026-03-02T09:00:00Z,created,\"ev\x1b[31mil\",\"ev\x1b[31mil\",To Do,Co\x00re,\"ti\x07tle\",\n"
    );
    let input = sc.write("events.csv", text);
    let site = sc.path("site");
    build_ok(&[&input], &site, &[]);
    for (path, bytes) in tree(&site) {
        if path.extension().is_some_and(|e| e == "parquet") {
            // Binary: its text values are the items.csv values checked here.
            continue;
        }
        assert!(
            !bytes.iter().any(|&b| b == 0x1b || b == 0 || b == 0x07),
            "{} holds a control byte",
            path.display()
        );
    }
    for cmd in ["check", "inspect"] {
        let out = teampulse(&[cmd, s(&input)]);
        let all = [out.stdout, out.stderr].concat();
        assert!(
            !all.iter().any(|&b| b == 0x1b || b == 0),
            "{cmd} printed a control byte"
        );
    }
    let out = teampulse(&["init", s(&input)]);
    let config = stdout(&out);
    assert!(toml::from_str::<toml::Table>(&config).is_ok(), "{config}");
}

#[test]
fn published_files_never_show_absolute_paths_of_the_build_machine() {
    let sc = Scratch::new("paths");
    let input = sc.write(
        "exports/events.csv",
        "task_id,timestamp,event\nA,garbage,created\nA,2026-03-02T09:00:00Z,created\n",
    );
    let site = sc.path("site");
    build_ok(&[&sc.path("exports")], &site, &[]);
    let root = sc.0.to_string_lossy().to_string();
    for (path, bytes) in tree(&site) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(&root),
            "{} shows {root}",
            path.display()
        );
    }
    assert_eq!(kpis(&site)["inputs"][0]["path"], "exports/events.csv");
    drop(input);
}

// ---- Config -------------------------------------------------------------------------------

#[test]
fn bad_numbers_short_secrets_typo_inputs_overlaps_and_missing_templates_exit_2_with_the_line() {
    let sc = Scratch::new("config");
    let input = sc.write("events.csv", log(3));
    let cases = [
        ("[capacity]\ndefault = nan\n", "line 2"),
        ("[capacity]\nwip_per_capacity = inf\n", "line 2"),
        ("\n[people.ana]\ncapacity = -1.0\n", "line 3"),
        ("[targets]\nsle_hit_rate = nan\n", "line 2"),
        ("pseudonym_secret = \"x\"\n", "line 1"),
        ("[inputs.\"typo.csv\"]\ntimezone = \"UTC\"\n", "line 1"),
        (
            "[teams.a]\nmatch = [\"Core\"]\n[teams.b]\nname = \"core\"\n",
            "line 3",
        ),
        ("templates = \"no-such-folder\"\n", "line 1"),
        (
            "[inputs.\"events.csv\"]\nencoding = \"klingon\"\n",
            "line 2",
        ),
    ];
    for (text, line) in cases {
        let cfg = sc.write("teampulse.toml", text);
        let out = build(&[s(&input), "-c", s(&cfg), "-o", s(&sc.path("site"))]);
        assert_eq!(out.status.code(), Some(2), "{text}: {}", stderr(&out));
        assert!(stderr(&out).contains(line), "{text}: {}", stderr(&out));
    }
    let out = build(&[
        s(&input),
        "--templates",
        s(&sc.path("nope")),
        "-o",
        s(&sc.path("site")),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!sc.path("site").exists());
}

#[test]
fn templates_resolve_against_the_config_folder_and_a_broken_one_exits_2() {
    let sc = Scratch::new("templates");
    let input = sc.write("events.csv", log(3));
    let base = std::fs::read_to_string(root().join("templates/base.html")).unwrap();
    sc.write(
        "conf/brand/base.html",
        base.replace("<footer>", "<footer>BRANDED"),
    );
    let cfg = sc.write("conf/teampulse.toml", "templates = \"brand\"\n");
    let site = sc.path("site");
    build_ok(&[&input], &site, &["-c", s(&cfg)]);
    assert!(std::fs::read_to_string(site.join("index.html"))
        .unwrap()
        .contains("BRANDED"));
    sc.write("conf/brand/base.html", "{% if %}");
    let out = build(&[s(&input), "-c", s(&cfg), "-o", s(&site)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn init_proposes_only_clear_bots_and_commented_out() {
    let sc = Scratch::new("init-bots");
    let mut text = String::from(HEADER);
    for (i, who) in [
        "Talbot",
        "Abbott",
        "Ramsbottom",
        "Cabot",
        "Automation Annie",
        "renovate[bot]",
        "Jira Automation",
    ]
    .iter()
    .enumerate()
    {
        text.push_str(&format!(
            "T-{i},2026-03-02T09:00:00Z,created,{who},,To Do,Core,t,\n"
        ));
    }
    let input = sc.write("events.csv", text);
    let out = teampulse(&["init", s(&input)]);
    let config = stdout(&out);
    let line = config.lines().find(|l| l.contains("bots =")).unwrap();
    assert!(line.starts_with('#'), "{line}");
    assert!(
        line.contains("renovate[bot]") && line.contains("Jira Automation"),
        "{line}"
    );
    for person in ["Talbot", "Abbott", "Ramsbottom", "Cabot", "Annie"] {
        assert!(!line.contains(person), "{line}");
    }
}
