//! Hand-off clarity and room to grow on a small hand-made history (`fixtures/clarity`), numbers
//! worked out by hand. As of 2026-06-30 00:00 UTC; roster ana, ben, cy.
//!
//! Hand-offs (assignments by someone else) in the last 90 days:
//! - C-1: 26 words with acceptance criteria, parent EPIC-1 → clear.
//! - C-2: "Fix login" (2 words), no parent, no due date → lacks all three.
//! - C-3: 26 words without criteria, parent, due 05-20 → clear (the due date is the outcome).
//! - C-4: 27 words without criteria, parent; criteria added a day after the hand-off → unclear
//!   at the moment of hand-off.
//! - C-5 is self-assigned: not a hand-off.
//!
//! Finished work (S-1 … S-6): ana finished `api` on 02-10, then `api` (S-2, not new) and `ui`
//! (S-3, new); ben `api` (S-4, new), `ui` (S-5, new), `api` (S-6, not new).

use crate::util::*;

fn build() -> (Scratch, serde_json::Value) {
    kpis_of("clarity", "2026-06-30T00:00:00Z")
}

#[test]
fn a_hand_off_is_clear_only_with_the_what_the_why_and_the_outcome_at_that_moment() {
    let (s, k) = build();
    // 2 of 4 hand-offs clear = 50 %, more than 20 points under the 80 % target: alert.
    let c = kpi(&k, 0, "handoff_clarity");
    assert_eq!(
        (c["value"].as_f64(), c["status"].as_str()),
        (Some(50.0), Some("alert"))
    );
    assert_eq!(
        c["flagged"],
        serde_json::json!([
            "C-2 (no what, no why, no expected outcome)",
            "C-4 (no expected outcome)"
        ])
    );
    // The descriptions are read for their length and structure only: no output holds them.
    for (path, bytes) in tree(&s.path("site")) {
        let text = String::from_utf8_lossy(&bytes);
        for phrase in [
            "reconcile invoices",
            "retries failed batches",
            "Fix login",
            "zero errors",
        ] {
            assert!(!text.contains(phrase), "{phrase} in {}", path.display());
        }
    }
}

#[test]
fn stretch_counts_work_new_to_whoever_finished_it() {
    let (_, k) = build();
    // In the last 90 days: S-2 … S-6, of which S-3, S-4 and S-5 were new kinds of work for
    // whoever finished them: 3 of 5 = 60 %, above the 10–30 % band: warn. cy got nothing new.
    let st = kpi(&k, 0, "stretch");
    assert_eq!(
        (st["value"].as_f64(), st["status"].as_str()),
        (Some(60.0), Some("warn"))
    );
    assert_eq!(st["flagged"], serde_json::json!(["cy"]));
}

#[test]
fn without_description_or_parent_columns_clarity_says_what_is_missing() {
    let s = Scratch::new("clarity-none");
    build_ok(&[&fixture("delegation")], &s.path("site"), &[]);
    let k = kpis(&s.path("site"));
    let c = kpi(&k, 0, "handoff_clarity");
    assert_eq!(c["status"], "n/a");
    assert!(c["reason"]
        .as_str()
        .unwrap()
        .contains("no description and no parent"));
}

#[test]
fn a_decision_compares_equal_windows_and_says_when_one_is_too_short() {
    let s = Scratch::new("decisions");
    let events = std::fs::read(fixture("clarity/events.csv")).unwrap();
    s.write("in/events.csv", events);
    s.write(
        "in/teampulse.toml",
        "[teams.team]\nname = \"Team\"\nmembers = [\"ana\", \"ben\", \"cy\"]\n\n\
         [[decisions]]\ndate = \"2026-05-08\"\ntext = \"Reviews within a day\"\n\n\
         [[decisions]]\ndate = \"2026-06-25\"\nteam = \"team\"\ntext = \"WIP limit of 2\"\n",
    );
    build_ok(
        &[&s.path("in")],
        &s.path("site"),
        &["--as-of", "2026-06-30T00:00:00Z"],
    );
    let k = kpis(&s.path("site"));
    let d = &k["teams"][0]["decisions"];
    // 05-08: 54 days from it to the as-of day 06-30 (24 in May, 30 in June), 88 before it from
    // the first task (02-09): windows of 54 days, 03-15 … 05-07 and 05-08 … 06-30. Before: S-2
    // (done 05-05, cycle 05-04 → 05-05 = 2 days); after: S-3 (3 days), S-4 (2), S-5 (5), S-6
    // (3). 1 and 4 finished in 54/7 weeks: 0.13 and 0.52 a week; medians 2 and 3 days (nearest
    // rank of 2, 3, 3, 5).
    assert_eq!(
        d[0],
        serde_json::json!({
            "date": "2026-05-08", "text": "Reviews within a day", "window_days": 54,
            "before": {"from": "2026-03-15", "to": "2026-05-07", "finished": 1, "throughput_per_week": 0.13, "cycle_time_p50": 2, "cycle_time_p85": null},
            "after": {"from": "2026-05-08", "to": "2026-06-30", "finished": 4, "throughput_per_week": 0.52, "cycle_time_p50": 3, "cycle_time_p85": null},
            "note": null
        })
    );
    // 06-25: only 6 days from it to 06-30: too short to tell.
    assert_eq!(d[1]["before"], serde_json::Value::Null);
    assert!(d[1]["note"]
        .as_str()
        .unwrap()
        .starts_with("too short to tell: 6 day(s)"));
    let page = std::fs::read_to_string(s.path("site/teams/team/index.html")).unwrap();
    assert!(page.contains(
        "Since 2026-05-08, Reviews within a day: cycle time median 2 → 3 days, throughput 0.13 → \
         0.52 a week (54 days before and after)."
    ));
}

#[test]
fn stretch_looks_back_180_days_and_no_further() {
    // As of 2026-06-30: the window is 04-01 … 06-29. ana finished `db` on 2025-10-01 and again on
    // 2026-04-10, 191 days later: new again. ben finished `web` on 2025-10-03 and again on
    // 2026-04-01, the window's first day, exactly 180 days later (29 + 31 + 30 + 31 + 31 + 28
    // days): not new. 1 of 2 = 50 %, above the 10–30 % band: warn; ben got nothing new.
    let s = Scratch::new("stretch-horizon");
    let mut text = String::from("task_id,timestamp,event,actor,assignee,status,team,labels\n");
    // Kinds are compared as the skills matrix compares labels: `Web` is `web`.
    for (task, who, kind, done) in [
        ("T-1", "ana", "db", "2025-10-01"),
        ("T-2", "ana", "db", "2026-04-10"),
        ("T-3", "ben", "web", "2025-10-03"),
        ("T-4", "ben", "Web", "2026-04-01"),
    ] {
        text.push_str(&format!(
            "{task},{done}T08:00:00Z,created,lee,,To Do,Team,{kind}\n\
             {task},{done}T09:00:00Z,assigned,lee,{who},,,\n\
             {task},{done}T10:00:00Z,status,{who},,In Progress,,\n\
             {task},{done}T12:00:00Z,status,{who},,Done,,\n"
        ));
    }
    s.write("in/events.csv", text);
    s.write(
        "in/teampulse.toml",
        "[teams.team]\nname = \"Team\"\nmembers = [\"ana\", \"ben\"]\n",
    );
    build_ok(
        &[&s.path("in")],
        &s.path("site"),
        &["--as-of", "2026-06-30T00:00:00Z"],
    );
    let k = kpis(&s.path("site"));
    let st = kpi(&k, 0, "stretch");
    assert_eq!(
        (st["value"].as_f64(), st["status"].as_str()),
        (Some(50.0), Some("warn"))
    );
    assert_eq!(st["flagged"], serde_json::json!(["ben"]));
}
