//! Station registration (docs/central-api.md, "Provisioning a station"): a station's `station_id`
//! and its Ed25519 public key (32 raw bytes). Only registered stations may deliver records.

use std::path::Path;

use crate::storage::{Database, DatabaseError};

/// Why a registration was refused.
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
    /// The database failed.
    #[error(transparent)]
    Database(#[from] DatabaseError),
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

/// Registers (or re-keys) a station in an open database.
pub fn register(
    db: &Database,
    station_id: &str,
    public_key: &[u8; 32],
) -> Result<(), StationError> {
    check_station_id(station_id)?;
    db.put_station(station_id, public_key, &crate::intake::now_rfc3339())?;
    tracing::info!(station_id, public_key = %hex::encode(public_key), "station registered");
    Ok(())
}

/// Registers a station in the central whose data directory is `data_dir` (the server may be running).
pub fn register_station(
    data_dir: &Path,
    station_id: &str,
    public_key: &[u8; 32],
) -> Result<(), StationError> {
    std::fs::create_dir_all(data_dir)
        .map_err(|e| StationError::DataDir(data_dir.display().to_string(), e))?;
    let db = Database::open(data_dir)?;
    register(&db, station_id, public_key)
}

/// Whether `signature` is the registered station key's signature of `message`. The one place the
/// central checks a station's signature on a short message (the handover request), so that a change
/// of the stations' key type is made here.
pub fn verify_station_signature(station_key: &[u8; 32], message: &[u8], signature: &[u8]) -> bool {
    ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, station_key)
        .verify(message, signature)
        .is_ok()
}
