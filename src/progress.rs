//! How a run reports its steps on stderr: nothing in CI, a bar on a terminal, timings with `-v`.

use std::time::Instant;

/// How a run reports its steps on stderr.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Progress {
    /// Nothing (CI logs, `-q`).
    #[default]
    Silent,
    /// A progress bar redrawn in place (a terminal).
    Bar,
    /// One line per step with its time (`-v`).
    Verbose,
}

/// Steps of a build, for the progress bar.
const BUILD_STEPS: usize = 5;

/// Step reporter: timings with `-v`, a bar on a terminal, nothing otherwise.
pub struct Steps {
    progress: Progress,
    last: Instant,
    done: usize,
}

impl Steps {
    /// A reporter that has done `done` steps already.
    pub fn new(progress: Progress, done: usize) -> Self {
        Steps {
            progress,
            last: Instant::now(),
            done,
        }
    }

    /// Reports a finished step.
    pub fn step(&mut self, what: &str) {
        self.done += 1;
        match self.progress {
            Progress::Verbose => {
                let peak = peak_mib().map_or(String::new(), |m| format!(", peak {m} MiB"));
                eprintln!(
                    "teampulse: {what} ({} ms{peak})",
                    self.last.elapsed().as_millis()
                )
            }
            Progress::Bar => {
                let filled = self.done.min(BUILD_STEPS) * 20 / BUILD_STEPS;
                let bar = format!("{}{}", "█".repeat(filled), "░".repeat(20 - filled));
                eprint!(
                    "\r\x1b[2K{bar} {}/{BUILD_STEPS} {what}",
                    self.done.min(BUILD_STEPS)
                );
                if self.done >= BUILD_STEPS {
                    eprint!("\r\x1b[2K");
                }
            }
            Progress::Silent => {}
        }
        self.last = Instant::now();
    }
}

/// The process's peak resident memory so far, in MiB (Linux; `None` elsewhere).
fn peak_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

/// The process's resident memory now, in MiB (Linux; `None` elsewhere).
pub fn rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}
