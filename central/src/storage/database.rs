//! The central's own state: registered stations, receipts issued, pre-requests consumed. In SQLite
//! (`DATA/central.sqlite`) by default: one file so that a receipt and the consumption it causes
//! commit together, and so that `central stations enrol|revoke` work while the server runs. On
//! PostgreSQL (`super::postgres`) when several replicas share the state. Every method answers the
//! same on both; the SQLite statements are here and in this folder's files, PostgreSQL's in
//! `postgres/`.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, params};

use super::postgres::Postgres;
use crate::receipts::Receipt;
use wire::sealed::{SignatureAlgorithm, StationPublicKey};

/// Name of the database file inside the data directory.
pub const DATABASE_FILE: &str = "central.sqlite";

/// The schema version this code writes.
pub const SCHEMA_VERSION: i64 = 7;

const MIGRATION_1: &str = "
CREATE TABLE stations (
    station_id TEXT PRIMARY KEY NOT NULL,
    public_key BLOB NOT NULL CHECK (length(public_key) = 32),
    added_at   TEXT NOT NULL
);
CREATE TABLE receipts (
    record_id   TEXT PRIMARY KEY NOT NULL,
    sha256      TEXT NOT NULL,
    received_at TEXT NOT NULL,
    signature   TEXT NOT NULL,
    station_id  TEXT NOT NULL,
    pre_request TEXT NOT NULL
);
CREATE TABLE consumed (
    number      TEXT PRIMARY KEY NOT NULL,
    record_id   TEXT NOT NULL,
    consumed_at TEXT NOT NULL
);
";

/// Each station's key is kept with its algorithm: stations with a key in a token sign ECDSA
/// P-256 (65-byte keys); those registered before are Ed25519. SQLite cannot drop the old length
/// check in place, so the table is rebuilt; every existing key is Ed25519.
const MIGRATION_2: &str = "
CREATE TABLE stations_2 (
    station_id TEXT PRIMARY KEY NOT NULL,
    algorithm  TEXT NOT NULL CHECK (algorithm IN ('Ed25519', 'ECDSA-P256-SHA256')),
    public_key BLOB NOT NULL CHECK (
        (algorithm = 'Ed25519' AND length(public_key) = 32)
        OR (algorithm = 'ECDSA-P256-SHA256' AND length(public_key) = 65)),
    added_at   TEXT NOT NULL
);
INSERT INTO stations_2 (station_id, algorithm, public_key, added_at)
    SELECT station_id, 'Ed25519', public_key, added_at FROM stations;
DROP TABLE stations;
ALTER TABLE stations_2 RENAME TO stations;
";

// Stations enrol with one-time codes and authenticate with certificates (docs/central-api.md,
// "Trust"): each certificate issued is kept by fingerprint, so that a revoked station or a replaced
// certificate is refused on the next request although the certificate still chains to the CA.
const MIGRATION_3: &str = "
ALTER TABLE stations ADD COLUMN town_hall TEXT;
ALTER TABLE stations ADD COLUMN revoked_at TEXT;
CREATE TABLE certificates (
    fingerprint TEXT PRIMARY KEY NOT NULL,
    serial      TEXT NOT NULL,
    station_id  TEXT NOT NULL REFERENCES stations (station_id),
    issued_at   TEXT NOT NULL,
    not_after   TEXT NOT NULL,
    replaced_at TEXT
);
CREATE INDEX certificates_by_station ON certificates (station_id);
CREATE TABLE enrolment_codes (
    code_hash  TEXT PRIMARY KEY NOT NULL,
    station_id TEXT NOT NULL,
    town_hall  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
";

// Records announced by stations when sealed (docs/central-api.md, "Announcements"): an announced
// record with no receipt is one the station has not delivered, or has lost or deleted.
const MIGRATION_4: &str = "
CREATE TABLE announcements (
    record_id    TEXT PRIMARY KEY NOT NULL,
    station_id   TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    pre_request  TEXT NOT NULL,
    sealed_at    TEXT NOT NULL,
    signature    TEXT NOT NULL,
    announced_at TEXT NOT NULL
);
CREATE INDEX announcements_by_station ON announcements (station_id, sealed_at);
";

// The last audit checkpoint accepted from each station (docs/central-api.md, "Audit
// checkpoints"): an upload carrying an older one is refused.
const MIGRATION_5: &str = "
CREATE TABLE audit_checkpoints (
    station_id  TEXT PRIMARY KEY NOT NULL,
    seq         INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    signature   TEXT NOT NULL,
    accepted_at TEXT NOT NULL
);
";

// Records taken without a pre-request keep the paper form the clerk typed
// (docs/record-format.md, "Without a pre-request").
const MIGRATION_6: &str = "
CREATE TABLE paper_forms (
    record_id   TEXT PRIMARY KEY NOT NULL,
    station_id  TEXT NOT NULL,
    paper_form  TEXT NOT NULL,
    received_at TEXT NOT NULL
);
";

/// A failure of the central's database.
#[derive(Debug, thiserror::Error)]
pub enum DatabaseError {
    /// SQLite reported an error.
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A pragma did not take the value we set.
    #[error("database pragma {name} is {actual}, expected {expected}")]
    Pragma {
        /// The pragma.
        name: &'static str,
        /// What SQLite reports.
        actual: String,
        /// What we asked for.
        expected: &'static str,
    },
    /// The database was written by a newer version of the central.
    #[error("database schema version {0} is newer than this program ({SCHEMA_VERSION})")]
    TooNew(i64),
    /// A stored value is not what we wrote.
    #[error("database holds an invalid value: {0}")]
    Corrupt(String),
    /// Another thread panicked while holding the connection.
    #[error("database connection poisoned")]
    Poisoned,
    /// The database file could not be created with its private mode.
    #[error("database file {path}: {source}")]
    File {
        /// The file.
        path: std::path::PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The key the templates are encrypted with.
    #[error(transparent)]
    TemplateKey(#[from] crate::templates::sealing::SealingError),
    /// PostgreSQL reported an error.
    #[error("database: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    /// No connection to PostgreSQL could be had.
    #[error("database connection: {0}")]
    Pool(String),
    /// The PostgreSQL URL could not be read.
    #[error("database URL: {0}")]
    Url(String),
    /// The record already has a receipt: another intake of it committed first.
    #[error("record {0} already has a receipt")]
    AlreadyReceived(String),
    /// The pre-request was consumed by another record, which committed first.
    #[error("pre-request {0} already consumed by another record")]
    AlreadyConsumed(String),
    /// The tax stamp paid for another record, which committed first.
    #[error("tax stamp already used by another record")]
    StampAlreadyUsed,
}

/// Where the central keeps its state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum DatabaseChoice {
    /// SQLite files in the data directory: the embedded default, for one central.
    #[default]
    Sqlite,
    /// A PostgreSQL server (`postgres://…` or `host=… dbname=…`), shared by several replicas.
    Postgres(String),
}

impl DatabaseChoice {
    /// From `--database`: absent is SQLite.
    pub fn from_url(url: Option<&str>) -> Self {
        match url {
            Some(url) if !url.is_empty() => Self::Postgres(url.to_owned()),
            _ => Self::Sqlite,
        }
    }
}

/// Opens an SQLite file of the data directory: created empty with mode 0600 first (SQLite gives its
/// journals the database's mode), WAL, `synchronous=FULL`, and `secure_delete` so that a row
/// deleted or replaced is overwritten with zeros rather than left in a free page.
pub fn open_private(path: &Path) -> Result<Connection, DatabaseError> {
    crate::storage::private::precreate(path).map_err(|source| DatabaseError::File {
        path: path.to_path_buf(),
        source,
    })?;
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    set_checked(&conn, "journal_mode", "wal")?;
    set_checked(&conn, "synchronous", "2")?;
    set_checked(&conn, "secure_delete", "1")?;
    Ok(conn)
}

/// The open database; cheap to share behind an `Arc`.
#[derive(Debug)]
pub struct Database {
    backend: Backend,
}

#[derive(Debug)]
enum Backend {
    /// One connection: SQLite has one writer at a time anyway, and a call holds it for
    /// microseconds.
    Sqlite(Mutex<Connection>),
    Postgres(Postgres),
}

impl Database {
    /// Opens (creating if needed) `DATA/central.sqlite`, sets and checks pragmas, migrates.
    pub fn open(data_dir: &Path) -> Result<Self, DatabaseError> {
        // Several centrals opening one new file at once: while one switches it to WAL, SQLite can
        // answer another "busy" at once, without waiting out the busy timeout (seen with eight at
        // once on a loaded machine). Opening again a little later finds the file set up.
        let mut attempt: u64 = 0;
        loop {
            match Self::open_once(data_dir) {
                Err(DatabaseError::Sqlite(e))
                    if attempt < 5
                        && e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) =>
                {
                    attempt += 1;
                    let jitter = rand::random::<u64>() % 50;
                    std::thread::sleep(std::time::Duration::from_millis(50 * attempt + jitter));
                }
                other => return other,
            }
        }
    }

    fn open_once(data_dir: &Path) -> Result<Self, DatabaseError> {
        let conn = open_private(&data_dir.join(DATABASE_FILE))?;
        set_checked(&conn, "foreign_keys", "1")?;
        migrate(&conn)?;
        Ok(Self {
            backend: Backend::Sqlite(Mutex::new(conn)),
        })
    }

    /// Opens the database chosen: SQLite in `data_dir`, or PostgreSQL (migrated if needed).
    pub fn open_with(data_dir: &Path, choice: &DatabaseChoice) -> Result<Self, DatabaseError> {
        match choice {
            DatabaseChoice::Sqlite => Self::open(data_dir),
            DatabaseChoice::Postgres(url) => Ok(Self {
                backend: Backend::Postgres(Postgres::connect(url)?),
            }),
        }
    }

    /// The PostgreSQL database, when the state is there.
    pub(crate) fn postgres(&self) -> Option<&Postgres> {
        match &self.backend {
            Backend::Postgres(postgres) => Some(postgres),
            Backend::Sqlite(_) => None,
        }
    }

    /// Runs `f` on the SQLite connection; each method asks [`Self::postgres`] first.
    pub(crate) fn with<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, DatabaseError>,
    ) -> Result<T, DatabaseError> {
        let Backend::Sqlite(conn) = &self.backend else {
            return Err(DatabaseError::Pool("not an SQLite database".into()));
        };
        let mut conn = conn.lock().map_err(|_| DatabaseError::Poisoned)?;
        f(&mut conn)
    }

    /// The public key of a registered station, with its algorithm.
    pub fn station_key(&self, station_id: &str) -> Result<Option<StationPublicKey>, DatabaseError> {
        if let Some(pg) = self.postgres() {
            return pg.station_key(station_id);
        }
        self.with(|c| {
            let key: Option<(String, Vec<u8>)> = c
                .query_row(
                    "SELECT algorithm, public_key FROM stations WHERE station_id = ?1",
                    params![station_id],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?;
            key.map(|(algorithm, key)| stored_key(station_id, &algorithm, key))
                .transpose()
        })
    }

    /// The receipt already issued for a record, if any.
    pub fn receipt(&self, record_id: &str) -> Result<Option<Receipt>, DatabaseError> {
        if let Some(pg) = self.postgres() {
            return pg.receipt(record_id);
        }
        self.with(|c| {
            Ok(c.query_row(
                "SELECT record_id, sha256, received_at, signature FROM receipts WHERE record_id = ?1",
                params![record_id],
                |row| {
                    Ok(Receipt {
                        record_id: row.get(0)?,
                        sha256: row.get(1)?,
                        received_at: row.get(2)?,
                        signature: row.get(3)?,
                    })
                },
            )
            .optional()?)
        })
    }

    /// The record that consumed a pre-request, if one did.
    pub fn consumed_by(&self, number: &str) -> Result<Option<String>, DatabaseError> {
        if let Some(pg) = self.postgres() {
            return pg.consumed_by(number);
        }
        self.with(|c| {
            Ok(c.query_row(
                "SELECT record_id FROM consumed WHERE number = ?1",
                params![number],
                |row| row.get(0),
            )
            .optional()?)
        })
    }

    /// Records the receipt, marks the pre-request consumed and the tax stamp (if any) used, in one
    /// transaction: a stamp already used fails it whole, receipt included.
    pub fn commit_intake(
        &self,
        receipt: &Receipt,
        station_id: &str,
        pre_request: &str,
        tax_stamp: Option<&str>,
    ) -> Result<(), DatabaseError> {
        if let Some(pg) = self.postgres() {
            return pg.commit_intake(receipt, station_id, pre_request, tax_stamp);
        }
        self.with(|c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            insert_receipt(&tx, receipt, station_id, pre_request)?;
            // A pre-request consumed already fails the whole intake: the check before the
            // commit may have raced another record on another replica.
            tx.execute(
                "INSERT INTO consumed (number, record_id, consumed_at) VALUES (?1, ?2, ?3)",
                params![pre_request, receipt.record_id, receipt.received_at],
            )
            .map_err(|e| on_constraint(e, || DatabaseError::AlreadyConsumed(pre_request.into())))?;
            if let Some(number) = tax_stamp {
                super::tax_stamps::insert_use(&tx, number, receipt)?;
            }
            tx.commit()?;
            Ok(())
        })
    }

    /// How many receipts were issued.
    pub fn receipt_count(&self) -> Result<u64, DatabaseError> {
        if let Some(pg) = self.postgres() {
            return pg.receipt_count();
        }
        self.with(|c| {
            let n: i64 = c.query_row("SELECT count(*) FROM receipts", [], |row| row.get(0))?;
            Ok(u64::try_from(n).unwrap_or(0))
        })
    }
}

/// Writes `receipt` in the receipts table, inside the caller's transaction: every intake (with a
/// pre-request or from the paper form) records its receipt the same way.
pub(super) fn insert_receipt(
    tx: &rusqlite::Transaction<'_>,
    receipt: &crate::receipts::Receipt,
    station_id: &str,
    pre_request: &str,
) -> Result<(), DatabaseError> {
    tx.execute(
        "INSERT INTO receipts (record_id, sha256, received_at, signature, station_id, pre_request)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            receipt.record_id,
            receipt.sha256,
            receipt.received_at,
            receipt.signature,
            station_id,
            pre_request
        ],
    )
    .map_err(|e| {
        on_constraint(e, || {
            DatabaseError::AlreadyReceived(receipt.record_id.clone())
        })
    })?;
    Ok(())
}

/// `typed` when `error` is a broken primary key or unique constraint, as PostgreSQL's side tells
/// them too.
pub(super) fn on_constraint(
    error: rusqlite::Error,
    typed: impl FnOnce() -> DatabaseError,
) -> DatabaseError {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => typed(),
        _ => error.into(),
    }
}

fn set_checked(
    conn: &Connection,
    name: &'static str,
    expected: &'static str,
) -> Result<(), DatabaseError> {
    // A misspelt pragma is silently ignored, so read each back (Mozilla's pragma_update_and_check;
    // some pragmas answer the update with no row, hence a separate query).
    conn.pragma_update(None, name, expected)?;
    let actual: String = conn.pragma_query_value(None, name, |row| {
        row.get::<_, rusqlite::types::Value>(0).map(|v| match v {
            rusqlite::types::Value::Integer(i) => i.to_string(),
            rusqlite::types::Value::Text(t) => t,
            other => format!("{other:?}"),
        })
    })?;
    if actual.eq_ignore_ascii_case(expected) {
        Ok(())
    } else {
        Err(DatabaseError::Pragma {
            name,
            actual,
            expected,
        })
    }
}

/// A key as stored, checked against its algorithm.
pub(crate) fn stored_key(
    station_id: &str,
    algorithm: &str,
    key: Vec<u8>,
) -> Result<StationPublicKey, DatabaseError> {
    let corrupt = || DatabaseError::Corrupt(format!("key of station {station_id}"));
    let algorithm = SignatureAlgorithm::from_name(algorithm).ok_or_else(corrupt)?;
    StationPublicKey::new(algorithm, key).map_err(|_| corrupt())
}

fn has_column(conn: &Connection, table: &str, column: &str) -> Result<bool, DatabaseError> {
    let mut statement = conn.prepare(&format!("PRAGMA table_info({table})"))?;
    let names = statement.query_map([], |row| row.get::<_, String>(1))?;
    for name in names {
        if name? == column {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Runs the migrations in one `IMMEDIATE` transaction, the version read inside it: two centrals
/// opening a new file at once would otherwise both read version 0 and the second fail on tables
/// the first had just made. A failed step rolls every step back.
fn migrate(conn: &Connection) -> Result<(), DatabaseError> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    match migrate_in_transaction(conn) {
        Ok(()) => Ok(conn.execute_batch("COMMIT")?),
        Err(e) => {
            // The error to report is the step's; a failed rollback leaves nothing committed.
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

fn migrate_in_transaction(conn: &Connection) -> Result<(), DatabaseError> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(DatabaseError::TooNew(version));
    }
    if version < 1 {
        conn.execute_batch(&format!("{MIGRATION_1} PRAGMA user_version = 1;"))?;
    }
    if version < 2 {
        conn.execute_batch(&format!("{MIGRATION_2} PRAGMA user_version = 2;"))?;
    }
    if version == 2 && has_column(conn, "stations", "town_hall")? {
        // Before the merge, the mutual-TLS work numbered its enrolment tables 2 as well; such a
        // database has no key algorithms and is not the schema 2 migrated from here. Only
        // development centrals can hold one: say so rather than fail half-way through 3.
        return Err(DatabaseError::Corrupt(
            "schema 2 with enrolment tables but no key algorithms (written by a development build              of mutual TLS before it met key algorithms): start from a new data directory"
                .into(),
        ));
    }
    if version < 3 {
        conn.execute_batch(&format!("{MIGRATION_3} PRAGMA user_version = 3;"))?;
    }
    if version < 4 {
        conn.execute_batch(&format!("{MIGRATION_4} PRAGMA user_version = 4;"))?;
    }
    if version < 5 {
        conn.execute_batch(&format!("{MIGRATION_5} PRAGMA user_version = 5;"))?;
    }
    if version < 6 {
        conn.execute_batch(&format!("{MIGRATION_6} PRAGMA user_version = 6;"))?;
    }
    if version < 7 {
        let migration = super::tax_stamps::MIGRATION;
        conn.execute_batch(&format!("{migration} PRAGMA user_version = 7;"))?;
    }
    Ok(())
}
