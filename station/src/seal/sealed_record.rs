//! The sealed record file (docs/record-format.md, kept exactly; integers big-endian):
//! `DRREC001` ‖ u32 header length ‖ header JSON ‖ enc (32) ‖ u32 ciphertext length ‖ ciphertext ‖
//! Ed25519 signature (64) over every byte before it. The HPKE aad is magic ‖ length ‖ header.

use ring::{digest, signature};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::{SealError, StationIdentity, hpke};

/// The file's first 8 bytes.
pub const MAGIC: &[u8; 8] = b"DRREC001";
/// The `suite` header value.
pub const SUITE: &str = "DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM";
/// HPKE `info`.
pub const INFO: &[u8] = b"dr-station record v1";
/// Largest header we read back.
const MAX_HEADER: usize = 16 * 1024;
/// AES-GCM tag length.
const TAG_LEN: usize = 16;
/// Ed25519 signature length.
const SIGNATURE_LEN: usize = 64;

/// The clear header: who sealed what, when, to which central key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordHeader {
    /// UUID v4, also the upload's path segment.
    pub record_id: String,
    /// The sealing station.
    pub station_id: String,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// Always [`SUITE`].
    pub suite: String,
    /// Hex SHA-256 of the central's HPKE public key.
    pub central_key_id: String,
}

impl RecordHeader {
    /// A header for a new record sealed now to the key with id `central_key_id`.
    pub fn new(
        record_id: Uuid,
        station_id: &str,
        created_at: time::OffsetDateTime,
        central_key_id: &str,
    ) -> Self {
        let created_at = created_at
            .to_offset(time::UtcOffset::UTC)
            .replace_nanosecond(0)
            .unwrap_or(created_at)
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        Self {
            record_id: record_id.to_string(),
            station_id: station_id.to_owned(),
            created_at,
            suite: SUITE.to_owned(),
            central_key_id: central_key_id.to_owned(),
        }
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

/// Seals `payload` (the ustar archive) under `header` to `central_record_key`, signed by `identity`.
/// The plaintext is copied once into the output buffer, encrypted there in place, and the caller's
/// buffer is wiped when `payload` drops.
pub fn seal_record(
    header: &RecordHeader,
    payload: Zeroizing<Vec<u8>>,
    central_record_key: &[u8; 32],
    identity: &StationIdentity,
) -> Result<SealedRecord, SealError> {
    let record_id = Uuid::parse_str(&header.record_id)
        .map_err(|e| SealError::Malformed(format!("record_id: {e}")))?;
    let header_json =
        serde_json::to_vec(header).map_err(|e| SealError::Malformed(e.to_string()))?;
    let header_len = u32::try_from(header_json.len())
        .map_err(|_| SealError::Malformed("header too long".into()))?;
    let ct_len = u32::try_from(payload.len() + TAG_LEN)
        .map_err(|_| SealError::Malformed("payload too large".into()))?;
    let aad_end = MAGIC.len() + 4 + header_json.len();
    let ct_start = aad_end + hpke::NENC + 4;
    let total = ct_start + payload.len() + TAG_LEN + SIGNATURE_LEN;
    // Exact capacity: no reallocation may leave a plaintext copy behind; wiped if sealing fails.
    let mut out = Zeroizing::new(Vec::with_capacity(total));
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&header_len.to_be_bytes());
    out.extend_from_slice(&header_json);
    out.extend_from_slice(&[0u8; hpke::NENC]);
    out.extend_from_slice(&ct_len.to_be_bytes());
    out.extend_from_slice(&payload);
    drop(payload);
    let (head, body) = out.split_at_mut(ct_start);
    let (aad, rest) = head.split_at_mut(aad_end);
    let (enc, tag) = hpke::seal_in_place(central_record_key, INFO, aad, body)?;
    rest[..hpke::NENC].copy_from_slice(&enc);
    out.extend_from_slice(&tag);
    let signature = identity.sign(&out);
    out.extend_from_slice(&signature);
    Ok(SealedRecord {
        record_id,
        bytes: std::mem::take(&mut *out),
    })
}

/// A sealed file split into its parts (borrowed), after strict length checks.
#[derive(Debug)]
pub struct ParsedRecord<'a> {
    /// The parsed header.
    pub header: RecordHeader,
    /// Magic, length and header JSON: the HPKE aad.
    pub aad: &'a [u8],
    /// The HPKE encapsulated key.
    pub enc: &'a [u8],
    /// The HPKE ciphertext, tag included.
    pub ciphertext: &'a [u8],
    /// Everything the signature covers.
    pub signed: &'a [u8],
    /// The Ed25519 signature.
    pub signature: &'a [u8],
}

impl<'a> ParsedRecord<'a> {
    /// Splits a sealed file; never panics on any input.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, SealError> {
        let bad = |m: &str| SealError::Malformed(m.to_owned());
        if bytes.len() < MAGIC.len() + 4 || &bytes[..8] != MAGIC {
            return Err(bad("not a DRREC001 file"));
        }
        let header_len = u32::from_be_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize;
        if header_len > MAX_HEADER {
            return Err(bad("header too long"));
        }
        let aad_end = 12 + header_len;
        let ct_len_at = aad_end + hpke::NENC;
        let len_bytes = bytes
            .get(ct_len_at..ct_len_at + 4)
            .ok_or_else(|| bad("file truncated in the header"))?;
        let ct_len =
            u32::from_be_bytes([len_bytes[0], len_bytes[1], len_bytes[2], len_bytes[3]]) as usize;
        let ct_start = ct_len_at + 4;
        if ct_len < TAG_LEN || bytes.len() != ct_start + ct_len + SIGNATURE_LEN {
            return Err(bad("lengths do not add up to the file size"));
        }
        let header: RecordHeader = serde_json::from_slice(&bytes[12..aad_end])
            .map_err(|e| SealError::Malformed(format!("header: {e}")))?;
        if header.suite != SUITE {
            return Err(SealError::Malformed(format!(
                "unknown suite {:?}",
                header.suite
            )));
        }
        Uuid::parse_str(&header.record_id)
            .map_err(|e| SealError::Malformed(format!("record_id: {e}")))?;
        let sig_at = ct_start + ct_len;
        Ok(Self {
            header,
            aad: &bytes[..aad_end],
            enc: &bytes[aad_end..ct_len_at],
            ciphertext: &bytes[ct_start..sig_at],
            signed: &bytes[..sig_at],
            signature: &bytes[sig_at..],
        })
    }

    /// Checks the station signature against a registered station public key.
    pub fn verify_station_signature(&self, station_public_key: &[u8; 32]) -> Result<(), SealError> {
        signature::UnparsedPublicKey::new(&signature::ED25519, station_public_key)
            .verify(self.signed, self.signature)
            .map_err(|_| SealError::BadSignature)
    }
}
