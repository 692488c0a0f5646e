//! The sealed record file (`DRREC001`), integers big-endian:
//!
//! `MAGIC` ‖ u32 header length ‖ header JSON ‖ enc (32) ‖ u32 ciphertext length ‖ ciphertext ‖
//! station signature (64) over every byte before it: Ed25519, or ECDSA P-256 as r ‖ s, as the
//! header's `signature_algorithm` says. The HPKE aad is magic ‖ length ‖ header.
//!
//! The header and the framing are shared; sealing (station) and opening (central) are not.

mod framing;
mod header;
mod signature;

pub use framing::{FramingError, SealedParts, parse};
pub use header::{HeaderTooLong, RecordHeader};
pub use signature::{BadPublicKey, SignatureAlgorithm, StationPublicKey};

/// The file's first 8 bytes.
pub const MAGIC: &[u8; 8] = b"DRREC001";
/// The only HPKE suite a record may name, as the header's `suite` value.
pub const SUITE: &str = "DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM";
/// HPKE `info` for records.
pub const HPKE_INFO: &[u8] = b"dr-station record v1";
/// Length of the HPKE encapsulated key (Nenc of DHKEM(X25519)).
pub const ENC_LENGTH: usize = 32;
/// Length of the AES-256-GCM tag at the end of the ciphertext.
pub const TAG_LENGTH: usize = 16;
/// Length of the station's signature (Ed25519, or ECDSA P-256 as r ‖ s: both 64 bytes).
pub const SIGNATURE_LENGTH: usize = 64;
/// A header longer than this is refused before parsing: it holds five short fields, and the
/// central should not be made to parse megabytes of JSON from an unauthenticated body.
pub const MAX_HEADER_LENGTH: usize = 64 * 1024;
/// Bytes before the header: the magic and the header length.
pub const HEADER_OFFSET: usize = MAGIC.len() + 4;
