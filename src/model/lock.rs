//! Lock files that make a second build wait for the first: builds into one site folder, and
//! builds that append to one history folder.

use std::path::Path;
use std::time::{Duration, Instant};

use super::error::Failure;

/// How long a build waits for another build holding the same lock before giving up (exit 4).
pub const LOCK_WAIT: Duration = Duration::from_secs(600);

/// Takes the lock `path` (created if need be), waiting while another process holds it; `what`
/// names what it guards in messages. Held until the returned file is dropped.
pub fn wait(path: &Path, what: &str, quiet: bool) -> Result<std::fs::File, Failure> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| Failure::Output(format!("cannot create the lock {}: {e}", path.display())))?;
    let started = Instant::now();
    let mut told = false;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(std::fs::TryLockError::WouldBlock) => {
                if started.elapsed() > LOCK_WAIT {
                    return Err(Failure::Output(format!(
                        "another teampulse build has been writing {what} for over {} s (lock \
                         {}): giving up",
                        LOCK_WAIT.as_secs(),
                        path.display()
                    )));
                }
                if !told && !quiet {
                    eprintln!("teampulse: waiting for another build writing {what} to finish");
                    told = true;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(Failure::Output(format!(
                    "cannot lock {}: {e}",
                    path.display()
                )))
            }
        }
    }
}
