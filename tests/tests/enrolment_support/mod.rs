//! Shared helpers for the enrolment session tests: settings, images and photos.

use station::enrolment::{CheckedPhoto, Event, FingerImage, SessionSettings, parse_date};
use station::record::{FacePortrait, FaceSource, manifest::Device};
use station_demo::sample_record::{synthetic_finger, synthetic_portrait};
pub const THRESHOLD: u8 = 40;
pub const MAX_ATTEMPTS: u32 = 3;

pub fn settings(enrolment_date: &str) -> SessionSettings {
    SessionSettings {
        station_id: "ST-TEST-01".into(),
        operator: "agent.martin".into(),
        devices: vec![Device {
            kind: "fingerprint".into(),
            model: "ZFM-20 (simulated)".into(),
            firmware: "test".into(),
            serial: "SIM-1".into(),
        }],
        has_camera: true,
        quality_threshold: THRESHOLD,
        max_attempts: MAX_ATTEMPTS,
        quality_algorithm: "dr-quality".into(),
        quality_version: "1.0".into(),
        enrolment_date: parse_date(enrolment_date).expect("enrolment date"),
    }
}

/// A distinct 64×72 finger image per seed.
pub fn finger(seed: u64) -> FingerImage {
    let image = synthetic_finger(seed, 64, 72);
    FingerImage {
        width: image.width(),
        height: image.height(),
        pixels: image.into_raw().into(),
    }
}

pub fn captured(quality: u8, seed: u64) -> Event {
    Event::FingerCaptured {
        quality,
        minutiae: 0,
        image: finger(seed),
    }
}

pub fn photo(compliant: bool) -> Event {
    // Rendered and encoded once: the random-counter test asks for thousands of photos, and
    // drawing a portrait each time was most of its run time.
    static PORTRAIT: std::sync::OnceLock<FacePortrait> = std::sync::OnceLock::new();
    let portrait = PORTRAIT.get_or_init(|| {
        FacePortrait::from_rgb(&synthetic_portrait(3), 85, FaceSource::Camera).expect("portrait")
    });
    Event::PhotoCaptured(CheckedPhoto {
        jpeg: portrait.jpeg.clone().into(),
        width: portrait.width,
        height: portrait.height,
        colour_space: portrait.colour_space,
        compliant,
        checks: vec![serde_json::json!({"check": "background", "passed": compliant})],
    })
}

pub fn loaded(birth_date: &str) -> Event {
    Event::PreRequestLoaded {
        number: "AB12CD34EF".into(),
        document_type: "cni".into(),
        birth_date: birth_date.into(),
    }
}

/// At the review, the applicant signs (the golden signature, stroke by stroke as the pad sends
/// it) and the clerk validates it: what a record of an applicant of 12 or more needs before it is
/// sealed. Nothing for a child under 12, whose record carries the exemption.
pub fn sign_at_review(session: &mut station::enrolment::Session) {
    for stroke in wire::golden::signature().strokes {
        if session.signature_ink(&stroke, true).is_err() {
            return;
        }
    }
    session
        .validate_signature()
        .expect("the golden signature validates");
}
