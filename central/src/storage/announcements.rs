//! The announcements table: what stations said they sealed, and which of it never arrived (an
//! announcement with no receipt for its record id).

use rusqlite::{OptionalExtension, params};
use wire::announcement::RecordAnnouncement;

use super::{Database, DatabaseError};

/// What storing one announcement did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnouncementStored {
    /// First time seen.
    New,
    /// Seen before with the same content (a station sending again after a lost answer).
    Again,
    /// The record id was announced before with another content: the first one stays.
    Conflict,
}

/// An announced record that never arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingRecord {
    /// Record id.
    pub record_id: String,
    /// The station that announced it.
    pub station_id: String,
    /// The pre-request it was taken for.
    pub pre_request: String,
    /// When the station sealed it, RFC 3339 UTC.
    pub sealed_at: String,
    /// Hex SHA-256 of the sealed file as announced.
    pub sha256: String,
}

impl Database {
    /// Keeps an announcement whose signature was checked; `sealed_at` normalised to RFC 3339 UTC
    /// to the second, so that times compare as text.
    pub fn store_announcement(
        &self,
        announcement: &RecordAnnouncement,
        sealed_at: &str,
        announced_at: &str,
    ) -> Result<AnnouncementStored, DatabaseError> {
        if let Some(pg) = self.postgres() {
            return pg.store_announcement(announcement, sealed_at, announced_at);
        }
        self.with(|c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let existing: Option<(String, String, String, String)> = tx
                .query_row(
                    "SELECT station_id, sha256, pre_request, sealed_at FROM announcements
                     WHERE record_id = ?1",
                    params![announcement.record_id],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
                )
                .optional()?;
            let stored = match existing {
                Some(row)
                    if row
                        == (
                            announcement.station_id.clone(),
                            announcement.sha256.clone(),
                            announcement.pre_request.clone(),
                            sealed_at.to_owned(),
                        ) =>
                {
                    AnnouncementStored::Again
                }
                Some(_) => AnnouncementStored::Conflict,
                None => {
                    tx.execute(
                        "INSERT INTO announcements
                         (record_id, station_id, sha256, pre_request, sealed_at, signature, announced_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        params![
                            announcement.record_id,
                            announcement.station_id,
                            announcement.sha256,
                            announcement.pre_request,
                            sealed_at,
                            announcement.signature,
                            announced_at
                        ],
                    )?;
                    AnnouncementStored::New
                }
            };
            tx.commit()?;
            Ok(stored)
        })
    }

    /// Announced records with no receipt, sealed at or before `sealed_before` (RFC 3339 UTC),
    /// oldest first.
    pub fn missing_records(
        &self,
        sealed_before: &str,
    ) -> Result<Vec<MissingRecord>, DatabaseError> {
        if let Some(pg) = self.postgres() {
            return pg.missing_records(sealed_before);
        }
        self.with(|c| {
            let mut statement = c.prepare(
                "SELECT a.record_id, a.station_id, a.pre_request, a.sealed_at, a.sha256
                 FROM announcements a LEFT JOIN receipts r ON r.record_id = a.record_id
                 WHERE r.record_id IS NULL AND a.sealed_at <= ?1
                 ORDER BY a.sealed_at, a.record_id",
            )?;
            let rows = statement.query_map(params![sealed_before], |row| {
                Ok(MissingRecord {
                    record_id: row.get(0)?,
                    station_id: row.get(1)?,
                    pre_request: row.get(2)?,
                    sealed_at: row.get(3)?,
                    sha256: row.get(4)?,
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    /// When the oldest record `station_id` announced and did not deliver was sealed, if any.
    pub fn oldest_missing(&self, station_id: &str) -> Result<Option<String>, DatabaseError> {
        if let Some(pg) = self.postgres() {
            return pg.oldest_missing(station_id);
        }
        self.with(|c| {
            Ok(c.query_row(
                "SELECT min(a.sealed_at)
                 FROM announcements a LEFT JOIN receipts r ON r.record_id = a.record_id
                 WHERE r.record_id IS NULL AND a.station_id = ?1",
                params![station_id],
                |row| row.get::<_, Option<String>>(0),
            )?)
        })
    }
}
