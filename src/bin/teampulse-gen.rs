//! Writes a seeded synthetic event log: the demo's `sample-data/events.csv`, or a benchmark log
//! of about N events.
//!
//! Usage: `teampulse-gen [--events N] [--seed S] > events.csv`

use std::io::BufWriter;

use anyhow::{bail, Context, Result};
use teampulse::generate::{generate, Spec};

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let mut spec = Spec::sample();
    let (mut events, mut seed) = (None, None);
    while let Some(arg) = args.next() {
        let value = |name: &str, v: Option<String>| -> Result<u64> {
            v.with_context(|| format!("{name} needs a value"))?
                .parse()
                .with_context(|| format!("{name} needs a number"))
        };
        match arg.as_str() {
            "--events" => events = Some(value("--events", args.next())? as usize),
            "--seed" => seed = Some(value("--seed", args.next())?),
            other => {
                bail!("unknown argument {other} (usage: teampulse-gen [--events N] [--seed S])")
            }
        }
    }
    if let Some(n) = events {
        spec = Spec::with_events(n, spec.seed);
    }
    if let Some(s) = seed {
        spec.seed = s;
    }
    let stdout = std::io::stdout();
    let rows = generate(&spec, BufWriter::new(stdout.lock()))?;
    eprintln!(
        "teampulse-gen: {rows} events, {} team(s), seed {}",
        spec.teams, spec.seed
    );
    Ok(())
}
