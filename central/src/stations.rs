//! Station ids and record-signing keys (docs/central-api.md, "Provisioning a station"): a station's
//! `station_id` and its public key with its algorithm (ECDSA P-256 for a key in a token, 65 bytes;
//! Ed25519 for a development file key and stations registered before, 32 bytes), registered at
//! enrolment (`crate::enrolment`). Only enrolled stations may deliver records, and their
//! signatures are checked with the registered algorithm, never one a record names alone.

pub use wire::sealed::{SignatureAlgorithm, StationPublicKey};

/// Why a station id or key was refused.
#[derive(Debug, thiserror::Error)]
pub enum StationError {
    /// The station id is empty, too long or holds characters other than `A-Za-z0-9._-`.
    #[error("station id {0:?}: use 1 to 64 characters among A-Z a-z 0-9 . _ -")]
    BadId(String),
    /// The key is not hex, or not of its algorithm's length and form.
    #[error("station public key: {0}")]
    BadKey(String),
    /// The data directory could not be created.
    #[error("data directory {0}: {1}")]
    DataDir(String, std::io::Error),
}

/// Checks a station id.
pub fn check_station_id(id: &str) -> Result<(), StationError> {
    // The station checks its own id by the same rule before signing it into records.
    if wire::station_id::is_valid(id) {
        Ok(())
    } else {
        Err(StationError::BadId(id.into()))
    }
}

/// Parses a station public key given in hex, of `algorithm` (its name, as `station identity`
/// prints it) or, when none is given, of the one its length says: 32 bytes are Ed25519 (how keys
/// were given before they had algorithms), 65 bytes an ECDSA P-256 point.
pub fn parse_public_key(
    algorithm: Option<&str>,
    text: &str,
) -> Result<StationPublicKey, StationError> {
    let algorithm = match algorithm {
        Some(name) => SignatureAlgorithm::from_name(name)
            .ok_or_else(|| StationError::BadKey(format!("unknown algorithm {name:?}")))?,
        None if text.trim().len() == 64 => SignatureAlgorithm::Ed25519,
        None => SignatureAlgorithm::EcdsaP256Sha256,
    };
    StationPublicKey::from_hex(algorithm, text).map_err(|e| StationError::BadKey(e.to_string()))
}

/// Checks a station's `signature` over `message` with its registered key, by the key's algorithm.
pub fn verify_signature(key: &StationPublicKey, message: &[u8], signature: &[u8]) -> bool {
    let algorithm: &dyn ring::signature::VerificationAlgorithm = match key.algorithm {
        SignatureAlgorithm::Ed25519 => &ring::signature::ED25519,
        SignatureAlgorithm::EcdsaP256Sha256 => &ring::signature::ECDSA_P256_SHA256_FIXED,
    };
    ring::signature::UnparsedPublicKey::new(algorithm, &key.bytes)
        .verify(message, signature)
        .is_ok()
}
