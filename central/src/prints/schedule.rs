//! When each refused record's prints are due for deletion, and the log of what the purge deleted:
//! in their own SQLite file (`DATA/prints.sqlite`) beside the central's SQLite database, or in its
//! PostgreSQL database (`prints_refusals`, `prints_purge_log`) when the central runs there, so that
//! a purge on any replica sees every refusal any of them noted.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, params};
use time::OffsetDateTime;

use crate::announcements::utc_seconds;
use crate::storage::postgres::Postgres;
use crate::storage::{Database, DatabaseError};

/// Name of the file inside the data directory.
pub const PRINTS_FILE: &str = "prints.sqlite";

/// The schema version of `prints.sqlite` this code writes.
const SCHEMA_VERSION: i64 = 1;

/// How long a purge holds a record it claimed: one record's purge takes a moment, so a claim
/// older than this is one of a purge that stopped (killed, its machine lost), and another purge
/// takes the record over.
pub const CLAIM_LEASE: time::Duration = time::Duration::minutes(15);

// Dates are RFC 3339 UTC to the second, all written by `utc_seconds`, so that text order is time
// order.
const SCHEMA_0: &str = "
CREATE TABLE IF NOT EXISTS refusals (
    record_id     TEXT PRIMARY KEY NOT NULL,
    pre_request   TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    card_event    TEXT,
    card_event_at TEXT,
    delete_after  TEXT NOT NULL,
    purged_at     TEXT
);
CREATE TABLE IF NOT EXISTS purge_log (
    id             INTEGER PRIMARY KEY,
    record_id      TEXT NOT NULL,
    purged_at      TEXT NOT NULL,
    entries        TEXT NOT NULL,
    template_rows  INTEGER NOT NULL
);
";

// Which purge holds a record, since when: two purges at once (two centrals on one data directory)
// take each record once.
const MIGRATION_1: &str = "
ALTER TABLE refusals ADD COLUMN purging_since TEXT;
CREATE INDEX IF NOT EXISTS refusals_by_pre_request ON refusals (pre_request);
";

/// What was heard of the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardEvent {
    /// Handed to the applicant.
    Issued,
    /// Refused (not produced, or destroyed uncollected).
    Refused,
}

impl CardEvent {
    /// The word stored and logged.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Issued => "issued",
            Self::Refused => "refused",
        }
    }
}

/// One refusal's deletion date and state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledDeletion {
    /// The record.
    pub record_id: String,
    /// Its pre-request (the templates' key).
    pub pre_request: String,
    /// When the prints go, RFC 3339 UTC.
    pub delete_after: String,
    /// `issued` or `refused` once heard.
    pub card_event: Option<String>,
    /// When the purge deleted them, if it has.
    pub purged_at: Option<String>,
}

/// The open schedule; cheap to share behind an `Arc`.
#[derive(Debug)]
pub struct PrintsSchedule {
    backend: Backend,
}

#[derive(Debug)]
enum Backend {
    Sqlite(Mutex<Connection>),
    Postgres(Postgres),
}

impl PrintsSchedule {
    /// Opens (creating if needed) `DATA/prints.sqlite`.
    pub fn open(data_dir: &Path) -> Result<Self, DatabaseError> {
        let mut conn = crate::storage::database::open_private(&data_dir.join(PRINTS_FILE))?;
        conn.execute_batch(SCHEMA_0)?;
        migrate(&mut conn)?;
        Ok(Self {
            backend: Backend::Sqlite(Mutex::new(conn)),
        })
    }

    /// Opens the schedule where `db` is: its PostgreSQL database when it is on one, else
    /// `DATA/prints.sqlite`.
    pub fn open_beside(db: &Database, data_dir: &Path) -> Result<Self, DatabaseError> {
        match db.postgres() {
            Some(postgres) => Ok(Self {
                backend: Backend::Postgres(postgres.clone()),
            }),
            None => Self::open(data_dir),
        }
    }

    fn conn(&self) -> Result<std::sync::MutexGuard<'_, Connection>, DatabaseError> {
        match &self.backend {
            Backend::Sqlite(conn) => conn.lock().map_err(|_| DatabaseError::Poisoned),
            Backend::Postgres(_) => Err(DatabaseError::Pool("not an SQLite database".into())),
        }
    }

    fn postgres(&self) -> Option<&Postgres> {
        match &self.backend {
            Backend::Postgres(postgres) => Some(postgres),
            Backend::Sqlite(_) => None,
        }
    }

    /// Notes that the applicant of `record_id` refused storage, received at `received_at`: due
    /// [`super::CEILING`] later until the card is heard of. A record received again keeps its
    /// first date.
    pub fn note_refusal(
        &self,
        record_id: &str,
        pre_request: &str,
        received_at: OffsetDateTime,
    ) -> Result<(), DatabaseError> {
        let (received, due) = (
            utc_seconds(received_at),
            utc_seconds(received_at + super::CEILING),
        );
        if let Some(postgres) = self.postgres() {
            return postgres.note_refusal(record_id, pre_request, received, due);
        }
        self.conn()?.execute(
            "INSERT OR IGNORE INTO refusals (record_id, pre_request, received_at, delete_after)
             VALUES (?1, ?2, ?3, ?4)",
            params![record_id, pre_request, received, due],
        )?;
        Ok(())
    }

    /// Notes that the card of `record_id` was issued or refused at `at`: the prints are then due
    /// [`super::AFTER_CARD`] later, or at the ceiling if that is earlier. The first event counts
    /// (a second one cannot make the prints stay longer). `None` when the record's applicant did
    /// not refuse storage (nothing to schedule).
    pub fn card_event(
        &self,
        record_id: &str,
        event: CardEvent,
        at: OffsetDateTime,
    ) -> Result<Option<ScheduledDeletion>, DatabaseError> {
        self.note_card(false, record_id, event, at)?;
        self.get(record_id)
    }

    /// Notes that the card of pre-request `number` was handed over at `at` (a matched handover),
    /// as [`Self::card_event`] does by record.
    pub fn card_issued_for(&self, number: &str, at: OffsetDateTime) -> Result<(), DatabaseError> {
        self.note_card(true, number, CardEvent::Issued, at)
    }

    /// The card event on the refusals of record `key`, or of pre-request `key`.
    fn note_card(
        &self,
        by_pre_request: bool,
        key: &str,
        event: CardEvent,
        at: OffsetDateTime,
    ) -> Result<(), DatabaseError> {
        let (at, due) = (utc_seconds(at), utc_seconds(at + super::AFTER_CARD));
        if let Some(postgres) = self.postgres() {
            return postgres.card_event(by_pre_request, key, event.as_str(), at, due);
        }
        let sql = if by_pre_request {
            "UPDATE refusals SET card_event = ?2, card_event_at = ?3,
                 delete_after = min(delete_after, ?4)
             WHERE pre_request = ?1 AND card_event IS NULL"
        } else {
            "UPDATE refusals SET card_event = ?2, card_event_at = ?3,
                 delete_after = min(delete_after, ?4)
             WHERE record_id = ?1 AND card_event IS NULL"
        };
        self.conn()?
            .execute(sql, params![key, event.as_str(), at, due])?;
        Ok(())
    }

    /// A refusal's schedule, if the record has one.
    pub fn get(&self, record_id: &str) -> Result<Option<ScheduledDeletion>, DatabaseError> {
        if let Some(postgres) = self.postgres() {
            return postgres.scheduled_deletion(record_id);
        }
        Ok(self
            .conn()?
            .query_row(
                "SELECT record_id, pre_request, delete_after, card_event, purged_at
                 FROM refusals WHERE record_id = ?1",
                params![record_id],
                row,
            )
            .optional()?)
    }

    /// The refusals due at `now` whose prints are not deleted yet, oldest date first.
    pub fn due(&self, now: OffsetDateTime) -> Result<Vec<ScheduledDeletion>, DatabaseError> {
        if let Some(postgres) = self.postgres() {
            return postgres.due_deletions(utc_seconds(now));
        }
        let conn = self.conn()?;
        let mut statement = conn.prepare(
            "SELECT record_id, pre_request, delete_after, card_event, purged_at
             FROM refusals WHERE purged_at IS NULL AND delete_after <= ?1
             ORDER BY delete_after, record_id",
        )?;
        let rows = statement.query_map(params![utc_seconds(now)], row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Takes `record_id` for a purge, unless its prints are deleted already or another purge
    /// took it less than [`CLAIM_LEASE`] ago; whether this purge has it. The clock is the
    /// machine's, not the purge's date: the lease is about processes.
    pub fn claim(&self, record_id: &str) -> Result<bool, DatabaseError> {
        let now = OffsetDateTime::now_utc();
        let (now, stale) = (utc_seconds(now), utc_seconds(now - CLAIM_LEASE));
        if let Some(postgres) = self.postgres() {
            return postgres.claim_purge(record_id, now, stale);
        }
        let n = self.conn()?.execute(
            "UPDATE refusals SET purging_since = ?2
             WHERE record_id = ?1 AND purged_at IS NULL
               AND (purging_since IS NULL OR purging_since < ?3)",
            params![record_id, now, stale],
        )?;
        Ok(n == 1)
    }

    /// Notes, in one transaction, that the prints of `record_id` were deleted at `now`, and what:
    /// the payload entries removed and the template rows. A record noted already is left as it
    /// is (one entry in the log per record).
    pub fn mark_purged(
        &self,
        record_id: &str,
        now: OffsetDateTime,
        entries: &[&str],
        template_rows: usize,
    ) -> Result<(), DatabaseError> {
        let at = utc_seconds(now);
        let rows = i64::try_from(template_rows).unwrap_or(i64::MAX);
        if let Some(postgres) = self.postgres() {
            return postgres.mark_purged(record_id, at, entries.join(","), rows);
        }
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let marked = tx.execute(
            "UPDATE refusals SET purged_at = ?2, purging_since = NULL
             WHERE record_id = ?1 AND purged_at IS NULL",
            params![record_id, at],
        )?;
        if marked == 1 {
            tx.execute(
                "INSERT INTO purge_log (record_id, purged_at, entries, template_rows)
                 VALUES (?1, ?2, ?3, ?4)",
                params![record_id, at, entries.join(","), rows],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The purge log, oldest first: `(record_id, purged_at, entries, template_rows)`.
    pub fn purge_log(&self) -> Result<Vec<(String, String, String, i64)>, DatabaseError> {
        if let Some(postgres) = self.postgres() {
            return postgres.purge_log();
        }
        let conn = self.conn()?;
        let mut statement = conn.prepare(
            "SELECT record_id, purged_at, entries, template_rows FROM purge_log ORDER BY id",
        )?;
        let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// Brings `prints.sqlite` to [`SCHEMA_VERSION`], in one `IMMEDIATE` transaction that reads the
/// version inside it (two centrals opening one file at once migrate it once).
fn migrate(conn: &mut Connection) -> Result<(), DatabaseError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(DatabaseError::TooNew(version));
    }
    if version < 1 {
        tx.execute_batch(&format!("{MIGRATION_1} PRAGMA user_version = 1;"))?;
    }
    tx.commit()?;
    Ok(())
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ScheduledDeletion> {
    Ok(ScheduledDeletion {
        record_id: r.get(0)?,
        pre_request: r.get(1)?,
        delete_after: r.get(2)?,
        card_event: r.get(3)?,
        purged_at: r.get(4)?,
    })
}
