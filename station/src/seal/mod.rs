//! Sealing: the plaintext payload becomes one signed, encrypted file only the central can open.
//!
//! HPKE (RFC 9180, base mode) built on ring's primitives as `docs/reference/hpke-on-ring.md`
//! explains, and the station's signing key behind [`Signer`]: ECDSA P-256 in a PKCS#11 token
//! (`token.rs`), or Ed25519 in a file for development (`identity.rs`). The file layout is in
//! `docs/record-format.md`.

pub mod announcement;
pub mod central_keys;
pub mod hpke;
pub mod identity;
pub mod sealed_record;
pub mod sealer;
pub mod signer;
pub mod station_key;
pub mod token;
pub mod token_secret;

pub use announcement::announce;
pub use central_keys::CentralKeys;
pub use identity::StationIdentity;
pub use sealed_record::{
    ParsedRecord, RecordHeader, SealedRecord, record_header, seal_record, sha256_hex,
};
pub use sealer::{Sealer, now_rfc3339};
pub use signer::{SharedSigner, SignatureAlgorithm, Signer, StationPublicKey};
pub use station_key::{IdentitySettings, open_signer};
pub use token::{TokenError, TokenKey, TokenSettings};
pub use token_secret::TokenSecret;

/// Why a record could not be sealed, or a sealed file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    /// A cryptographic primitive failed (bad public key, all-zero shared secret, RNG failure).
    #[error("cryptographic operation failed: {0}")]
    Crypto(&'static str),
    /// The sealed file does not follow the format.
    #[error("malformed sealed record: {0}")]
    Malformed(String),
    /// The station signature does not verify with the given key.
    #[error("the station signature does not verify")]
    BadSignature,
    /// A key file could not be read or written.
    #[error("key file {path}: {source}")]
    KeyFile {
        /// The file.
        path: std::path::PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A key file is readable or writable by others than the station's user.
    #[error("key file {0} is readable by others than the station's user (expected mode 0600)")]
    LooseKeyFile(std::path::PathBuf),
    /// A key file holds something that is not a key of the right kind.
    #[error("key file {0} does not hold a valid key")]
    BadKeyFile(std::path::PathBuf),
    /// The station key is a file but the station is not in development mode.
    #[error(
        "[identity] kind = \"file\" is for development only: in production the station key is in a \
         PKCS#11 token (kind = \"pkcs11\", see docs/station-token.md)"
    )]
    FileKeyInProduction,
    /// The token holding the station key failed or refused.
    #[error(transparent)]
    Token(Box<token::TokenError>),
    /// The record header names another signature algorithm than the key's.
    #[error("the header says {header}, the station key is {key}")]
    AlgorithmMismatch {
        /// The header's algorithm.
        header: SignatureAlgorithm,
        /// The key's.
        key: SignatureAlgorithm,
    },
    /// A provisioned key (hex in the configuration) is malformed.
    #[error("bad key in configuration: {0}")]
    BadConfiguredKey(String),
}
