//! Giving freed memory back to the system where a build has just let go of a large part of it.
//! The allocator is the binary's choice (`main.rs`), so the binary says how; without that, this
//! does nothing.
//!
//! Why: an allocator keeps what was freed for a while before it returns it, in case it is asked
//! again (mimalloc: 1 s for large blocks). When a whole copy of the events is freed and the next
//! step allocates as much again, both are resident at once for that while.

use std::sync::OnceLock;

static RELEASE: OnceLock<fn()> = OnceLock::new();

/// Sets how freed memory is returned (once; later calls change nothing).
pub fn on_release(release: fn()) {
    let _ = RELEASE.set(release);
}

/// Returns freed memory to the system now, if the binary said how.
pub fn release() {
    if let Some(release) = RELEASE.get() {
        release();
    }
}
