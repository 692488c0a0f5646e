//! The one signing seam of the station: records, audit checkpoints, handover requests and (later)
//! the TLS client key all sign through a [`Signer`], whether the key is in a token (production) or
//! in a file (development). Code that signs never knows which.

use std::sync::Arc;

pub use wire::sealed::{SignatureAlgorithm, StationPublicKey};

use super::SealError;

/// Length of every station signature (Ed25519, or ECDSA P-256 as r ‖ s).
pub const SIGNATURE_LENGTH: usize = wire::sealed::SIGNATURE_LENGTH;

/// The station's signing key, wherever it is.
pub trait Signer: Send + Sync + std::fmt::Debug {
    /// The public key and its algorithm, as registered with the central.
    fn station_key(&self) -> &StationPublicKey;

    /// Signs `message` (the whole message: a token signer hashes it itself). Fails when the token
    /// is gone or refuses; never panics.
    fn sign_message(&self, message: &[u8]) -> Result<[u8; SIGNATURE_LENGTH], SealError>;

    /// The algorithm of [`Signer::station_key`].
    fn algorithm(&self) -> SignatureAlgorithm {
        self.station_key().algorithm
    }
}

/// A signer shared between the sealer, the audit log and whoever else signs.
pub type SharedSigner = Arc<dyn Signer>;

/// Checks `signature` over `message` with `key`, by the key's algorithm (ring's verifiers).
pub fn verify(key: &StationPublicKey, message: &[u8], signature: &[u8]) -> Result<(), SealError> {
    let algorithm: &dyn ring::signature::VerificationAlgorithm = match key.algorithm {
        SignatureAlgorithm::Ed25519 => &ring::signature::ED25519,
        SignatureAlgorithm::EcdsaP256Sha256 => &ring::signature::ECDSA_P256_SHA256_FIXED,
    };
    ring::signature::UnparsedPublicKey::new(algorithm, &key.bytes)
        .verify(message, signature)
        .map_err(|_| SealError::BadSignature)
}
