//! The outbox: sealed records waiting for the central, in SQLite on disk.
//!
//! States: `queued` → `sending` → `acknowledged` (receipt kept) → `purged` (sealed bytes deleted);
//! a record with an exception starts `awaiting_approval` and becomes `queued` or `rejected` at a
//! supervisor's decision ([`review`]).
//! A record is durable when [`Outbox::enqueue`] returns (WAL, `synchronous=FULL`). Only sealed bytes
//! are ever stored. One connection, behind a mutex, is the single writer.

pub mod announcements;
pub mod database;
pub mod forget;
pub mod freeze;
pub mod number_tag;
pub mod owner;
pub mod purge_proof;
pub mod queue;
pub mod retry_now;
pub mod review;

use std::{
    path::Path,
    sync::{Mutex, OnceLock},
};

use rusqlite::Connection;

pub use freeze::{FreezeLimits, Frozen};
pub use number_tag::{NumberKey, SharedNumberKey};
pub use purge_proof::UnprovenAcknowledgement;
pub use queue::{Claimed, OutboxStatus, RecordState, RecordSummary};

/// What went wrong with the outbox.
#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    /// SQLite failed.
    #[error("outbox database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A pragma did not take the value we set (misspelt, or unsupported by this SQLite).
    #[error("outbox database: pragma {name} is {actual:?}, expected {expected:?}")]
    Pragma {
        /// Pragma name.
        name: &'static str,
        /// What we asked for.
        expected: String,
        /// What SQLite reports.
        actual: String,
    },
    /// The database was written by a newer station version: refuse rather than guess.
    #[error("outbox schema version {found} is newer than this station supports ({supported})")]
    NewerSchema {
        /// Version in the file.
        found: i64,
        /// Latest version this code knows.
        supported: i64,
    },
    /// The database was written by an older station version and a read-only command cannot bring
    /// it up to date (a station may be starting on it): the station migrates it when it starts.
    #[error(
        "outbox schema version {found} is older than this station's ({supported}): start the station once so that it brings the outbox up to date"
    )]
    OlderSchema {
        /// Version in the file.
        found: i64,
        /// Latest version this code knows.
        supported: i64,
    },
    /// A state change was asked for a record that is not in the state it needs.
    #[error("record {record_id} is not {expected}")]
    WrongState {
        /// The record.
        record_id: String,
        /// The state it had to be in.
        expected: &'static str,
    },
    /// A supervisor's rejection without a reason.
    #[error("a rejection needs a reason")]
    ReasonRequired,
    /// The same record id was queued twice.
    #[error("record {0} is already in the outbox")]
    Duplicate(String),
    /// A purge was asked for a record whose stored receipt does not prove the central holds it.
    #[error("record {record_id} not purged: its receipt proves nothing ({reason})")]
    Unproven {
        /// The record.
        record_id: String,
        /// Why the receipt was refused.
        reason: String,
    },
    /// Another thread panicked while holding the connection.
    #[error("outbox connection poisoned")]
    Poisoned,
    /// A read-only view was asked of an outbox that does not exist yet.
    #[error("no outbox at {0} yet")]
    Missing(std::path::PathBuf),
    /// The station's secret did not hash a pre-request number.
    #[error("outbox: the station's secret did not hash a number: {0}")]
    NumberKey(String),
    /// The lock file that says which process owns the outbox could not be used.
    #[error("outbox lock file: {0}")]
    Lock(#[from] std::io::Error),
}

/// The outbox database.
#[derive(Debug)]
pub struct Outbox {
    conn: Mutex<Connection>,
    /// Held while this process owns the outbox ([`owner`]); `None` for a read-only view, or when
    /// another process owns it.
    owner: Option<owner::OwnerLock>,
    /// Hashes pre-request numbers at the receipt ([`number_tag`]); without it the number is
    /// dropped at the receipt and the record is no longer found by number.
    number_key: OnceLock<SharedNumberKey>,
}

impl Outbox {
    /// Opens (or creates) the outbox at `path`: pragmas set and checked, migrations applied in one
    /// transaction. The first process to open it owns it ([`owner`]) and puts the records a crash
    /// left `sending` back to `queued`; while it runs, another opening leaves them alone (they are
    /// being sent). Acknowledged records are not purged here: that needs the central's receipt key
    /// ([`Outbox::purge_proven`]).
    pub fn open(path: &Path) -> Result<Self, OutboxError> {
        let conn = database::open(path)?;
        let owner = match owner::OwnerLock::take(path)? {
            Ok(lock) => Some(lock),
            Err(elsewhere) => {
                tracing::warn!(%elsewhere, "outbox opened without owning it: no crash recovery");
                None
            }
        };
        let outbox = Self {
            conn: Mutex::new(conn),
            owner,
            number_key: OnceLock::new(),
        };
        if outbox.owns() {
            outbox.recover()?;
        }
        Ok(outbox)
    }

    /// Opens the outbox at `path` read-only, for the technician's commands (status, list): SQLite
    /// opened read-only, no migration, no recovery, no lock taken, nothing created.
    pub fn open_read_only(path: &Path) -> Result<Self, OutboxError> {
        if !path.exists() {
            return Err(OutboxError::Missing(path.to_path_buf()));
        }
        let conn = rusqlite::Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        database::check_readable(&conn)?;
        Ok(Self {
            conn: Mutex::new(conn),
            owner: None,
            number_key: OnceLock::new(),
        })
    }

    /// Gives the outbox the station's secret: from now on an acknowledged record keeps the tag of
    /// its pre-request number instead of the number, and numbers an older version left in clear
    /// on acknowledged rows are replaced by their tags now (when this process owns the outbox).
    pub fn hash_numbers_with(&self, key: SharedNumberKey) -> Result<(), OutboxError> {
        if self.owns() {
            let tagged = self.with_conn(|conn| number_tag::tag_acknowledged(conn, key.as_ref()))?;
            if tagged > 0 {
                tracing::info!(tagged, "pre-request numbers of acknowledged records hashed");
            }
        }
        let _ = self.number_key.set(key);
        Ok(())
    }

    /// The tag of `number` with the station's secret, when the outbox was given it.
    pub fn number_tag(&self, number: &str) -> Result<Option<String>, OutboxError> {
        self.number_key
            .get()
            .map(|key| number_tag::tag(key.as_ref(), number))
            .transpose()
    }

    /// Whether this process owns the outbox (and so may send its records).
    pub fn owns(&self) -> bool {
        self.owner.is_some()
    }

    fn with_conn<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, OutboxError>,
    ) -> Result<T, OutboxError> {
        let mut conn = self.conn.lock().map_err(|_| OutboxError::Poisoned)?;
        f(&mut conn)
    }
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
