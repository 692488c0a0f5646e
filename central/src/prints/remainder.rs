//! What stays of a record once its prints are deleted: the payload without its finger entries,
//! kept encrypted with the central's template key under `records/{record_id}.drrec` in place of
//! the sealed record. The station's seal cannot survive the removal (it signs every byte), so the
//! remainder says what it came from instead: the SHA-256 the receipt was issued for.
//!
//! Layout: `DRPRG001`, a 4-byte big-endian header length, the header JSON ([`RemainderHeader`]),
//! then the tar sealed by [`TemplateKey::seal`] for the record id (its number bound to the
//! pre-request, set apart from the templates' own rows).

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::templates::sealing::{SealingError, TemplateKey};

/// What starts a remainder (and tells it from a sealed record, `DRREC001`).
pub const MAGIC: &[u8; 8] = b"DRPRG001";

/// The clear header of a remainder: nothing about the applicant but the pre-request number,
/// which the central's database holds in clear already.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemainderHeader {
    /// The record.
    pub record_id: String,
    /// Its pre-request.
    pub pre_request: String,
    /// SHA-256 of the sealed record as received (the receipt's).
    pub received_sha256: String,
    /// When the prints were deleted, RFC 3339 UTC.
    pub purged_at: String,
    /// The payload entries removed.
    pub removed: Vec<String>,
}

/// Why a remainder does not read.
#[derive(Debug, thiserror::Error)]
pub enum RemainderError {
    /// Not a remainder, or cut short.
    #[error("not a record remainder: {0}")]
    Framing(&'static str),
    /// The header is not JSON of the expected shape.
    #[error("remainder header: {0}")]
    Header(#[from] serde_json::Error),
    /// The sealed tar does not open with this key.
    #[error(transparent)]
    Sealing(#[from] SealingError),
}

fn number(pre_request: &str) -> String {
    format!("record without prints {pre_request}")
}

/// Whether `bytes` are a remainder rather than a sealed record.
pub fn is_remainder(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// Writes the remainder of `tar`.
pub fn write(
    key: &TemplateKey,
    header: &RemainderHeader,
    tar: &[u8],
) -> Result<Vec<u8>, RemainderError> {
    let json = serde_json::to_vec(header)?;
    let length = u32::try_from(json.len()).map_err(|_| RemainderError::Framing("header"))?;
    let sealed = key.seal(&number(&header.pre_request), &header.record_id, tar)?;
    let mut out = Vec::with_capacity(MAGIC.len() + 4 + json.len() + sealed.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(&json);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Reads a remainder: its header and the tar it keeps.
pub fn open(
    key: &TemplateKey,
    bytes: &[u8],
) -> Result<(RemainderHeader, Zeroizing<Vec<u8>>), RemainderError> {
    let rest = bytes
        .strip_prefix(MAGIC.as_slice())
        .ok_or(RemainderError::Framing("magic"))?;
    let (length, rest) = rest
        .split_first_chunk::<4>()
        .ok_or(RemainderError::Framing("header length"))?;
    let length = usize::try_from(u32::from_be_bytes(*length))
        .map_err(|_| RemainderError::Framing("header"))?;
    if rest.len() < length {
        return Err(RemainderError::Framing("header"));
    }
    let (json, sealed) = rest.split_at(length);
    let header: RemainderHeader = serde_json::from_slice(json)?;
    let tar = key.open(&number(&header.pre_request), &header.record_id, sealed)?;
    Ok((header, Zeroizing::new(tar)))
}
