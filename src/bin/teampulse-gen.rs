//! Seeded synthetic data: the demo's `sample-data/`, or a benchmark log of about N events.
//!
//! Usage:
//!   teampulse-gen --sample DIR            event log and tracker exports of the demo, into DIR
//!   teampulse-gen [--events N] [--seed S] > events.csv

use std::io::BufWriter;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use teampulse::generate::{generate, write_exports, Spec};

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let mut spec = Spec::sample();
    let (mut events, mut seed, mut sample) = (None, None, None);
    while let Some(arg) = args.next() {
        let value = |name: &str, v: Option<String>| -> Result<String> {
            v.with_context(|| format!("{name} needs a value"))
        };
        match arg.as_str() {
            "--events" => events = Some(value("--events", args.next())?.parse::<usize>().context("--events needs a number")?),
            "--seed" => seed = Some(value("--seed", args.next())?.parse::<u64>().context("--seed needs a number")?),
            "--sample" => sample = Some(PathBuf::from(value("--sample", args.next())?)),
            other => bail!("unknown argument {other} (usage: teampulse-gen [--sample DIR] [--events N] [--seed S])"),
        }
    }
    if let Some(n) = events {
        spec = Spec::with_events(n, spec.seed);
    }
    if let Some(s) = seed {
        spec.seed = s;
    }
    if let Some(dir) = sample {
        std::fs::create_dir_all(&dir)?;
        let file =
            std::fs::File::create(dir.join("events.csv")).context("cannot write events.csv")?;
        let rows = generate(&spec, BufWriter::new(file))?;
        write_exports(&spec, &dir)?;
        eprintln!(
            "teampulse-gen: {} with {rows} events and Jira, Trello and ServiceNow exports",
            dir.display()
        );
        return Ok(());
    }
    let stdout = std::io::stdout();
    let rows = generate(&spec, BufWriter::new(stdout.lock()))?;
    eprintln!(
        "teampulse-gen: {rows} events, {} team(s), seed {}",
        spec.teams, spec.seed
    );
    Ok(())
}
