//! The audit log: every sign-in, enrolment step, seal, upload, receipt, purge, calibration and
//! configuration change, hash-chained (each entry holds the SHA-256 of the previous one) and signed
//! periodically with the station's Ed25519 key, so that an edited, removed or reordered entry is
//! detected by `station audit verify`. Events are typed and carry no biometric data.
//!
//! Stored in its own SQLite file (`audit.sqlite` in the data directory) opened with the outbox's
//! pragma and migration code.

pub mod chain;
pub mod checkpoints;
pub mod event;
pub mod history;
pub mod log;
pub mod personal;
pub mod verify;

pub use checkpoints::CheckpointReader;
pub use event::AuditEvent;
pub use log::{AuditLog, DEFAULT_CHECKPOINT_EVERY, Forgotten};
pub use verify::{VerifyReport, verify_file};

use crate::outbox::OutboxError;

/// Why the audit log could not be written or does not verify.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// The database could not be opened, migrated or used.
    #[error("audit database: {0}")]
    Database(#[from] OutboxError),
    /// The station key could not sign a checkpoint (its token gone or refusing).
    #[error("audit checkpoint not signed: {0}")]
    Signing(#[from] crate::seal::SealError),
    /// An entry's fields are too large (a guard against anything but short identifiers).
    #[error("audit entry too large ({0} bytes)")]
    TooLarge(usize),
    /// The chain is broken at this entry.
    #[error("audit log broken at entry {seq}: {reason}")]
    Broken {
        /// The first entry that does not verify.
        seq: u64,
        /// What is wrong.
        reason: String,
    },
}

impl From<rusqlite::Error> for AuditError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Database(OutboxError::Sqlite(e))
    }
}
