//! The templates kept for handover, in their own SQLite file (`DATA/templates.sqlite`) so that the
//! intake database's schema stays as it is. Each row's minutiae are encrypted with the template key
//! ([`super::sealing`]); rows written before that are encrypted in place when the store opens.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, params};

use super::sealing::TemplateKey;
use crate::storage::DatabaseError;

/// Name of the file inside the data directory.
pub const TEMPLATES_FILE: &str = "templates.sqlite";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS templates (
    number     TEXT PRIMARY KEY NOT NULL,
    record_id  TEXT NOT NULL,
    station_id TEXT NOT NULL,
    stored_at  TEXT NOT NULL,
    minutiae   BLOB NOT NULL
);
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
    conn: Mutex<Connection>,
    key: TemplateKey,
}

impl TemplateStore {
    /// Opens (creating if needed) `DATA/templates.sqlite` and the template key.
    pub fn open(data_dir: &Path) -> Result<Self, DatabaseError> {
        let key = TemplateKey::load_or_create(data_dir)?;
        let mut conn = crate::storage::database::open_private(&data_dir.join(TEMPLATES_FILE))?;
        conn.execute_batch(SCHEMA)?;
        encrypt_clear_rows(&mut conn, &key)?;
        Ok(Self {
            conn: Mutex::new(conn),
            key,
        })
    }

    /// Keeps `minutiae` for `number` (a record received again replaces them with the same bytes).
    pub fn put(
        &self,
        number: &str,
        record_id: &str,
        station_id: &str,
        minutiae: &[u8],
    ) -> Result<(), DatabaseError> {
        let sealed = self.key.seal(number, record_id, minutiae)?;
        let conn = self.conn.lock().map_err(|_| DatabaseError::Poisoned)?;
        conn.execute(
            "INSERT OR REPLACE INTO templates (number, record_id, station_id, stored_at, minutiae)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                number,
                record_id,
                station_id,
                crate::intake::now_rfc3339(),
                sealed
            ],
        )?;
        Ok(())
    }

    /// The templates kept for `number`, if any.
    pub fn get(&self, number: &str) -> Result<Option<StoredTemplates>, DatabaseError> {
        let conn = self.conn.lock().map_err(|_| DatabaseError::Poisoned)?;
        let row: Option<(String, String, Vec<u8>)> = conn
            .query_row(
                "SELECT record_id, station_id, minutiae FROM templates WHERE number = ?1",
                params![number],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()?;
        drop(conn);
        row.map(|(record_id, station_id, sealed)| {
            Ok(StoredTemplates {
                minutiae: self.key.open(number, &record_id, &sealed)?,
                record_id,
                station_id,
            })
        })
        .transpose()
    }

    /// Deletes the templates that came from `record_id` (its applicant refused storage); how many
    /// rows went. `secure_delete` zeroes the cells, and the journal is checkpointed so that no
    /// copy stays in it.
    pub fn delete_record(&self, record_id: &str) -> Result<usize, DatabaseError> {
        let conn = self.conn.lock().map_err(|_| DatabaseError::Poisoned)?;
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
        let conn = self.conn.lock().map_err(|_| DatabaseError::Poisoned)?;
        let n: i64 = conn.query_row("SELECT count(*) FROM templates", [], |row| row.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
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
            "UPDATE templates SET minutiae = ?1 WHERE number = ?2",
            params![key.seal(number, record_id, minutiae)?, number],
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
