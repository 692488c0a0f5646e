//! `manifest.json` inside the payload tar, shape in docs/record-format.md, "Payload".

use std::collections::BTreeMap;

use serde::Deserialize;

/// Value of the manifest's `format` field.
pub const MANIFEST_FORMAT: &str = "dr-station manifest v1";

/// A capture device as listed in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Device {
    /// `fingerprint`, `camera`, ...
    pub kind: String,
    /// Model name.
    pub model: String,
    /// Firmware version.
    pub firmware: String,
    /// Serial number.
    pub serial: String,
}

/// Where the photo came from and which checks it passed.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Photo {
    /// `camera` (taken on site, `face.iso19794-5` present) or `paper` (brought by the applicant).
    pub source: String,
    /// Checks run on it (free shape).
    #[serde(default)]
    pub checks: Vec<serde_json::Value>,
}

/// A quality score and what computed it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Quality {
    /// 0..=100.
    pub score: f64,
    /// Algorithm name.
    pub algorithm: String,
    /// Algorithm version.
    pub version: String,
}

/// A finger captured.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Finger {
    /// ISO/IEC 19794-4 position code (1..=10 for single fingers).
    pub position: u8,
    /// e.g. `left-index`.
    pub name: String,
    /// Quality of the kept capture.
    pub quality: Quality,
    /// How many attempts were made.
    pub attempts: u32,
    /// Kept although below the quality threshold after the last attempt.
    pub below_threshold: bool,
}

/// A finger that could not be captured.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FingerException {
    /// ISO/IEC 19794-4 position code.
    pub position: u8,
    /// Why (amputated, bandaged, ...).
    pub reason: String,
}

/// The manifest.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Manifest {
    /// Must be [`MANIFEST_FORMAT`].
    pub format: String,
    /// Same as the record header.
    pub record_id: String,
    /// Same as the record header.
    pub station_id: String,
    /// RFC 3339.
    pub created_at: String,
    /// Pre-request number.
    pub pre_request: String,
    /// `cni`, `passport` or `cni+passport`.
    pub document_type: String,
    /// The clerk who ran the capture (free shape: an id or an object).
    pub operator: serde_json::Value,
    /// Devices used.
    pub devices: Vec<Device>,
    /// The photo, if any.
    pub photo: Option<Photo>,
    /// Fingers captured.
    pub fingers: Vec<Finger>,
    /// Fingers that could not be captured.
    pub finger_exceptions: Vec<FingerException>,
    /// `under-12` when the applicant is exempt from fingerprints.
    pub exemption: Option<String>,
    /// Duration of each step, in milliseconds.
    pub timings_ms: BTreeMap<String, f64>,
}
