//! The central's receipt for a stored record, and the canonical string its signature covers.

use serde::{Deserialize, Serialize};

/// First line of the canonical string a receipt signature covers.
pub const RECEIPT_DOMAIN: &str = "dr-central receipt v1";

/// A receipt as the central sends it (`PUT /v1/records/{record_id}`, 200) and as the station keeps
/// it in its outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The record's UUID, lower-case hyphenated, as in the request path and the record header.
    pub record_id: String,
    /// Hex SHA-256 of the sealed bytes exactly as received.
    pub sha256: String,
    /// When the central stored the record, RFC 3339 UTC to the second, with `Z`.
    pub received_at: String,
    /// Hex of the 64-byte Ed25519 signature by the central's receipt key over
    /// [`Receipt::canonical_string`].
    pub signature: String,
}

/// The UTF-8 string the receipt key signs: the domain line, then `record_id=`, `sha256=` and
/// `received_at=` lines, each line ending with `\n`, the last one included.
pub fn canonical_string(record_id: &str, sha256: &str, received_at: &str) -> String {
    format!("{RECEIPT_DOMAIN}\nrecord_id={record_id}\nsha256={sha256}\nreceived_at={received_at}\n")
}

impl Receipt {
    /// The canonical string of this receipt's fields (see [`canonical_string`]).
    pub fn canonical_string(&self) -> String {
        canonical_string(&self.record_id, &self.sha256, &self.received_at)
    }

    /// The receipt as JSON: compact, fields in declaration order (the answer's body and the
    /// outbox's copy).
    pub fn to_json(&self) -> String {
        // A struct of four strings always serialises.
        serde_json::to_string(self).unwrap_or_default()
    }
}
