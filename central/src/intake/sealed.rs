//! Reading the sealed-record framing (docs/record-format.md, "Layout"): magic, header, enc,
//! ciphertext, signature, integers big-endian. Only framing here; the checks are in `mod.rs`.

use serde::Deserialize;

/// Part 1: the 8-byte magic.
pub const MAGIC: &[u8; 8] = b"DRREC001";
/// The only suite a record may name (docs/record-format.md, "Layout", part 2).
pub const SUITE: &str = "DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM";
/// HPKE `info` for records (docs/record-format.md, "Layout", part 4).
pub const HPKE_INFO: &[u8] = b"dr-station record v1";
/// Length of the HPKE encapsulated key (Nenc for X25519; docs/reference/hpke-on-ring.md).
pub const ENC_LENGTH: usize = 32;
/// Length of the Ed25519 signature.
pub const SIGNATURE_LENGTH: usize = 64;
/// A header longer than this is refused before parsing (it holds five short fields).
pub const MAX_HEADER_LENGTH: usize = 64 * 1024;

/// The header JSON (part 2).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RecordHeader {
    /// UUID v4 of the record.
    pub record_id: String,
    /// Station that sealed it.
    pub station_id: String,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// Must be [`SUITE`].
    pub suite: String,
    /// Hex SHA-256 of the central's HPKE public key.
    pub central_key_id: String,
}

/// A sealed record split into its parts (borrowing the received bytes).
#[derive(Debug)]
pub struct SealedRecord<'a> {
    /// Parts 1 and 2 as received: the HPKE aad.
    pub aad: &'a [u8],
    /// The parsed header.
    pub header: RecordHeader,
    /// Part 3.
    pub enc: &'a [u8],
    /// Part 4, without its length prefix.
    pub ciphertext: &'a [u8],
    /// Every byte before the signature: what the station signed.
    pub signed: &'a [u8],
    /// Part 5.
    pub signature: &'a [u8],
}

/// Why the framing was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FramingError {
    /// The first 8 bytes are not `DRREC001`.
    #[error("the record does not start with DRREC001")]
    Magic,
    /// A length runs past the end, or bytes are left over.
    #[error("the record framing is inconsistent: {0}")]
    Length(String),
    /// The header is not the expected JSON.
    #[error("the record header is not valid: {0}")]
    Header(String),
}

fn take<'a>(
    bytes: &'a [u8],
    at: &mut usize,
    n: usize,
    what: &str,
) -> Result<&'a [u8], FramingError> {
    let end = at
        .checked_add(n)
        .filter(|end| *end <= bytes.len())
        .ok_or_else(|| {
            FramingError::Length(format!(
                "{what} needs {n} bytes at offset {at}, the record has {}",
                bytes.len()
            ))
        })?;
    let part = &bytes[*at..end];
    *at = end;
    Ok(part)
}

fn take_u32(bytes: &[u8], at: &mut usize, what: &str) -> Result<usize, FramingError> {
    let raw = take(bytes, at, 4, what)?;
    let value = u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]);
    usize::try_from(value).map_err(|_| FramingError::Length(format!("{what} {value} too large")))
}

/// Splits a sealed record into its parts. Does not verify anything cryptographic.
pub fn parse(bytes: &[u8]) -> Result<SealedRecord<'_>, FramingError> {
    let mut at = 0;
    if take(bytes, &mut at, MAGIC.len(), "magic")? != MAGIC {
        return Err(FramingError::Magic);
    }
    let header_length = take_u32(bytes, &mut at, "header length")?;
    if header_length > MAX_HEADER_LENGTH {
        return Err(FramingError::Length(format!(
            "header length {header_length} exceeds {MAX_HEADER_LENGTH}"
        )));
    }
    let header_bytes = take(bytes, &mut at, header_length, "header")?;
    let aad = &bytes[..at];
    let enc = take(bytes, &mut at, ENC_LENGTH, "enc")?;
    let ciphertext_length = take_u32(bytes, &mut at, "ciphertext length")?;
    let ciphertext = take(bytes, &mut at, ciphertext_length, "ciphertext")?;
    let signed = &bytes[..at];
    let signature = take(bytes, &mut at, SIGNATURE_LENGTH, "signature")?;
    if at != bytes.len() {
        return Err(FramingError::Length(format!(
            "{} bytes after the signature",
            bytes.len() - at
        )));
    }
    let header_text = std::str::from_utf8(header_bytes)
        .map_err(|e| FramingError::Header(format!("not UTF-8: {e}")))?;
    let header: RecordHeader =
        serde_json::from_str(header_text).map_err(|e| FramingError::Header(e.to_string()))?;
    Ok(SealedRecord {
        aad,
        header,
        enc,
        ciphertext,
        signed,
        signature,
    })
}
