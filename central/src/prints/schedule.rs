//! When each refused record's prints are due for deletion, in their own SQLite file
//! (`DATA/prints.sqlite`) so that the intake database's schema stays as it is, and the log of what
//! the purge deleted.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, params};
use time::OffsetDateTime;

use crate::announcements::utc_seconds;
use crate::storage::DatabaseError;

/// Name of the file inside the data directory.
pub const PRINTS_FILE: &str = "prints.sqlite";

// Dates are RFC 3339 UTC to the second, all written by `utc_seconds`, so that text order is time
// order.
const SCHEMA: &str = "
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
    conn: Mutex<Connection>,
}

impl PrintsSchedule {
    /// Opens (creating if needed) `DATA/prints.sqlite`.
    pub fn open(data_dir: &Path) -> Result<Self, DatabaseError> {
        let conn = crate::storage::database::open_private(&data_dir.join(PRINTS_FILE))?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
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
        let conn = self.conn.lock().map_err(|_| DatabaseError::Poisoned)?;
        conn.execute(
            "INSERT OR IGNORE INTO refusals (record_id, pre_request, received_at, delete_after)
             VALUES (?1, ?2, ?3, ?4)",
            params![
                record_id,
                pre_request,
                utc_seconds(received_at),
                utc_seconds(received_at + super::CEILING)
            ],
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
        let due = utc_seconds(at + super::AFTER_CARD);
        {
            let conn = self.conn.lock().map_err(|_| DatabaseError::Poisoned)?;
            conn.execute(
                "UPDATE refusals SET card_event = ?2, card_event_at = ?3,
                     delete_after = min(delete_after, ?4)
                 WHERE record_id = ?1 AND card_event IS NULL",
                params![record_id, event.as_str(), utc_seconds(at), due],
            )?;
        }
        self.get(record_id)
    }

    /// Notes that the card of pre-request `number` was handed over at `at` (a matched handover),
    /// as [`Self::card_event`] does by record.
    pub fn card_issued_for(&self, number: &str, at: OffsetDateTime) -> Result<(), DatabaseError> {
        let conn = self.conn.lock().map_err(|_| DatabaseError::Poisoned)?;
        conn.execute(
            "UPDATE refusals SET card_event = ?2, card_event_at = ?3,
                 delete_after = min(delete_after, ?4)
             WHERE pre_request = ?1 AND card_event IS NULL",
            params![
                number,
                CardEvent::Issued.as_str(),
                utc_seconds(at),
                utc_seconds(at + super::AFTER_CARD)
            ],
        )?;
        Ok(())
    }

    /// A refusal's schedule, if the record has one.
    pub fn get(&self, record_id: &str) -> Result<Option<ScheduledDeletion>, DatabaseError> {
        let conn = self.conn.lock().map_err(|_| DatabaseError::Poisoned)?;
        Ok(conn
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
        let conn = self.conn.lock().map_err(|_| DatabaseError::Poisoned)?;
        let mut statement = conn.prepare(
            "SELECT record_id, pre_request, delete_after, card_event, purged_at
             FROM refusals WHERE purged_at IS NULL AND delete_after <= ?1
             ORDER BY delete_after, record_id",
        )?;
        let rows = statement.query_map(params![utc_seconds(now)], row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Notes, in one transaction, that the prints of `record_id` were deleted at `now`, and what:
    /// the payload entries removed and the template rows.
    pub fn mark_purged(
        &self,
        record_id: &str,
        now: OffsetDateTime,
        entries: &[&str],
        template_rows: usize,
    ) -> Result<(), DatabaseError> {
        let mut conn = self.conn.lock().map_err(|_| DatabaseError::Poisoned)?;
        let tx = conn.transaction()?;
        let at = utc_seconds(now);
        tx.execute(
            "UPDATE refusals SET purged_at = ?2 WHERE record_id = ?1",
            params![record_id, at],
        )?;
        tx.execute(
            "INSERT INTO purge_log (record_id, purged_at, entries, template_rows)
             VALUES (?1, ?2, ?3, ?4)",
            params![
                record_id,
                at,
                entries.join(","),
                i64::try_from(template_rows).unwrap_or(i64::MAX)
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The purge log, oldest first: `(record_id, purged_at, entries, template_rows)`.
    pub fn purge_log(&self) -> Result<Vec<(String, String, String, i64)>, DatabaseError> {
        let conn = self.conn.lock().map_err(|_| DatabaseError::Poisoned)?;
        let mut statement = conn.prepare(
            "SELECT record_id, purged_at, entries, template_rows FROM purge_log ORDER BY id",
        )?;
        let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
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
