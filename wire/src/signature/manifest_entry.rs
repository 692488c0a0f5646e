//! The manifest's `signature` entry: what the payload's signature records hold, or why the
//! applicant did not sign (as the paper form says it: under 12, or "le demandeur ne peut pas
//! signer" with the reason the clerk gives).

use serde::{Deserialize, Serialize};

/// `signature.format` of a signature taken at the counter.
pub const SIGNATURE_FORMAT: &str = "ISO/IEC 19794-7:2007";
/// `signature.image` of its picture.
pub const SIGNATURE_IMAGE: &str = "png";
/// `signature.exemption` of an applicant under 12, who does not sign.
pub const SIGNATURE_UNDER_12: &str = "under-12";
/// `signature.exemption` when the clerk records that the applicant cannot sign.
pub const CANNOT_SIGN: &str = "cannot-sign";
/// Longest reason the clerk may give, in characters.
pub const MAX_REASON_CHARS: usize = 200;

/// The signature, or why there is none. Either `format` with its counts, or `exemption`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SignatureEntry {
    /// [`SIGNATURE_FORMAT`] when the payload holds `signature.iso19794-7`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// [`SIGNATURE_IMAGE`] when the payload holds `signature.png`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Sample points in the record (pen-up marks included).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<u32>,
    /// Strokes drawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strokes: Option<u32>,
    /// From the first sample to the last, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u32>,
    /// Whether the record carries the pen's force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pressure: Option<bool>,
    /// [`SIGNATURE_UNDER_12`] or [`CANNOT_SIGN`] when there is no signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exemption: Option<String>,
    /// Why the applicant cannot sign, as the clerk typed it (with [`CANNOT_SIGN`] only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl SignatureEntry {
    /// The entry of a signature taken at the counter.
    pub fn signed(signature: &super::Signature) -> Self {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Self {
            format: Some(SIGNATURE_FORMAT.into()),
            image: Some(SIGNATURE_IMAGE.into()),
            points: Some(count(signature.record_points())),
            strokes: Some(count(signature.strokes.len())),
            duration_ms: Some(signature.duration_ms()),
            pressure: Some(signature.has_pressure()),
            ..Self::default()
        }
    }

    /// The entry of an applicant under 12.
    pub fn under_12() -> Self {
        Self {
            exemption: Some(SIGNATURE_UNDER_12.into()),
            ..Self::default()
        }
    }

    /// The entry of an applicant who cannot sign, for `reason`.
    pub fn cannot_sign(reason: &str) -> Self {
        Self {
            exemption: Some(CANNOT_SIGN.into()),
            reason: Some(reason.trim().to_owned()),
            ..Self::default()
        }
    }

    /// Whether the payload must hold the signature's record and image.
    pub fn is_signed(&self) -> bool {
        self.format.is_some()
    }

    /// Checks the entry on its own: a signature with its counts and no exemption, or an exemption
    /// from the list (with a reason for "cannot sign") and nothing else. The sentence says what
    /// is wrong.
    pub fn check(&self) -> Result<(), String> {
        match (&self.format, &self.exemption) {
            (Some(format), None) => {
                if format != SIGNATURE_FORMAT {
                    return Err(format!(
                        "signature format {format:?}, expected {SIGNATURE_FORMAT:?}"
                    ));
                }
                if self.image.as_deref() != Some(SIGNATURE_IMAGE) {
                    return Err(format!(
                        "signature image {:?}, expected \"png\"",
                        self.image
                    ));
                }
                if self.points.is_none_or(|p| p == 0) || self.strokes.is_none_or(|s| s == 0) {
                    return Err("a signature without points or strokes".into());
                }
                if self.duration_ms.is_none() || self.pressure.is_none() || self.reason.is_some() {
                    return Err(
                        "a signature entry needs duration_ms and pressure, and no reason".into(),
                    );
                }
                Ok(())
            }
            (None, Some(exemption)) => {
                let bare = self.image.is_none()
                    && self.points.is_none()
                    && self.strokes.is_none()
                    && self.duration_ms.is_none()
                    && self.pressure.is_none();
                if !bare {
                    return Err("a signature exemption with signature fields".into());
                }
                match (exemption.as_str(), self.reason.as_deref()) {
                    (SIGNATURE_UNDER_12, None) => Ok(()),
                    (CANNOT_SIGN, Some(reason))
                        if !reason.trim().is_empty()
                            && reason.chars().count() <= MAX_REASON_CHARS =>
                    {
                        Ok(())
                    }
                    (CANNOT_SIGN, _) => Err(format!(
                        "\"cannot-sign\" needs a reason of 1 to {MAX_REASON_CHARS} characters"
                    )),
                    (other, _) => Err(format!(
                        "signature exemption {other:?} (under-12 or cannot-sign)"
                    )),
                }
            }
            (Some(_), Some(_)) => {
                Err("a signature entry with both a format and an exemption".into())
            }
            (None, None) => Err("a signature entry with neither a format nor an exemption".into()),
        }
    }
}
