//! Where the time goes: time in status, blocked time, work mix and iterations on a small
//! hand-made history (`fixtures/time`), numbers worked out by hand. As of 2026-03-31 00:00 UTC.
//!
//! - T-1 (Story, S1 from the start): In Progress 03-02 10:00, In Review 03-04 10:00, In
//!   Progress 03-05 10:00, Done 03-06 10:00 → cycle 4 days: In Progress 2 + 1 = 3, In Review 1.
//! - T-2 (Bug, joins S1 on 03-09): In Progress 03-09 12:00, blocked 03-10 12:00 to 03-12 12:00,
//!   In Review 03-13 12:00, Done 03-15 12:00 → cycle 6: In Progress 4, In Review 2; blocked 2.
//! - T-3 (Story, label `unplanned`, S2): In Progress 03-16 09:00, status Blocked 03-17 09:00, In
//!   Progress 03-18 09:00, Done 03-19 09:00 → cycle 3: In Progress 2, Blocked 1; blocked 1.
//! - T-4 (S2): In Progress 03-20, label `blocked` from 03-25 09:00: blocked now, 5.625 days.
//! - T-5 cancelled; T-6 in S1 from 03-02 09:30, never started, moved to S2 on 03-16 09:00.

use crate::util::*;

fn build() -> (Scratch, serde_json::Value) {
    kpis_of("time", "2026-03-31T00:00:00Z")
}

#[test]
fn time_in_status_splits_the_cycle_time_of_finished_work() {
    let (s, k) = build();
    let statuses = &k["teams"][0]["time_in_status"];
    // Σ cycle time 4 + 6 + 3 = 13 days. In Progress 3 + 4 + 2 = 9 → 0.69 (median of 2, 3, 4 is
    // 3); In Review 1 + 2 = 3 → 0.23 (median of 1, 2 by nearest rank is 1); Blocked 1 → 0.08.
    let expected = serde_json::json!([
        {"status": "In Progress", "category": "doing", "tasks": 3, "median_days": 3.0, "p85_days": null, "share": 0.69},
        {"status": "In Review", "category": "waiting", "tasks": 2, "median_days": 1.0, "p85_days": null, "share": 0.23},
        {"status": "Blocked", "category": "waiting", "tasks": 1, "median_days": 1.0, "p85_days": null, "share": 0.08},
    ]);
    assert_eq!(statuses, &expected);
    let per_task = std::fs::read_to_string(s.path("site/data/team/time-in-status.csv")).unwrap();
    assert_eq!(
        per_task,
        "task_id,status,days\nT-1,In Progress,3\nT-1,In Review,1\nT-2,In Progress,4\n\
         T-2,In Review,2\nT-3,In Progress,2\nT-3,Blocked,1\n"
    );
    // The page names the biggest waiting state in one sentence.
    let page = std::fs::read_to_string(s.path("site/teams/team/index.html")).unwrap();
    assert!(
        page.contains("The most waiting time is in “In Review”: 23 % of the cycle time"),
        "{page}"
    );
    assert!(page.contains("Where does our time go?"));
}

#[test]
fn blocked_time_counts_flags_blocked_statuses_and_blocked_labels() {
    let (s, k) = build();
    // T-2 blocked 2 days by events, T-3 1 day by its status: 3 of 13 days = 23.08 %, above
    // twice the 10 % target: alert. T-4 is blocked now (label since 03-25 09:00: 5.6 days).
    let b = kpi(&k, 0, "blocked_time");
    assert_eq!(
        (b["value"].as_f64(), b["status"].as_str()),
        (Some(23.08), Some("alert"))
    );
    assert_eq!(b["flagged"], serde_json::json!(["T-4 (blocked 5.6 days)"]));
    let rows = items(&s.path("site"), "team");
    let blocked: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["task_id"].as_str(), r["blocked_days"].as_str()))
        .collect();
    assert_eq!(
        blocked,
        [
            ("T-1", "0"),
            ("T-2", "2"),
            ("T-3", "1"),
            ("T-4", "5.63"),
            ("T-5", "0"),
            ("T-6", "0")
        ]
    );
}

#[test]
fn work_mix_counts_unplanned_types_and_labels() {
    let (_, k) = build();
    // Finished: T-1 Story, T-2 Bug (unplanned type), T-3 Story labelled `unplanned`: 2 of 3 =
    // 66.67 %, above the 50 % alert line.
    let m = kpi(&k, 0, "work_mix");
    assert_eq!(
        (m["value"].as_f64(), m["status"].as_str()),
        (Some(66.67), Some("alert"))
    );
    assert_eq!(m["flagged"], serde_json::json!(["T-2", "T-3"]));
}

#[test]
fn iterations_count_commitment_and_carry_over() {
    let (_, k) = build();
    // S1 starts 03-02 09:00 (T-1 joins), ends when S2 starts (03-16 09:00). Committed: T-1 and
    // T-6 (within a day of the start); added: T-2 (03-09); finished: T-1, T-2; carried over:
    // T-6 (moved on at the end). S2 runs: T-6 and T-3 at its start, T-4 and T-5 added later,
    // T-3 finished. Predictability: S1's 2 finished ÷ 2 committed = 100 %: ok.
    assert_eq!(
        k["teams"][0]["iterations"],
        serde_json::json!([
            {"name": "S1", "start": "2026-03-02", "end": "2026-03-16", "committed": 2, "added": 1, "removed": 0, "finished": 2, "carried_over": 1},
            {"name": "S2", "start": "2026-03-16", "end": null, "committed": 2, "added": 2, "removed": 0, "finished": 1, "carried_over": 0},
        ])
    );
    let p = kpi(&k, 0, "iteration_predictability");
    assert_eq!(
        (p["value"].as_f64(), p["status"].as_str()),
        (Some(100.0), Some("ok"))
    );
}

#[test]
fn without_iterations_predictability_says_why() {
    let s = Scratch::new("no-iterations");
    build_ok(&[&fixture("delegation")], &s.path("site"), &[]);
    let k = kpis(&s.path("site"));
    let p = kpi(&k, 0, "iteration_predictability");
    assert_eq!(p["status"], "n/a");
    assert!(p["reason"]
        .as_str()
        .unwrap()
        .contains("no iterations in the data"));
}
