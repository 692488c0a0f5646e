//! A sample applicant file with synthetic images: for the headless worker (`station-demo
//! enrol-test`), the crash and network tests and the benchmarks. Never real biometric data, and
//! not in the station's own binary.

use std::collections::BTreeMap;

use image::{GrayImage, Luma, RgbImage};
use zeroize::Zeroizing;

use station::record::{
    FaceImageRecord, FacePortrait, FaceSource, FingerImageRecord, FingerImpression, FingerView,
    Manifest, Payload, RecordError,
    manifest::{Device, Finger, Photo, Quality},
};

/// A ridge-like 8-bit 500 ppi pattern, different for every seed (concentric waves around a
/// seed-dependent centre, white background).
pub fn synthetic_finger(seed: u64, width: u32, height: u32) -> GrayImage {
    let cx = (width / 2) as f32 + ((seed % 17) as f32 - 8.0) * 3.0;
    let cy = (height / 2) as f32 + (((seed / 17) % 13) as f32 - 6.0) * 3.0;
    let period = 8.0 + (seed % 5) as f32;
    GrayImage::from_fn(width, height, |x, y| {
        let (dx, dy) = (x as f32 - cx, y as f32 - cy);
        let r = (dx * dx * 1.3 + dy * dy).sqrt();
        if r > (width.min(height) / 2) as f32 - 4.0 {
            return Luma([255]);
        }
        let v = (r / period * std::f32::consts::TAU + (seed % 7) as f32).sin();
        Luma([if v > 0.0 { 40 + (seed % 30) as u8 } else { 230 }])
    })
}

/// A small synthetic portrait.
pub fn synthetic_portrait(seed: u64) -> RgbImage {
    RgbImage::from_fn(120, 160, |x, y| {
        let (dx, dy) = (x as i32 - 60, y as i32 - 70);
        if dx * dx * 2 + dy * dy < 2200 {
            image::Rgb([200, 160 + (seed % 40) as u8, 130])
        } else {
            image::Rgb([225, 230, 235])
        }
    })
}

/// A complete, valid payload for `pre_request`: two index fingers (256×288, 500 ppi PNG) and, when
/// `with_face`, a camera portrait.
pub fn sample_payload(
    record_id: &str,
    station_id: &str,
    pre_request: &str,
    created_at: &str,
    seed: u64,
    with_face: bool,
) -> Result<Payload, RecordError> {
    let right = synthetic_finger(seed.wrapping_mul(2), 256, 288);
    let left = synthetic_finger(seed.wrapping_mul(2).wrapping_add(1), 256, 288);
    let fingers = FingerImageRecord::encode(&[
        FingerView {
            position: 2,
            quality: 72,
            impression: FingerImpression::LiveScanPlain,
            image: &right,
        },
        FingerView {
            position: 7,
            quality: 65,
            impression: FingerImpression::LiveScanPlain,
            image: &left,
        },
    ])?;
    let face = if with_face {
        let portrait = FacePortrait::from_rgb(&synthetic_portrait(seed), 85, FaceSource::Camera)?;
        Some(Zeroizing::new(FaceImageRecord::encode(&portrait)?))
    } else {
        None
    };
    let quality = |score| Quality {
        score,
        algorithm: "sample".into(),
        version: "1".into(),
    };
    let finger = |position, name: &str, score| Finger {
        position,
        name: name.into(),
        quality: quality(score),
        attempts: 1,
        below_threshold: false,
    };
    // The sample applicant signed at the counter, as the demo's applicant does.
    let signature = wire::signature::Signature {
        strokes: crate::signature::strokes(pre_request),
    };
    let signature_files = station::record::payload::SignatureFiles {
        record: Zeroizing::new(
            wire::signature::write(&signature)
                .map_err(|e| station::record::RecordError::OutOfRange(e.to_string()))?,
        ),
        png: station::record::signature_image::render_png(&signature)?,
    };
    let manifest = Manifest {
        format: station::record::manifest::MANIFEST_FORMAT.into(),
        record_id: record_id.into(),
        case_reference: wire::case_reference::case_reference(record_id),
        station_id: station_id.into(),
        created_at: created_at.into(),
        pre_request: pre_request.into(),
        document_type: "cni".into(),
        operator: "agent.test".into(),
        devices: vec![Device {
            kind: "fingerprint".into(),
            model: "ZFM-20 (simulated)".into(),
            firmware: "sample".into(),
            serial: format!("SAMPLE-{seed}"),
        }],
        photo: with_face.then(|| Photo {
            source: "camera".into(),
            checks: vec![],
        }),
        fingers: vec![finger(2, "right-index", 72), finger(7, "left-index", 65)],
        finger_exceptions: vec![],
        exemption: None,
        height_cm: Some(172),
        eye_colour: Some(wire::physical::EyeColour::Marron),
        signature: Some(wire::signature::SignatureEntry::signed(&signature)),
        fingerprint_storage: Some(wire::fingerprint_storage::FingerprintStorage::Kept),
        paper_form: None,
        // A first identity card: free, so no stamp.
        reason: Some(wire::prerequest::Reason::First),
        tax_stamp: None,
        timings_ms: BTreeMap::from([("fingers".to_owned(), 12_000), ("photo".to_owned(), 4_000)]),
    };
    Ok(Payload {
        manifest,
        fingers: Some(Zeroizing::new(fingers)),
        face,
        minutiae: None,
        signature: Some(signature_files),
    })
}
