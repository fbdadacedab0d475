//! The `teampulse` binary: parse arguments, run, print the error chain once, exit with its code.

use clap::Parser;

fn main() {
    let cli = teampulse::cli::Cli::parse();
    if let Err(err) = teampulse::cli::run(&cli) {
        eprintln!("teampulse: {err:#}");
        std::process::exit(teampulse::error::exit_code(&err));
    }
}
