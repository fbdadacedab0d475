//! Flow KPIs on `fixtures/flow/events.csv`, numbers worked out by hand (see comments).

use crate::util::*;

const AS_OF: &str = "2026-03-25T12:00:00Z";

fn built() -> (Scratch, serde_json::Value) {
    kpis_of("flow/events.csv", AS_OF)
}

fn item<'a>(
    rows: &'a [std::collections::BTreeMap<String, String>],
    id: &str,
) -> &'a std::collections::BTreeMap<String, String> {
    rows.iter().find(|r| r["task_id"] == id).unwrap()
}

#[test]
fn a_same_day_finish_is_one_day() {
    let (s, _) = built();
    let rows = items(&s.path("site"), "core");
    let a = item(&rows, "A");
    assert_eq!(
        (a["started"].as_str(), a["done"].as_str()),
        ("2026-03-02", "2026-03-02")
    );
    assert_eq!(
        (a["cycle_time_days"].as_str(), a["lead_time_days"].as_str()),
        ("1", "1")
    );
}

#[test]
fn a_reopened_task_counts_once_in_the_week_it_is_finally_done() {
    let (s, k) = built();
    let b = item(&items(&s.path("site"), "core"), "B").clone();
    // Start 03-03 is kept; the last entry into done is 03-10: 03-03..03-10 inclusive = 8 days.
    assert_eq!(
        (
            b["started"].as_str(),
            b["done"].as_str(),
            b["cycle_time_days"].as_str()
        ),
        ("2026-03-03", "2026-03-10", "8")
    );
    // Week of 03-02: A and C. Week of 03-09: B (not also in 03-02) and E.
    let weeks = &k["teams"][0]["throughput"]["weekly"];
    assert_eq!(weeks[0]["done"], 2);
    assert_eq!(weeks[1]["done"], 2);
}

#[test]
fn a_task_reopened_and_not_done_again_is_wip() {
    let s = Scratch::new("reopen");
    let csv = "task_id,timestamp,event,actor,assignee,status\n\
               R,2026-03-02T09:00:00Z,created,lead,raj,To Do\n\
               R,2026-03-03T09:00:00Z,status,raj,,In Progress\n\
               R,2026-03-04T09:00:00Z,status,raj,,Done\n\
               R,2026-03-05T09:00:00Z,status,lead,,In Progress\n";
    let input = s.write("events.csv", csv);
    build_ok(&[&input], &s.path("site"), &[]);
    let k = kpis(&s.path("site"));
    assert_eq!(k["teams"][0]["wip"]["total"], 1);
    let total: u64 = k["teams"][0]["throughput"]["weekly"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["done"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 0);
    let r = item(&items(&s.path("site"), "team"), "R").clone();
    // Age from the first start 03-03 to as-of 03-05: 3 days inclusive.
    assert_eq!(
        (
            r["category"].as_str(),
            r["done"].as_str(),
            r["age_days"].as_str()
        ),
        ("doing", "", "3")
    );
}

#[test]
fn todo_to_done_counts_in_throughput_and_lead_time_not_cycle_time() {
    let (s, k) = built();
    let c = item(&items(&s.path("site"), "core"), "C").clone();
    assert_eq!(
        (
            c["started"].as_str(),
            c["cycle_time_days"].as_str(),
            c["lead_time_days"].as_str()
        ),
        ("", "", "3")
    );
    // Cycle times: A 1, B 8, E 1, H 7 → n = 4 (C is not among them).
    assert_eq!(k["teams"][0]["cycle_time_days"]["count"], 4);
    // Lead times: A 1, B 9, C 3, E 7, H 9 → n = 5; sorted 1,3,7,9,9: P50 = x[ceil(2.5)] = 7.
    assert_eq!(k["teams"][0]["lead_time_days"]["count"], 5);
    assert_eq!(k["teams"][0]["lead_time_days"]["p50"], 7);
}

#[test]
fn a_cancelled_task_is_neither_wip_nor_throughput() {
    let (s, k) = built();
    let d = item(&items(&s.path("site"), "core"), "D").clone();
    assert_eq!(
        (
            d["category"].as_str(),
            d["done"].as_str(),
            d["age_days"].as_str()
        ),
        ("cancelled", "", "")
    );
    // WIP at T: F and G only.
    assert_eq!(k["teams"][0]["wip"]["total"], 2);
    // Done: A, B, C, E, H = 5 (D is not).
    let total: u64 = k["teams"][0]["throughput"]["weekly"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["done"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 5);
}

#[test]
fn different_offsets_fall_into_the_right_day_and_week() {
    let (s, _) = built();
    let e = item(&items(&s.path("site"), "core"), "E").clone();
    // Created 03-02 23:30 -05:00 = 03-03 04:30 UTC; started 03-08 23:30 -01:00 = 03-09 00:30 UTC;
    // done 03-10 01:00 +02:00 = 03-09 23:00 UTC. Read as written they would be 03-02, 03-08, 03-10.
    assert_eq!(
        (
            e["created"].as_str(),
            e["started"].as_str(),
            e["done"].as_str()
        ),
        ("2026-03-03", "2026-03-09", "2026-03-09")
    );
    assert_eq!(
        (e["cycle_time_days"].as_str(), e["lead_time_days"].as_str()),
        ("1", "7")
    );
}

#[test]
fn an_empty_week_counts_zero_and_the_partial_week_is_shown_but_not_averaged() {
    let (_, k) = built();
    let t = &k["teams"][0]["throughput"];
    let weeks: Vec<(String, u64, bool)> = t["weekly"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["week_start"].as_str().unwrap().to_string(),
                w["done"].as_u64().unwrap(),
                w["partial"].as_bool().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("2026-03-02", 2, false),
        ("2026-03-09", 2, false),
        ("2026-03-16", 0, false),
        ("2026-03-23", 1, true),
    ];
    let expected: Vec<(String, u64, bool)> = expected
        .iter()
        .map(|(w, d, p)| (w.to_string(), *d, *p))
        .collect();
    assert_eq!(weeks, expected);
    // Complete weeks 2, 2, 0 → sorted 0,2,2: P50 = x2 = 2. With the partial week (0,1,2,2) it would be 1.
    assert_eq!(t["p50"], 2);
    assert_eq!(t["p15"], 0);
    // Three complete weeks are too few for a status.
    let kpi = kpi(&k, 0, "throughput");
    assert_eq!(kpi["status"], "n/a");
    assert!(kpi["reason"]
        .as_str()
        .unwrap()
        .contains("fewer than 4 complete weeks"));
}

#[test]
fn percentiles_are_nearest_rank_and_small_samples_hide_p85() {
    let (_, k) = built();
    let ct = &k["teams"][0]["cycle_time_days"];
    // Cycle times 1, 1, 7, 8: P50 = x[ceil(2)] = x2 = 1; n = 4 < 12 hides P85 and P95.
    assert_eq!(
        (ct["count"].as_u64(), ct["p50"].as_i64()),
        (Some(4), Some(1))
    );
    assert!(ct["p85"].is_null() && ct["p95"].is_null());
    let kpi = kpi(&k, 0, "cycle_time");
    assert_eq!(kpi["status"], "n/a");
    assert!(
        kpi["reason"]
            .as_str()
            .unwrap()
            .contains("fewer than 12 finished tasks"),
        "{kpi}"
    );
}

#[test]
fn per_person_wip_counts_a_shared_task_for_each_assignee() {
    let (_, k) = built();
    let by_person = &k["teams"][0]["wip"]["by_person"];
    // F is held by ana and raj; G (waiting) by ana. The inferred roster also has `lead`, idle.
    assert_eq!(
        by_person,
        &serde_json::json!({"ana": 2, "lead": 0, "raj": 1})
    );
    assert_eq!(k["teams"][0]["wip"]["unassigned"], 0);
    // Limits: 2 each; ana at 2 is within her limit.
    assert_eq!(kpi(&k, 0, "wip")["status"], "ok");
}

#[test]
fn the_partial_week_done_credit_is_split_between_assignees() {
    let s = Scratch::new("credit");
    let csv = "task_id,timestamp,event,actor,assignee,status\n\
               S,2026-03-02T09:00:00Z,created,lead,ana;raj,To Do\n\
               S,2026-03-03T09:00:00Z,status,ana,,In Progress\n\
               S,2026-03-04T09:00:00Z,status,ana,,Done\n";
    let input = s.write("events.csv", csv);
    build_ok(&[&input], &s.path("site"), &[]);
    let k = kpis(&s.path("site"));
    let week = &k["teams"][0]["throughput"]["weekly"][0];
    assert_eq!(week["done"], 1);
    assert_eq!(
        week["by_person"],
        serde_json::json!({"ana": 0.5, "raj": 0.5})
    );
}

#[test]
fn daily_wip_counts_started_unfinished_tasks_at_the_end_of_each_day() {
    let (_, k) = built();
    let days: std::collections::BTreeMap<String, u64> = k["teams"][0]["wip_daily"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["day"].as_str().unwrap().to_string(),
                d["wip"].as_u64().unwrap(),
            )
        })
        .collect();
    // A starts and finishes on 03-02 (0); B and D start 03-03 (2); F 03-04 (3); B done 03-05
    // (2); D cancelled and G started 03-06 (2); B reopened 03-09, E in and out the same day
    // (3); B done again 03-10 (2); H 03-18 to 03-24 (3, then 2).
    let expect = [
        ("2026-03-02", 0),
        ("2026-03-03", 2),
        ("2026-03-04", 3),
        ("2026-03-05", 2),
        ("2026-03-06", 2),
        ("2026-03-09", 3),
        ("2026-03-10", 2),
        ("2026-03-18", 3),
        ("2026-03-23", 3),
        ("2026-03-24", 2),
        ("2026-03-25", 2),
    ];
    for (day, wip) in expect {
        assert_eq!(days[day], wip, "{day}");
    }
    assert_eq!(days.len(), 90);
}
