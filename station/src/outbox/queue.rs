//! The outbox's state changes: enqueue, claim, release after a failure, acknowledge, purge.

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use zeroize::Zeroizing;

use super::{Outbox, OutboxError, now_ms, purge_proof, purge_proof::UnprovenAcknowledgement};
use crate::seal::SealedRecord;

/// A record's place in the outbox life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordState {
    /// Sealed with an exception: waits for a supervisor's approval, never sent before.
    AwaitingApproval,
    /// Waiting to be sent.
    Queued,
    /// Claimed by the uploader (reset to queued at start-up after a crash).
    Sending,
    /// The central's receipt is stored; the sealed bytes are about to be deleted.
    Acknowledged,
    /// The sealed bytes are deleted; the receipt stays.
    Purged,
    /// Rejected by a supervisor: the sealed bytes are deleted, never sent; the row (who, why,
    /// when) stays as the trace until the retention ends.
    Rejected,
}

impl RecordState {
    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "awaiting_approval" => Self::AwaitingApproval,
            "queued" => Self::Queued,
            "sending" => Self::Sending,
            "acknowledged" => Self::Acknowledged,
            "purged" => Self::Purged,
            "rejected" => Self::Rejected,
            _ => return None,
        })
    }
}

/// A record claimed for sending.
#[derive(Debug)]
pub struct Claimed {
    /// The record's id.
    pub record_id: String,
    /// The sealed file, exactly as queued.
    pub sealed: Zeroizing<Vec<u8>>,
    /// Hex SHA-256 of the sealed file, computed when queued.
    pub sha256: String,
    /// Failed attempts so far.
    pub attempts: u32,
}

/// Counts and ages, for the technician and the freeze rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboxStatus {
    /// Records waiting for a supervisor's approval (not sent, not in the backlog).
    pub awaiting_approval: u64,
    /// Records rejected by a supervisor (trace kept, sealed bytes deleted).
    pub rejected: u64,
    /// When the oldest record awaiting approval was queued (ms since the epoch).
    pub oldest_awaiting_ms: Option<i64>,
    /// Records waiting.
    pub queued: u64,
    /// Records being sent.
    pub sending: u64,
    /// Records acknowledged, not yet purged.
    pub acknowledged: u64,
    /// Records purged (receipts kept).
    pub purged: u64,
    /// Queued records whose last attempt was refused or failed.
    pub with_errors: u64,
    /// Bytes of sealed records still held.
    pub pending_bytes: u64,
    /// When the oldest unacknowledged record was queued (ms since the epoch).
    pub oldest_unacknowledged_ms: Option<i64>,
}

impl OutboxStatus {
    /// Records not yet acknowledged.
    pub fn backlog(&self) -> u64 {
        self.queued + self.sending
    }
}

/// One row, for listings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordSummary {
    /// Record id.
    pub record_id: String,
    /// State.
    pub state: RecordState,
    /// Failed attempts.
    pub attempts: u32,
    /// Last error, if any.
    pub last_error: Option<String>,
    /// The stored receipt (JSON), once acknowledged.
    pub receipt: Option<String>,
}

impl Outbox {
    /// Queues a sealed record. When this returns Ok the record is on disk (fsync'd WAL) and the
    /// clerk may be told it is queued.
    pub fn enqueue(
        &self,
        record: &SealedRecord,
        pre_request: Option<&str>,
    ) -> Result<(), OutboxError> {
        self.enqueue_with(record, pre_request, None, None)
    }

    /// Queues a sealed record with its signed announcement, in one transaction: a record is never
    /// queued unannounced, nor announced and not queued.
    pub fn enqueue_announced(
        &self,
        record: &SealedRecord,
        announcement: &wire::announcement::RecordAnnouncement,
    ) -> Result<(), OutboxError> {
        self.enqueue_with(
            record,
            Some(&announcement.pre_request),
            Some(announcement),
            None,
        )
    }

    pub(super) fn enqueue_with(
        &self,
        record: &SealedRecord,
        pre_request: Option<&str>,
        announcement: Option<&wire::announcement::RecordAnnouncement>,
        review: Option<String>,
    ) -> Result<(), OutboxError> {
        // A record with an exception waits for a supervisor ([`super::review`]); `review` says
        // what the exception is.
        let state = if review.is_some() {
            "awaiting_approval"
        } else {
            "queued"
        };
        let id = record.record_id.to_string();
        let sha = record.sha256_hex();
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let inserted = tx
                .prepare_cached(
                    "INSERT INTO records (record_id, pre_request, state, sha256, size, queued_at_ms, review)
                     VALUES (?1, ?2, ?6, ?3, ?4, ?5, ?7)",
                )?
                .execute(params![
                    id,
                    pre_request,
                    sha,
                    record.bytes.len() as i64,
                    now_ms(),
                    state,
                    review
                ]);
            match inserted {
                Ok(_) => {}
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    return Err(OutboxError::Duplicate(id.clone()));
                }
                Err(e) => return Err(e.into()),
            }
            let seq = tx.last_insert_rowid();
            tx.prepare_cached("INSERT INTO sealed_records (seq, sealed) VALUES (?1, ?2)")?
                .execute(params![seq, record.bytes])?;
            if let Some(announcement) = announcement {
                super::announcements::queue(&tx, announcement)?;
            }
            tx.commit()?;
            Ok(())
        })?;
        tracing::info!(record_id = %id, size = record.bytes.len(), state, "record queued");
        Ok(())
    }

    /// Claims up to `limit` queued records whose next attempt is due, oldest first, marking them
    /// `sending` in one transaction.
    pub fn claim_due(&self, limit: usize) -> Result<Vec<Claimed>, OutboxError> {
        let now = now_ms();
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut claimed = Vec::new();
            {
                let mut select = tx.prepare_cached(
                    "SELECT seq, record_id, sha256, attempts FROM records
                     WHERE state = 'queued' AND next_attempt_at_ms <= ?1 ORDER BY seq LIMIT ?2",
                )?;
                let due = select
                    .query_map(params![now, limit as i64], |row| {
                        Ok((row.get::<_, i64>(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
                    })?
                    .collect::<Result<Vec<(i64, String, String, u32)>, _>>()?;
                let mut bytes =
                    tx.prepare_cached("SELECT sealed FROM sealed_records WHERE seq = ?1")?;
                for (seq, record_id, sha256, attempts) in due {
                    let sealed: Vec<u8> = bytes.query_row([seq], |r| r.get(0))?;
                    claimed.push(Claimed {
                        record_id,
                        sealed: Zeroizing::new(sealed),
                        sha256,
                        attempts,
                    });
                }
                let mut mark =
                    tx.prepare_cached("UPDATE records SET state = 'sending' WHERE record_id = ?1")?;
                for c in &claimed {
                    mark.execute([&c.record_id])?;
                }
            }
            if claimed.is_empty() {
                tx.rollback()?;
            } else {
                tx.commit()?;
            }
            Ok(claimed)
        })
    }

    /// Puts a claimed record back in the queue after a failed attempt, not before `retry_at_ms`.
    pub fn release_failed(
        &self,
        record_id: &str,
        error: &str,
        retry_at_ms: i64,
    ) -> Result<(), OutboxError> {
        self.change(
            record_id,
            "sending",
            "UPDATE records SET state = 'queued', attempts = attempts + 1, last_error = ?2,
                    next_attempt_at_ms = ?3 WHERE record_id = ?1 AND state = 'sending'",
            params![record_id, error, retry_at_ms],
        )
    }

    /// Stores the central's (already verified) receipt: the record becomes `acknowledged`, and
    /// its pre-request number is replaced by its tag ([`super::number_tag`]; dropped when the
    /// outbox has no key): once the central holds the file, the station needs the number only to
    /// answer "has my file been sent?", which the tag does.
    pub fn acknowledge(&self, record_id: &str, receipt_json: &str) -> Result<(), OutboxError> {
        let number: Option<String> = self.with_conn(|conn| {
            Ok(conn
                .prepare_cached("SELECT pre_request FROM records WHERE record_id = ?1")?
                .query_row([record_id], |r| r.get(0))
                .optional()?
                .flatten())
        })?;
        let tag = match number.as_deref() {
            Some(number) => self.number_tag(number)?,
            None => None,
        };
        self.change(
            record_id,
            "sending",
            "UPDATE records SET state = 'acknowledged', receipt = ?2, acknowledged_at_ms = ?3, last_error = NULL,
                    pre_request = NULL, pre_request_mac = ?4
             WHERE record_id = ?1 AND state = 'sending'",
            params![record_id, receipt_json, now_ms(), tag],
        )?;
        // The announcement, once sent, is a copy of the number the row no longer holds.
        self.with_conn(|conn| {
            conn.prepare_cached(
                "DELETE FROM announcements WHERE record_id = ?1 AND sent_at_ms IS NOT NULL",
            )?
            .execute([record_id])?;
            Ok(())
        })
    }

    /// Deletes an acknowledged record's sealed bytes (secure_delete zeroes the freed pages), after
    /// checking its stored receipt against `receipt_key`, its id and the bytes themselves
    /// ([`purge_proof::check`]). A receipt that proves nothing leaves the row as it is.
    pub fn purge(&self, record_id: &str, receipt_key: &[u8; 32]) -> Result<(), OutboxError> {
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let row = tx
                .prepare_cached(
                    "SELECT r.seq, r.receipt, s.sealed FROM records r
                     LEFT JOIN sealed_records s ON s.seq = r.seq
                     WHERE r.record_id = ?1 AND r.state = 'acknowledged'",
                )?
                .query_row([record_id], |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        row.get::<_, Option<String>>(1)?,
                        Zeroizing::new(row.get::<_, Option<Vec<u8>>>(2)?.unwrap_or_default()),
                    ))
                })
                .optional()?;
            let Some((seq, receipt, sealed)) = row else {
                return Err(OutboxError::WrongState {
                    record_id: record_id.to_owned(),
                    expected: "acknowledged",
                });
            };
            purge_proof::check(receipt_key, record_id, receipt.as_deref(), &sealed).map_err(
                |reason| OutboxError::Unproven {
                    record_id: record_id.to_owned(),
                    reason,
                },
            )?;
            delete_sealed(&tx, seq)?;
            tx.commit()?;
            Ok(())
        })
    }

    /// Start-up: purges every record left `acknowledged` (a crash between storing the receipt and
    /// purging) whose receipt proves the central holds it, and returns those whose receipt does
    /// not, untouched, for the alarm. A `purged` row that still has sealed bytes (which no purge
    /// leaves) is checked the same way.
    pub fn purge_proven(
        &self,
        receipt_key: &[u8; 32],
    ) -> Result<Vec<UnprovenAcknowledgement>, OutboxError> {
        let (purged, unproven) = self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let rows = tx
                .prepare_cached(
                    "SELECT r.seq, r.record_id, r.receipt, s.sealed FROM records r
                     JOIN sealed_records s ON s.seq = r.seq
                     WHERE r.state IN ('acknowledged', 'purged') ORDER BY r.seq",
                )?
                .query_map([], |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, Option<String>>(2)?,
                        Zeroizing::new(row.get::<_, Vec<u8>>(3)?),
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            let mut purged = 0usize;
            let mut unproven = Vec::new();
            for (seq, record_id, receipt, sealed) in rows {
                match purge_proof::check(receipt_key, &record_id, receipt.as_deref(), &sealed) {
                    Ok(()) => {
                        delete_sealed(&tx, seq)?;
                        purged += 1;
                    }
                    Err(reason) => unproven.push(UnprovenAcknowledgement { record_id, reason }),
                }
            }
            tx.commit()?;
            Ok((purged, unproven))
        })?;
        if purged > 0 {
            tracing::info!(purged, "acknowledged records purged at start-up");
        }
        for u in &unproven {
            tracing::error!(record_id = %u.record_id, reason = %u.reason, "acknowledged record kept: its receipt proves nothing");
        }
        Ok(unproven)
    }

    fn change(
        &self,
        record_id: &str,
        expected: &'static str,
        sql: &str,
        params: impl rusqlite::Params,
    ) -> Result<(), OutboxError> {
        let changed = self.with_conn(|conn| Ok(conn.prepare_cached(sql)?.execute(params)?))?;
        if changed == 1 {
            Ok(())
        } else {
            Err(OutboxError::WrongState {
                record_id: record_id.to_owned(),
                expected,
            })
        }
    }

    /// Start-up recovery: `sending` claims left by a crash go back to `queued`. Purging needs the
    /// receipt key and is [`Outbox::purge_proven`]'s.
    pub(crate) fn recover(&self) -> Result<(), OutboxError> {
        let reset = self.with_conn(|conn| {
            Ok(conn.execute(
                "UPDATE records SET state = 'queued' WHERE state = 'sending'",
                [],
            )?)
        })?;
        if reset > 0 {
            tracing::info!(reset, "outbox recovered after restart");
        }
        Ok(())
    }

    /// Counts per state and the oldest unacknowledged record.
    pub fn status(&self) -> Result<OutboxStatus, OutboxError> {
        self.with_conn(|conn| {
            let mut status = OutboxStatus::default();
            let mut stmt = conn.prepare_cached(
                "SELECT state, count(*), coalesce(sum(CASE WHEN state IN ('purged', 'rejected') THEN 0 ELSE size END), 0), min(queued_at_ms),
                        sum(last_error IS NOT NULL) FROM records GROUP BY state",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let state: String = row.get(0)?;
                let count: i64 = row.get(1)?;
                let count = u64::try_from(count).unwrap_or(0);
                status.pending_bytes += u64::try_from(row.get::<_, i64>(2)?).unwrap_or(0);
                let oldest: Option<i64> = row.get(3)?;
                match RecordState::parse(&state) {
                    Some(RecordState::Queued) => {
                        status.queued = count;
                        status.with_errors = u64::try_from(row.get::<_, i64>(4)?).unwrap_or(0);
                    }
                    Some(RecordState::Sending) => status.sending = count,
                    Some(RecordState::Acknowledged) => status.acknowledged = count,
                    Some(RecordState::Purged) => status.purged = count,
                    Some(RecordState::AwaitingApproval) => {
                        status.awaiting_approval = count;
                        status.oldest_awaiting_ms = oldest;
                    }
                    Some(RecordState::Rejected) => status.rejected = count,
                    None => {}
                }
                if matches!(
                    RecordState::parse(&state),
                    Some(RecordState::Queued | RecordState::Sending)
                ) {
                    status.oldest_unacknowledged_ms =
                        match (status.oldest_unacknowledged_ms, oldest) {
                            (Some(a), Some(b)) => Some(a.min(b)),
                            (a, b) => a.or(b),
                        };
                }
            }
            Ok(status)
        })
    }

    /// One record's summary, if it exists.
    pub fn record(&self, record_id: &str) -> Result<Option<RecordSummary>, OutboxError> {
        self.with_conn(|conn| {
            Ok(conn
                .prepare_cached("SELECT record_id, state, attempts, last_error, receipt FROM records WHERE record_id = ?1")?
                .query_row([record_id], summary_from_row)
                .optional()?)
        })
    }

    /// Every record, in queue order (for the technician's listing and for tests).
    pub fn list(&self) -> Result<Vec<RecordSummary>, OutboxError> {
        self.with_conn(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT record_id, state, attempts, last_error, receipt FROM records ORDER BY seq",
            )?;
            let rows = stmt.query_map([], summary_from_row)?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    /// `PRAGMA integrity_check`: `"ok"` when the file is sound.
    pub fn integrity_check(&self) -> Result<String, OutboxError> {
        self.with_conn(|conn| Ok(conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?))
    }
}

/// Marks the record `purged` and deletes its sealed bytes, in the caller's transaction.
fn delete_sealed(tx: &rusqlite::Transaction<'_>, seq: i64) -> Result<(), OutboxError> {
    tx.prepare_cached("UPDATE records SET state = 'purged', purged_at_ms = ?2 WHERE seq = ?1")?
        .execute(params![seq, now_ms()])?;
    tx.prepare_cached("DELETE FROM sealed_records WHERE seq = ?1")?
        .execute([seq])?;
    Ok(())
}

fn summary_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<RecordSummary> {
    let state: String = row.get(1)?;
    Ok(RecordSummary {
        record_id: row.get(0)?,
        state: RecordState::parse(&state).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                1,
                rusqlite::types::Type::Text,
                format!("state {state}").into(),
            )
        })?,
        attempts: row.get(2)?,
        last_error: row.get(3)?,
        receipt: row.get(4)?,
    })
}
