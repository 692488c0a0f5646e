//! Opening the outbox database: pragmas set outside any transaction and checked, migrations in one
//! transaction, a newer schema refused (after Mozilla application-services' `open_database.rs`).

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use super::OutboxError;

/// The schema, one entry per version; entry `i` takes the database from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE records (
    seq                 INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id           TEXT NOT NULL UNIQUE,
    pre_request         TEXT,
    state               TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'acknowledged', 'purged')),
    sha256              TEXT NOT NULL,
    size                INTEGER NOT NULL,
    queued_at_ms        INTEGER NOT NULL,
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at_ms  INTEGER NOT NULL DEFAULT 0,
    last_error          TEXT,
    receipt             TEXT,
    acknowledged_at_ms  INTEGER,
    purged_at_ms        INTEGER,
    CHECK ((state IN ('acknowledged', 'purged')) = (receipt IS NOT NULL))
);
-- The sealed bytes apart, so that counting and claiming never read through large blobs; a row
-- here exists exactly while its record is not purged.
CREATE TABLE sealed_records (
    seq     INTEGER PRIMARY KEY REFERENCES records (seq),
    sealed  BLOB NOT NULL
);
-- Covers the uploader's claim: due records of a state in queue order, without touching the rows.
CREATE INDEX records_due ON records (state, seq, next_attempt_at_ms);
"#,
    r#"
-- Each sealed record's signed announcement (wire::announcement), queued in the record's own
-- transaction and sent ahead of it; sent_at_ms is set once the central kept it. Deleting a queued
-- record does not take back an announcement already sent.
CREATE TABLE announcements (
    record_id     TEXT PRIMARY KEY NOT NULL,
    announcement  TEXT NOT NULL,
    queued_at_ms  INTEGER NOT NULL,
    sent_at_ms    INTEGER
);
CREATE INDEX announcements_unsent ON announcements (queued_at_ms) WHERE sent_at_ms IS NULL;
"#,
    r#"
-- After the receipt, a keyed hash of the pre-request number (number_tag) replaces the number.
ALTER TABLE records ADD COLUMN pre_request_mac TEXT;
CREATE INDEX records_pre_request_mac ON records (pre_request_mac) WHERE pre_request_mac IS NOT NULL;
"#,
    r#"
-- Supervisor review: a record with an exception waits 'awaiting_approval' (never claimed) until a
-- supervisor approves it (it becomes 'queued') or rejects it ('rejected': sealed bytes deleted, the
-- row kept as the trace). SQLite cannot change a CHECK constraint in place: the table is rebuilt
-- with the same seq values (the sealed bytes are keyed by them) and its indices recreated. The
-- sealed bytes' table is rebuilt too, referencing the new table: with foreign keys on, dropping a
-- table still referenced fails, and renaming the new table carries the reference along.
CREATE TABLE records_v4 (
    seq                 INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id           TEXT NOT NULL UNIQUE,
    pre_request         TEXT,
    state               TEXT NOT NULL CHECK (state IN ('awaiting_approval', 'queued', 'sending',
                                                      'acknowledged', 'purged', 'rejected')),
    sha256              TEXT NOT NULL,
    size                INTEGER NOT NULL,
    queued_at_ms        INTEGER NOT NULL,
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at_ms  INTEGER NOT NULL DEFAULT 0,
    last_error          TEXT,
    receipt             TEXT,
    acknowledged_at_ms  INTEGER,
    purged_at_ms        INTEGER,
    pre_request_mac     TEXT,
    -- What needs a supervisor's look (review::ExceptionKind words, comma-separated); NULL for a
    -- record without exception.
    review              TEXT,
    decided_by          TEXT,
    decision_reason     TEXT,
    decided_at_ms       INTEGER,
    CHECK ((state IN ('acknowledged', 'purged')) = (receipt IS NOT NULL)),
    CHECK ((state IN ('awaiting_approval', 'rejected')) <= (review IS NOT NULL))
);
INSERT INTO records_v4 (seq, record_id, pre_request, state, sha256, size, queued_at_ms, attempts,
                        next_attempt_at_ms, last_error, receipt, acknowledged_at_ms, purged_at_ms,
                        pre_request_mac)
    SELECT seq, record_id, pre_request, state, sha256, size, queued_at_ms, attempts,
           next_attempt_at_ms, last_error, receipt, acknowledged_at_ms, purged_at_ms,
           pre_request_mac FROM records;
CREATE TABLE sealed_records_v4 (
    seq     INTEGER PRIMARY KEY REFERENCES records_v4 (seq),
    sealed  BLOB NOT NULL
);
INSERT INTO sealed_records_v4 (seq, sealed) SELECT seq, sealed FROM sealed_records;
-- The sequence goes along: a number given once (a row since forgotten) is not given again.
DELETE FROM sqlite_sequence WHERE name = 'records_v4';
INSERT INTO sqlite_sequence (name, seq) SELECT 'records_v4', seq FROM sqlite_sequence WHERE name = 'records';
DROP TABLE sealed_records;
DROP TABLE records;
ALTER TABLE records_v4 RENAME TO records;
ALTER TABLE sealed_records_v4 RENAME TO sealed_records;
CREATE INDEX records_due ON records (state, seq, next_attempt_at_ms);
CREATE INDEX records_pre_request_mac ON records (pre_request_mac) WHERE pre_request_mac IS NOT NULL;
"#,
];

/// Opens the database file with the outbox pragmas and the current schema.
pub fn open(path: &Path) -> Result<Connection, OutboxError> {
    let mut conn = open_private(path)?;
    apply_pragmas(&conn)?;
    migrate(&mut conn, MIGRATIONS)?;
    Ok(conn)
}

/// Opens (or creates) a station database file, created 0600 before SQLite opens it: SQLite gives
/// its -wal, -shm and -journal files the database file's mode, so they are private too.
pub fn open_private(path: &Path) -> rusqlite::Result<Connection> {
    crate::files::create_private_file(path).map_err(|e| {
        rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
            Some(e.to_string()),
        )
    })?;
    Connection::open(path)
}

/// Sets the durability and privacy pragmas and reads each back. Outside any transaction: SQLite
/// ignores some pragmas inside one.
pub fn apply_pragmas(conn: &Connection) -> Result<(), OutboxError> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    set_and_check(conn, "journal_mode", "WAL", "wal")?;
    set_and_check(conn, "synchronous", "FULL", "2")?;
    // Freed pages (purged records) are overwritten with zeros.
    set_and_check(conn, "secure_delete", "ON", "1")?;
    // Temporary tables and indices stay in memory, never in a temp file.
    set_and_check(conn, "temp_store", "MEMORY", "2")?;
    Ok(())
}

fn set_and_check(
    conn: &Connection,
    name: &'static str,
    value: &str,
    expected: &str,
) -> Result<(), OutboxError> {
    // Some pragmas answer with a row when set; consume it whatever it is.
    let mut stmt = conn.prepare(&format!("PRAGMA {name} = {value}"))?;
    let mut rows = stmt.query([])?;
    while rows.next()?.is_some() {}
    let actual: String = conn.query_row(&format!("PRAGMA {name}"), [], |row| {
        let v: rusqlite::types::Value = row.get(0)?;
        Ok(match v {
            rusqlite::types::Value::Integer(i) => i.to_string(),
            rusqlite::types::Value::Text(t) => t.to_lowercase(),
            other => format!("{other:?}"),
        })
    })?;
    if actual != expected {
        return Err(OutboxError::Pragma {
            name,
            expected: expected.to_owned(),
            actual,
        });
    }
    Ok(())
}

/// Refuses, for a read-only reader, a schema other than this code's: a newer one it does not know,
/// an older one it may not migrate (that is the station's job when it starts), either of which
/// would otherwise fail later on a missing column.
pub fn check_readable(conn: &Connection) -> Result<(), OutboxError> {
    let supported = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > supported {
        return Err(OutboxError::NewerSchema { found, supported });
    }
    if found < supported {
        return Err(OutboxError::OlderSchema { found, supported });
    }
    Ok(())
}

/// Brings the schema up to `migrations.len()` in one IMMEDIATE transaction (all or nothing), or
/// refuses a database newer than the code.
pub fn migrate(conn: &mut Connection, migrations: &[&str]) -> Result<(), OutboxError> {
    let supported = i64::try_from(migrations.len()).unwrap_or(i64::MAX);
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > supported {
        return Err(OutboxError::NewerSchema { found, supported });
    }
    if found == supported {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for (version, sql) in migrations
        .iter()
        .enumerate()
        .skip(usize::try_from(found).unwrap_or(0))
    {
        tx.execute_batch(sql)?;
        tracing::info!(version = version + 1, "outbox schema migrated");
    }
    tx.pragma_update(None, "user_version", supported)?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn failed_migration_rolls_back_and_newer_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("o.sqlite");
        let mut conn = Connection::open(&path).unwrap();
        apply_pragmas(&conn).unwrap();
        let broken = [
            MIGRATIONS[0],
            MIGRATIONS[1],
            "CREATE TABLE extra (x); THIS IS NOT SQL;",
        ];
        assert!(migrate(&mut conn, &broken).is_err());
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, 0);
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('records', 'sealed_records', 'extra')", [], |r| r.get(0))
            .unwrap();
        assert_eq!(tables, 0, "the failed migration left tables behind");
        migrate(&mut conn, MIGRATIONS).unwrap();
        conn.pragma_update(None, "user_version", 7).unwrap();
        drop(conn);
        // The version this code knows is the number of its migrations, whatever that number is.
        let known = MIGRATIONS.len() as i64;
        assert!(matches!(
            open(&path),
            Err(OutboxError::NewerSchema { found: 7, supported }) if supported == known
        ));
    }

    /// The supervisor-review migration rebuilds the records table: rows, their sealed bytes and
    /// the sequence survive, and the new states are accepted.
    #[test]
    fn version_4_keeps_the_rows_of_version_3() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("o.sqlite");
        let mut conn = Connection::open(&path).unwrap();
        apply_pragmas(&conn).unwrap();
        migrate(&mut conn, &MIGRATIONS[..3]).unwrap();
        conn.execute_batch(
            "INSERT INTO records (record_id, pre_request, state, sha256, size, queued_at_ms)
             VALUES ('a', 'AB12CD34EF', 'queued', 'h', 3, 1), ('b', NULL, 'queued', 'h', 3, 2);
             INSERT INTO sealed_records (seq, sealed) VALUES (1, x'010203'), (2, x'040506');
             DELETE FROM sealed_records WHERE seq = 2; DELETE FROM records WHERE seq = 2;",
        )
        .unwrap();
        migrate(&mut conn, MIGRATIONS).unwrap();
        assert_eq!(MIGRATIONS.len(), 4);
        let (id, sealed): (String, Vec<u8>) = conn
            .query_row(
                "SELECT r.record_id, s.sealed FROM records r JOIN sealed_records s ON s.seq = r.seq",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((id.as_str(), sealed), ("a", vec![1, 2, 3]));
        conn.execute(
            "INSERT INTO records (record_id, state, sha256, size, queued_at_ms, review)
             VALUES ('c', 'awaiting_approval', 'h', 3, 3, 'paper-photo')",
            [],
        )
        .unwrap();
        let seq: i64 = conn
            .query_row("SELECT seq FROM records WHERE record_id = 'c'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(seq, 3, "a deleted row's seq is never given again");
        assert!(
            conn.execute(
                "INSERT INTO records (record_id, state, sha256, size, queued_at_ms)
                 VALUES ('d', 'awaiting_approval', 'h', 3, 3)",
                [],
            )
            .is_err(),
            "a waiting record says what it waits for"
        );
        let indices: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN ('records_due', 'records_pre_request_mac')", [], |r| r.get(0))
            .unwrap();
        assert_eq!(indices, 2);
        let reference: String = conn
            .query_row(
                "SELECT \"table\" FROM pragma_foreign_key_list('sealed_records')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(reference, "records");
    }
}
