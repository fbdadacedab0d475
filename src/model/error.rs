//! Error kinds the binary maps to exit codes. Everything else is `anyhow` with context.

use thiserror::Error;

/// Failures a caller branches on: each maps to one documented exit code.
#[derive(Debug, Error)]
pub enum Failure {
    /// Bad command line or configuration (exit 2).
    #[error("{0}")]
    Usage(String),
    /// An input that cannot be used at all, or rejected rows under `--strict` (exit 3).
    #[error("{0}")]
    Input(String),
    /// `check` found a KPI at or above the failing status (exit 1).
    #[error("{0}")]
    Alert(String),
    /// The output could not be written (exit 4): a full disk, a read-only folder, a lock
    /// that was never released.
    #[error("{0}")]
    Output(String),
}

impl Failure {
    /// The process exit code for this failure.
    pub fn exit_code(&self) -> i32 {
        match self {
            Failure::Alert(_) => 1,
            Failure::Usage(_) => 2,
            Failure::Input(_) => 3,
            Failure::Output(_) => 4,
        }
    }
}

/// Exit code for any error: a typed [`Failure`] anywhere in the chain decides, otherwise 3
/// (an unexpected IO problem while reading or writing files).
pub fn exit_code(err: &anyhow::Error) -> i32 {
    err.chain()
        .find_map(|e| e.downcast_ref::<Failure>())
        .map_or(3, Failure::exit_code)
}
