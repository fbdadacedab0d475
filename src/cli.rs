//! Command line: argument definitions and the dispatch of each command.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Parser, Subcommand};

use crate::check::{self, FailOn};
use crate::model::error::Failure;
use crate::{analyse, build, AnalyseOptions};

/// Turn task-tracker exports into a static KPI site teams use to watch their own work.
#[derive(Debug, Parser)]
#[command(name = "teampulse", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Print nothing but errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Log each step with its time.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Workers for ingest, replay, KPIs and pages (default, or 0: every core; at most 1024).
    /// The output is the same for any number.
    #[arg(
        short = 'j',
        long,
        global = true,
        default_value_t = 0,
        value_name = "N",
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..=1024)
    )]
    pub jobs: usize,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the static site.
    Build {
        #[command(flatten)]
        common: Common,
        /// Output folder (replaced atomically).
        #[arg(short, long, default_value = "site")]
        output: PathBuf,
        /// Folder of templates overriding the built-in ones by file name.
        #[arg(long)]
        templates: Option<PathBuf>,
        /// Write each team as its own self-contained folder (for per-team access control).
        #[arg(long)]
        split_teams: bool,
    },
    /// Join the sites of shards (builds limited with --teams) under one overview.
    Index {
        /// Site folders, each built from the same inputs and --as-of.
        #[arg(required = true)]
        sites: Vec<PathBuf>,
        /// Output folder (replaced atomically).
        #[arg(short, long, default_value = "site")]
        output: PathBuf,
        /// Folder of templates overriding the built-in ones, as given to the builds.
        #[arg(long)]
        templates: Option<PathBuf>,
    },
    /// Print every team's KPIs; exit 1 when any is in alert.
    Check {
        #[command(flatten)]
        common: Common,
        /// Lowest status that fails the check.
        #[arg(long, value_enum, default_value = "alert")]
        fail_on: FailOn,
        /// Fail only on KPIs that newly reached --fail-on since an earlier build (its site
        /// folder, its kpis.json, or the --history folder it used), so a nightly gate nags
        /// once, not every night. The site just built stands for what it found new.
        #[arg(long, value_name = "SITE_KPIS_JSON_OR_HISTORY")]
        changed: Option<PathBuf>,
    },
    /// Describe each input: format, encoding, rows kept and rejected, dates, statuses, people.
    Inspect {
        #[command(flatten)]
        inputs: Inputs,
    },
    /// Write a commented starter config for the inputs to standard output.
    Init {
        #[command(flatten)]
        inputs: Inputs,
    },
    /// Print the JSON Schema of `data/kpis.json` (committed at docs/kpis.schema.json).
    #[command(hide = true)]
    Schema,
}

/// The files a command reads (`inspect` and `init` take just these).
#[derive(Debug, Args)]
pub struct Inputs {
    /// Input files or folders (folders: every .csv inside).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Config file (default: the teampulse.toml of the input folder that has one, else built-in
    /// defaults).
    #[arg(short, long)]
    pub config: Option<PathBuf>,
    /// Read every input as this format instead of detecting it from the header.
    #[arg(long, value_enum)]
    pub format: Option<crate::ingest::Format>,
}

/// Options every analysing command takes.
#[derive(Debug, Args)]
pub struct Common {
    #[command(flatten)]
    pub files: Inputs,
    /// The "now" of every KPI, RFC 3339 (default: the latest event).
    #[arg(long)]
    pub as_of: Option<String>,
    /// Fail (exit 3) on any rejected row or unmapped status.
    #[arg(long)]
    pub strict: bool,
    /// How people appear: by name, as stable pseudonyms, or hidden behind opaque ids.
    #[arg(long, value_enum)]
    pub people: Option<crate::people::PeopleDisplay>,
    /// Nightly history: compare the inputs with what this folder knows, append what changed
    /// (build only) and read it back with the inputs.
    #[arg(long, value_name = "DIR")]
    pub history: Option<PathBuf>,
    /// Only these teams (slugs or names, comma-separated): one shard of a larger site.
    #[arg(long, value_delimiter = ',', value_name = "TEAM,…")]
    pub teams: Vec<String>,
}

impl Common {
    fn options(
        &self,
        progress: crate::Progress,
        quiet: bool,
        jobs: usize,
        write_history: bool,
    ) -> AnalyseOptions {
        AnalyseOptions {
            inputs: self.files.inputs.clone(),
            config: self.files.config.clone(),
            as_of: self.as_of.clone(),
            strict: self.strict,
            progress,
            format: self.files.format,
            people: self.people,
            teams: self.teams.clone(),
            history: self.history.clone(),
            write_history,
            quiet,
            jobs,
            batch_tasks: None,
        }
    }
}

impl Cli {
    /// Steps on stderr: `-v` lines, a bar on a terminal, nothing in CI or with `-q`.
    fn progress(&self) -> crate::Progress {
        if self.verbose {
            crate::Progress::Verbose
        } else if !self.quiet && std::io::stderr().is_terminal() {
            crate::Progress::Bar
        } else {
            crate::Progress::Silent
        }
    }
}

/// Runs a parsed command line.
pub fn run(cli: &Cli) -> Result<()> {
    match &cli.command {
        Command::Build {
            common,
            output,
            templates,
            split_teams,
        } => {
            let summary = build(
                &common.options(cli.progress(), cli.quiet, cli.jobs, true),
                output,
                templates.as_deref(),
                *split_teams,
            )?;
            if !cli.quiet {
                let mut line = format!(
                    "teampulse: built {} ({} files): {} team(s), {} task(s)",
                    output.display(),
                    summary.files,
                    summary.teams,
                    summary.tasks
                );
                if summary.rejected > 0 || summary.unmapped > 0 {
                    line.push_str(&format!(
                        "; {} row(s) rejected, {} unmapped status(es) — see data-quality.html",
                        summary.rejected, summary.unmapped
                    ));
                }
                eprintln!("{}", crate::model::text::for_terminal(&line));
            }
            Ok(())
        }
        Command::Index {
            sites,
            output,
            templates,
        } => {
            let teams = crate::index(sites, output, templates.as_deref(), cli.quiet)?;
            if !cli.quiet {
                let line = format!(
                    "teampulse: joined {} site(s) into {}: {teams} team(s)",
                    sites.len(),
                    output.display()
                );
                eprintln!("{}", crate::model::text::for_terminal(&line));
            }
            Ok(())
        }
        Command::Inspect { inputs } | Command::Init { inputs } => {
            let config = crate::load_config(inputs.config.as_deref(), &inputs.inputs)?;
            let findings = crate::inspect::inspect(&inputs.inputs, &config, inputs.format)?;
            match &cli.command {
                Command::Init { .. } => print!("{}", crate::inspect::starter_config(&findings)),
                _ => print!(
                    "{}",
                    crate::model::text::for_terminal(&crate::inspect::report(&findings))
                ),
            }
            Ok(())
        }
        Command::Schema => {
            print!("{}", crate::site::kpis_schema());
            Ok(())
        }
        Command::Check {
            common,
            fail_on,
            changed,
        } => {
            let analysis = analyse(&common.options(cli.progress(), cli.quiet, cli.jobs, false))?;
            if cli.progress() == crate::Progress::Bar {
                eprint!("\r\x1b[2K");
            }
            if !cli.quiet {
                print!("{}", check::table(&analysis.kpis));
                if !analysis.quality.rejections.is_empty() && std::io::stderr().is_terminal() {
                    let summary = analysis.quality.rejection_summary(5);
                    eprintln!("{}", crate::model::text::for_terminal(&summary));
                }
            }
            let failing = match changed {
                None => check::failing(&analysis.kpis, *fail_on),
                Some(previous) => {
                    let unreadable = |why: String| {
                        Failure::Usage(format!("--changed {}: {why}", previous.display()))
                    };
                    let selection: Option<Vec<String>> = (!common.teams.is_empty())
                        .then(|| analysis.teams.iter().map(|t| t.slug.clone()).collect());
                    let before = match previous.is_dir() {
                        true => crate::site::Previous::of_history(previous, selection.as_deref())
                            .or_else(|| crate::site::Previous::of_site(previous))
                            .ok_or_else(|| {
                                unreadable(
                                    "is neither a site teampulse built nor a history folder holding a readable \
                                     record of a build".into(),
                                )
                            })?,
                        false => crate::site::Previous::of_kpis_file(previous)
                            .map_err(|e| unreadable(format!("cannot read: {e}")))?,
                    };
                    let people = analysis.config.people_display;
                    let before = before.seen_as(people, &|n| analysis.value_shown(n));
                    crate::site::newly_failing(
                        &analysis.kpis,
                        &analysis.quality,
                        &before,
                        check::threshold(*fail_on),
                    )
                    .map_err(|e| unreadable(format!("{e:#}")))?
                }
            };
            if failing.is_empty() {
                Ok(())
            } else {
                Err(Failure::Alert(format!(
                    "{} KPI(s) failing: {}",
                    failing.len(),
                    failing.join(", ")
                ))
                .into())
            }
        }
    }
}
