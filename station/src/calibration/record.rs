//! One calibration as stored: which device, when, the measures as JSON, the verdict and, for the
//! fingerprint sensor, the flat-field correction.

use drivers::calibration::{CameraCalibration, Check, FingerprintCalibration, Verdict};
use serde_json::{Value, json};
use time::OffsetDateTime;

/// Which kind of device was calibrated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceKind {
    /// The fingerprint module.
    Fingerprint,
    /// The camera.
    Camera,
}

impl DeviceKind {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fingerprint => "fingerprint",
            Self::Camera => "camera",
        }
    }

    /// Reads a stored name back.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "fingerprint" => Some(Self::Fingerprint),
            "camera" => Some(Self::Camera),
            _ => None,
        }
    }
}

/// One calibration in the history.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationEntry {
    /// Row id (grows with time).
    pub id: i64,
    /// The device's serial number.
    pub serial: String,
    /// Which kind of device.
    pub kind: DeviceKind,
    /// When the calibration was made (UTC).
    pub at: OffsetDateTime,
    /// Every measure with its check, as JSON.
    pub measures: Value,
    /// Whether every check passed.
    pub pass: bool,
    /// Whether a flat-field correction was stored with it.
    pub has_flat_field: bool,
}

fn checks_json(verdict: &Verdict) -> Value {
    Value::Array(
        verdict
            .checks
            .iter()
            .map(|c: &Check| {
                json!({
                    "measure": c.measure,
                    "value": finite(c.value),
                    "limit": c.rule.to_string(),
                    "pass": c.pass,
                    "source": c.source,
                })
            })
            .collect(),
    )
}

/// JSON has no infinity or NaN: those are stored as null.
fn finite(v: f64) -> Value {
    if v.is_finite() { json!(v) } else { Value::Null }
}

/// The fingerprint sensor's measures and checks as stored in the history.
pub fn fingerprint_measures_json(calibration: &FingerprintCalibration) -> Value {
    let m = &calibration.measures;
    json!({
        "frames": m.frames,
        "width": m.width,
        "height": m.height,
        "background_level": finite(m.background_level),
        "dark_level": finite(m.dark_level),
        "dynamic_range": finite(m.dynamic_range),
        "temporal_noise": finite(m.temporal_noise),
        "snr": finite(m.snr),
        "uniformity_light": finite(m.uniformity_light),
        "uniformity_dark": finite(m.uniformity_dark),
        "dead_pixels": m.bad_pixels.dead,
        "stuck_pixels": m.bad_pixels.stuck,
        "residue": m.residue.iter().map(|r| json!({
            "x": finite(r.x),
            "y": finite(r.y),
            "bounds": [r.bounds.0, r.bounds.1, r.bounds.2, r.bounds.3],
            "cells": r.cells,
            "departure": finite(r.departure),
        })).collect::<Vec<_>>(),
        "checks": checks_json(&calibration.verdict),
    })
}

/// The camera's measures, compression choice and checks as stored in the history.
pub fn camera_measures_json(calibration: &CameraCalibration) -> Value {
    let m = &calibration.measures;
    let c = &calibration.compression;
    json!({
        "width": m.width,
        "height": m.height,
        "exposure": finite(m.exposure),
        "red_ratio": finite(m.red_ratio),
        "blue_ratio": finite(m.blue_ratio),
        "colour_cast": finite(m.colour_cast),
        "sharpness": finite(m.sharpness),
        "compression": c.compression,
        "portrait_bytes": c.frame_len,
        "target_bytes": c.target,
        "compression_tries": c.tries,
        "checks": checks_json(&m.verdict),
    })
}
