//! The `teampulse` binary: parse arguments, run, print the error chain once, exit with its code.

use clap::Parser;

/// mimalloc: a million events allocate a few million small strings and vectors, which glibc's
/// allocator turns into page-fault churn (half the run time in the benchmark).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's options (v3's `mi_option_e`): commit arena memory as it is used rather than up
/// front, and give freed memory back to the system after 100 ms. The build frees the events
/// after replay and one evaluation's tasks before the next. Measured on 1M events / 10k tasks:
/// never purging 1.2 s, 430 MiB / 0.085 s; these 1.3 s, 380 MiB / 0.086 s; a 10 ms delay 1.55 s,
/// 355 MiB / 0.092 s (freed pages fault back in).
const MI_OPTION_ARENA_EAGER_COMMIT: i32 = 4;
const MI_OPTION_PURGE_DELAY: i32 = 15;

fn main() {
    // SAFETY: set once, on the main thread, before any other thread exists.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 100);
    }
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
