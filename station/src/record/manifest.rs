//! `manifest.json`: what was captured, how, by whom, for which pre-request (format in
//! docs/record-format.md, "Payload").

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The `format` value of every manifest this code writes.
pub const MANIFEST_FORMAT: &str = "dr-station manifest v1";

/// The payload's `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`MANIFEST_FORMAT`].
    pub format: String,
    /// The record's UUID v4, the same as in the sealed header.
    pub record_id: String,
    /// The reference a person reads out (`KXH7-3MPA-RTW9`), derived from `record_id`
    /// ([`case_reference`](super::case_reference::case_reference)); empty in records sealed before
    /// it existed.
    #[serde(default)]
    pub case_reference: String,
    /// The station that captured it.
    pub station_id: String,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// The 10-character pre-request number.
    pub pre_request: String,
    /// `cni`, `passport` or `cni+passport`.
    pub document_type: String,
    /// The clerk's account name.
    pub operator: String,
    /// Capture devices.
    pub devices: Vec<Device>,
    /// The portrait, or `null` when none is in the record.
    pub photo: Option<Photo>,
    /// Fingers captured.
    pub fingers: Vec<Finger>,
    /// Fingers that could not be captured, with the reason.
    pub finger_exceptions: Vec<FingerException>,
    /// `null` or `under-12`.
    pub exemption: Option<String>,
    /// Per-step durations in milliseconds.
    pub timings_ms: BTreeMap<String, u64>,
}

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
    /// `camera` or `paper`.
    pub source: String,
    /// Check results, free-form per check.
    pub checks: Vec<serde_json::Value>,
}

/// One captured finger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finger {
    /// ISO position code.
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    /// 0..=100.
    pub score: u8,
    /// Algorithm name.
    pub algorithm: String,
    /// Algorithm version.
    pub version: String,
}

/// A finger that could not be captured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FingerException {
    /// ISO position code.
    pub position: u8,
    /// E.g. `amputated`, `bandaged`, `damaged`.
    pub reason: String,
}
