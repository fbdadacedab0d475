//! The `teampulse` binary: parse arguments, run, print the error chain once, exit with its code.

use clap::Parser;

/// mimalloc: a million events allocate a few million small strings and vectors, which glibc's
/// allocator turns into page-fault churn (half the run time in the benchmark).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's options (v3's `mi_option_e`), in two steps.
///
/// Before `main` (the runtime allocates before `main` runs, and the first allocation reserves
/// the first arena): arenas are reserved 16 MiB at a time rather than 1 GiB. In one 1 GiB arena,
/// every 2 MiB a thread touches becomes a resident transparent huge page, and little of it is
/// purged. The first arena is still committed up front (mimalloc's default), which keeps small
/// builds fast.
///
/// At the start of `main`: later arenas are committed as they are used, and freed memory goes
/// back to the system after 100 ms (large blocks in arenas: 10 times that). Where a build has
/// just freed a whole copy of the events, it asks for the memory back at once
/// (`model::memory::release`, given `mi_collect` below).
///
/// Measured (median of 5, 2 cores), against 1 GiB arenas: 1M events 1.73 s and 281–285 MiB
/// (was 1.6–1.7 s, 327–340 MiB); 65k events 0.109 ± 0.001 s and 110 MiB (was 0.115 ± 0.005 s,
/// 160 MiB). Every arena committed as used from the start costs 25 % at 65k events (0.135 s,
/// 107 MiB); never purging costs memory (1M events: 430 MiB).
const MI_OPTION_ARENA_EAGER_COMMIT: i32 = 4;
const MI_OPTION_PURGE_DELAY: i32 = 15;
const MI_OPTION_ARENA_RESERVE: i32 = 23;

/// The options set before `main`.
extern "C" fn arena_options() {
    // SAFETY: runs once, from the loader's initialisers, before any thread exists; setting an
    // option allocates nothing.
    unsafe {
        // In KiB.
        libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_RESERVE, 16 * 1024);
    }
}

#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static ARENA_OPTIONS: extern "C" fn() = arena_options;

fn main() {
    #[cfg(not(target_os = "linux"))]
    arena_options();
    // SAFETY: set once, on the main thread, before any other thread exists.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 100);
    }
    // SAFETY: mi_collect only walks and purges mimalloc's own structures.
    teampulse::model::memory::on_release(|| unsafe { libmimalloc_sys::mi_collect(true) });
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
