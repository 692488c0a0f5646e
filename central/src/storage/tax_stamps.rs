//! Tax stamps used by records received here: one row per stamp, written in the receipt's
//! transaction (`Database::commit_intake`, `Database::commit_paper_intake`). The primary key is
//! what keeps one stamp from paying for two records even if two intakes raced past the check.

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

/// Marks `number` used by the receipt's record, inside the caller's transaction: both intakes
/// (with a pre-request or from the paper form) use a stamp the same way.
pub(super) fn insert_use(
    tx: &rusqlite::Transaction<'_>,
    number: &str,
    receipt: &crate::receipts::Receipt,
) -> Result<(), DatabaseError> {
    // A stamp used already fails the whole intake: the check before the commit may have raced
    // another record on another replica.
    tx.execute(
        "INSERT INTO tax_stamps_used (number, record_id, used_at) VALUES (?1, ?2, ?3)",
        params![number, receipt.record_id, receipt.received_at],
    )
    .map_err(|e| super::database::on_constraint(e, || DatabaseError::StampAlreadyUsed))?;
    Ok(())
}
