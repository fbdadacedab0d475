//! Seeded synthetic data: the demo's `sample-data/`, or a benchmark log of about N events.

use std::io::BufWriter;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Parser;
use teampulse::generate::{generate, write_exports, Spec};

/// Write seeded synthetic task history: the demo's event log and tracker exports, or a
/// benchmark log of about N events on standard output.
#[derive(Debug, Parser)]
#[command(name = "teampulse-gen", version)]
struct Args {
    /// Write the demo (event log, Jira, Trello and ServiceNow exports) into this folder.
    #[arg(long, value_name = "DIR")]
    sample: Option<PathBuf>,
    /// About this many events (a benchmark log of 20 teams).
    #[arg(long, value_name = "N")]
    events: Option<usize>,
    /// Seed of the generator (same seed, same data).
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let mut spec = Spec::sample();
    if let Some(n) = args.events {
        spec = Spec::with_events(n, spec.seed);
    }
    if let Some(s) = args.seed {
        spec.seed = s;
    }
    if let Some(dir) = args.sample {
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
