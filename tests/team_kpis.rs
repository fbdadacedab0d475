//! The team self-monitoring KPIs on small hand-made histories, numbers worked out by hand.

use crate::util::*;

fn flagged(k: &serde_json::Value) -> Vec<String> {
    k["flagged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// `fixtures/delegation`: ana is handed eight tasks one a day (O-1..O-8), O-9 is untouched
/// by people for 20 days (only a bot comments), O-10 goes bo → cy → bo, O-11 is taken back
/// and finished by lee who delegated it, lee comments twice a working day on O-12 (dee's),
/// and only cy ever finishes `db` work (O-13..O-15). As of Friday 2026-03-20 17:00 UTC.
const DELEGATION_AS_OF: &str = "2026-03-20T17:00:00Z";

#[test]
fn each_delegation_problem_is_flagged_by_the_right_kpi() {
    let (_, k) = kpis_of("delegation", DELEGATION_AS_OF);
    let lb = kpi(&k, 0, "load_balance");
    // Loads over the roster (5-day means ÷ capacity): ana 8, bo 1 (O-9), dee 1 (O-12), cy 0,
    // lee 0 (capacity 0.5). Sorted 0,0,1,1,8; Σ = 10: (−4·0 −2·0 + 0·1 + 2·1 + 4·8) / (5·10)
    // = 34/50 = 0.68. Without the two idle members it would be 0.47.
    assert_eq!(
        (lb["value"].as_f64(), lb["status"].as_str()),
        (Some(0.68), Some("alert"))
    );
    assert_eq!(flagged(lb), ["ana"]);
    assert_eq!(k["teams"][0]["load_balance"]["peak_ratio"], 4.0);
    let stale = kpi(&k, 0, "stale_work");
    // O-9: last human touch 02-28 10:00, 20 days before; the bot's 03-18 and 03-19 comments
    // do not count. 1 of 10 tasks in progress = 10 %, but older than 10 days: alert.
    assert_eq!(
        (stale["value"].as_f64(), stale["status"].as_str()),
        (Some(10.0), Some("alert"))
    );
    assert_eq!(flagged(stale), ["O-9"]);
    let churn = kpi(&k, 0, "ownership_churn");
    // 15 tasks in scope (10 in progress, 5 finished); reassignments: O-10 two, O-11 one →
    // 3/15 = 0.2. Ping-pong 1/15 = 6.67 % > 5 %: warn. O-11 bounced back to lee.
    assert_eq!(
        (churn["value"].as_f64(), churn["status"].as_str()),
        (Some(0.2), Some("warn"))
    );
    assert_eq!(flagged(churn), ["O-10", "O-11"]);
    let over = kpi(&k, 0, "over_checking");
    // Delegated WIP in progress ≥ 3 business days: O-1..O-9 and O-12 = 10. O-12: lee touched
    // it 20 times in 10 business days (2 a day > 1): 1/10 = 10 % → warn.
    assert_eq!(
        (over["value"].as_f64(), over["status"].as_str()),
        (Some(10.0), Some("warn"))
    );
    assert_eq!(flagged(over), ["O-12"]);
    let skills = kpi(&k, 0, "skill_coverage");
    // Recurring labels: api (8 open), db (3 done by cy), infra (O-9, O-10 by bo, O-11 by lee).
    // Nobody has 2 api or infra completions; only cy covers db. 3 of 3 at risk → alert.
    assert_eq!(
        (skills["value"].as_f64(), skills["status"].as_str()),
        (Some(3.0), Some("alert"))
    );
    assert_eq!(flagged(skills), ["api", "db", "infra"]);
    let busy = kpi(&k, 0, "assigned_while_busy");
    // 17 hand-offs by lee; O-3..O-8 reached ana holding 2..7 started tasks (limit 2): 6/17.
    assert_eq!(
        (busy["value"].as_f64(), busy["status"].as_str()),
        (Some(35.29), Some("alert"))
    );
    assert_eq!(flagged(busy)[0], "O-3 → ana (held 2, limit 2)");
    assert_eq!(flagged(busy).len(), 6);
}

#[test]
fn check_exits_1_on_the_delegation_history() {
    let out = teampulse(&[
        "check",
        fixture("delegation").to_str().unwrap(),
        "--as-of",
        DELEGATION_AS_OF,
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("ops/load_balance") && err.contains("ops/stale_work"),
        "{err}"
    );
    assert!(stdout(&out)
        .lines()
        .any(|l| l.contains("over_checking") && l.contains("warn") && l.contains("O-12")));
    // --fail-on warn counts warnings too; on a quiet history both pass.
    let s = Scratch::new("quiet");
    let input = s.write(
        "e.csv",
        "task_id,timestamp,event,actor,assignee,status\nA,2026-03-02T09:00:00Z,created,x,,To Do\n",
    );
    assert_eq!(
        teampulse(&["check", input.to_str().unwrap(), "--fail-on", "warn"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn too_few_samples_are_not_available_with_the_reason() {
    let (_, k) = kpis_of("delegation", DELEGATION_AS_OF);
    let lead = kpi(&k, 0, "lead_concentration");
    assert_eq!(lead["status"], "n/a");
    assert_eq!(
        lead["reason"],
        "fewer than 12 finished tasks in the last 90 days (n = 5)"
    );
    let forecast = kpi(&k, 0, "forecast");
    assert_eq!(forecast["status"], "n/a");
    assert!(forecast["reason"]
        .as_str()
        .unwrap()
        .starts_with("fewer than 6 complete weeks"));
}

/// `fixtures/cadence`: ana updates C-1 Thu → Fri → Mon → Wed → Fri; bo updates C-2 Wed →
/// Thu → Fri; a bot comments on C-1 on Monday morning; C-3 is shared by ana and bo. As of
/// Monday 2026-03-16 09:00 UTC.
const CADENCE_AS_OF: &str = "2026-03-16T09:00:00Z";

#[test]
fn weekend_gaps_do_not_make_work_stale_on_monday() {
    let (_, k) = kpis_of("cadence", CADENCE_AS_OF);
    let c = kpi(&k, 0, "checkin_cadence");
    // Gaps in business days: C-1 1,1,2,2 (Fri → Mon is 1); C-2 1,1; C-3 1 → sorted
    // 1,1,1,1,1,2,2: median x4 = 1, P85 x[ceil(5.95)] = x6 = 2. Both C-1 and C-2 were last
    // updated on Friday, 1 business day ago: covered, 100 %.
    assert_eq!(
        (c["value"].as_f64(), c["status"].as_str()),
        (Some(100.0), Some("ok"))
    );
    assert!(
        c["reason"]
            .as_str()
            .unwrap()
            .starts_with("median gap 1 and P85 2 business days over 7 gaps"),
        "{c}"
    );
    let stale = kpi(&k, 0, "stale_work");
    assert_eq!(
        (stale["value"].as_f64(), stale["status"].as_str()),
        (Some(0.0), Some("ok"))
    );
}

#[test]
fn an_idle_member_counts_in_the_gini() {
    let (_, k) = kpis_of("cadence", CADENCE_AS_OF);
    let lb = &k["teams"][0]["load_balance"];
    // Last 5 business days 03-10..03-13 and 03-16: ana holds C-1 on all 5 → 1.0; bo holds
    // C-2 from 03-11 → 4/5 = 0.8; cy and lee hold nothing. Sorted 0,0,0.8,1; Σ = 1.8:
    // (−3·0 −1·0 + 1·0.8 + 3·1) / (4·1.8) = 3.8/7.2 = 0.53. Peak 1/0.45 = 2.22.
    assert_eq!(lb["gini"], 0.53);
    assert_eq!(lb["peak_ratio"], 2.22);
    let loads: Vec<(String, f64)> = lb["loads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["person"].as_str().unwrap().to_string(),
                l["load"].as_f64().unwrap(),
            )
        })
        .collect();
    let expected =
        [("ana", 1.0), ("bo", 0.8), ("cy", 0.0), ("lee", 0.0)].map(|(p, l)| (p.to_string(), l));
    assert_eq!(loads, expected);
}

#[test]
fn a_shared_task_is_knowledge_for_each_assignee_and_half_a_completion_each() {
    let (_, k) = kpis_of("cadence", CADENCE_AS_OF);
    let skills = &k["teams"][0]["skills"];
    // C-3 (api) was done while held by ana and bo: one api completion each.
    let people: Vec<&str> = skills["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    let ana = people.iter().position(|p| *p == "ana").unwrap();
    let bo = people.iter().position(|p| *p == "bo").unwrap();
    assert_eq!(
        (
            skills["cells"][ana][0].as_u64(),
            skills["cells"][bo][0].as_u64()
        ),
        (Some(1), Some(1))
    );
    let week = k["teams"][0]["throughput"]["weekly"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["done"] == 1)
        .unwrap();
    assert_eq!(
        week["by_person"],
        serde_json::json!({"ana": 0.5, "bo": 0.5})
    );
}

#[test]
fn due_dates_count_against_the_commitment_made_at_start() {
    let s = Scratch::new("due");
    let mut csv = String::from("task_id,timestamp,event,actor,assignee,status,due\n");
    // 12 tasks started Mon 03-02 and done Fri 03-06, due on 03-06 (on time) except D-10..D-12,
    // due 03-05 (one day late). D-12's due moves to 03-09 after it started: the commitment
    // stays 03-05, so it is still late. 9/12 = 75 % → warn (70–85 %).
    for i in 1..=12 {
        let due = if i >= 10 { "2026-03-05" } else { "2026-03-06" };
        csv.push_str(&format!(
            "D-{i},2026-03-02T08:00:00Z,created,lee,ana,To Do,{due}\n"
        ));
        csv.push_str(&format!(
            "D-{i},2026-03-02T09:00:00Z,status,ana,,In Progress,\n"
        ));
        if i == 12 {
            csv.push_str("D-12,2026-03-03T09:00:00Z,updated,lee,,,2026-03-09\n");
        }
        csv.push_str(&format!("D-{i},2026-03-06T12:00:00Z,status,ana,,Done,\n"));
    }
    // An open task due 03-04 is overdue on 03-06.
    csv.push_str("D-13,2026-03-02T08:00:00Z,created,lee,ana,To Do,2026-03-04\n");
    let input = s.write("events.csv", csv);
    build_ok(&[&input], &s.path("site"), &[]);
    let k = kpis(&s.path("site"));
    let due = kpi(&k, 0, "due_date_reliability");
    assert_eq!(
        (due["value"].as_f64(), due["status"].as_str()),
        (Some(75.0), Some("warn"))
    );
    assert_eq!(flagged(due), ["D-13", "D-10", "D-11", "D-12"]);
}

#[test]
fn flow_efficiency_is_time_in_doing_over_cycle_time() {
    let s = Scratch::new("fe");
    // F-1: doing 24 h (Mon 09:00 → Tue 09:00), review 48 h, done Thu 09:00: 24/72 = 33.33 %.
    // F-2: doing 24 h straight to done: 24/24. Team: (24 + 24) / (72 + 24) = 50 %.
    let csv = "task_id,timestamp,event,actor,assignee,status\n\
               F-1,2026-03-02T08:00:00Z,created,lee,ana,To Do\n\
               F-1,2026-03-02T09:00:00Z,status,ana,,In Progress\n\
               F-1,2026-03-03T09:00:00Z,status,ana,,In Review\n\
               F-1,2026-03-05T09:00:00Z,status,lee,,Done\n\
               F-2,2026-03-02T08:00:00Z,created,lee,ana,To Do\n\
               F-2,2026-03-02T09:00:00Z,status,ana,,In Progress\n\
               F-2,2026-03-03T09:00:00Z,status,ana,,Done\n";
    let input = s.write("events.csv", csv);
    build_ok(&[&input], &s.path("site"), &[]);
    let k = kpis(&s.path("site"));
    let fe = kpi(&k, 0, "flow_efficiency");
    assert_eq!(
        (fe["value"].as_f64(), fe["status"].as_str()),
        (Some(50.0), Some("ok"))
    );
}

#[test]
fn one_person_finishing_most_work_and_an_old_task_are_flagged() {
    let s = Scratch::new("concentration");
    let mut csv = String::from("task_id,timestamp,event,actor,assignee,status\n");
    // K-1..K-12 done on Thu 03-26, started i − 1 days earlier: cycle times 1..12 days.
    // ana holds and closes K-1..K-7, bo K-8..K-10, cy K-11..K-12.
    for i in 1..=12 {
        let who = match i {
            1..=7 => "ana",
            8..=10 => "bo",
            _ => "cy",
        };
        let start = 26 - (i - 1);
        csv.push_str(&format!(
            "K-{i},2026-03-{start:02}T08:00:00Z,created,lee,{who},To Do\n"
        ));
        csv.push_str(&format!(
            "K-{i},2026-03-{start:02}T09:00:00Z,status,{who},,In Progress\n"
        ));
        csv.push_str(&format!("K-{i},2026-03-26T10:00:00Z,status,{who},,Done\n"));
    }
    // W-1 in progress for 5 days (03-23..03-27), W-2 for 12 (03-16..03-27).
    csv.push_str("W-1,2026-03-23T08:00:00Z,created,lee,ana,To Do\nW-1,2026-03-23T09:00:00Z,status,ana,,In Progress\n");
    csv.push_str("W-2,2026-03-16T08:00:00Z,created,lee,lee,To Do\nW-2,2026-03-16T09:00:00Z,status,lee,,In Progress\n");
    let input = s.write("events.csv", csv);
    build_ok(
        &[&input],
        &s.path("site"),
        &["--as-of", "2026-03-27T12:00:00Z"],
    );
    let k = kpis(&s.path("site"));
    // Roster (inferred): ana, bo, cy, lee → limit max(35 %, 2/4) = 50 %. ana: 7/12 = 58.33 %.
    let lead = kpi(&k, 0, "lead_concentration");
    assert_eq!(
        (lead["value"].as_f64(), lead["status"].as_str()),
        (Some(58.33), Some("warn"))
    );
    assert_eq!(flagged(lead), ["ana"]);
    // Cycle times 1..12: P50 = x6 = 6, P85 = x[ceil(10.2)] = x11 = 11, no P95 (n < 20). The SLE
    // is the provisional P85, 11 days; 11 of 12 within it = 91.67 % → ok.
    let ct = &k["teams"][0]["cycle_time_days"];
    assert_eq!(
        (ct["p50"].as_i64(), ct["p85"].as_i64(), ct["p95"].as_i64()),
        (Some(6), Some(11), None)
    );
    assert_eq!(kpi(&k, 0, "cycle_time")["status"], "ok");
    // W-2 is 12 days old: above the SLE and above P85 (the highest percentile shown) → alert.
    let age = kpi(&k, 0, "work_item_age");
    assert_eq!(
        (age["value"].as_f64(), age["status"].as_str()),
        (Some(1.0), Some("alert"))
    );
    assert_eq!(flagged(age), ["W-2"]);
}

#[test]
fn the_gini_trend_is_taken_at_the_end_of_each_week() {
    let (_, k) = kpis_of("cadence", CADENCE_AS_OF);
    let weeks = k["teams"][0]["load_balance"]["weekly_gini"]
        .as_array()
        .unwrap();
    assert_eq!(weeks.len(), 12);
    let last: Vec<(String, f64)> = weeks[9..]
        .iter()
        .map(|w| {
            (
                w["week_start"].as_str().unwrap().to_string(),
                w["gini"].as_f64().unwrap(),
            )
        })
        .collect();
    // Friday 03-06: only ana holds a task (C-1) → loads 0,0,0,1: 3·1/(4·1) = 0.75.
    // Friday 03-13 and Monday 03-16 (as-of): ana and bo hold one each → 0,0,1,1: 4/8 = 0.5.
    let expected = [
        ("2026-03-02", 0.75),
        ("2026-03-09", 0.5),
        ("2026-03-16", 0.5),
    ]
    .map(|(w, g)| (w.to_string(), g));
    assert_eq!(last, expected);
}
