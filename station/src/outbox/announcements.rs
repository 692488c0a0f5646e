//! The announcements waiting for the central (`wire::announcement`), in the outbox's database:
//! queued in the record's own transaction, taken oldest first by the uploader, marked sent once
//! the central kept them.

use rusqlite::{Transaction, params};
use wire::announcement::RecordAnnouncement;

use super::{Outbox, OutboxError, now_ms};

/// Queues `announcement` inside the transaction that queues its record.
pub(super) fn queue(
    tx: &Transaction<'_>,
    announcement: &RecordAnnouncement,
) -> Result<(), OutboxError> {
    let json = serde_json::to_string(announcement)
        .map_err(|e| OutboxError::Sqlite(rusqlite::Error::ToSqlConversionFailure(Box::new(e))))?;
    tx.prepare_cached(
        "INSERT INTO announcements (record_id, announcement, queued_at_ms) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![announcement.record_id, json, now_ms()])?;
    Ok(())
}

impl Outbox {
    /// Up to `limit` announcements not yet sent, oldest first.
    pub fn unsent_announcements(
        &self,
        limit: usize,
    ) -> Result<Vec<RecordAnnouncement>, OutboxError> {
        self.with_conn(|conn| {
            let mut select = conn.prepare_cached(
                // A record awaiting a supervisor's approval is not announced yet: rejected, it
                // would stay "announced, never arrived" at the central and freeze the station
                // there. Approved, its announcement goes with the next batch.
                "SELECT announcement FROM announcements WHERE sent_at_ms IS NULL
                 AND record_id NOT IN (SELECT record_id FROM records WHERE state = 'awaiting_approval')
                 ORDER BY queued_at_ms, record_id LIMIT ?1",
            )?;
            let rows = select
                .query_map(params![i64::try_from(limit).unwrap_or(i64::MAX)], |row| {
                    row.get::<_, String>(0)
                })?;
            let mut out = Vec::new();
            for json in rows {
                let json = json?;
                match serde_json::from_str(&json) {
                    Ok(announcement) => out.push(announcement),
                    // Written by this code; a row that does not read is left for the technician
                    // rather than stop every later announcement.
                    Err(e) => {
                        tracing::error!(error = %e, "an announcement in the outbox does not read")
                    }
                }
            }
            Ok(out)
        })
    }

    /// Marks these announcements sent (the central answered that it kept them).
    pub fn mark_announced(&self, record_ids: &[String]) -> Result<(), OutboxError> {
        let now = now_ms();
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            {
                let mut update = tx.prepare_cached(
                    "UPDATE announcements SET sent_at_ms = ?2 WHERE record_id = ?1 AND sent_at_ms IS NULL",
                )?;
                for id in record_ids {
                    update.execute(params![id, now])?;
                }
                // An announcement sent after its record's receipt (the record went first) holds
                // the number the record's row no longer does: it goes now.
                let mut received = tx.prepare_cached(
                    "DELETE FROM announcements WHERE record_id = ?1 AND record_id IN
                     (SELECT record_id FROM records WHERE state IN ('acknowledged', 'purged'))",
                )?;
                for id in record_ids {
                    received.execute([id])?;
                }
            }
            tx.commit()?;
            Ok(())
        })
    }

    /// How many announcements wait to be sent.
    pub fn unsent_announcement_count(&self) -> Result<u64, OutboxError> {
        self.with_conn(|conn| {
            let n: i64 = conn.query_row(
                "SELECT count(*) FROM announcements WHERE sent_at_ms IS NULL",
                [],
                |row| row.get(0),
            )?;
            Ok(u64::try_from(n).unwrap_or(0))
        })
    }
}
