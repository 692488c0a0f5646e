//! Record announcements (`wire::announcement`): a station announces each record it seals, signed
//! with its record-signing key, ahead of the record itself. The central keeps them, lists the
//! announced records that never arrived (`central records missing`), and enforces the freeze rule
//! on its side: a station whose oldest announced-but-not-received record is older than the limit
//! is refused new pre-requests, whatever the station's own outbox says.

pub mod age;

use time::OffsetDateTime;
use wire::announcement::{AnnouncementBatch, MAX_ANNOUNCEMENTS_PER_BATCH, RecordAnnouncement};

use crate::storage::{AnnouncementStored, Database, DatabaseError};

pub use age::{AgeError, parse_age};

/// How long an announced record may stay undelivered before the station is refused new
/// pre-requests: the station's own freeze limit (72 h), so that a station that deleted queued
/// records freezes as it would have had it kept them.
pub const DEFAULT_MAX_MISSING_AGE: std::time::Duration = std::time::Duration::from_secs(72 * 3600);

/// Why a batch of announcements was refused (nothing of it is kept).
#[derive(Debug, thiserror::Error)]
pub enum AnnouncementError {
    /// Empty, too many, or a field not shaped as agreed.
    #[error("malformed announcement: {0}")]
    Malformed(String),
    /// An announcement names another station than the certificate's.
    #[error("announcement for station {named} sent by station {caller}")]
    StationMismatch {
        /// The station named.
        named: String,
        /// The station of the certificate.
        caller: String,
    },
    /// The signature does not verify with the station's registered key.
    #[error("the signature of the announcement of record {0} does not verify")]
    BadSignature(String),
    /// The record id was announced before with another content.
    #[error("record {0} was announced before with another content")]
    Conflict(String),
    /// The central's database failed.
    #[error(transparent)]
    Database(#[from] DatabaseError),
}

/// RFC 3339 UTC to the second, the form times are stored and compared in.
pub fn utc_seconds(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    let at = at.replace_nanosecond(0).unwrap_or(at);
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| at.unix_timestamp().to_string())
}

fn check_one(
    db: &Database,
    caller: &str,
    announcement: &RecordAnnouncement,
) -> Result<String, AnnouncementError> {
    let malformed = |what: &str| {
        AnnouncementError::Malformed(format!("{what} of record {:?}", announcement.record_id))
    };
    if announcement.station_id != caller {
        return Err(AnnouncementError::StationMismatch {
            named: announcement.station_id.clone(),
            caller: caller.to_owned(),
        });
    }
    let id = uuid::Uuid::parse_str(&announcement.record_id).map_err(|_| malformed("record id"))?;
    if id.get_version_num() != 4 || id.hyphenated().to_string() != announcement.record_id {
        return Err(malformed("record id"));
    }
    if announcement.sha256.len() != 64
        || !announcement
            .sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(malformed("sha256"));
    }
    // A record taken from the paper form names no pre-request, and says so.
    if announcement.pre_request != wire::paper_form::NO_PRE_REQUEST {
        crate::prerequests::normalise(&announcement.pre_request)
            .map_err(|_| malformed("pre-request"))?;
    }
    let sealed_at = OffsetDateTime::parse(
        &announcement.sealed_at,
        &time::format_description::well_known::Rfc3339,
    )
    .map_err(|_| malformed("sealed_at"))?;
    let key = db
        .station_key(caller)?
        .ok_or_else(|| AnnouncementError::BadSignature(announcement.record_id.clone()))?;
    let signature = hex::decode(&announcement.signature)
        .map_err(|_| AnnouncementError::BadSignature(announcement.record_id.clone()))?;
    if !crate::stations::verify_signature(&key, announcement.signed_string().as_bytes(), &signature)
    {
        return Err(AnnouncementError::BadSignature(
            announcement.record_id.clone(),
        ));
    }
    Ok(utc_seconds(sealed_at))
}

/// Checks every announcement of `batch` from station `caller`, then keeps them all; returns their
/// record ids. A batch with one bad announcement is refused whole, so that a station sees its
/// fault at once.
pub fn receive(
    db: &Database,
    caller: &str,
    batch: &AnnouncementBatch,
    now: OffsetDateTime,
) -> Result<Vec<String>, AnnouncementError> {
    if batch.announcements.is_empty() || batch.announcements.len() > MAX_ANNOUNCEMENTS_PER_BATCH {
        return Err(AnnouncementError::Malformed(format!(
            "a batch holds 1 to {MAX_ANNOUNCEMENTS_PER_BATCH} announcements"
        )));
    }
    let checked = batch
        .announcements
        .iter()
        .map(|a| check_one(db, caller, a).map(|sealed_at| (a, sealed_at)))
        .collect::<Result<Vec<_>, _>>()?;
    let announced_at = utc_seconds(now);
    let mut recorded = Vec::with_capacity(checked.len());
    for (announcement, sealed_at) in checked {
        match db.store_announcement(announcement, &sealed_at, &announced_at)? {
            AnnouncementStored::New => {
                tracing::info!(station_id = caller, record_id = %announcement.record_id,
                    pre_request = %announcement.pre_request, %sealed_at, "record announced");
            }
            AnnouncementStored::Again => {}
            AnnouncementStored::Conflict => {
                tracing::warn!(station_id = caller, record_id = %announcement.record_id,
                    "record announced again with another content");
                return Err(AnnouncementError::Conflict(announcement.record_id.clone()));
            }
        }
        recorded.push(announcement.record_id.clone());
    }
    Ok(recorded)
}

/// When `station_id`'s oldest announced-but-not-received record was sealed, if it is older than
/// `max_age` at `now` (the station is then refused new pre-requests).
pub fn frozen_since(
    db: &Database,
    station_id: &str,
    max_age: std::time::Duration,
    now: OffsetDateTime,
) -> Result<Option<String>, DatabaseError> {
    let Some(oldest) = db.oldest_missing(station_id)? else {
        return Ok(None);
    };
    let limit = now - time::Duration::try_from(max_age).unwrap_or(time::Duration::MAX);
    Ok((oldest <= utc_seconds(limit)).then_some(oldest))
}
