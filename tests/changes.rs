//! What changed since the previous build (`fixtures/changes`), worked out by hand.
//!
//! Alpha's roster is ana (WIP limit 2). As of 03-04 12:00 she holds in
//! progress: 3, over the team's limit of 2, so WIP is in alert; A-1 was last touched 03-02
//! 10:00, 2 days before: not stale. As of 03-16 12:00 are done (03-06): WIP 1, back
//! to ok; A-1 untouched for 14 days, over 10: stale work in alert. Beta's first task is from
//! 03-10: a team new on the site.

use crate::util::*;

const T1: &str = "2026-03-04T12:00:00Z";
const T2: &str = "2026-03-16T12:00:00Z";
const T3: &str = "2026-03-17T12:00:00Z";

/// `teampulse check INPUT --as-of AS_OF -q EXTRA… --changed AGAINST`: the nightly gate.
fn check_changed(
    input: &std::path::Path,
    as_of: &str,
    against: &std::path::Path,
    extra: &[&str],
) -> std::process::Output {
    let (input, against) = (input.display().to_string(), against.display().to_string());
    let mut args = vec!["check", &input, "--as-of", as_of, "-q"];
    args.extend(extra);
    args.extend(["--changed", &against]);
    teampulse(&args)
}

fn change<'a>(c: &'a serde_json::Value, slug: &str, id: &str) -> &'a serde_json::Value {
    let team = c["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["slug"] == slug)
        .unwrap_or_else(|| panic!("{slug} in {c}"));
    team["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == id)
        .unwrap_or_else(|| panic!("{id} in {team}"))
}

#[test]
fn the_second_build_says_what_moved_since_the_first() {
    let s = Scratch::new("changes");
    let site = s.path("site");
    let input = fixture("changes");
    build_ok(&[&input], &site, &["--as-of", T1]);
    let first = std::fs::read_to_string(site.join("data/changes.md")).unwrap();
    assert!(first.contains("no earlier build here"), "{first}");
    let t1_site = tree(&site);
    build_ok(&[&input], &site, &["--as-of", T2]);
    let c: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("data/changes.json")).unwrap()).unwrap();
    assert_eq!(c["since"], T1);
    assert_eq!(change(&c, "alpha", "wip")["from"]["status"], "alert", "{c}");
    assert_eq!(change(&c, "alpha", "wip")["to"]["status"], "ok");
    let stale = change(&c, "alpha", "stale_work");
    assert_eq!(
        (
            stale["from"]["status"].as_str(),
            stale["to"]["status"].as_str()
        ),
        (Some("ok"), Some("alert"))
    );
    assert_eq!(stale["flagged"], serde_json::json!(["A-1"]));
    // 03-02 10:00 to 03-16 12:00: 14 days untouched.
    assert_eq!(
        stale["reason"],
        "1 of 1 tasks untouched for more than 5 days; longest A-1, 14 days"
    );
    let beta = c["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["slug"] == "beta")
        .unwrap();
    assert_eq!(beta["new_team"], true);
    let md = std::fs::read_to_string(site.join("data/changes.md")).unwrap();
    assert!(
        md.contains(
            "  - Stale work went from ok to alert: 1 of 1 tasks untouched for more than 5 \
             days; longest A-1, 14 days.\n"
        ),
        "{md}"
    );
    assert!(
        md.contains("- Alpha:\n") && md.contains("  - Work in progress back to ok (from alert).\n"),
        "{md}"
    );
    assert!(md.contains("- Beta: new on the site."), "{md}");
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(
        index.contains(&format!("Since {T1}:")),
        "the overview says since when"
    );

    // Built again for the same time: nothing moves, the site is byte-identical.
    let t2_site = tree(&site);
    build_ok(&[&input], &site, &["--as-of", T2]);
    assert!(tree(&site) == t2_site);

    // The gate: against the first build, stale work newly entered alert (exit 1). Right after
    // the second build, its site stands for the changes it recorded: the same exit 1. A day
    // later, against the second build, nothing is new although it is still in alert (exit 0).
    let before = s.path("before");
    for (path, bytes) in &t1_site {
        s.write(&format!("before/{}", path.display()), bytes);
    }
    let check = |as_of: &str, against: &std::path::Path| check_changed(&input, as_of, against, &[]);
    for against in [before.clone(), before.join("data/kpis.json"), site.clone()] {
        let out = check(T2, &against);
        assert_eq!(out.status.code(), Some(1), "{against:?} {}", stderr(&out));
        assert!(
            stderr(&out).contains("alpha/stale_work") && !stderr(&out).contains("alpha/wip"),
            "{}",
            stderr(&out)
        );
    }
    let out = check(T3, &site);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for nowhere in [
        s.path("nowhere"),
        s.path("history-less"),
        input.join("events.csv"),
    ] {
        std::fs::create_dir_all(s.path("history-less")).unwrap();
        let out = check(T2, &nowhere);
        assert_eq!(out.status.code(), Some(2), "{nowhere:?} {}", stderr(&out));
        assert!(stderr(&out).contains("--changed"), "{}", stderr(&out));
    }
}

#[test]
fn with_a_history_the_previous_build_is_remembered_there() {
    // A CI job that builds into a fresh folder each night keeps the last build in the history.
    let s = Scratch::new("changes-history");
    let input = fixture("changes");
    let hist = s.path("history").display().to_string();
    build_ok(
        &[&input],
        &s.path("one"),
        &["--as-of", T1, "--history", &hist],
    );
    build_ok(
        &[&input],
        &s.path("two"),
        &["--as-of", T2, "--history", &hist],
    );
    let c: serde_json::Value =
        serde_json::from_slice(&std::fs::read(s.path("two/data/changes.json")).unwrap()).unwrap();
    assert_eq!(c["since"], T1);
    assert_eq!(
        change(&c, "alpha", "stale_work")["to"]["status"],
        "alert",
        "{c}"
    );
    // The gate after the build, against the history: what this build found new.
    let out = check_changed(&input, T2, hist.as_ref(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // Built again for the same time elsewhere: the same changes, not a first build.
    build_ok(
        &[&input],
        &s.path("three"),
        &["--as-of", T2, "--history", &hist],
    );
    assert_eq!(
        std::fs::read(s.path("two/data/changes.md")).unwrap(),
        std::fs::read(s.path("three/data/changes.md")).unwrap()
    );
}

#[test]
fn split_sites_say_what_changed_for_their_team_when_a_history_is_kept() {
    let s = Scratch::new("changes-split");
    let input = fixture("changes");
    let hist = s.path("history").display().to_string();
    for as_of in [T1, T2] {
        build_ok(
            &[&input],
            &s.path("site"),
            &["--as-of", as_of, "--history", &hist, "--split-teams"],
        );
    }
    // Each team's site says what changed for that team alone.
    let c: serde_json::Value =
        serde_json::from_slice(&std::fs::read(s.path("site/alpha/data/changes.json")).unwrap())
            .unwrap();
    assert_eq!(c["since"], T1);
    assert_eq!(change(&c, "alpha", "stale_work")["to"]["status"], "alert");
    assert_eq!(c["teams"].as_array().unwrap().len(), 1, "{c}");
    assert_eq!(c["gone"], serde_json::json!([]));
    let beta = std::fs::read_to_string(s.path("site/beta/data/changes.md")).unwrap();
    assert!(
        beta.contains("- Beta: new on the site.") && !beta.contains("Alpha"),
        "{beta}"
    );
    // Without a history a split site has no previous build to compare with, and says nothing.
    build_ok(
        &[&input],
        &s.path("plain"),
        &["--as-of", T2, "--split-teams"],
    );
    assert!(!s.path("plain/alpha/data/changes.json").exists());
    assert!(!std::fs::read_to_string(s.path("plain/alpha/index.html"))
        .unwrap()
        .contains("Since "));
    let out = check_changed(&input, T2, hist.as_ref(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("alpha/stale_work"),
        "{}",
        stderr(&out)
    );
}

/// The fixture with a third team, Gamma: G-1 started 03-02 10:00 by gus and left alone (by
/// 03-16 12:00, 14 days untouched: stale work in alert).
fn with_gamma(s: &Scratch) -> std::path::PathBuf {
    let input = fixture("changes");
    let events = std::fs::read_to_string(input.join("events.csv")).unwrap()
        + "G-1,2026-03-02T09:00:00Z,created,gus,,To Do,Gamma,Gamma task\n\
           G-1,2026-03-02T09:00:00Z,assigned,gus,gus,,,\n\
           G-1,2026-03-02T10:00:00Z,status,gus,,In Progress,,\n";
    let config = std::fs::read_to_string(input.join("teampulse.toml")).unwrap()
        + "\n[teams.gamma]\nname = \"Gamma\"\nmembers = [\"gus\"]\n";
    s.write("gamma/events.csv", events);
    s.write("gamma/teampulse.toml", config);
    s.path("gamma")
}

#[test]
fn a_new_team_in_alert_fails_the_gate_and_a_rebuild_with_it_says_so() {
    let s = Scratch::new("changes-new-team");
    let (input, gamma) = (fixture("changes"), with_gamma(&s));
    let site = s.path("site");
    build_ok(&[&input], &site, &["--as-of", T2]);
    let check = |against: &std::path::Path| check_changed(&gamma, T3, against, &[]);
    // A day later, against the site or its kpis.json: Gamma is new, and in alert.
    for against in [site.clone(), site.join("data/kpis.json")] {
        let out = check(&against);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("gamma/stale_work"),
            "{}",
            stderr(&out)
        );
    }
    // A rebuild for the same time with Gamma compares with what the first build compared
    // with (nothing: its changes say so), not with stale files.
    build_ok(&[&input], &site, &["--as-of", T1]);
    build_ok(&[&input], &site, &["--as-of", T2]);
    build_ok(&[&gamma], &site, &["--as-of", T2]);
    let md = std::fs::read_to_string(site.join("data/changes.md")).unwrap();
    assert!(
        md.contains("- Gamma: new on the site.\n")
            && md.contains(
                "  - Stale work in alert: 1 of 1 tasks untouched for more than 5 days; longest \
                 G-1, 14 days.\n"
            ),
        "{md}"
    );
    assert!(md.contains(&format!("since {T1}")), "{md}");
}

#[test]
fn a_rebuild_under_pseudonyms_keeps_no_name_from_the_named_build() {
    let s = Scratch::new("changes-people");
    let input = fixture("changes");
    let site = s.path("site");
    build_ok(&[&input], &site, &["--as-of", T1]);
    build_ok(&[&input], &site, &["--as-of", T2]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_teampulse"))
        .args(["build", &input.display().to_string(), "-o"])
        .arg(&site)
        .args(["--as-of", T2, "-q", "--people", "pseudonym"])
        .env(
            "TEAMPULSE_PSEUDONYM_SECRET",
            "a secret of enough characters",
        )
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let md = std::fs::read_to_string(site.join("data/changes.md")).unwrap();
    assert!(md.contains("Stale work went from ok to alert"), "{md}");
    for (path, bytes) in tree(&site) {
        let text = String::from_utf8_lossy(&bytes);
        let named = text
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == "ana");
        assert!(!named, "{} names ana", path.display());
    }
}

#[test]
fn unreadable_previous_builds_never_hang_the_gate_or_the_build() {
    let s = Scratch::new("changes-fifo");
    let input = fixture("changes");
    let site = s.path("site");
    build_ok(&[&input], &site, &["--as-of", T1]);
    let fifo = s.path("fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    for against in [fifo.clone(), std::path::PathBuf::from("/dev/zero")] {
        let out = teampulse(&[
            "check",
            &input.display().to_string(),
            "-q",
            "--changed",
            &against.display().to_string(),
        ]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    }
    // The previous site's changes.json a pipe: read as no changes file, not waited on.
    std::fs::remove_file(site.join("data/changes.json")).unwrap();
    let c = std::ffi::CString::new(site.join("data/changes.json").to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    build_ok(&[&input], &site, &["--as-of", T2]);

    // A damaged previous kpis.json, or a history record that is not one: the build goes on
    // and says there is nothing earlier to compare with.
    s.write(
        "site/data/kpis.json",
        "{\"schema\": \"teampulse/kpis/v1\", \"as_of\": 17",
    );
    build_ok(&[&input], &site, &["--as-of", T3]);
    let md = std::fs::read_to_string(site.join("data/changes.md")).unwrap();
    assert!(md.contains("no earlier build here to compare with"), "{md}");
    let garbage = s.path("garbage-history");
    s.write("garbage-history/.teampulse-last-build.json", "not json");
    build_ok(
        &[&input],
        &s.path("fresh"),
        &["--as-of", T3, "--history", &garbage.display().to_string()],
    );
    let md = std::fs::read_to_string(s.path("fresh/data/changes.md")).unwrap();
    assert!(md.contains("no earlier build here to compare with"), "{md}");

    // A history whose record cannot be put in place: the site is published (exit 0), and a
    // warning says the next build compares with an earlier one.
    let hist = s.path("history");
    std::fs::create_dir_all(hist.join(".teampulse-last-build.json")).unwrap();
    let out = teampulse(&[
        "build",
        &input.display().to_string(),
        "-o",
        &site.display().to_string(),
        "--as-of",
        T3,
        "--history",
        &hist.display().to_string(),
        "-q",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("warning"), "{}", stderr(&out));
    let published: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("data/kpis.json")).unwrap()).unwrap();
    assert_eq!(published["as_of"], T3);
}

#[test]
fn index_compares_the_joined_site_with_the_shards_baselines_together() {
    let s = Scratch::new("changes-index");
    let input = fixture("changes");
    let (all, a, b) = (s.path("all"), s.path("a"), s.path("b"));
    for as_of in [T1, T2] {
        build_ok(&[&input], &all, &["--as-of", as_of]);
        build_ok(&[&input], &a, &["--as-of", as_of, "--teams", "alpha"]);
    }
    // Beta's shard is built for the first time: Beta is new, as in the single build.
    build_ok(&[&input], &b, &["--as-of", T2, "--teams", "beta"]);
    let joined = s.path("joined");
    let out = index(&[&a, &b], &joined);
    assert!(out.status.success(), "{}", stderr(&out));
    for file in ["data/changes.md", "data/changes.json", "index.html"] {
        assert_eq!(
            std::fs::read_to_string(joined.join(file)).unwrap(),
            std::fs::read_to_string(all.join(file)).unwrap(),
            "{file}"
        );
    }
    // A damaged shard's changes are reported under that shard's name.
    s.write("b/data/changes.json", "{bad");
    let out = index(&[&a, &b], &s.path("joined2"));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("{}: data/changes.json", b.display())),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_gate_right_after_a_first_build_fails_on_everything_off_target_and_never_passes_blind() {
    let s = Scratch::new("changes-same-time");
    let (input, gamma) = (fixture("changes"), with_gamma(&s));
    let site = s.path("site");
    build_ok(&[&input], &site, &["--as-of", T2]);
    let check = |inputs: &std::path::Path| check_changed(inputs, T2, &site, &[]);
    // The first night: nothing was there before, so every KPI in alert is new.
    let out = check(&input);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("alpha/stale_work"),
        "{}",
        stderr(&out)
    );
    // A build of the same time whose record of what it compared with is damaged: exit 2,
    // never a pass for want of something to compare with.
    s.write("site/data/changes.json", "{damaged");
    let out = check(&gamma);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("give an earlier build"),
        "{}",
        stderr(&out)
    );
    // Another shard's site: none of the teams in common, so everything would look new.
    let beta = s.path("beta");
    build_ok(&[&input], &beta, &["--as-of", T2, "--teams", "beta"]);
    let out = check_changed(&input, T3, &beta, &["--teams", "alpha"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("none of the teams"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn shards_sharing_a_history_each_compare_with_their_own_last_build() {
    let s = Scratch::new("changes-shared-history");
    let gamma = with_gamma(&s);
    let hist = s.path("history").display().to_string();
    for as_of in [T1, T2] {
        build_ok(
            &[&gamma],
            &s.path("one"),
            &["--as-of", as_of, "--history", &hist, "--teams", "alpha"],
        );
        build_ok(
            &[&gamma],
            &s.path("two"),
            &[
                "--as-of",
                as_of,
                "--history",
                &hist,
                "--teams",
                "beta,gamma",
            ],
        );
    }
    let md = std::fs::read_to_string(s.path("one/data/changes.md")).unwrap();
    assert!(md.contains(&format!("since {T1}")), "{md}");
    assert!(md.contains("- Alpha:\n") && !md.contains("Gamma"), "{md}");
}

#[test]
fn index_says_what_changed_since_the_joined_site_it_replaces() {
    // The sharded CI recipe: every night the shards are first builds in fresh folders; the
    // joined site at -o is what they are compared with.
    let s = Scratch::new("changes-index-nightly");
    let input = fixture("changes");
    let joined = s.path("public").display().to_string();
    for (night, as_of) in [T1, T2].iter().enumerate() {
        let (a, b) = (s.path(&format!("a{night}")), s.path(&format!("b{night}")));
        build_ok(&[&input], &a, &["--as-of", as_of, "--teams", "alpha"]);
        build_ok(&[&input], &b, &["--as-of", as_of, "--teams", "beta"]);
        let out = index(&[&a, &b], joined.as_ref());
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let md = std::fs::read_to_string(s.path("public/data/changes.md")).unwrap();
    assert!(md.contains(&format!("since {T1}")), "{md}");
    assert!(
        md.contains("  - Work in progress back to ok (from alert).\n"),
        "{md}"
    );

    // A team folder that is a link in a shard is never followed.
    let (a, b) = (s.path("a1"), s.path("b1"));
    std::fs::remove_dir_all(b.join("data/beta")).unwrap();
    std::os::unix::fs::symlink(s.path("a1/data"), b.join("data/beta")).unwrap();
    let out = index(&[&a, &b], &s.path("linked"));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("data/beta is not a folder"),
        "{}",
        stderr(&out)
    );
    // A slug that would lead out of the shard is refused.
    let c = s.path("c1");
    build_ok(&[&input], &c, &["--as-of", T2, "--teams", "beta"]);
    let kpis = std::fs::read_to_string(c.join("data/kpis.json")).unwrap();
    s.write(
        "c1/data/kpis.json",
        kpis.replace("\"slug\": \"beta\"", "\"slug\": \"../beta\""),
    );
    let out = index(&[&a, &c], &s.path("escaped"));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("never writes"), "{}", stderr(&out));
}

#[test]
fn the_team_page_opens_with_what_changed_for_the_team() {
    let s = Scratch::new("changes-team-page");
    let input = fixture("changes");
    let site = s.path("site");
    build_ok(&[&input], &site, &["--as-of", T1]);
    let first = std::fs::read_to_string(site.join("teams/alpha/index.html")).unwrap();
    assert!(
        !first.contains("Since "),
        "a first build compares with nothing"
    );
    build_ok(&[&input], &site, &["--as-of", T2]);
    let alpha = std::fs::read_to_string(site.join("teams/alpha/index.html")).unwrap();
    let glance = &alpha[alpha.find("At a glance").unwrap()..alpha.find("</section>").unwrap()];
    assert!(
        glance.contains(&format!("<li>Since {T1}: <ul>"))
            && glance.contains("<li>Stale work went from ok to alert: 1 of 1 tasks untouched")
            && glance.contains("<li>Work in progress back to ok (from alert).</li>"),
        "{glance}"
    );
    // Alpha's complete weeks: 03-02 (A-2 and A-3 done on 03-06) 2, 03-09 none; the week of
    // 03-16 is the as-of week. Sorted 0, 2: P15 = x[ceil(0.3)] = x1 = 0, P85 = x[ceil(1.7)] =
    // x2 = 2. WIP: A-1 alone, against Ana's limit of 2.
    assert!(
        glance.contains(
            "Last week (from 2026-03-09): 0 task(s) finished, inside the team&#39;s usual 0–2 a \
             week"
        ) && glance.contains("This week so far: 0.")
            && glance.contains("1 task(s) in progress now; the team&#39;s limit is 2."),
        "{glance}"
    );
    assert!(
        glance.contains("<span class=\"badge\">2 alert</span>"),
        "check-in cadence and stale work: {glance}"
    );
    let beta = std::fs::read_to_string(site.join("teams/beta/index.html")).unwrap();
    assert!(
        beta.contains("<li>New on the site since then.</li>"),
        "{beta}"
    );
}
