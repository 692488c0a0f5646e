//! `manifest.json`, the first entry of the payload: what was captured, how, by whom, for which
//! pre-request.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The `format` value of every manifest.
pub const MANIFEST_FORMAT: &str = "dr-station manifest v1";

/// The payload's `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`MANIFEST_FORMAT`].
    pub format: String,
    /// The record's UUID v4, the same as in the sealed header.
    pub record_id: String,
    /// The reference a person reads out (`KXH7-3MPA-RTW9`), derived from `record_id`; empty in
    /// records sealed before it existed, hence the default.
    #[serde(default)]
    pub case_reference: String,
    /// The station that captured it, the same as in the sealed header.
    pub station_id: String,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// The 10-character pre-request number, or [`crate::paper_form::NO_PRE_REQUEST`] for an
    /// enrolment from the paper form.
    pub pre_request: String,
    /// `cni`, `passport` or `cni+passport`.
    pub document_type: String,
    /// The clerk's account name. A string: the station has only ever written the account name, and
    /// a free-form JSON value let the central accept shapes no station produces.
    pub operator: String,
    /// Capture devices.
    pub devices: Vec<Device>,
    /// The portrait, or `null` when none is in the record.
    pub photo: Option<Photo>,
    /// Fingers captured.
    pub fingers: Vec<Finger>,
    /// Fingers that could not be captured, with the reason.
    pub finger_exceptions: Vec<FingerException>,
    /// `null` or [`UNDER_12`].
    pub exemption: Option<String>,
    /// The applicant's height in whole centimetres as the clerk confirmed it, within
    /// [`crate::physical::HEIGHT_CM`]. Absent in records sealed before the station asked for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height_cm: Option<u16>,
    /// The applicant's eye colour as the clerk confirmed it. Absent in older records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eye_colour: Option<crate::physical::EyeColour>,
    /// The applicant's signature (its records are in the payload), or why there is none. Absent
    /// in records sealed before the station took it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<crate::signature::SignatureEntry>,
    /// For an identity card with prints, whether the applicant refused that the central keep them
    /// ([`crate::fingerprint_storage::is_asked`]). Absent when not asked, and in records sealed
    /// before the station asked, which the central reads as kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint_storage: Option<crate::fingerprint_storage::FingerprintStorage>,
    /// The paper form the clerk typed, when the applicant came without a pre-request; then
    /// `pre_request` is [`crate::paper_form::NO_PRE_REQUEST`]. Absent otherwise, and in older records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paper_form: Option<crate::paper_form::PaperForm>,
    /// The reason of the request as the clerk confirmed it (the fee depends on it). Absent in
    /// records sealed before the station asked for tax stamps: the central then asks for none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<crate::prerequest::Reason>,
    /// The electronic tax stamp paying the fee, or `null` when nothing is due.
    #[serde(default)]
    pub tax_stamp: Option<crate::tax_stamp::TaxStamp>,
    /// Per-step durations in whole milliseconds. Integers: the station measures whole milliseconds
    /// and writes integers, so a fractional or negative duration is not a manifest any station wrote.
    pub timings_ms: BTreeMap<String, u64>,
}

/// The `exemption` value of an applicant under 12, who gives no fingerprints.
pub const UNDER_12: &str = "under-12";

/// A capture device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    /// `fingerprint` or `camera`.
    pub kind: String,
    /// Model name.
    pub model: String,
    /// Firmware version as reported.
    pub firmware: String,
    /// Serial number as reported.
    pub serial: String,
}

/// The portrait's origin and the compliance checks it passed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Photo {
    /// [`PHOTO_FROM_CAMERA`] or [`PHOTO_ON_PAPER`].
    pub source: String,
    /// Check results, free-form per check (each check reports its own measures). Absent reads as
    /// none: a paper photo is checked by the clerk, not by the station.
    #[serde(default)]
    pub checks: Vec<serde_json::Value>,
}

/// `photo.source` of a portrait taken at the counter (the payload then holds `face.iso19794-5`).
pub const PHOTO_FROM_CAMERA: &str = "camera";
/// `photo.source` of a paper photo brought by the applicant (no face record in the payload).
pub const PHOTO_ON_PAPER: &str = "paper";

/// One captured finger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finger {
    /// ISO/IEC 19794-4 position code (1..=10 for single fingers).
    pub position: u8,
    /// E.g. `left-index`.
    pub name: String,
    /// Quality measured at capture.
    pub quality: Quality,
    /// Captures tried.
    pub attempts: u32,
    /// Kept although below the quality threshold after the last attempt.
    pub below_threshold: bool,
}

/// A quality score and the algorithm that gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quality {
    /// 0..=100. A whole number: the station's scores are integers, and the ISO/IEC 19794-4 view
    /// header that carries the same score has one byte for it.
    pub score: u8,
    /// Algorithm name.
    pub algorithm: String,
    /// Algorithm version.
    pub version: String,
}

/// A finger that could not be captured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FingerException {
    /// ISO/IEC 19794-4 position code.
    pub position: u8,
    /// E.g. `amputated`, `bandaged`, `damaged`.
    pub reason: String,
}

impl Manifest {
    /// The bytes of `manifest.json` as the station writes them: pretty-printed (a person opening a
    /// payload reads it), fields in declaration order, `timings_ms` sorted by step.
    pub fn to_json_bytes(&self) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec_pretty(self)
    }
}
