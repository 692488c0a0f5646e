//! Station ids and record-signing keys (docs/central-api.md, "Provisioning a station"): a station's
//! `station_id` and its Ed25519 public key (32 raw bytes), registered at enrolment
//! (`crate::enrolment`). Only enrolled stations may deliver records.

/// Why a station id or key was refused.
#[derive(Debug, thiserror::Error)]
pub enum StationError {
    /// The station id is empty, too long or holds characters other than `A-Za-z0-9._-`.
    #[error("station id {0:?}: use 1 to 64 characters among A-Z a-z 0-9 . _ -")]
    BadId(String),
    /// The key is not 64 hex digits, or is not a valid Ed25519 point.
    #[error("station public key: {0}")]
    BadKey(String),
    /// The data directory could not be created.
    #[error("data directory {0}: {1}")]
    DataDir(String, std::io::Error),
}

/// Checks a station id.
pub fn check_station_id(id: &str) -> Result<(), StationError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(StationError::BadId(id.into()))
    }
}

/// Parses a station public key given as 64 hex digits.
pub fn parse_public_key(text: &str) -> Result<[u8; 32], StationError> {
    let bytes = hex::decode(text.trim()).map_err(|e| StationError::BadKey(e.to_string()))?;
    <[u8; 32]>::try_from(bytes.as_slice())
        .map_err(|_| StationError::BadKey(format!("{} bytes, expected 32", bytes.len())))
}
