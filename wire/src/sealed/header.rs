//! The sealed record's clear header: who sealed what, when, to which central key.

use serde::{Deserialize, Serialize};

/// The header JSON. Exactly these fields, in this order: the bytes are the HPKE aad and are signed,
/// so an unknown field is refused rather than carried along unchecked. `signature_algorithm` is
/// absent from records sealed before it existed, which were all Ed25519: left out when `None`, so
/// that their bytes read back unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordHeader {
    /// UUID v4, also the upload's path segment.
    pub record_id: String,
    /// The sealing station.
    pub station_id: String,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// Always [`SUITE`](super::SUITE).
    pub suite: String,
    /// Hex SHA-256 of the central's HPKE public key.
    pub central_key_id: String,
    /// The algorithm of the station signature at the end of the file; `None` (absent) means
    /// Ed25519. New records always name it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_algorithm: Option<super::SignatureAlgorithm>,
}

impl RecordHeader {
    /// The algorithm the station signed with: as named, or Ed25519 for a record from before the
    /// header named it.
    pub fn signature_algorithm(&self) -> super::SignatureAlgorithm {
        self.signature_algorithm
            .unwrap_or(super::SignatureAlgorithm::Ed25519)
    }

    /// The header bytes as written in the file: compact JSON, no whitespace.
    pub fn to_json_bytes(&self) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec(self)
    }

    /// The file's first bytes for this header (magic ‖ header length ‖ header JSON): the HPKE aad.
    pub fn aad(&self) -> Result<Vec<u8>, HeaderTooLong> {
        let json = self.to_json_bytes().map_err(|_| HeaderTooLong)?;
        if json.len() > super::MAX_HEADER_LENGTH {
            return Err(HeaderTooLong);
        }
        let length = u32::try_from(json.len()).map_err(|_| HeaderTooLong)?;
        let mut aad = Vec::with_capacity(super::HEADER_OFFSET + json.len());
        aad.extend_from_slice(super::MAGIC);
        aad.extend_from_slice(&length.to_be_bytes());
        aad.extend_from_slice(&json);
        Ok(aad)
    }
}

/// The header does not fit the framing (over [`MAX_HEADER_LENGTH`](super::MAX_HEADER_LENGTH)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the record header is longer than the framing allows")]
pub struct HeaderTooLong;
