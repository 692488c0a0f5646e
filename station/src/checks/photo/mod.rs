//! Photo compliance: does a camera frame meet the French ID photo rules
//! (docs/reference/counter-workflow.md, "Photo": 35×45 mm, face 32–36 mm chin to top of the skull,
//! plain light background but not white, head straight, eyes open, no over- or under-exposure, no
//! shadow)? Each rule gives a measured value, its limit and a sentence for the clerk. Classical
//! methods only: histograms, skin chromaticity, region moments, gradients at two scales, eye-white
//! detection. Once both eyes are found they set the face's centre, eye line and roll, the chin is
//! the shadow it casts under the mouth (`chin.rs`), and the shadow check compares the two cheeks
//! (`shadow.rs`); the skin region's outline is the fallback.
//!
//! Measured here: exposure (brightness, clipped highlights, dynamic range), sharpness, background
//! (white, plain), shadow, face present, head size, position, framing, roll, eyes open. Left to the
//! clerk's eye: expression and mouth closed, head uncovered, glasses and reflections, yaw and pitch.
//!
//! An accepted photo is cut to the 35×45 mm geometry ([`portrait`]), encoded as JPEG
//! ([`portrait_jpeg`]) and put into an ISO/IEC 19794-5 face record ([`face_record`]).

mod background;
mod chin;
pub mod crop;
mod eyes;
mod face;
mod frame;
mod report;
mod shadow;
mod sharpness;

use image::RgbImage;

pub use crop::{CropBox, PORTRAIT_PIXELS};
pub use report::{CheckId, FaceGeometry, Language, Limit, PhotoCheck, PhotoReport};

/// Under-exposure: the brightest 1 % of the frame (the light background) must reach this luma.
pub const BRIGHTNESS_MIN: f64 = 150.0;
/// Over-exposure: at most this share of the frame clipped (luma ≥ 250).
pub const HIGHLIGHTS_MAX: f64 = 0.03;
/// Dynamic range: 99th minus 1st percentile of luma.
pub const DYNAMIC_RANGE_MIN: f64 = 60.0;
/// Sharpness: full-resolution ÷ half-resolution edge strength (1 sharp, 0.5 blurred).
pub const SHARPNESS_MIN: f64 = 0.72;
/// Background luma above which it is white (a light background is 170–225; a white one 230+).
pub const BACKGROUND_WHITE_MAX: f64 = 228.0;
/// Share of the background sample that is not plain background.
pub const BACKGROUND_CLUTTER_MAX: f64 = 0.05;
/// Darker half of the face ÷ lighter half.
pub const SHADOW_BALANCE_MIN: f64 = 0.8;
/// Face region share of the frame for "a face is present".
pub const FACE_SHARE_MIN: f64 = 0.02;
/// Chin to top of the head, share of the frame height: below, the 35×45 crop would have too few
/// pixels (under ~290 px high in a 480-line frame); above, it cannot fit the frame.
pub const HEAD_SIZE_RANGE: (f64, f64) = (0.46, 0.74);
/// Horizontal offset of the face centre from the frame centre, share of the frame width.
pub const HEAD_OFFSET_MAX: f64 = 0.07;
/// Roll, degrees either way.
pub const ROLL_MAX: f64 = 6.0;
/// Share of an eye window that shows eye white, for each eye.
pub const EYES_OPEN_MIN: f64 = 0.08;

/// Eyes further apart than this share of the skin region's width, or closer than that, or on a line
/// steeper than this (degrees), are not a pair of eyes: the geometry then comes from the skin region.
const EYE_SEPARATION_PLAUSIBLE: (f32, f32) = (0.15, 0.8);
const EYE_ROLL_PLAUSIBLE: f32 = 35.0;
/// Distance between the eyes' centres ÷ face width (ears included), about 0.4 on an adult face.
const EYES_PER_FACE_WIDTH: f32 = 0.4;

/// A photo that cannot be checked.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    /// The bytes are not an image the station can read.
    #[error("the photo cannot be read: {0}")]
    Unreadable(#[from] image::ImageError),
    /// The file is too large, cut off or undecodable ([`crate::checks::image_input`]).
    #[error("the photo cannot be read: {0}")]
    Input(#[from] crate::checks::image_input::ImageInputError),
    /// The image is too small to hold a portrait.
    #[error("the photo is too small ({width}×{height}); at least 64×48 is needed")]
    TooSmall {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// The photo is not compliant, so it is not cut to a portrait.
    #[error("the photo is not compliant: {0}")]
    NotCompliant(String),
    /// The face record could not be written.
    #[error("the face record cannot be written: {0}")]
    Record(#[from] crate::record::RecordError),
}

/// Decodes a photo (JPEG, PNG, PNM) and checks it; one too large or not whole is refused before
/// any check ([`crate::checks::image_input`]).
pub fn check_encoded(bytes: &[u8]) -> Result<(RgbImage, PhotoReport), PhotoError> {
    let image = crate::checks::image_input::decode(bytes, crate::checks::image_input::Kind::Photo)?
        .into_rgb8();
    let report = check(&image)?;
    Ok((image, report))
}

/// Runs every check on a camera frame (landscape, 640×480 for a capture).
pub fn check(image: &RgbImage) -> Result<PhotoReport, PhotoError> {
    let (width, height) = image.dimensions();
    if width < 64 || height < 48 {
        return Err(PhotoError::TooSmall { width, height });
    }
    let frame = frame::Frame::new(image);
    let background = background::measure(&frame.small);
    let found = face::find(&frame, &background);

    // Exposure, from the luma histogram of the whole frame.
    let mut histogram = [0u32; 256];
    for &l in &frame.luma {
        histogram[(l.round() as usize).min(255)] += 1;
    }
    let total = frame.luma.len().max(1) as f64;
    let percentile = |q: f64| {
        let target = q * total;
        let mut seen = 0.0;
        for (level, &count) in histogram.iter().enumerate() {
            seen += f64::from(count);
            if seen >= target {
                return level as f64;
            }
        }
        255.0
    };
    let (p01, p99) = (percentile(0.01), percentile(0.99));
    let clipped = histogram[250..].iter().map(|&c| f64::from(c)).sum::<f64>() / total;

    // Face geometry: from the eyes when both are found (their mid-point, their line for the roll, the
    // chin from its shadow under them), from the skin region's outline and moments otherwise.
    let mut geometry = None;
    let mut eyes_open = None;
    let mut eye_separation = None;
    if let Some(face) = &found {
        let pair = |(left, right): (eyes::Eye, eyes::Eye)| {
            let roll = (right.y - left.y).atan2(right.x - left.x).to_degrees();
            let separation = (right.x - left.x).hypot(right.y - left.y);
            (left, right, roll, separation)
        };
        let (mut left, mut right, mut eye_roll, mut separation) =
            pair(eyes::find(&frame, face, face.width));
        let plausible = |left: &eyes::Eye, right: &eyes::Eye, roll: f32, separation: f32| {
            left.openness.min(right.openness) > 0.0
                && roll.abs() < EYE_ROLL_PLAUSIBLE
                && separation > EYE_SEPARATION_PLAUSIBLE.0 * face.width
                && separation < EYE_SEPARATION_PLAUSIBLE.1 * face.width
        };
        // Hair the colour of the skin widens the skin region, and eye windows sized from it are too
        // large: measure again with the width the eyes' separation gives.
        let from_eyes = separation / EYES_PER_FACE_WIDTH;
        if plausible(&left, &right, eye_roll, separation) && from_eyes < 0.9 * face.width {
            let again = pair(eyes::find(&frame, face, from_eyes));
            if plausible(&again.0, &again.1, again.2, again.3) {
                (left, right, eye_roll, separation) = again;
            }
        }
        let openness = left.openness.min(right.openness);
        eyes_open = Some(f64::from(openness));
        let usable = plausible(&left, &right, eye_roll, separation);
        geometry = Some(if usable {
            let (centre_x, eye_y) = ((left.x + right.x) / 2.0, (left.y + right.y) / 2.0);
            let chin_y =
                chin::find(&frame, centre_x, eye_y, face.crown_y, eye_roll).unwrap_or(face.chin_y);
            eye_separation = Some(separation);
            FaceGeometry {
                centre_x,
                eye_y,
                chin_y,
                crown_y: face.crown_y,
                roll_degrees: eye_roll,
            }
        } else {
            FaceGeometry {
                centre_x: face.centre_x,
                eye_y: face.chin_y - 0.62 * face.width,
                chin_y: face.chin_y,
                crown_y: face.crown_y,
                roll_degrees: face.roll_degrees,
            }
        });
    }

    let (w, h) = (width as f32, height as f32);
    let sharpness = match (&found, &geometry) {
        (Some(face), Some(g)) => sharpness::ratio(
            &frame,
            g.centre_x - 0.75 * face.width,
            g.crown_y - 0.05 * face.width,
            g.centre_x + 0.75 * face.width,
            g.chin_y,
        ),
        _ => sharpness::ratio(&frame, 0.2 * w, 0.1 * h, 0.8 * w, 0.9 * h),
    };
    let shadow = match (&found, &geometry, eye_separation) {
        (_, Some(g), Some(separation)) => {
            Some(f64::from(shadow::cheek_balance(&frame, g, separation)))
        }
        (Some(face), Some(g), None) => Some(f64::from(shadow::balance(&frame, face, g))),
        _ => None,
    };
    let framing = geometry.map(|g| f64::from(crop::best_crop(&g, width, height).1));

    let round = |v: f64, digits: i32| {
        let p = 10f64.powi(digits);
        (v * p).round() / p
    };
    let checks = vec![
        PhotoCheck::new(
            CheckId::FacePresent,
            Some(round(found.as_ref().map_or(0.0, |f| f64::from(f.share)), 3)),
            Limit::AtLeast(FACE_SHARE_MIN),
            "part du cadre",
        ),
        PhotoCheck::new(
            CheckId::Brightness,
            Some(p99),
            Limit::AtLeast(BRIGHTNESS_MIN),
            "luminance (99e centile)",
        ),
        PhotoCheck::new(
            CheckId::Highlights,
            Some(round(clipped, 3)),
            Limit::AtMost(HIGHLIGHTS_MAX),
            "part saturée",
        ),
        PhotoCheck::new(
            CheckId::DynamicRange,
            Some(p99 - p01),
            Limit::AtLeast(DYNAMIC_RANGE_MIN),
            "niveaux",
        ),
        PhotoCheck::new(
            CheckId::Sharpness,
            Some(round(f64::from(sharpness), 2)),
            Limit::AtLeast(SHARPNESS_MIN),
            "rapport",
        ),
        PhotoCheck::new(
            CheckId::BackgroundNotWhite,
            Some(round(f64::from(background.luma), 0)),
            Limit::AtMost(BACKGROUND_WHITE_MAX),
            "luminance",
        ),
        PhotoCheck::new(
            CheckId::BackgroundPlain,
            Some(round(f64::from(background.clutter), 3)),
            Limit::AtMost(BACKGROUND_CLUTTER_MAX),
            "part non unie",
        ),
        PhotoCheck::new(
            CheckId::Shadow,
            shadow.map(|v| round(v, 2)),
            Limit::AtLeast(SHADOW_BALANCE_MIN),
            "rapport",
        ),
        PhotoCheck::new(
            CheckId::HeadSize,
            geometry.map(|g| round(f64::from((g.chin_y - g.crown_y) / h), 3)),
            Limit::Between(HEAD_SIZE_RANGE.0, HEAD_SIZE_RANGE.1),
            "part de la hauteur",
        ),
        PhotoCheck::new(
            CheckId::HeadPosition,
            geometry.map(|g| round(f64::from((g.centre_x - w / 2.0) / w), 3)),
            Limit::Between(-HEAD_OFFSET_MAX, HEAD_OFFSET_MAX),
            "part de la largeur",
        ),
        PhotoCheck::new(
            CheckId::Framing,
            framing.map(|v| round(v, 1)),
            Limit::AtLeast(0.0),
            "mm de marge",
        ),
        PhotoCheck::new(
            CheckId::HeadTilt,
            geometry.map(|g| round(f64::from(g.roll_degrees), 1)),
            Limit::Between(-ROLL_MAX, ROLL_MAX),
            "°",
        ),
        PhotoCheck::new(
            CheckId::EyesOpen,
            eyes_open.map(|v| round(v, 3)),
            Limit::AtLeast(EYES_OPEN_MIN),
            "part de blanc",
        ),
    ];
    let report = PhotoReport {
        width,
        height,
        checks,
        face: geometry,
    };
    tracing::debug!(
        width,
        height,
        compliant = report.compliant(),
        failed = ?report.failures().map(|c| c.id.code()).collect::<Vec<_>>(),
        "photo checked"
    );
    Ok(report)
}

/// Cuts a compliant photo to the 35×45 mm portrait ([`PORTRAIT_PIXELS`], 300 dpi).
pub fn portrait(image: &RgbImage, report: &PhotoReport) -> Result<RgbImage, PhotoError> {
    if !report.compliant() {
        let failed: Vec<&str> = report.failures().map(|c| c.id.code()).collect();
        return Err(PhotoError::NotCompliant(failed.join(", ")));
    }
    let face = report
        .face
        .ok_or_else(|| PhotoError::NotCompliant("face-present".into()))?;
    let (crop, _) = crop::best_crop(&face, image.width(), image.height());
    Ok(crop::cut(image, &crop))
}

/// The portrait as a baseline JPEG (quality 90), as it goes into the ISO/IEC 19794-5 face record.
pub fn portrait_jpeg(portrait: &RgbImage) -> Result<Vec<u8>, PhotoError> {
    let mut bytes = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90);
    portrait.write_with_encoder(encoder)?;
    Ok(bytes)
}

/// The ISO/IEC 19794-5 face record of a compliant camera photo: cut to 35×45 mm, JPEG quality 90,
/// source "digital still camera" (the encoder is [`crate::record::FaceImageRecord`]).
pub fn face_record(image: &RgbImage, report: &PhotoReport) -> Result<Vec<u8>, PhotoError> {
    use crate::record::{FaceImageRecord, FacePortrait, FaceSource};
    let cut = portrait(image, report)?;
    let face = FacePortrait::from_rgb(&cut, 90, FaceSource::Camera)?;
    Ok(FaceImageRecord::encode(&face)?)
}
