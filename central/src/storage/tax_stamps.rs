//! Tax stamps used by records received here: one row per stamp, written in the receipt's
//! transaction (`Database::commit_intake`). The primary key is what keeps one stamp from paying
//! for two records even if two intakes raced past the check.

use rusqlite::{OptionalExtension, params};

use super::{Database, DatabaseError};

/// The table, created by the migration to schema 6.
pub(super) const MIGRATION: &str = "
CREATE TABLE tax_stamps_used (
    number    TEXT PRIMARY KEY NOT NULL CHECK (length(number) = 16),
    record_id TEXT NOT NULL,
    used_at   TEXT NOT NULL
);
";

impl Database {
    /// The record that used a stamp, if one did.
    pub fn tax_stamp_used_by(&self, number: &str) -> Result<Option<String>, DatabaseError> {
        if let Some(pg) = self.postgres() {
            return pg.tax_stamp_used_by(number);
        }
        self.with(|c| {
            Ok(c.query_row(
                "SELECT record_id FROM tax_stamps_used WHERE number = ?1",
                params![number],
                |row| row.get(0),
            )
            .optional()?)
        })
    }
}
