//! Reading the latest signed checkpoint of the audit log, for the uploader: every upload carries
//! it (`wire::audit_checkpoint`), so that the central notices a log that lost its tail. A
//! read-only connection of its own, so that the uploader needs nothing of whoever writes the log.

use std::{path::Path, sync::Mutex};

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use wire::audit_checkpoint::AuditCheckpoint;

use super::AuditError;

/// The latest checkpoint, read from the audit log's file.
#[derive(Debug)]
pub struct CheckpointReader {
    conn: Mutex<Connection>,
}

impl CheckpointReader {
    /// Opens the audit log at `path` read-only (it must exist: the station writes it at start).
    pub fn open(path: &Path) -> Result<Self, AuditError> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    /// The checkpoint of the highest sequence number, if any was signed.
    pub fn latest(&self) -> Result<Option<AuditCheckpoint>, AuditError> {
        let conn = self
            .conn
            .lock()
            .map_err(|_| AuditError::Database(crate::outbox::OutboxError::Poisoned))?;
        let row: Option<(i64, String, String)> = conn
            .query_row(
                "SELECT seq, sha256, signature FROM audit_checkpoints ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        Ok(row.map(|(seq, sha256, signature)| AuditCheckpoint {
            seq: u64::try_from(seq).unwrap_or(0),
            sha256,
            signature,
        }))
    }
}
