//! Bad input: each case fails clearly or rejects exactly the bad rows, and nothing is dropped
//! without being counted and listed.

use crate::util::*;

const HEADER: &str = "task_id,timestamp,event,actor,assignee,status\n";

fn good_rows() -> String {
    "A,2026-03-02T09:00:00Z,created,lead,ana,To Do\n\
     A,2026-03-03T09:00:00Z,status,ana,,In Progress\n"
        .to_string()
}

fn data_quality(site: &std::path::Path) -> String {
    std::fs::read_to_string(site.join("data-quality.html")).unwrap()
}

#[test]
fn a_missing_required_column_fails_with_exit_3_naming_file_and_column() {
    let s = Scratch::new("missing-col");
    let input = s.write(
        "events.csv",
        "task_id,timestamp,actor\nA,2026-03-02T09:00:00Z,ana\n",
    );
    let out = teampulse(&[
        "build",
        input.to_str().unwrap(),
        "-o",
        s.path("site").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(
        err.contains("events.csv") && err.contains("missing required column `event`"),
        "{err}"
    );
    assert!(!s.path("site").exists());
}

#[test]
fn an_unparseable_timestamp_rejects_that_row_only_with_file_line_and_reason() {
    let s = Scratch::new("bad-ts");
    let csv = format!(
        "{HEADER}{}A,last tuesday,comment,ana,,\nA,2026-03-04T09:00:00Z,comment,ana,,\n",
        good_rows()
    );
    let input = s.write("events.csv", csv);
    let site = s.path("site");
    build_ok(&[&input], &site, &[]);
    let k = kpis(&site);
    assert_eq!(k["inputs"][0]["records"], 4);
    assert_eq!(k["inputs"][0]["rejected"], 1);
    assert_eq!(k["rejected"], 1);
    let page = data_quality(&site);
    assert!(
        page.contains("<td>4</td><td>unparseable timestamp &#39;last tuesday&#39;"),
        "{page}"
    );
    let csv = std::fs::read_to_string(site.join("data/rejections.csv")).unwrap();
    assert!(
        csv.contains("events.csv,4,\"unparseable timestamp 'last tuesday'"),
        "{csv}"
    );
    // --strict turns the rejection into exit 3 and leaves the built site alone.
    let before = tree(&site);
    let out = teampulse(&[
        "build",
        input.to_str().unwrap(),
        "-o",
        site.to_str().unwrap(),
        "--strict",
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("events.csv:4: unparseable timestamp"),
        "{}",
        stderr(&out)
    );
    assert_eq!(tree(&site), before);
}

#[test]
fn an_unknown_event_kind_is_rejected_with_the_kinds_expected() {
    let s = Scratch::new("bad-kind");
    let csv = format!(
        "{HEADER}{}A,2026-03-04T09:00:00Z,teleported,ana,,\n",
        good_rows()
    );
    let input = s.write("events.csv", csv);
    build_ok(&[&input], &s.path("site"), &[]);
    let page = data_quality(&s.path("site"));
    assert!(
        page.contains("unknown event kind &#39;teleported&#39; (expected created, status"),
        "{page}"
    );
    assert_eq!(kpis(&s.path("site"))["inputs"][0]["rejected"], 1);
}

#[test]
fn an_unmapped_status_is_listed_and_fails_strict() {
    let s = Scratch::new("unmapped");
    let csv = format!(
        "{HEADER}{}A,2026-03-04T09:00:00Z,status,ana,,Limbo\n",
        good_rows()
    );
    let input = s.write("events.csv", csv);
    let site = s.path("site");
    build_ok(&[&input], &site, &[]);
    let k = kpis(&site);
    assert_eq!(k["unmapped_statuses"], serde_json::json!({"Limbo": 1}));
    // The move into Limbo is ignored for state: A is still in progress.
    assert_eq!(k["teams"][0]["wip"]["total"], 1);
    assert!(data_quality(&site).contains("<code>Limbo</code>: 1 event(s)"));
    let out = teampulse(&[
        "build",
        input.to_str().unwrap(),
        "-o",
        site.to_str().unwrap(),
        "--strict",
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("unmapped status(es): Limbo"),
        "{}",
        stderr(&out)
    );
    // A config mapping fixes it.
    let config = s.write("teampulse.toml", "[statuses]\nLimbo = \"todo\"\n");
    let out = teampulse(&[
        "build",
        input.to_str().unwrap(),
        "-c",
        config.to_str().unwrap(),
        "-o",
        site.to_str().unwrap(),
        "--strict",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(kpis(&site)["teams"][0]["wip"]["total"], 0);
}

#[test]
fn an_empty_file_fails_with_exit_3() {
    let s = Scratch::new("empty");
    for content in ["", "\u{feff}", "\n\n"] {
        let input = s.write("empty.csv", content);
        let out = teampulse(&[
            "build",
            input.to_str().unwrap(),
            "-o",
            s.path("site").to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(3));
        assert!(
            stderr(&out).contains("empty.csv: the file is empty"),
            "{}",
            stderr(&out)
        );
    }
    let out = teampulse(&["build", s.path("nope.csv").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("nope.csv"), "{}", stderr(&out));
}

#[test]
fn inputs_whose_every_row_is_rejected_fail_with_exit_3_even_with_as_of_and_leave_the_site() {
    // With --as-of, such an export used to publish an empty site over last night's, with exit
    // 0. (A header alone is an empty board: with --as-of, an empty site.)
    let s = Scratch::new("no-rows");
    let site = s.path("site");
    let good = s.write("good.csv", format!("{HEADER}{}", good_rows()));
    let history = s.path("history");
    let h = history.to_str().unwrap();
    build_ok(&[&good], &site, &["--history", h]);
    let before = std::fs::read(site.join("index.html")).unwrap();
    let runs = std::fs::read_dir(&history).unwrap().count();
    let cases = [
        (
            "events.csv",
            "task_id,timestamp,event,status\nT-1,yesterday,created,To Do\nT-2,,created,To Do\n",
            "events.csv:3: empty timestamp",
        ),
        (
            "clickup.csv",
            "\"Task ID\",\"Task Name\",\"Status\",\"Date Created\"\n\"a1\",\"x\",\"open\",\"March 2, 2026 9:00 AM\"\n",
            "clickup.csv:2: Date Created: unrecognised date 'March 2, 2026 9:00 AM'",
        ),
    ];
    for (name, text, why) in cases {
        let input = s.write(name, text);
        let out = teampulse(&[
            "build",
            input.to_str().unwrap(),
            "--as-of",
            "2026-03-20T00:00:00Z",
            "-o",
            site.to_str().unwrap(),
            "--history",
            h,
        ]);
        assert_eq!(out.status.code(), Some(3), "{name}: {}", stderr(&out));
        // The history did not take every task for gone: no run was added.
        assert_eq!(std::fs::read_dir(&history).unwrap().count(), runs, "{name}");
        let err = stderr(&out);
        assert!(
            err.contains("no usable events in the inputs") && err.contains(why),
            "{err}"
        );
        assert_eq!(
            std::fs::read(site.join("index.html")).unwrap(),
            before,
            "{name}"
        );
    }
}

#[test]
fn a_windows_1252_file_is_decoded_without_losing_accents() {
    let s = Scratch::new("cp1252");
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend(b"A,2026-03-02T09:00:00Z,created,lead,Jos\xe9,To Do\nA,2026-03-03T09:00:00Z,status,Jos\xe9,,In Progress\n");
    let input = s.write("events.csv", bytes);
    build_ok(&[&input], &s.path("site"), &[]);
    let k = kpis(&s.path("site"));
    assert_eq!(k["inputs"][0]["encoding"], "windows-1252");
    assert_eq!(k["teams"][0]["wip"]["by_person"]["José"], 1);
}

#[test]
fn a_quoted_field_with_newlines_is_kept_and_later_lines_are_numbered_right() {
    let s = Scratch::new("newlines");
    let csv = "task_id,timestamp,event,actor,assignee,status,title\n\
               A,2026-03-02T09:00:00Z,created,lead,ana,To Do,\"Fix the\nmulti-line\ntitle\"\n\
               A,bad,comment,ana,,,\n";
    let input = s.write("events.csv", csv);
    build_ok(&[&input], &s.path("site"), &[]);
    let k = kpis(&s.path("site"));
    assert_eq!(
        (
            k["inputs"][0]["records"].as_u64(),
            k["inputs"][0]["rejected"].as_u64()
        ),
        (Some(2), Some(1))
    );
    let rej = std::fs::read_to_string(s.path("site/data/rejections.csv")).unwrap();
    // The bad row starts on line 5: header 1, quoted record 2–4.
    assert!(
        rej.contains("events.csv,5,\"unparseable timestamp 'bad'"),
        "{rej}"
    );
}

#[test]
fn an_unterminated_quote_and_a_ragged_row_are_rejected_not_swallowed() {
    let s = Scratch::new("damaged");
    let csv = format!(
        "{HEADER}{}A,2026-03-04T09:00:00Z,comment,ana\nA,2026-03-05T09:00:00Z,comment,\"ana,,\nA,2026-03-06T09:00:00Z,comment,ana,,\n",
        good_rows()
    );
    let input = s.write("events.csv", csv);
    build_ok(&[&input], &s.path("site"), &[]);
    let rej = std::fs::read_to_string(s.path("site/data/rejections.csv")).unwrap();
    assert!(
        rej.contains("events.csv,4,wrong number of fields (4 where the header has 6)"),
        "{rej}"
    );
    // The quote costs line 5 only: reading goes on at line 6, which is a good row.
    assert!(rej.contains("events.csv,5,unterminated quoted field: the quote opened on this line runs on into the next records; reading goes on from the next line"), "{rej}");
    let k = kpis(&s.path("site"));
    assert_eq!(
        (
            k["inputs"][0]["records"].as_u64(),
            k["inputs"][0]["rejected"].as_u64()
        ),
        (Some(5), Some(2))
    );
}

#[test]
fn naive_timestamps_need_a_timezone_in_the_config() {
    let s = Scratch::new("naive");
    let input = s.write(
        "events.csv",
        format!(
            "{HEADER}A,2026-03-02 09:00,created,lead,ana,To Do\n{}",
            good_rows()
        ),
    );
    build_ok(&[&input], &s.path("site"), &[]);
    assert!(data_quality(&s.path("site")).contains("has no UTC offset"));
    let config = s.write("teampulse.toml", "timezone = \"Europe/Berlin\"\n");
    build_ok(
        &[&input],
        &s.path("site"),
        &["-c", config.to_str().unwrap()],
    );
    assert_eq!(kpis(&s.path("site"))["rejected"], 0);
}

#[test]
fn config_errors_exit_2_naming_the_key_and_line() {
    let s = Scratch::new("config");
    let input = s.write("events.csv", format!("{HEADER}{}", good_rows()));
    let config = s.write(
        "teampulse.toml",
        "timezone = \"UTC\"\n[targets]\nsle_dayz = 4\n",
    );
    let out = teampulse(&[
        "build",
        input.to_str().unwrap(),
        "-c",
        config.to_str().unwrap(),
        "-o",
        s.path("site").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("teampulse.toml") && err.contains("line 3") && err.contains("sle_dayz"),
        "{err}"
    );
}
