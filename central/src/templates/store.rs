//! The templates kept for handover, in their own SQLite file (`DATA/templates.sqlite`) so that the
//! intake database's schema stays as it is.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, params};

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
}

impl TemplateStore {
    /// Opens (creating if needed) `DATA/templates.sqlite`.
    pub fn open(data_dir: &Path) -> Result<Self, DatabaseError> {
        let conn = Connection::open(data_dir.join(TEMPLATES_FILE))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "wal")?;
        conn.pragma_update(None, "synchronous", 2)?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self {
            conn: Mutex::new(conn),
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
        let conn = self.conn.lock().map_err(|_| DatabaseError::Poisoned)?;
        conn.execute(
            "INSERT OR REPLACE INTO templates (number, record_id, station_id, stored_at, minutiae)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                number,
                record_id,
                station_id,
                crate::intake::now_rfc3339(),
                minutiae
            ],
        )?;
        Ok(())
    }

    /// The templates kept for `number`, if any.
    pub fn get(&self, number: &str) -> Result<Option<StoredTemplates>, DatabaseError> {
        let conn = self.conn.lock().map_err(|_| DatabaseError::Poisoned)?;
        Ok(conn
            .query_row(
                "SELECT record_id, station_id, minutiae FROM templates WHERE number = ?1",
                params![number],
                |row| {
                    Ok(StoredTemplates {
                        record_id: row.get(0)?,
                        station_id: row.get(1)?,
                        minutiae: row.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// How many pre-requests have templates.
    pub fn count(&self) -> Result<u64, DatabaseError> {
        let conn = self.conn.lock().map_err(|_| DatabaseError::Poisoned)?;
        let n: i64 = conn.query_row("SELECT count(*) FROM templates", [], |row| row.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
