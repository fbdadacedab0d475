//! Each tracker format and quirk on the project's own fixtures (`fixtures/formats`), modelled
//! on real exports: what is kept, what is refused and why.

use std::collections::BTreeMap;

use crate::util::*;

type Item = BTreeMap<String, String>;

/// Builds one fixture; returns its kpis.json, all items and the rejections (line, reason).
fn build(name: &str, extra: &[&str]) -> (serde_json::Value, Vec<Item>, Vec<(u64, String)>) {
    let s = Scratch::new("format");
    let site = s.path("site");
    build_ok(&[&fixture(&format!("formats/{name}"))], &site, extra);
    let k = kpis(&site);
    let mut all = Vec::new();
    for team in k["teams"].as_array().unwrap() {
        all.extend(items(&site, team["slug"].as_str().unwrap()));
    }
    let mut r = csv::Reader::from_path(site.join("data/rejections.csv")).unwrap();
    let rejections = r
        .records()
        .map(|x| x.unwrap())
        .map(|x| (x[1].parse().unwrap(), x[2].to_string()))
        .collect();
    (k, all, rejections)
}

fn item<'a>(items: &'a [Item], id: &str) -> &'a Item {
    items
        .iter()
        .find(|i| i["task_id"] == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

fn row(i: &Item, fields: &[&str]) -> Vec<String> {
    fields.iter().map(|f| i[*f].clone()).collect()
}

#[test]
fn jira_cloud_rows_comments_and_resolutions() {
    let (k, items, rejected) = build("jira-cloud.csv", &[]);
    assert_eq!(k["inputs"][0]["format"], "jira");
    assert!(rejected.is_empty(), "{rejected:?}");
    // Done via Resolved; Won't Do is a cancel; In Review is started since Status Category
    // Changed (04/Mar); To Do stays to do. The team is the project name.
    let f = [
        "team", "status", "category", "assignee", "created", "started", "done",
    ];
    assert_eq!(
        row(item(&items, "OPS-1"), &f),
        [
            "Operations",
            "Done",
            "done",
            "Ana Lima",
            "2026-03-02",
            "",
            "2026-03-06"
        ]
    );
    assert_eq!(
        row(item(&items, "OPS-2"), &f),
        [
            "Operations",
            "In Review",
            "waiting",
            "Raj Patel",
            "2026-03-03",
            "2026-03-04",
            ""
        ]
    );
    assert_eq!(item(&items, "OPS-3")["category"], "cancelled");
    assert_eq!(item(&items, "OPS-4")["category"], "todo");
    // Without a changelog, done tasks have no start: cycle time says why it is missing.
    let ct = kpi(&k, 0, "cycle_time");
    assert_eq!(
        ct["reason"],
        "cycle time needs start times, and 2 of 3 tasks that moved have no start time in the export: add a changelog export (jira-history) for the dates work started (jira export)"
    );
}

#[test]
fn jira_comments_are_check_ins_by_their_resolved_authors() {
    let s = Scratch::new("jira-checkins");
    // As of 09/Mar: OPS-2 was last updated by its owner Raj (account 712020:rrr) that morning.
    build_ok(
        &[&fixture("formats/jira-cloud.csv")],
        &s.path("site"),
        &["--as-of", "2026-03-09T12:00:00Z"],
    );
    let k = kpis(&s.path("site"));
    let stale = kpi(&k, 0, "stale_work");
    assert_eq!(
        (stale["value"].as_f64(), stale["status"].as_str()),
        (Some(0.0), Some("ok"))
    );
    let cadence = kpi(&k, 0, "checkin_cadence");
    assert_eq!(cadence["value"], 100.0, "{cadence}");
}

#[test]
fn jira_in_spanish_with_localised_months_and_categories() {
    let (_, items, rejected) = build("jira-es.csv", &[]);
    assert!(rejected.is_empty(), "{rejected:?}");
    let f = ["status", "category", "created", "started", "done"];
    assert_eq!(
        row(item(&items, "TIC-1"), &f),
        ["Finalizada", "done", "2026-04-11", "", "2026-04-14"]
    );
    assert_eq!(
        row(item(&items, "TIC-2"), &f),
        ["En curso", "doing", "2026-04-11", "2026-04-13", ""]
    );
    // 04/ago/26 11:30 PM is 4 August.
    assert_eq!(
        row(item(&items, "TIC-3"), &f),
        ["Tareas por hacer", "todo", "2026-08-04", "", ""]
    );
}

#[test]
fn jira_server_with_usernames_24_hour_times_and_no_status_category() {
    let (_, items, _) = build("jira-server.csv", &[]);
    let f = ["status", "category", "assignee", "created", "done"];
    assert_eq!(
        row(item(&items, "WEB-7"), &f),
        ["Closed", "done", "dlopez", "2018-07-30", "2018-08-02"]
    );
    // In Progress with no date for the move: in progress since an unknown time, no age.
    assert_eq!(
        row(item(&items, "WEB-8"), &["category", "started", "age_days"]),
        ["doing", "", ""]
    );
}

#[test]
fn a_jira_changelog_gives_real_start_times() {
    let s = Scratch::new("jira-merge");
    let site = s.path("site");
    build_ok(
        &[
            &fixture("formats/jira-cloud.csv"),
            &fixture("formats/jira-history.csv"),
        ],
        &site,
        &[],
    );
    let k = kpis(&site);
    let all = items(&site, "operations");
    // OPS-1: In Progress 02/Mar 10:00 → Done 06/Mar: 5 days.
    assert_eq!(
        row(item(&all, "OPS-1"), &["started", "done", "cycle_time_days"]),
        ["2026-03-02", "2026-03-06", "5"]
    );
    assert_eq!(item(&all, "OPS-2")["started"], "2026-03-03");
    assert_eq!(k["inputs"][1]["format"], "jira-history");
}

#[test]
fn a_plain_history_file_is_read_and_a_bad_date_refused() {
    let (_, items, rejected) = build("history-plain.csv", &[]);
    assert_eq!(item(&items, "OPS-4")["category"], "doing");
    assert_eq!(
        rejected,
        [(3, "change time: unrecognised date 'not a date'".to_string())]
    );
}

#[test]
fn trello_board_json_with_moves_members_comments_and_id_dates() {
    let (k, items, rejected) = build("trello-board.json", &[]);
    assert_eq!(k["inputs"][0]["format"], "trello-json");
    let f = [
        "team",
        "status",
        "category",
        "assignee",
        "created",
        "started",
        "done",
        "cycle_time_days",
    ];
    assert_eq!(
        row(item(&items, "AbCd1234-1"), &f),
        [
            "Support board",
            "Done",
            "done",
            "Ana Lima",
            "2026-03-02",
            "2026-03-03",
            "2026-03-04",
            "2"
        ]
    );
    assert_eq!(
        row(item(&items, "AbCd1234-2"), &f),
        [
            "Support board",
            "Doing",
            "doing",
            "Raj Patel",
            "2026-03-02",
            "2026-03-05",
            "",
            ""
        ]
    );
    // No createCard for card 3: its id 69a00000… dates it 2026-02-26.
    assert_eq!(item(&items, "AbCd1234-3")["created"], "2026-02-26");
    assert_eq!(rejected.len(), 1);
    assert!(rejected[0]
        .1
        .starts_with("action a0 (createCard): missing or unreadable date"));
}

#[test]
fn trello_csv_cards_dated_by_their_ids() {
    let (_, items, rejected) = build("trello-cards.csv", &[]);
    assert_eq!(
        row(
            item(&items, "69a5b3100000000000000c01"),
            &["status", "category", "created"]
        ),
        ["Done", "done", "2026-03-02"]
    );
    assert_eq!(
        rejected,
        [(
            4,
            "card id 'not-an-id' is not a Trello id (24 hex digits)".to_string()
        )]
    );
}

#[test]
fn servicenow_windows_1252_month_first_dates_journals_and_formula_guard() {
    let (k, items, rejected) = build("servicenow-sc_task.csv", &[]);
    assert_eq!(
        (
            k["inputs"][0]["format"].as_str(),
            k["inputs"][0]["encoding"].as_str()
        ),
        (Some("servicenow"), Some("windows-1252"))
    );
    // 03-04-2026 with 03-13-2026 in the file: month first, so 4 March.
    let f = ["assignee", "created", "started", "done", "category"];
    assert_eq!(
        row(item(&items, "SCTASK0001"), &f),
        [
            "Zoë Brandt",
            "2026-03-02",
            "2026-03-02",
            "2026-03-04",
            "done"
        ]
    );
    assert_eq!(item(&items, "SCTASK0003")["category"], "cancelled");
    assert_eq!(rejected.len(), 1);
    assert!(
        rejected[0]
            .1
            .contains("mixed date formats in column opened: '2026/13/45'"),
        "{rejected:?}"
    );
}

#[test]
fn servicenow_update_log_gives_status_history_and_refuses_relative_dates() {
    let (_, items, rejected) = build("servicenow-log.csv", &[]);
    // INC0001: Active 29-02 09:30 → Awaiting User Info → Resolved 02-03: cycle 29 Feb..2 Mar = 3.
    let f = ["team", "assignee", "started", "done", "cycle_time_days"];
    assert_eq!(
        row(item(&items, "INC0001"), &f),
        ["Group 70", "Resolver 31", "2016-02-29", "2016-03-02", "3"]
    );
    assert_eq!(rejected, [(8, "sys_updated_at: relative date '3 days ago' cannot be placed in time (export absolute dates instead)".to_string())]);
}

#[test]
fn servicenow_audit_raw_states_are_named() {
    let (_, items, _) = build("servicenow-audit.csv", &[]);
    let f = ["status", "category", "assignee", "started", "done"];
    assert_eq!(
        row(&items[0], &f),
        [
            "Resolved",
            "done",
            "beth.anglin",
            "2026-03-02",
            "2026-03-04"
        ]
    );
}

#[test]
fn linear_short_rows_and_javascript_dates() {
    let (_, items, rejected) = build("linear.csv", &[]);
    assert!(rejected.is_empty(), "{rejected:?}");
    // Started Wed 15 May 09:00 +02:00 = 07:00 UTC; Completed 23 May: 9 days.
    let f = ["category", "started", "done", "cycle_time_days"];
    assert_eq!(
        row(item(&items, "APP-1"), &f),
        ["done", "2024-05-15", "2024-05-23", "9"]
    );
    assert_eq!(item(&items, "APP-3")["category"], "cancelled");
    // Done without Started: it went straight to done, no cycle time (not an unknown start).
    assert_eq!(
        row(item(&items, "APP-4"), &f),
        ["done", "", "2024-05-22", ""]
    );
}

#[test]
fn azure_devops_bom_names_with_addresses_and_a_ragged_row() {
    let (_, items, rejected) = build("azure-devops.csv", &[]);
    let f = [
        "assignee",
        "status",
        "category",
        "created",
        "started",
        "done",
        "cycle_time_days",
    ];
    assert_eq!(
        row(item(&items, "101"), &f),
        [
            "Ana Lima",
            "Closed",
            "done",
            "2026-01-15",
            "2026-01-16",
            "2026-01-20",
            "5"
        ]
    );
    assert_eq!(item(&items, "103")["category"], "cancelled");
    assert_eq!(
        rejected,
        [(
            5,
            "wrong number of fields (11 where the header has 10)".to_string()
        )]
    );
}

#[test]
fn gitlab_asana_and_github_exports() {
    let (_, items, _) = build("gitlab.csv", &[]);
    assert_eq!(
        row(item(&items, "12"), &["assignee", "done", "category"]),
        ["raj;ana", "2026-03-05", "done"]
    );
    let (_, items, _) = build("asana.csv", &[]);
    assert_eq!(
        row(
            item(&items, "1211430000000001"),
            &["team", "done", "category"]
        ),
        ["Office", "2026-03-06", "done"]
    );
    let (_, items, _) = build("github.csv", &[]);
    assert_eq!(
        row(item(&items, "#41"), &["category", "done"]),
        ["done", "2026-03-04"]
    );
    assert_eq!(item(&items, "#42")["category"], "cancelled");
}

#[test]
fn clickup_list_and_workspace_exports() {
    // The list export: every field quoted, lists in brackets, a multi-line content cell, no
    // newline after the last row. Dates carry +02:00; the team's days are New York's.
    let s = Scratch::new("clickup");
    let config = s.write("teampulse.toml", "timezone = \"America/New_York\"\n");
    let args = [
        "-c",
        config.to_str().unwrap(),
        "--as-of",
        "2026-03-20T12:00:00Z",
    ];
    let (k, items, rejected) = build("clickup.csv", &args);
    assert_eq!(k["inputs"][0]["format"], "clickup");
    assert!(rejected.is_empty(), "{rejected:?}");
    let f = ["team", "status", "category", "assignee", "created", "done"];
    // Date Done 2026-03-05T16:00+02:00 is 09:00 in New York; created 09:00+02:00 is 02:00.
    assert_eq!(
        row(item(&items, "cu1"), &f),
        [
            "Platform",
            "complete",
            "done",
            "Ana Lima;raj",
            "2026-03-02",
            "2026-03-05"
        ]
    );
    // Start Date is a plan, not the start of work: no task has a start.
    assert!(items.iter().all(|i| i["started"].is_empty()));
    assert_eq!(
        row(item(&items, "cu3"), &["category", "assignee"]),
        ["doing", "Ana Lima"]
    );
    // `[]` is nobody; `research` is not a status teampulse knows, so the task stays to do.
    assert_eq!(
        row(item(&items, "cu4"), &["category", "assignee"]),
        ["todo", ""]
    );
    // No Date Done in this row: its Date Closed (18:00+02:00, noon in New York) dates it.
    assert_eq!(
        row(item(&items, "cu5"), &["status", "category", "done"]),
        ["Closed", "done", "2026-03-09"]
    );
    // Due dates are written as midnight UTC: cu3's 2026-03-20 is today in New York, not
    // yesterday evening, so only cu4 (due 03-19) is open past its date.
    let due = kpi(&k, 0, "due_date_reliability");
    assert_eq!(due["flagged"], serde_json::json!(["cu4"]));
    // The workspace export: Unix milliseconds beside text dates, `Space Name`, `Assignees`,
    // and a Closed status dated by Date Closed (no Date Done column).
    let (k, items, rejected) = build(
        "clickup-workspace.csv",
        &["--as-of", "2026-03-20T12:00:00Z"],
    );
    assert_eq!(k["inputs"][0]["format"], "clickup");
    assert!(rejected.is_empty(), "{rejected:?}");
    // 1772442000000 ms is 2026-03-02 09:00 UTC; 1772638200000 is 2026-03-04 15:30.
    assert_eq!(
        row(item(&items, "86a1"), &f),
        [
            "Data",
            "Closed",
            "done",
            "Bea Costa;Ana Lima",
            "2026-03-02",
            "2026-03-04"
        ]
    );
    assert_eq!(
        row(item(&items, "86a2"), &["category", "done"]),
        ["doing", ""]
    );
}

/// A GitLab export of `rows` (title, id, state, created, closed) built as of 2026-03-20.
fn gitlab(rows: &str) -> (Scratch, std::path::PathBuf) {
    let s = Scratch::new("gitlab-rows");
    let header = "Title,Issue ID,State,Created At (UTC),Closed At (UTC)\n";
    let input = s.write("gitlab.csv", format!("{header}{rows}"));
    let site = s.path("site");
    build_ok(&[&input], &site, &["--as-of", "2026-03-20T00:00:00Z"]);
    (s, site)
}

#[test]
fn a_task_on_two_rows_of_a_one_row_per_task_export_is_noted() {
    // Two pages of an export that overlap, or a hand-edited file: the same issue twice.
    let (_s, site) = gitlab(
        "a,1,Opened,2026-03-02 09:00:00,\n\
         b,2,Opened,2026-03-02 09:00:00,\n\
         a,1,Closed,2026-03-02 09:00:00,2026-03-05 17:00:00\n",
    );
    let q = quality(&site);
    assert_eq!(
        q["notes"],
        serde_json::json!([{"path": "gitlab.csv", "line": 4,
            "reason": "task 1 is also on line 2: both rows are read, as one task"}])
    );
    let k = kpis(&site);
    let items = items(&site, k["teams"][0]["slug"].as_str().unwrap());
    assert_eq!(items.len(), 2);
}

#[test]
fn a_task_finished_before_it_was_created_is_noted() {
    let (_s, site) = gitlab("a,1,Closed,2026-03-08 10:00:00,2026-03-02 07:00:00\n");
    let q = quality(&site);
    assert_eq!(
        q["notes"][0]["reason"],
        "task 1 is dated 2026-03-02T07:00:00Z before it was created (2026-03-08T10:00:00Z): \
         read as created then"
    );
    let k = kpis(&site);
    let items = items(&site, k["teams"][0]["slug"].as_str().unwrap());
    assert_eq!(
        row(&items[0], &["created", "done", "lead_time_days"]),
        ["2026-03-02", "2026-03-02", "1"]
    );
}

#[test]
fn a_bad_date_on_a_trello_json_card_is_noted_and_the_card_kept() {
    let mut board: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture("formats/trello-board.json")).unwrap())
            .unwrap();
    let cards = board["cards"].as_array().unwrap().len();
    board["cards"][0]["due"] = serde_json::json!("soon");
    let s = Scratch::new("trello-bad-due");
    let input = s.write("board.json", board.to_string());
    let site = s.path("site");
    build_ok(&[&input], &site, &[]);
    let q = quality(&site);
    let notes = q["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(
        notes[0]["reason"],
        "due: unrecognised date 'soon'; the card is kept without it"
    );
    let k = kpis(&site);
    let kept: usize = k["teams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| items(&site, t["slug"].as_str().unwrap()).len())
        .sum();
    assert_eq!(kept, cards);
}

#[test]
fn damaged_exports_are_refused_row_by_row_with_file_line_and_problem() {
    let (k, items, rejected) = build("jira-damaged.csv", &[]);
    // DMG-1 and DMG-6: the unterminated quote of line 6 costs that line, not the next.
    assert_eq!(items.len(), 2);
    assert_eq!(items[1]["task_id"], "DMG-6");
    let reasons: BTreeMap<u64, &str> = rejected.iter().map(|(l, r)| (*l, r.as_str())).collect();
    assert!(
        reasons[&3].starts_with("mixed date formats in column Created: '2026-03-02 09:00'"),
        "{reasons:?}"
    );
    assert!(
        reasons[&4].starts_with("Created: relative date '11 days ago'"),
        "{reasons:?}"
    );
    assert_eq!(
        reasons[&5],
        "wrong number of fields (10 where the header has 9)"
    );
    assert!(
        reasons[&6].starts_with("unterminated quoted field"),
        "{reasons:?}"
    );
    assert_eq!(k["inputs"][0]["rejected"], 4);
}

#[test]
fn several_formats_merge_into_one_site_with_a_team_each() {
    let s = Scratch::new("merge");
    let site = s.path("site");
    let inputs = [
        fixture("formats/jira-cloud.csv"),
        fixture("formats/servicenow-sc_task.csv"),
        fixture("formats/trello-board.json"),
    ];
    let refs: Vec<&std::path::Path> = inputs.iter().map(|p| p.as_path()).collect();
    build_ok(&refs, &site, &[]);
    let k = kpis(&site);
    let teams = team_names(&k);
    assert_eq!(teams, ["Operations", "Service Desk", "Support board"]);
    let formats: Vec<&str> = k["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["format"].as_str().unwrap())
        .collect();
    assert_eq!(formats, ["jira", "servicenow", "trello-json"]);
}

#[test]
fn per_input_settings_set_zone_date_order_and_team() {
    let s = Scratch::new("input-settings");
    let config = s.write(
        "teampulse.toml",
        "[inputs.\"servicenow-sc_task.csv\"]\ntimezone = \"America/New_York\"\ndate_order = \"dmy\"\nteam = \"IT\"\n",
    );
    let site = s.path("site");
    build_ok(
        &[&fixture("formats/servicenow-sc_task.csv")],
        &site,
        &["-c", config.to_str().unwrap()],
    );
    let k = kpis(&site);
    assert_eq!(k["inputs"][0]["timezone"], "America/New_York");
    // Day first now: 03-02-2026 is 3 February, and 03-13-2026 no longer parses.
    let all = items(&site, "it");
    assert_eq!(item(&all, "SCTASK0001")["created"], "2026-02-03");
    assert!(k["inputs"][0]["rejected"].as_u64().unwrap() >= 2);
    // The canonical log's team column gives way to the input's team too (it was ignored).
    let log = s.write(
        "events.csv",
        "task_id,timestamp,event,status,team\nE-1,2026-03-02T09:00:00Z,created,To Do,Core\n",
    );
    let config = s.write("log.toml", "[inputs.\"events.csv\"]\nteam = \"Payments\"\n");
    let site = s.path("site-log");
    build_ok(&[&log], &site, &["-c", config.to_str().unwrap()]);
    assert_eq!(team_names(&kpis(&site)), ["Payments"]);
}

#[test]
fn format_can_be_forced_and_unknown_files_fail_with_the_formats_named() {
    let s = Scratch::new("force");
    let odd = s.write("odd.csv", "foo,bar\n1,2\n");
    let out = teampulse(&[
        "build",
        odd.to_str().unwrap(),
        "-o",
        s.path("site").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("odd.csv: not a recognised export")
            && stderr(&out).contains("--format"),
        "{}",
        stderr(&out)
    );
    let out = teampulse(&[
        "build",
        fixture("formats/gitlab.csv").to_str().unwrap(),
        "--format",
        "asana",
        "-o",
        s.path("site").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no Task ID column"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn inspect_describes_each_input_and_init_writes_a_config_that_loads() {
    let damaged = fixture("formats/jira-damaged.csv");
    let trello = fixture("formats/trello-board.json");
    let out = teampulse(&[
        "inspect",
        damaged.to_str().unwrap(),
        trello.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("format    jira (UTF-8)"), "{text}");
    assert!(
        text.contains("records   6 read, 4 rejected, 2 tasks"),
        "{text}"
    );
    assert!(
        text.contains("1 × mixed date formats in column Created"),
        "{text}"
    );
    assert!(text.contains("Doing → doing"), "{text}");
    let s = Scratch::new("init");
    let csv = s.write("events.csv", "task_id,timestamp,event,actor,status,team\nA,2026-03-02T09:00:00Z,created,jira-bot,Limbo,Core\n");
    let out = teampulse(&["init", csv.to_str().unwrap()]);
    let config = stdout(&out);
    assert!(
        config.contains("# bots = [\"jira-bot\"]")
            && config.contains("# \"Limbo\" = \"\"  # not recognised")
            && config.contains("[teams.core]"),
        "{config}"
    );
    let path = s.write("teampulse.toml", &config);
    build_ok(&[&csv], &s.path("site"), &["-c", path.to_str().unwrap()]);
}

#[test]
fn an_audit_trail_joins_its_list_export_by_sys_id() {
    let s = Scratch::new("audit-join");
    let site = s.path("site");
    let inputs = [
        fixture("formats/servicenow-incident-with-sys_id.csv"),
        fixture("formats/servicenow-audit.csv"),
    ];
    build_ok(&[&inputs[0], &inputs[1]], &site, &[]);
    let all = items(&site, "service-desk");
    // One task, named by its number: opened 03-02 08:30 from the list, In Progress 09:00 and
    // Resolved 03-04 17:00 from the audit trail: cycle time 3 days.
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(
        row(&all[0], &["task_id", "started", "done", "cycle_time_days"]),
        ["INC0009001", "2026-03-02", "2026-03-04", "3"]
    );
}

#[test]
fn flow_efficiency_of_a_snapshot_export_says_what_is_missing() {
    let (k, _, _) = build("jira-cloud.csv", &[]);
    let fe = kpi(&k, 0, "flow_efficiency");
    assert_eq!(fe["status"], "n/a");
    assert_eq!(
        fe["reason"],
        "flow efficiency needs the time spent in each status: add a changelog export (jira-history) (jira export)"
    );
}

#[test]
fn column_mapped_exports_refuse_a_bad_date_with_line_and_column() {
    let cases = [
        ("linear.csv", "\"ID\",\"Team\",\"Title\",\"Status\",\"Created\",\"Started\",\"Completed\"\n\"A-1\",\"T\",\"x\",\"Done\",\"2024-05-14T08:00:00Z\",,\"31/31/2024\"\n", "Completed: unrecognised date '31/31/2024'"),
        ("gitlab.csv", "Title,Issue ID,State,Created At (UTC),Closed At (UTC)\nx,1,Closed,2026-03-02 09:00:00,yesterday\n", "Closed At (UTC): relative date 'yesterday'"),
        ("asana.csv", "Task ID,Created At,Completed At,Name\n1,2026-03-02,soon,x\n", "Completed At: unrecognised date 'soon'"),
        ("github.csv", "number,title,state,createdAt,closedAt\n1,x,CLOSED,2026-03-02T09:00:00Z,not-a-date\n", "closedAt: unrecognised date 'not-a-date'"),
        ("clickup.csv", "\"Task ID\",\"Task Name\",\"Status\",\"Date Created\",\"Date Done\"\n\"a1\",\"x\",\"complete\",\"2026-03-02T09:00:00.000+02:00\",\"someday\"", "Date Done: unrecognised date 'someday'"),
        ("trello.csv", "Card ID,Card Name,List Name,Board Name,Due Date,Last Activity Date\n69a5d0c0a1b2c3d4e5f60718,x,Doing,B,someday,2026-03-03T10:00:00.000Z\n", "Due Date: unrecognised date 'someday'"),
        ("clickup-cut.csv", "\"Task ID\",\"Task Name\",\"Status\",\"Date Created\",\"Space\"\n\"a1\",\"x\",\"complete\"", "wrong number of fields (3 where the header has 5)"),
        ("clickup-due.csv", "\"Task ID\",\"Task Name\",\"Status\",\"Date Created\",\"Due Date (Unix)\"\n\"a1\",\"x\",\"open\",\"2026-03-02T09:00:00.000+02:00\",\"1772755200\"", "due date: implausible date '1772755200': before 1990"),
        ("clickup-unix.csv", "\"Task ID\",\"Task Name\",\"Status\",\"Date Created (Unix)\",\"Date Closed (Unix)\"\n\"a1\",\"x\",\"complete\",\"1772442000000\",\"17724420000000\"\n", "Date Closed (Unix): "),
    ];
    for (name, csv, reason) in cases {
        let s = Scratch::new("bad-date");
        let input = s.write(name, csv);
        // Its only row refused, the file gives nothing to show: exit 3, with the line and why.
        let out = teampulse(&[
            "build",
            input.to_str().unwrap(),
            "--as-of",
            "2026-04-01T00:00:00Z",
            "-o",
            s.path("site").to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(3), "{name}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("1 row(s) rejected") && err.contains(&format!("{name}:2: {reason}")),
            "{name}: {err}"
        );
    }
}

#[test]
fn jira_flagged_and_sprints_from_an_issue_export_and_its_changelog() {
    // The issue export alone: SPR-1 is flagged (blocked now, since its last update at the
    // latest) and lists two sprints, but nothing says when it joined them.
    let (k, _, _) = build(
        "jira-sprints-flagged.csv",
        &["--as-of", "2026-03-11T00:00:00Z"],
    );
    let blocked = kpi(&k, 0, "blocked_time");
    assert_eq!(
        blocked["flagged"],
        serde_json::json!(["SPR-1 (blocked 0.3 days)"])
    );
    let p = kpi(&k, 0, "iteration_predictability");
    assert_eq!(p["status"], "n/a");
    assert!(p["reason"]
        .as_str()
        .unwrap()
        .contains("not when it joined them"));
    assert_eq!(k["teams"][0]["iterations"], serde_json::json!([]));
    // Its changelog dates the flag (03-03 10:00 to 03-11 10:00: 8 of the 10 days from start on
    // 03-02 10:00 to done on 03-12 10:00 = 80 %, alert; the export's own flag at its last
    // update, 03-10, falls inside that span) and the move to Sprint 2 on 03-09.
    let s = Scratch::new("jira-flagged-history");
    for f in ["jira-sprints-flagged.csv", "jira-history-flagged.csv"] {
        s.write(
            &format!("in/{f}"),
            std::fs::read(fixture(&format!("formats/{f}"))).unwrap(),
        );
    }
    build_ok(
        &[&s.path("in")],
        &s.path("site"),
        &["--as-of", "2026-03-20T00:00:00Z"],
    );
    let k = kpis(&s.path("site"));
    let blocked = kpi(&k, 0, "blocked_time");
    assert_eq!(
        (blocked["value"].as_f64(), blocked["status"].as_str()),
        (Some(80.0), Some("alert")),
        "{blocked}"
    );
    let sprints: Vec<&str> = k["teams"][0]["iterations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(sprints, ["Sprint 1", "Sprint 2"]);
}
