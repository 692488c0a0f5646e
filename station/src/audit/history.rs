//! What the audit log says happened before this start, read without opening it for writing: the
//! start-up uses it to tell a new station from one whose files were tampered with.

use std::path::Path;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::AuditError;

/// Whether the log at `path` records an account creation: the station was set up. False when
/// there is no log yet.
pub fn accounts_were_created(path: &Path) -> Result<bool, AuditError> {
    if !path.exists() {
        return Ok(false);
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let found: Option<i64> = conn
        .query_row(
            "SELECT seq FROM audit WHERE event LIKE '%\"event\":\"account-created\"%' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(found.is_some())
}
