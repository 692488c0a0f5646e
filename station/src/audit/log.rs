//! Appending to the audit log, with a signed checkpoint every few entries.

use std::{
    path::{Path, PathBuf},
    sync::Mutex,
};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::{AuditError, AuditEvent, chain, personal};
use crate::{outbox::database, seal::SharedSigner};

/// Entries between two signed checkpoints by default.
pub const DEFAULT_CHECKPOINT_EVERY: u64 = 16;
/// Largest actor plus event JSON accepted for one entry.
const MAX_ENTRY_BYTES: usize = 2048;

/// The schema, one entry per version (same migration code as the outbox).
pub const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE audit (
    seq          INTEGER PRIMARY KEY,
    at_ms        INTEGER NOT NULL,
    actor        TEXT NOT NULL,
    event        TEXT NOT NULL,
    prev_sha256  TEXT NOT NULL,
    sha256       TEXT NOT NULL
);
CREATE TABLE audit_checkpoints (
    seq        INTEGER PRIMARY KEY,
    sha256     TEXT NOT NULL,
    signature  TEXT NOT NULL
);
"#,
    r#"
-- The salt of an entry that holds personal fields (personal.rs): the chain covers their salted
-- hashes; deleted, with the values, once the retention is over.
ALTER TABLE audit ADD COLUMN salt BLOB;
CREATE INDEX audit_salted ON audit (at_ms) WHERE salt IS NOT NULL;
"#,
];

/// What [`AuditLog::forget_personal`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Forgotten {
    /// Entries whose personal values were replaced by their hashes.
    pub entries: usize,
    /// Older entries that still hold personal values (written before salts existed).
    pub kept_from_before_salts: usize,
}

/// The station's audit log.
pub struct AuditLog {
    conn: Mutex<Connection>,
    signer: SharedSigner,
    every: u64,
}

impl std::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditLog")
            .field("every", &self.every)
            .finish_non_exhaustive()
    }
}

impl AuditLog {
    /// The log's usual place under the data directory.
    pub fn default_path(data_dir: &Path) -> PathBuf {
        data_dir.join("audit.sqlite")
    }

    /// Opens (or creates) the log; a checkpoint is signed with `signer` every `every` entries.
    pub fn open(path: &Path, signer: SharedSigner, every: u64) -> Result<Self, AuditError> {
        let mut conn = database::open_private(path)?;
        database::apply_pragmas(&conn)?;
        database::migrate(&mut conn, MIGRATIONS)?;
        Ok(Self {
            conn: Mutex::new(conn),
            signer,
            every: every.max(1),
        })
    }

    /// Appends one entry at `at_ms` (Unix ms) by `actor` (an operator's name, or `station`) and
    /// returns its sequence number. Durable when it returns.
    pub fn append(&self, actor: &str, event: &AuditEvent, at_ms: i64) -> Result<u64, AuditError> {
        let event_json = serde_json::to_string(event).map_err(|e| AuditError::Broken {
            seq: 0,
            reason: format!("event not serialisable: {e}"),
        })?;
        let size = actor.len() + event_json.len();
        if size > MAX_ENTRY_BYTES {
            return Err(AuditError::TooLarge(size));
        }
        let mut conn = self.guard()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let last: Option<(i64, String)> = tx
            .query_row(
                "SELECT seq, sha256 FROM audit ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (seq, prev) = match last {
            Some((seq, hash)) => (seq + 1, hash),
            None => (1, chain::GENESIS.to_owned()),
        };
        let seq_u = u64::try_from(seq).unwrap_or(0);
        let salt = personal::holds_personal(&event_json)
            .then(personal::new_salt)
            .flatten();
        let chained = personal::chained_form(&event_json, salt.as_ref().map(|s| s.as_slice()));
        let hash = chain::entry_hash(seq_u, at_ms, actor, &chained, &prev);
        tx.execute(
            "INSERT INTO audit (seq, at_ms, actor, event, prev_sha256, sha256, salt)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                seq,
                at_ms,
                actor,
                event_json,
                prev,
                hash,
                salt.as_ref().map(|s| s.as_slice())
            ],
        )?;
        if seq_u % self.every == 0 {
            self.sign(&tx, seq, &hash)?;
        }
        tx.commit()?;
        tracing::debug!(seq, actor, "audited");
        Ok(seq_u)
    }

    /// Signs the last entry now (end of an enrolment, sign-out, shutdown), unless it is signed.
    pub fn checkpoint(&self) -> Result<(), AuditError> {
        let mut conn = self.guard()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let last: Option<(i64, String)> = tx
            .query_row(
                "SELECT seq, sha256 FROM audit ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((seq, hash)) = last {
            self.sign(&tx, seq, &hash)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Forgets the personal fields of the entries written before `before_ms`: each value is
    /// replaced by the salted hash the chain covers and the salt is deleted, in one transaction,
    /// so every entry's hash, and the chain, stay as they were. Returns how many entries were
    /// changed, and how many older entries hold personal values that cannot be forgotten (written
    /// before salts existed: their hash covers the values themselves).
    pub fn forget_personal(&self, before_ms: i64) -> Result<Forgotten, AuditError> {
        let mut conn = self.guard()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let salted = tx
            .prepare_cached(
                "SELECT seq, event, salt FROM audit WHERE salt IS NOT NULL AND at_ms < ?1",
            )?
            .query_map([before_ms], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        for (seq, event, salt) in &salted {
            tx.prepare_cached("UPDATE audit SET event = ?2, salt = NULL WHERE seq = ?1")?
                .execute(params![seq, personal::chained_form(event, Some(salt))])?;
        }
        let unsalted = tx
            .prepare_cached("SELECT event FROM audit WHERE salt IS NULL AND at_ms < ?1")?
            .query_map([before_ms], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?
            .iter()
            .filter(|event| personal::holds_personal(event))
            .count();
        tx.commit()?;
        Ok(Forgotten {
            entries: salted.len(),
            kept_from_before_salts: unsalted,
        })
    }

    fn sign(&self, conn: &Connection, seq: i64, hash: &str) -> Result<(), AuditError> {
        let signature = self.signer.sign_message(&chain::checkpoint_message(
            u64::try_from(seq).unwrap_or(0),
            hash,
        ))?;
        conn.execute(
            "INSERT OR IGNORE INTO audit_checkpoints (seq, sha256, signature) VALUES (?1, ?2, ?3)",
            params![seq, hash, hex::encode(signature)],
        )?;
        Ok(())
    }

    fn guard(&self) -> Result<std::sync::MutexGuard<'_, Connection>, AuditError> {
        self.conn
            .lock()
            .map_err(|_| AuditError::Database(crate::outbox::OutboxError::Poisoned))
    }
}
