//! The calibration history in SQLite, opened with the outbox's pragma and migration code.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use drivers::calibration::FlatField;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;
use time::OffsetDateTime;

use super::{CalibrationEntry, CalibrationStoreError, DeviceKind};
use crate::outbox::database;

/// The schema, one entry per version.
const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE calibrations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    serial      TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('fingerprint', 'camera')),
    at_ms       INTEGER NOT NULL,
    measures    TEXT NOT NULL,
    pass        INTEGER NOT NULL CHECK (pass IN (0, 1)),
    flat_field  BLOB
);
CREATE INDEX calibrations_by_device ON calibrations (serial, kind, id);
"#];

/// Every calibration made on this station, by device serial number.
#[derive(Debug)]
pub struct CalibrationHistory {
    conn: Mutex<Connection>,
}

impl CalibrationHistory {
    /// The history's usual place: `DATA_DIR/calibration.sqlite`.
    pub fn default_path(data_dir: &Path) -> PathBuf {
        data_dir.join("calibration.sqlite")
    }

    /// Opens (or creates) the history at `path`.
    pub fn open(path: &Path) -> Result<Self, CalibrationStoreError> {
        let mut conn = database::open_private(path)?;
        database::apply_pragmas(&conn)?;
        database::migrate(&mut conn, MIGRATIONS)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stores one calibration; returns its row id.
    pub fn record(
        &self,
        serial: &str,
        kind: DeviceKind,
        at: OffsetDateTime,
        measures: &Value,
        pass: bool,
        flat_field: Option<&FlatField>,
    ) -> Result<i64, CalibrationStoreError> {
        let at_ms = i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX);
        let measures = serde_json::to_string(measures)?;
        let blob = flat_field.map(FlatField::to_bytes);
        let conn = self.conn();
        conn.execute(
            "INSERT INTO calibrations (serial, kind, at_ms, measures, pass, flat_field)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![serial, kind.as_str(), at_ms, measures, pass, blob],
        )?;
        let id = conn.last_insert_rowid();
        tracing::info!(serial, kind = kind.as_str(), id, pass, "calibration stored");
        Ok(id)
    }

    /// The flat-field correction of the latest fingerprint calibration of device `serial` that
    /// has one, if any.
    pub fn latest_flat_field(
        &self,
        serial: &str,
    ) -> Result<Option<FlatField>, CalibrationStoreError> {
        let blob: Option<Vec<u8>> = self
            .conn()
            .query_row(
                "SELECT flat_field FROM calibrations
                 WHERE serial = ?1 AND kind = 'fingerprint' AND flat_field IS NOT NULL
                 ORDER BY id DESC LIMIT 1",
                params![serial],
                |row| row.get(0),
            )
            .optional()?;
        Ok(blob.map(|b| FlatField::from_bytes(&b)).transpose()?)
    }

    /// Every calibration of device `serial`, oldest first.
    pub fn history(&self, serial: &str) -> Result<Vec<CalibrationEntry>, CalibrationStoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, serial, kind, at_ms, measures, pass, flat_field IS NOT NULL
             FROM calibrations WHERE serial = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![serial], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, i64>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, bool>(5)?,
                row.get::<_, bool>(6)?,
            ))
        })?;
        let mut entries = Vec::new();
        for row in rows {
            let (id, serial, kind, at_ms, measures, pass, has_flat_field) = row?;
            let kind = DeviceKind::parse(&kind).ok_or(CalibrationStoreError::UnknownKind(kind))?;
            let at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(at_ms) * 1_000_000)
                .unwrap_or(OffsetDateTime::UNIX_EPOCH);
            entries.push(CalibrationEntry {
                id,
                serial,
                kind,
                at,
                measures: serde_json::from_str(&measures)?,
                pass,
                has_flat_field,
            });
        }
        Ok(entries)
    }
}
