//! The sealed record file (layout and header in the wire crate, `wire::sealed`; integers
//! big-endian): `DRREC001` ‖ u32 header length ‖ header JSON ‖ enc (32) ‖ u32 ciphertext length ‖
//! ciphertext ‖ station signature (64: Ed25519, or ECDSA P-256 r ‖ s, as the header's
//! `signature_algorithm` says) over every byte before it. The HPKE aad is magic ‖ length ‖
//! header. Sealing and the signature are the station's own.

use ring::digest;
use uuid::Uuid;
use zeroize::Zeroizing;

pub use wire::sealed::{MAGIC, RecordHeader, SUITE};

use super::{SealError, SignatureAlgorithm, Signer, StationPublicKey, hpke};
use wire::sealed::{SIGNATURE_LENGTH as SIGNATURE_LEN, TAG_LENGTH as TAG_LEN};

// The writer below places the encapsulated key by the HPKE module's length; the layout says 32.
const _: () = assert!(hpke::NENC == wire::sealed::ENC_LENGTH);

/// HPKE `info`.
pub const INFO: &[u8] = wire::sealed::HPKE_INFO;

/// A header for a new record sealed at `created_at` (kept to the second, in UTC) to the key with id
/// `central_key_id`, to be signed with `signature_algorithm` (the station key's).
pub fn record_header(
    record_id: Uuid,
    station_id: &str,
    created_at: time::OffsetDateTime,
    central_key_id: &str,
    signature_algorithm: SignatureAlgorithm,
) -> RecordHeader {
    let created_at = created_at
        .to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(created_at)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    RecordHeader {
        record_id: record_id.to_string(),
        station_id: station_id.to_owned(),
        created_at,
        suite: SUITE.to_owned(),
        central_key_id: central_key_id.to_owned(),
        signature_algorithm: Some(signature_algorithm),
    }
}

/// A sealed record, ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedRecord {
    /// The record's id.
    pub record_id: Uuid,
    /// The whole file.
    pub bytes: Vec<u8>,
}

impl SealedRecord {
    /// Hex SHA-256 of the file, as the central's receipt will state it.
    pub fn sha256_hex(&self) -> String {
        sha256_hex(&self.bytes)
    }
}

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(digest::digest(&digest::SHA256, bytes))
}

/// Seals `payload` (the ustar archive) under `header` to `central_record_key`, signed by `signer`,
/// whose algorithm must be the header's.
/// The plaintext is copied once into the output buffer, encrypted there in place, and the caller's
/// buffer is wiped when `payload` drops.
pub fn seal_record(
    header: &RecordHeader,
    payload: Zeroizing<Vec<u8>>,
    central_record_key: &[u8; 32],
    signer: &dyn Signer,
) -> Result<SealedRecord, SealError> {
    if header.signature_algorithm() != signer.algorithm() {
        return Err(SealError::AlgorithmMismatch {
            header: header.signature_algorithm(),
            key: signer.algorithm(),
        });
    }
    let record_id = Uuid::parse_str(&header.record_id)
        .map_err(|e| SealError::Malformed(format!("record_id: {e}")))?;
    let header_bytes = header
        .aad()
        .map_err(|e| SealError::Malformed(e.to_string()))?;
    let ct_len = u32::try_from(payload.len() + TAG_LEN)
        .map_err(|_| SealError::Malformed("payload too large".into()))?;
    let aad_end = header_bytes.len();
    let ct_start = aad_end + hpke::NENC + 4;
    let total = ct_start + payload.len() + TAG_LEN + SIGNATURE_LEN;
    // Exact capacity: no reallocation may leave a plaintext copy behind; wiped if sealing fails.
    let mut out = Zeroizing::new(Vec::with_capacity(total));
    out.extend_from_slice(&header_bytes);
    out.extend_from_slice(&[0u8; hpke::NENC]);
    out.extend_from_slice(&ct_len.to_be_bytes());
    out.extend_from_slice(&payload);
    drop(payload);
    let (head, body) = out.split_at_mut(ct_start);
    let (aad, rest) = head.split_at_mut(aad_end);
    let (enc, tag) = hpke::seal_in_place(central_record_key, INFO, aad, body)?;
    rest[..hpke::NENC].copy_from_slice(&enc);
    out.extend_from_slice(&tag);
    let signature = signer.sign_message(&out)?;
    out.extend_from_slice(&signature);
    Ok(SealedRecord {
        record_id,
        bytes: std::mem::take(&mut *out),
    })
}

/// A sealed file split into its parts (borrowed, the fields of [`wire::sealed::SealedParts`]),
/// after the framing's strict length checks and the station's own: a known suite, a UUID record id,
/// room for the AES-GCM tag.
#[derive(Debug)]
pub struct ParsedRecord<'a>(wire::sealed::SealedParts<'a>);

impl<'a> std::ops::Deref for ParsedRecord<'a> {
    type Target = wire::sealed::SealedParts<'a>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<'a> ParsedRecord<'a> {
    /// Splits a sealed file; never panics on any input.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, SealError> {
        let parts = wire::sealed::parse(bytes).map_err(|e| SealError::Malformed(e.to_string()))?;
        if parts.ciphertext.len() < TAG_LEN {
            return Err(SealError::Malformed(
                "the ciphertext is shorter than its tag".into(),
            ));
        }
        if parts.header.suite != SUITE {
            return Err(SealError::Malformed(format!(
                "unknown suite {:?}",
                parts.header.suite
            )));
        }
        Uuid::parse_str(&parts.header.record_id)
            .map_err(|e| SealError::Malformed(format!("record_id: {e}")))?;
        Ok(Self(parts))
    }

    /// Checks the station signature against a registered station public key (a raw 32-byte key
    /// is Ed25519). The header's algorithm must be the key's: a header cannot choose another.
    pub fn verify_station_signature(
        &self,
        station_public_key: impl Into<StationPublicKey>,
    ) -> Result<(), SealError> {
        let key = station_public_key.into();
        if self.header.signature_algorithm() != key.algorithm {
            return Err(SealError::BadSignature);
        }
        super::signer::verify(&key, self.signed, self.signature)
    }
}
