//! The desk's stores, a part of the core that owns them: operator accounts, the audit log, the
//! outbox (with its read-only reader for the screens), the day's figures and the sealer.

use std::sync::Arc;

use tracing::warn;

use super::{outbox_rows::OutboxReader, today::Today};
use crate::{
    audit::{AuditEvent, AuditLog},
    operators::Operators,
    outbox::{Outbox, now_ms},
    seal::Sealer,
};

/// Everything the desk keeps on disk, and the key that seals records.
pub(crate) struct Stores {
    /// Operator accounts.
    pub operators: Operators,
    /// The signed audit log.
    pub audit: AuditLog,
    /// Sealed records waiting for the central (shared with the uploader).
    pub outbox: Arc<Outbox>,
    /// The outbox's counts and rows for the screens.
    pub reader: OutboxReader,
    /// The day's figures.
    pub today: Today,
    /// Seals records for the central.
    pub sealer: Sealer,
    /// A mobile kit's day list (none on a counter).
    pub day_list: Option<crate::mobile::DayList>,
}

impl Stores {
    /// Appends to the audit log as `actor`; a failure is logged (the desk goes on: the log's gap
    /// shows at the next verification).
    pub(crate) fn audit(&self, actor: &str, event: &AuditEvent) {
        if let Err(e) = self.audit.append(actor, event, now_ms()) {
            warn!(error = %e, "audit entry not written");
        }
    }
}
