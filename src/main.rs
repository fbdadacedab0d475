//! The `teampulse` binary: parse arguments, run, print the error chain once, exit with its code.

use clap::Parser;

/// mimalloc: a million events allocate a few million small strings and vectors, which glibc's
/// allocator turns into page-fault churn (half the run time in the benchmark).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = teampulse::cli::Cli::parse();
    if let Err(err) = teampulse::cli::run(&cli) {
        // Messages quote the data (paths, values): no control character reaches the terminal.
        let message = format!("{err:#}");
        eprintln!(
            "teampulse: {}",
            teampulse::model::text::for_terminal(&message)
        );
        std::process::exit(teampulse::model::error::exit_code(&err));
    }
}
