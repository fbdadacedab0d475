//! The `teampulse` binary: parse arguments, run, print the error chain once, exit with its code.

use clap::Parser;

/// mimalloc: a million events allocate a few million small strings and vectors, which glibc's
/// allocator turns into page-fault churn (half the run time in the benchmark).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = teampulse::cli::Cli::parse();
    if let Err(err) = teampulse::cli::run(&cli) {
        eprintln!("teampulse: {err:#}");
        std::process::exit(teampulse::error::exit_code(&err));
    }
}
