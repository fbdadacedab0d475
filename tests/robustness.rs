//! No input makes teampulse panic: random bytes and random mutations of every fixture, read as
//! every format and taken through the whole pipeline (KPIs and site), must give a clean result
//! or a clean error. Seeded, so a failure names a reproducible case.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use rand::{Rng, RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use teampulse::ingest::Format;
use teampulse::{analyse, site, AnalyseOptions};

use crate::util::*;

fn fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root().join("tests/fixtures")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "csv" || e == "json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// One random edit: flip, insert, delete, duplicate or truncate.
fn mutate(rng: &mut Pcg64Mcg, data: &mut Vec<u8>) {
    if data.is_empty() {
        data.push(rng.random_range(0..=255u8));
        return;
    }
    let at = rng.random_range(0..data.len());
    match rng.random_range(0..7) {
        0 => data[at] = rng.random_range(0..=255u8),
        1 => data.insert(
            at,
            *[
                b'"', b',', b';', b'\n', b'\r', b'\'', b'{', b'}', b'\\', 0xE9, 0xFF,
            ]
            .get(rng.random_range(0..11))
            .unwrap(),
        ),
        2 => {
            let end = (at + rng.random_range(1..64)).min(data.len());
            data.drain(at..end);
        }
        3 => {
            let end = (at + rng.random_range(1..200)).min(data.len());
            let chunk = data[at..end].to_vec();
            let to = rng.random_range(0..data.len());
            data.splice(to..to, chunk);
        }
        4 => data.truncate(at),
        5 => {
            // A plausible value in a random place: dates, numbers, separators.
            let junk: &[&[u8]] = &[
                b"31/Feb/26 9:00 PM",
                b"9999-12-31T23:59:59Z",
                b"0000-01-01",
                b"-1",
                b"99999999999",
                b"GMT+9999",
                b"?",
                b"NaN",
                b"1e308",
            ];
            let pick = junk[rng.random_range(0..junk.len())];
            data.splice(at..at, pick.iter().copied());
        }
        _ => {
            let b = data[at];
            data.insert(at, b);
        }
    }
}

/// Runs the whole pipeline on `bytes` as `name`; panics are the failure, errors are fine.
fn run(dir: &Path, name: &str, bytes: &[u8], format: Option<Format>) -> Result<(), String> {
    run_as_of(dir, name, bytes, format, Some("2026-06-01T00:00:00Z"))
}

/// [`run`] with a chosen as-of time (`None`: the latest event, as a nightly build does).
fn run_as_of(
    dir: &Path,
    name: &str,
    bytes: &[u8],
    format: Option<Format>,
    as_of: Option<&str>,
) -> Result<(), String> {
    let input = dir.join(name);
    std::fs::write(&input, bytes).unwrap();
    let opts = AnalyseOptions {
        inputs: vec![input],
        format,
        as_of: as_of.map(str::to_string),
        ..Default::default()
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        if let Ok(a) = analyse(&opts) {
            let input = site::SiteInput {
                kpis: &a.kpis,
                teams: &a.teams,
                table: &a.table,
                team_index: None,
                jobs: 1,
                previous: None,
                quality: &a.quality,
                split: false,
            };
            let _ = site::render(&input, None);
        }
    }));
    outcome.map_err(|e| {
        e.downcast_ref::<String>()
            .cloned()
            .or(e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

#[test]
fn no_input_makes_teampulse_panic() {
    let s = Scratch::new("fuzz");
    let mut rng = Pcg64Mcg::seed_from_u64(2026);
    let formats = Format::value_variants();
    let mut failures = Vec::new();
    let mut runs = 0;
    for path in fixtures() {
        let original = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        for round in 0..12 {
            let mut data = original.clone();
            for _ in 0..rng.random_range(1..6) {
                mutate(&mut rng, &mut data);
            }
            // Detected format, and one other adapter forced onto the same bytes; every other
            // round with the default as-of (the latest event, whatever the mutation made it).
            let forced = formats[rng.random_range(0..formats.len())];
            let as_of = (round % 2 == 0).then_some("2026-06-01T00:00:00Z");
            for format in [None, Some(forced)] {
                runs += 1;
                if let Err(panic) = run_as_of(&s.0, &name, &data, format, as_of) {
                    failures.push(format!("{name} round {round} as {format:?}: {panic}"));
                }
            }
        }
    }
    for i in 0..40 {
        let len = rng.random_range(0..2000);
        let data: Vec<u8> = (0..len).map(|_| (rng.next_u32() & 0xFF) as u8).collect();
        let format = formats[i % formats.len()];
        for f in [None, Some(format)] {
            runs += 1;
            if let Err(panic) = run(&s.0, "random.csv", &data, f) {
                failures.push(format!("random bytes {i} as {f:?}: {panic}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {runs} runs panicked:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A random team name: letters of many scripts, separators, dots, reserved names, very long.
fn team_name(rng: &mut Pcg64Mcg) -> String {
    const PIECES: &[&str] = &[
        "Команда",
        "Альфа",
        "開発",
        "チーム",
        "צוות",
        "Ομάδα",
        "Équipe",
        "team",
        "TEAM",
        "_",
        "-",
        "/",
        "\\",
        ".",
        "..",
        "con",
        " ",
        "😀",
        "\u{202E}",
        "\u{1b}[31m",
        "",
        "Ω",
        "ß",
        "İ",
    ];
    let n = rng.random_range(0..6);
    let mut name: String = (0..n)
        .map(|_| PIECES[rng.random_range(0..PIECES.len())])
        .collect();
    if rng.random_range(0..10) == 0 {
        name = name.repeat(80);
    }
    name
}

/// A random instant, often far outside the data's span.
fn instant(rng: &mut Pcg64Mcg) -> String {
    match rng.random_range(0..8) {
        0 => "0001-01-01T00:00:00Z".into(),
        1 => "9999-12-31T23:59:59Z".into(),
        2 => "+262142-12-31T00:00:00Z".into(),
        3 => format!("{}-01-01T00:00:00Z", rng.random_range(1900..2400)),
        _ => format!(
            "2026-0{}-{:02}T{:02}:00:00Z",
            rng.random_range(1..7),
            rng.random_range(1..29),
            rng.random_range(0..24)
        ),
    }
}

#[test]
fn random_team_names_and_far_dates_never_panic_or_overflow() {
    let s = Scratch::new("names-dates");
    let mut rng = Pcg64Mcg::seed_from_u64(8);
    let mut failures = Vec::new();
    for round in 0..24 {
        let mut csv = String::from("task_id,timestamp,event,actor,assignee,status,team\n");
        for i in 0..rng.random_range(1..60) {
            let team = team_name(&mut rng).replace('"', "'");
            csv.push_str(&format!(
                "T-{},{},{},p{},p{},{},\"{team}\"\n",
                i % 17,
                instant(&mut rng),
                ["created", "status", "assigned", "comment"][rng.random_range(0..4)],
                rng.random_range(0..5),
                rng.random_range(0..5),
                ["To Do", "In Progress", "Done", "Review", ""][rng.random_range(0..5)],
            ));
        }
        let as_of = (round % 3 == 0).then_some("2026-06-01T00:00:00Z");
        if let Err(panic) = run_as_of(&s.0, "events.csv", csv.as_bytes(), None, as_of) {
            failures.push(format!("round {round}: {panic}\n{csv}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
