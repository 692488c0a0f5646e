//! What the station sends for one applicant, before sealing: the manifest, the biometric records in
//! their ISO/IEC 19794 formats, and the ustar payload that holds them.
//!
//! Byte layouts follow `docs/reference/iso19794-records.md`; the payload and the sealed file
//! are described in `docs/record-format.md`.

pub mod face_image;
pub mod finger_image;
pub mod manifest;
pub mod payload;
pub mod signature_image;

pub use face_image::{FaceImageRecord, FacePortrait, FaceSource};
pub use finger_image::{FingerImageRecord, FingerImpression, FingerView};
// The minutiae record is written and read by the matcher the central shares.
pub use fingerprint::{
    FingerImageForMinutiae, FingerMinutiaeRecord, FingerMinutiaeView, ParsedFingerMinutiae,
};
pub use manifest::Manifest;
pub use payload::{Payload, PayloadEntries};

/// Why a record could not be built or read back.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// A field does not fit its place in the format (too large, out of range, missing).
    #[error("record field out of range: {0}")]
    OutOfRange(String),
    /// The image could not be encoded (PNG or JPEG).
    #[error("image encoding failed: {0}")]
    ImageEncoding(String),
    /// The bytes read back do not follow the format.
    #[error("malformed record: {0}")]
    Malformed(String),
    /// The tar payload could not be written or read.
    #[error("payload archive: {0}")]
    Archive(String),
    /// The manifest could not be written or read as JSON.
    #[error("manifest: {0}")]
    Manifest(String),
    /// The minutiae record could not be written or read.
    #[error(transparent)]
    Minutiae(#[from] fingerprint::iso19794_2::RecordError),
}

/// Reads a big-endian unsigned integer of `len` bytes (≤ 8) at `at`, or says where the record ended.
pub(crate) fn read_be(bytes: &[u8], at: usize, len: usize) -> Result<u64, RecordError> {
    let end = at
        .checked_add(len)
        .ok_or_else(|| RecordError::Malformed("offset overflow".into()))?;
    let slice = bytes.get(at..end).ok_or_else(|| {
        RecordError::Malformed(format!(
            "record ends at {} before offset {end}",
            bytes.len()
        ))
    })?;
    Ok(slice.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
}
