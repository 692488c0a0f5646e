//! The end of the retention for the outbox: the rows of records the central acknowledged before
//! a cutoff (their receipt and the tag of their number) and their announcements are deleted.
//! Records not acknowledged are never touched, however old; a record awaiting a supervisor's
//! approval waits for the decision. The trace of a rejected record (who, why, when: its sealed
//! bytes went at the rejection) is forgotten once its decision is older than the cutoff.

use rusqlite::{TransactionBehavior, params};

use super::{Outbox, OutboxError};

impl Outbox {
    /// Deletes the rows of records acknowledged before `cutoff_ms` (ms since the epoch) whose
    /// sealed bytes are already purged, with their announcements; returns how many rows.
    pub fn forget_acknowledged_before(&self, cutoff_ms: i64) -> Result<usize, OutboxError> {
        let forgotten = self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let old = "SELECT record_id FROM records
                       WHERE state = 'purged' AND acknowledged_at_ms < ?1";
            tx.execute(
                &format!("DELETE FROM announcements WHERE record_id IN ({old})"),
                params![cutoff_ms],
            )?;
            let rows = tx.execute(
                "DELETE FROM records WHERE state = 'purged' AND acknowledged_at_ms < ?1",
                params![cutoff_ms],
            )?;
            let rejected = tx.execute(
                "DELETE FROM records WHERE state = 'rejected' AND decided_at_ms < ?1",
                params![cutoff_ms],
            )?;
            tx.commit()?;
            Ok(rows + rejected)
        })?;
        if forgotten > 0 {
            tracing::info!(
                forgotten,
                "acknowledged records past the retention forgotten"
            );
        }
        Ok(forgotten)
    }
}
