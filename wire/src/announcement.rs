//! Record announcements: nothing a station can hide. When a record is sealed the station signs an
//! announcement of it (record id, SHA-256 of the sealed file, pre-request, time) and queues it in
//! the same transaction as the record; announcements are sent ahead of the records, in batches
//! (`POST` [`ANNOUNCEMENTS_ROUTE`](crate::paths::ANNOUNCEMENTS_ROUTE)). The central keeps them and
//! lists the announced records that never arrived, and refuses new pre-requests to a station whose
//! announced-but-not-received backlog is too old. Deleting queued records on the station therefore
//! leaves a trace at the central once the announcement left.

use serde::{Deserialize, Serialize};

/// First line of the string a station signs for an announcement.
pub const ANNOUNCEMENT_DOMAIN: &str = "dr-station record announcement v1";

/// At most this many announcements in one batch.
pub const MAX_ANNOUNCEMENTS_PER_BATCH: usize = 100;

/// Error code of a pre-request lookup refused because announced records of the station have not
/// arrived for too long (the central's freeze rule).
pub const BACKLOG_TOO_OLD: &str = "announced-records-missing";

/// One sealed record, as announced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordAnnouncement {
    /// The record id (UUID v4, lower-case, hyphenated).
    pub record_id: String,
    /// The station that sealed it.
    pub station_id: String,
    /// Hex SHA-256 of the sealed file, as the receipt will name it.
    pub sha256: String,
    /// The pre-request number it was taken for.
    pub pre_request: String,
    /// When it was sealed, RFC 3339 UTC.
    pub sealed_at: String,
    /// The station's signature over [`RecordAnnouncement::signed_string`], hex.
    pub signature: String,
}

impl RecordAnnouncement {
    /// The string the station signs: [`ANNOUNCEMENT_DOMAIN`] and each field but the signature,
    /// `name=value`, each line ending with `\n`.
    pub fn signed_string(&self) -> String {
        format!(
            "{ANNOUNCEMENT_DOMAIN}\nrecord_id={}\nstation_id={}\nsha256={}\npre_request={}\nsealed_at={}\n",
            self.record_id, self.station_id, self.sha256, self.pre_request, self.sealed_at
        )
    }
}

/// The body of `POST /v1/announcements`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementBatch {
    /// At most [`MAX_ANNOUNCEMENTS_PER_BATCH`].
    pub announcements: Vec<RecordAnnouncement>,
}

/// The central's answer: the record ids it now holds announcements for (all of the batch).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementAnswer {
    /// Record ids kept (or kept already).
    pub recorded: Vec<String>,
}
