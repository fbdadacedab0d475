//! Scale: the same site from any number of workers, builds limited to some teams, and shards
//! joined under one overview.

use crate::util::{assert_same_tree, build_ok, index, stderr, teampulse, tree, Scratch};

/// A generated log over the parallel-ingest threshold (4 MB), with damaged rows spread through
/// it so that several chunks have rejections of their own (`extra`: one more line, after line
/// 30,000).
fn big_log(s: &Scratch) -> std::path::PathBuf {
    big_log_with(s, "")
}

fn big_log_with(s: &Scratch, extra: &str) -> std::path::PathBuf {
    let mut raw = Vec::new();
    teampulse::generate::generate(&teampulse::generate::Spec::with_events(70_000, 7), &mut raw)
        .unwrap();
    let text = String::from_utf8(raw).unwrap();
    let mut out = String::with_capacity(text.len() + 1000);
    for (i, line) in text.lines().enumerate() {
        out.push_str(line);
        out.push('\n');
        match i {
            5_000 => out.push_str("PLAT-1,2026-13-45T00:00:00Z,updated,ana,,,,,,,,\n"),
            23_000 => out.push_str("PLAT-2,2026-02-01T10:00:00Z,teleported,ana,,,,,,,,\n"),
            41_000 => out.push_str("PLAT-3,2026-02-01T10:00:00Z,updated\n"),
            60_000 => out.push_str(",2026-02-01T10:00:00Z,updated,ana,,,,,,,,\n"),
            // A typo'd year: parsed, then refused as later than the build.
            66_000 => out.push_str("PLAT-4,2206-02-01T10:00:00Z,updated,ana,,,,,,,,,,,\n"),
            30_000 if !extra.is_empty() => out.push_str(extra),
            _ => {}
        }
    }
    assert!(
        out.len() > 4 << 20,
        "the log must be large enough to be read in parallel"
    );
    s.write("in/events.csv", out)
}

#[test]
fn one_worker_and_four_workers_build_the_same_site() {
    let s = Scratch::new("jobs");
    let log = big_log(&s);
    let one = s.path("one");
    let four = s.path("four");
    build_ok(&[&log], &one, &["-j", "1"]);
    build_ok(&[&log], &four, &["--jobs", "4"]);
    assert_same_tree(&one, &four, "-j 1 and -j 4");
    let a = tree(&one);
    // The four damaged rows are rejected, with their own line numbers, by both.
    let rejections =
        String::from_utf8(a[std::path::Path::new("data/rejections.csv")].clone()).unwrap();
    for line in [5_002, 23_003, 41_004, 60_005, 66_006] {
        assert!(
            rejections.contains(&format!(",{line},")),
            "line {line} rejected: {rejections}"
        );
    }
    let typo = rejections.lines().find(|l| l.contains(",66006,")).unwrap();
    assert!(typo.contains("2206"), "{typo}");
    assert_eq!(rejections.lines().count(), 1 + 5, "{rejections}");
}

#[test]
fn a_damaged_record_in_a_large_file_is_read_the_same_by_one_worker_and_by_four() {
    // An unterminated quote sends the parallel read back to the serial one: nothing is kept
    // twice, and only the damaged line is given up.
    let s = Scratch::new("jobs-damaged");
    let log = big_log_with(&s, "PLAT-5,2026-02-01T10:00:00Z,updated,\"ana,,,,,,,,,,,\n");
    let one = s.path("one");
    let four = s.path("four");
    build_ok(&[&log], &one, &["-j", "1"]);
    build_ok(&[&log], &four, &["--jobs", "4"]);
    assert_same_tree(&one, &four, "-j 1 and -j 4");
    let rejections =
        String::from_utf8(tree(&one)[std::path::Path::new("data/rejections.csv")].clone()).unwrap();
    assert!(
        rejections.contains(",30004,unterminated quoted field"),
        "{rejections}"
    );
    assert_eq!(rejections.lines().count(), 1 + 6, "{rejections}");
}

fn sample() -> std::path::PathBuf {
    crate::util::root().join("sample-data")
}

#[test]
fn a_build_limited_to_some_teams_has_their_numbers_and_nothing_else() {
    let s = Scratch::new("teams");
    let all = s.path("all");
    let some = s.path("some");
    build_ok(&[&sample()], &all, &[]);
    // By slug and by display name, any case.
    build_ok(&[&sample()], &some, &["--teams", "platform,SERVICE DESK"]);
    let (a, b) = (crate::util::kpis(&all), crate::util::kpis(&some));
    let slugs: Vec<&str> = b["teams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["platform", "service-desk"]);
    for team in b["teams"].as_array().unwrap() {
        let same = a["teams"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["slug"] == team["slug"])
            .unwrap();
        assert_eq!(
            team, same,
            "a team's numbers do not depend on the other teams"
        );
    }
    let files = tree(&some);
    assert!(files.keys().all(|p| !p.starts_with("teams/mobile")));
    assert!(files.keys().all(|p| !p.starts_with("data/mobile")));
    // What was read is the same: the data-quality facts are the whole input's.
    assert_eq!(
        files[std::path::Path::new("data/data-quality.json")],
        tree(&all)[std::path::Path::new("data/data-quality.json")]
    );
}

#[test]
fn an_unknown_team_is_a_usage_error_that_lists_the_teams() {
    let s = Scratch::new("teams-unknown");
    let site = s.path("site").display().to_string();
    let sample = sample().display().to_string();
    let out = teampulse(&["build", &sample, "-o", &site, "--teams", "platform,nope"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("no team `nope`"), "{err}");
    assert!(
        err.contains("platform") && err.contains("service-desk"),
        "{err}"
    );
    assert!(!s.path("site").exists(), "nothing written");
}

#[test]
fn shards_joined_by_index_are_the_site_one_build_makes() {
    let s = Scratch::new("index");
    let all = s.path("all");
    build_ok(&[&sample()], &all, &[]);
    let (a, b) = (s.path("shard-a"), s.path("shard-b"));
    build_ok(&[&sample()], &a, &["--teams", "design,platform,support"]);
    build_ok(
        &[&sample()],
        &b,
        &["--teams", "mobile,payments,service-desk"],
    );
    let joined = s.path("joined");
    let out = index(&[&a, &b], &joined);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_same_tree(&all, &joined, "one build and the joined shards");
}

#[test]
fn index_refuses_shards_that_do_not_fit_together() {
    let s = Scratch::new("index-bad");
    let (a, b, c) = (s.path("a"), s.path("b"), s.path("c"));
    build_ok(&[&sample()], &a, &["--teams", "design,platform"]);
    build_ok(&[&sample()], &b, &["--teams", "platform,mobile"]);
    build_ok(
        &[&sample()],
        &c,
        &["--teams", "support", "--as-of", "2026-06-01T00:00:00Z"],
    );
    let d = s.path("d");
    // The demo's own config, with one target changed.
    let mut text = std::fs::read_to_string(sample().join("teampulse.toml")).unwrap();
    text.push_str("\n[targets]\nsle_days = 3\n");
    let config = s.write("strict.toml", text);
    build_ok(
        &[&sample()],
        &d,
        &["--teams", "support", "-c", &config.display().to_string()],
    );
    s.write("other/notes.txt", "mine");
    let other = s.path("other");
    let run = |args: &[&std::path::Path], out: &std::path::Path| {
        let mut v = vec!["index".to_string()];
        v.extend(args.iter().map(|p| p.display().to_string()));
        v.extend(["-o".to_string(), out.display().to_string()]);
        let refs: Vec<&str> = v.iter().map(String::as_str).collect();
        teampulse(&refs)
    };
    let joined = s.path("joined");
    for (args, out, why) in [
        (vec![&a, &b], &joined, "the team `platform` is also in"),
        (vec![&a, &c], &joined, "as of 2026-06-01T00:00:00Z"),
        (vec![&a, &a], &joined, "is given twice"),
        (vec![&a, &d], &joined, "another config, --people mode"),
        (vec![&a, &other], &joined, "not a site teampulse built"),
        (vec![&a], &a, "which this build reads"),
    ] {
        let paths: Vec<&std::path::Path> = args.iter().map(|p| p.as_path()).collect();
        let o = run(&paths, out);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains(why), "{why}: {}", stderr(&o));
    }
    assert!(!joined.exists(), "nothing written");
    assert!(a.join("index.html").is_file(), "the shard is untouched");
}

/// Large logs are evaluated a batch of teams at a time (tasks without a team value replayed
/// first to find theirs): whatever the batch, by name or as pseudonyms, for every team or
/// some, the site is byte for byte the one a single evaluation of every task gives.
#[test]
fn evaluating_a_batch_of_teams_at_a_time_builds_the_same_site() {
    use teampulse::people::PeopleDisplay;
    let s = Scratch::new("batches");
    let events = sample().join("events.csv");
    // No team value: the assignees' teams decide (ana: platform, lena: support), else the
    // default team.
    let unnamed = s.write(
        "unnamed.csv",
        "task_id,timestamp,event,actor,assignee,status\n\
         X-1,2026-02-02T09:00:00Z,created,ana,ana,To Do\n\
         X-1,2026-02-03T09:00:00Z,status,ana,ana,In Progress\n\
         X-2,2026-02-02T10:00:00Z,created,lena,lena,To Do\n\
         X-2,2026-02-04T10:00:00Z,status,lena,lena,Done\n\
         X-3,2026-02-05T10:00:00Z,created,zed,zed,To Do\n\
         X-4,2026-02-05T10:00:00Z,created,zed,,To Do\n",
    );
    // Moved from Platform to Support within the last 28 days: with `--teams platform`, the
    // evaluation now leaves it out, and the one 28 days earlier still counts it for Platform.
    let moved = s.write(
        "moved.csv",
        "task_id,timestamp,event,actor,assignee,status,team\n\
         X-5,2026-05-01T09:00:00Z,created,ana,ana,In Progress,Platform\n\
         X-5,2026-06-20T09:00:00Z,updated,lena,lena,,Support\n",
    );
    let config = s.write(
        "teampulse.toml",
        "pseudonym_secret = \"a long enough test secret\"\n\
         [teams.platform]\nmatch = [\"Platform\"]\nmembers = [\"ana\", \"ben\", \"chloe\"]\n\
         [teams.support]\nmatch = [\"Support\"]\nmembers = [\"lena\", \"mo\"]\n",
    );
    let cases: [(Option<PeopleDisplay>, &[&str]); 3] = [
        (None, &[]),
        (Some(PeopleDisplay::Pseudonym), &[]),
        (None, &["platform", "team"]),
    ];
    for (people, teams) in cases {
        let opts = teampulse::AnalyseOptions {
            inputs: vec![events.clone(), unnamed.clone(), moved.clone()],
            config: Some(config.clone()),
            people,
            teams: teams.iter().map(|t| t.to_string()).collect(),
            jobs: 2,
            quiet: true,
            ..Default::default()
        };
        let whole = s.path("whole");
        teampulse::build(&opts, &whole, None, false).unwrap();
        assert!(tree(&whole).keys().any(|p| p.starts_with("teams")));
        for batch in [1, 3, 1_000] {
            let out = s.path(&format!("batch-{batch}"));
            let opts = teampulse::AnalyseOptions {
                batch_tasks: Some(batch),
                ..opts.clone()
            };
            teampulse::build(&opts, &out, None, false).unwrap();
            let what = format!("{people:?} {teams:?}: all at once and batches of {batch}");
            assert_same_tree(&whole, &out, &what);
        }
    }
}
