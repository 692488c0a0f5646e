//! The templates kept for handover: in their own SQLite file (`DATA/templates.sqlite`) beside the
//! central's SQLite database, or in its PostgreSQL database (table `templates`) when the central
//! runs there, so that every replica finds the templates any of them kept. Each row's minutiae
//! are encrypted with the template key ([`super::sealing`]) before they reach either; rows written
//! in clear by an earlier version are encrypted in place when the SQLite file opens.
//!
//! A row is kept by pre-request number and record: each record stores its templates before its
//! receipt commits, so two records of one number arriving together (on two replicas) both write
//! theirs, and only one of them consumes the number. The templates that count for a number are
//! those of the record that consumed it: the database's `consumed` table decides, as it decides
//! the receipt.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OptionalExtension, params};

use super::sealing::TemplateKey;
use crate::storage::postgres::Postgres;
use crate::storage::{Database, DatabaseError};

/// Name of the file inside the data directory.
pub const TEMPLATES_FILE: &str = "templates.sqlite";

/// The schema version of `templates.sqlite` this code writes.
const SCHEMA_VERSION: i64 = 1;

/// The table as the first versions wrote it (one row per number); kept so that a new file and an
/// old one take the same migration.
const SCHEMA_0: &str = "
CREATE TABLE IF NOT EXISTS templates (
    number     TEXT PRIMARY KEY NOT NULL,
    record_id  TEXT NOT NULL,
    station_id TEXT NOT NULL,
    stored_at  TEXT NOT NULL,
    minutiae   BLOB NOT NULL
);
";

/// One row per number and record. SQLite cannot change a primary key in place: the table is
/// rebuilt, its (sealed) rows copied as they are.
const MIGRATION_1: &str = "
CREATE TABLE templates_1 (
    number     TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    station_id TEXT NOT NULL,
    stored_at  TEXT NOT NULL,
    minutiae   BLOB NOT NULL,
    PRIMARY KEY (number, record_id)
);
INSERT INTO templates_1 (number, record_id, station_id, stored_at, minutiae)
    SELECT number, record_id, station_id, stored_at, minutiae FROM templates;
DROP TABLE templates;
ALTER TABLE templates_1 RENAME TO templates;
CREATE INDEX templates_by_record ON templates (record_id);
";

/// One pre-request's reference templates.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredTemplates {
    /// The record they came from.
    pub record_id: String,
    /// The station that enrolled them.
    pub station_id: String,
    /// The ISO/IEC 19794-2:2011 record, as it was in the sealed record.
    pub minutiae: Vec<u8>,
}

impl std::fmt::Debug for StoredTemplates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredTemplates")
            .field("record_id", &self.record_id)
            .field("station_id", &self.station_id)
            .field("minutiae_bytes", &self.minutiae.len())
            .finish()
    }
}

/// The open template store; cheap to share behind an `Arc`.
#[derive(Debug)]
pub struct TemplateStore {
    backend: Backend,
    key: TemplateKey,
}

#[derive(Debug)]
enum Backend {
    /// `templates.sqlite`, and the central's database for which record consumed a number.
    Sqlite {
        conn: Mutex<Connection>,
        db: Arc<Database>,
    },
    Postgres(Postgres),
}

impl TemplateStore {
    /// Opens (creating if needed) `DATA/templates.sqlite` and the template key, beside the
    /// central's SQLite database in the same directory.
    pub fn open(data_dir: &Path) -> Result<Self, DatabaseError> {
        Self::open_beside(Arc::new(Database::open(data_dir)?), data_dir)
    }

    /// Opens the store where `db` is: its PostgreSQL database when it is on one, else
    /// `DATA/templates.sqlite`. The template key is `DATA/keys/templates.key` either way.
    pub fn open_beside(db: Arc<Database>, data_dir: &Path) -> Result<Self, DatabaseError> {
        let key = TemplateKey::load_or_create(data_dir)?;
        if let Some(postgres) = db.postgres() {
            return Ok(Self {
                backend: Backend::Postgres(postgres.clone()),
                key,
            });
        }
        let mut conn = crate::storage::database::open_private(&data_dir.join(TEMPLATES_FILE))?;
        conn.execute_batch(SCHEMA_0)?;
        encrypt_clear_rows(&mut conn, &key)?;
        migrate(&mut conn)?;
        Ok(Self {
            backend: Backend::Sqlite {
                conn: Mutex::new(conn),
                db,
            },
            key,
        })
    }

    /// Keeps `minutiae` for `number` from `record_id` (the same record received again replaces
    /// them with the same bytes).
    pub fn put(
        &self,
        number: &str,
        record_id: &str,
        station_id: &str,
        minutiae: &[u8],
    ) -> Result<(), DatabaseError> {
        let sealed = self.key.seal(number, record_id, minutiae)?;
        let stored_at = crate::intake::now_rfc3339();
        let conn = match &self.backend {
            Backend::Postgres(postgres) => {
                return postgres.put_template(number, record_id, station_id, &stored_at, sealed);
            }
            Backend::Sqlite { conn, .. } => lock(conn)?,
        };
        conn.execute(
            "INSERT INTO templates (number, record_id, station_id, stored_at, minutiae)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (number, record_id) DO UPDATE SET station_id = excluded.station_id,
                 stored_at = excluded.stored_at, minutiae = excluded.minutiae",
            params![number, record_id, station_id, stored_at, sealed],
        )?;
        Ok(())
    }

    /// The templates kept for `number` by the record that consumed it, if that record had any.
    pub fn get(&self, number: &str) -> Result<Option<StoredTemplates>, DatabaseError> {
        let row = match &self.backend {
            Backend::Postgres(postgres) => postgres
                .template(number)?
                .map(|row| (row.record_id, row.station_id, row.sealed)),
            Backend::Sqlite { conn, db } => {
                let Some(winner) = db.consumed_by(number)? else {
                    return Ok(None);
                };
                lock(conn)?
                    .query_row(
                        "SELECT record_id, station_id, minutiae FROM templates
                     WHERE number = ?1 AND record_id = ?2",
                        params![number, winner],
                        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                    )
                    .optional()?
            }
        };
        row.map(
            |(record_id, station_id, sealed): (String, String, Vec<u8>)| {
                Ok(StoredTemplates {
                    minutiae: self.key.open(number, &record_id, &sealed)?,
                    record_id,
                    station_id,
                })
            },
        )
        .transpose()
    }

    /// Deletes the templates that came from `record_id` (its applicant refused storage, or its
    /// number went to another record); how many rows went. On SQLite `secure_delete` zeroes the
    /// cells, and the journal is checkpointed so that no copy stays in it; on PostgreSQL the old
    /// row versions wait for the vacuum, sealed as they were written.
    pub fn delete_record(&self, record_id: &str) -> Result<usize, DatabaseError> {
        let conn = match &self.backend {
            Backend::Postgres(postgres) => return postgres.delete_templates_of(record_id),
            Backend::Sqlite { conn, .. } => lock(conn)?,
        };
        let n = conn.execute(
            "DELETE FROM templates WHERE record_id = ?1",
            params![record_id],
        )?;
        if n > 0 {
            conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        }
        Ok(n)
    }

    /// How many pre-requests have templates.
    pub fn count(&self) -> Result<u64, DatabaseError> {
        let conn = match &self.backend {
            Backend::Postgres(postgres) => return postgres.template_count(),
            Backend::Sqlite { conn, .. } => lock(conn)?,
        };
        let n: i64 = conn.query_row("SELECT count(DISTINCT number) FROM templates", [], |row| {
            row.get(0)
        })?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

fn lock(conn: &Mutex<Connection>) -> Result<std::sync::MutexGuard<'_, Connection>, DatabaseError> {
    conn.lock().map_err(|_| DatabaseError::Poisoned)
}

/// Brings `templates.sqlite` to [`SCHEMA_VERSION`], in one `IMMEDIATE` transaction that reads the
/// version inside it (two centrals opening one file at once migrate it once).
fn migrate(conn: &mut Connection) -> Result<(), DatabaseError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(DatabaseError::TooNew(version));
    }
    if version < 1 {
        tx.execute_batch(&format!("{MIGRATION_1} PRAGMA user_version = 1;"))?;
        tracing::info!("templates kept by pre-request number and record from now on");
    }
    tx.commit()?;
    Ok(())
}

/// Encrypts the rows written in clear by a central from before the template key, in one
/// transaction; then checkpoints the journal, so that no clear copy stays in it (`secure_delete`
/// has zeroed the old cells).
fn encrypt_clear_rows(conn: &mut Connection, key: &TemplateKey) -> Result<(), DatabaseError> {
    let tx = conn.transaction()?;
    let clear: Vec<(String, String, Vec<u8>)> = {
        let mut statement = tx.prepare("SELECT number, record_id, minutiae FROM templates")?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Vec<u8>>(2)?,
            ))
        })?;
        rows.filter(|row| !matches!(row, Ok((_, _, m)) if TemplateKey::is_sealed(m)))
            .collect::<Result<_, _>>()?
    };
    for (number, record_id, minutiae) in &clear {
        tx.execute(
            "UPDATE templates SET minutiae = ?1 WHERE number = ?2 AND record_id = ?3",
            params![key.seal(number, record_id, minutiae)?, number, record_id],
        )?;
    }
    tx.commit()?;
    if !clear.is_empty() {
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        tracing::info!(
            rows = clear.len(),
            "templates kept in clear by an earlier version are now encrypted"
        );
    }
    Ok(())
}
