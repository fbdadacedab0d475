//! Scale: the same site from any number of workers, builds limited to some teams, and shards
//! joined under one overview.

use crate::util::{build_ok, tree, Scratch};

/// A generated log over the parallel-ingest threshold (4 MB), with damaged rows spread through
/// it so that several chunks have rejections of their own.
fn big_log(s: &Scratch) -> std::path::PathBuf {
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
    let (a, b) = (tree(&one), tree(&four));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "same files"
    );
    for (path, bytes) in &a {
        assert!(
            bytes == &b[path],
            "{} differs between -j 1 and -j 4",
            path.display()
        );
    }
    // The four damaged rows are rejected, with their own line numbers, by both.
    let rejections =
        String::from_utf8(a[std::path::Path::new("data/rejections.csv")].clone()).unwrap();
    for line in [5_002, 23_003, 41_004, 60_005] {
        assert!(
            rejections.contains(&format!(",{line},")),
            "line {line} rejected: {rejections}"
        );
    }
}
