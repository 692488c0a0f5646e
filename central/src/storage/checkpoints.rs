//! The last audit checkpoint accepted from each station, compared and moved forward in one
//! transaction so that two uploads at once cannot both pass on a stale comparison.

use rusqlite::{OptionalExtension, params};
use wire::audit_checkpoint::AuditCheckpoint;

use super::{Database, DatabaseError};

/// How a checkpoint compares with the last one accepted from its station.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckpointVerdict {
    /// Newer (now kept) or the same again.
    Accepted,
    /// Older than the last accepted, or the same entry with another hash.
    Regressed {
        /// The last accepted sequence number.
        last_seq: u64,
    },
}

impl Database {
    /// Compares `checkpoint` (its signature checked) with the last accepted from `station_id`,
    /// keeping it when newer.
    pub fn accept_checkpoint(
        &self,
        station_id: &str,
        checkpoint: &AuditCheckpoint,
        now: &str,
    ) -> Result<CheckpointVerdict, DatabaseError> {
        let seq = i64::try_from(checkpoint.seq).map_err(|_| {
            DatabaseError::Corrupt(format!("checkpoint {} too large", checkpoint.seq))
        })?;
        if let Some(pg) = self.postgres() {
            return pg.accept_checkpoint(station_id, checkpoint, seq, now);
        }
        self.with(|c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let last: Option<(i64, String)> = tx
                .query_row(
                    "SELECT seq, sha256 FROM audit_checkpoints WHERE station_id = ?1",
                    params![station_id],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?;
            let verdict = match last {
                Some((last_seq, _)) if seq < last_seq => CheckpointVerdict::Regressed {
                    last_seq: u64::try_from(last_seq).unwrap_or(0),
                },
                Some((last_seq, hash)) if seq == last_seq && hash != checkpoint.sha256 => {
                    CheckpointVerdict::Regressed {
                        last_seq: u64::try_from(last_seq).unwrap_or(0),
                    }
                }
                Some((last_seq, _)) if seq == last_seq => CheckpointVerdict::Accepted,
                _ => {
                    tx.execute(
                        "INSERT INTO audit_checkpoints (station_id, seq, sha256, signature, accepted_at)
                         VALUES (?1, ?2, ?3, ?4, ?5)
                         ON CONFLICT (station_id) DO UPDATE SET seq = ?2, sha256 = ?3, signature = ?4,
                             accepted_at = ?5",
                        params![station_id, seq, checkpoint.sha256, checkpoint.signature, now],
                    )?;
                    CheckpointVerdict::Accepted
                }
            };
            tx.commit()?;
            Ok(verdict)
        })
    }

    /// Whether a checkpoint was ever accepted from `station_id` (then every upload must carry one).
    pub fn has_checkpoint(&self, station_id: &str) -> Result<bool, DatabaseError> {
        if let Some(pg) = self.postgres() {
            return pg.has_checkpoint(station_id);
        }
        self.with(|c| {
            Ok(c.query_row(
                "SELECT 1 FROM audit_checkpoints WHERE station_id = ?1",
                params![station_id],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
        })
    }
}
