//! How long the station keeps what it knows of the files it sent: once the retention is over, an
//! acknowledged record's row (its receipt and the tag of its number) and its announcement leave
//! the outbox, and the audit log's entries forget their personal fields (their chain still
//! verifies: see [`crate::audit::personal`]). Run by the clerk's app when it starts and on each
//! day it stays on, with the time given by the caller, so that a test can move the clock.

use serde::{Deserialize, Serialize};

use crate::{
    audit::{AuditError, AuditLog, Forgotten},
    outbox::{Outbox, OutboxError},
};

/// Milliseconds in a day.
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// `[retention]` in `station.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetentionSettings {
    /// Days an acknowledged record's outbox row and the personal fields of an audit entry are
    /// kept. 90 by default: long enough for an applicant to ask "has my file been sent?" about a
    /// title not yet delivered, and to reprint a receipt.
    pub days: u32,
}

impl Default for RetentionSettings {
    fn default() -> Self {
        Self { days: 90 }
    }
}

impl RetentionSettings {
    /// Fewest days accepted: the outbox must still answer for the records of the last week.
    pub const MIN_DAYS: u32 = 7;
    /// Most days accepted (ten years: past that, a typo).
    pub const MAX_DAYS: u32 = 3650;

    /// What is older than this (ms since the epoch) at `now_ms` is past the retention.
    pub fn cutoff_ms(&self, now_ms: i64) -> i64 {
        now_ms.saturating_sub(i64::from(self.days).saturating_mul(DAY_MS))
    }
}

/// What [`apply`] removed or forgot.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    /// Outbox rows of acknowledged records removed.
    pub outbox_rows: usize,
    /// Audit entries whose personal fields were forgotten.
    pub audit: Forgotten,
}

/// Why the retention could not be applied.
#[derive(Debug, thiserror::Error)]
pub enum RetentionError {
    /// The outbox failed.
    #[error(transparent)]
    Outbox(#[from] OutboxError),
    /// The audit log failed.
    #[error(transparent)]
    Audit(#[from] AuditError),
}

/// Applies `settings` at `now_ms` to the outbox and the audit log.
pub fn apply(
    settings: &RetentionSettings,
    outbox: &Outbox,
    audit: &AuditLog,
    now_ms: i64,
) -> Result<Applied, RetentionError> {
    let cutoff = settings.cutoff_ms(now_ms);
    let applied = Applied {
        outbox_rows: outbox.forget_acknowledged_before(cutoff)?,
        audit: audit.forget_personal(cutoff)?,
    };
    tracing::info!(
        days = settings.days,
        outbox_rows = applied.outbox_rows,
        audit_entries = applied.audit.entries,
        audit_kept_from_before_salts = applied.audit.kept_from_before_salts,
        "retention applied"
    );
    Ok(applied)
}
