//! Driving the devices through a calibration: the technician is asked to lay each target (a
//! callback, so that a terminal, the app or a test can answer), frames are taken, measured and
//! judged.

use std::time::{Duration, Instant};

use image::GrayImage;

use super::{
    CalibrationError, CameraMeasures, CompressionChoice, FingerprintCalibration,
    measure_fingerprint, measure_grey_card,
};
use crate::transport::Transport;
use crate::vc0706::camera::DEFAULT_COMPRESSION;
use crate::vc0706::{Camera, FrameAction, Settings};
use crate::zfm::FingerprintModule;

/// How long the module waits for a target to be laid on the glass, per frame.
const TARGET_WAIT: Duration = Duration::from_secs(30);

/// What the technician is asked to do during a fingerprint calibration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FingerprintStep {
    /// Lay the blank (white) target on the clean glass.
    LayBlankTarget,
    /// Lay the flat (dark) target on the glass.
    LayFlatTarget,
    /// Take the target away: the calibration is over.
    Done,
}

/// What the technician is asked to do during a camera calibration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CameraStep {
    /// Hold the grey card before the lens, filling the frame.
    ShowGreyCard,
    /// Put a person (or a portrait) where applicants stand.
    ShowPortrait,
    /// The calibration is over.
    Done,
}

/// A camera's calibration: the grey-card measures and the compression chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct CameraCalibration {
    /// Exposure, colour cast, sharpness, with their verdict.
    pub measures: CameraMeasures,
    /// The compression setting that keeps a 640 × 480 portrait within the target size (left in
    /// force in the camera).
    pub compression: CompressionChoice,
}

/// Calibrates the fingerprint sensor: `frames` frames of the blank target, then `frames` of the
/// flat target, measured and judged; `prompt` is called before each target and at the end.
pub fn calibrate_fingerprint<T: Transport>(
    module: &mut FingerprintModule<T>,
    frames: usize,
    prompt: &mut dyn FnMut(FingerprintStep),
) -> Result<FingerprintCalibration, CalibrationError> {
    prompt(FingerprintStep::LayBlankTarget);
    let blank = take_frames(module, frames)?;
    prompt(FingerprintStep::LayFlatTarget);
    let flat = take_frames(module, frames)?;
    prompt(FingerprintStep::Done);
    measure_fingerprint(&blank, &flat)
}

fn take_frames<T: Transport>(
    module: &mut FingerprintModule<T>,
    frames: usize,
) -> Result<Vec<GrayImage>, CalibrationError> {
    let mut taken = Vec::with_capacity(frames);
    for frame in 0..frames {
        let capture = module.capture(Instant::now() + TARGET_WAIT, &mut |_| {})?;
        tracing::debug!(device = "zfm", frame, "calibration frame taken");
        taken.push(capture.image);
    }
    Ok(taken)
}

/// Calibrates the camera: a 640 × 480 picture of the grey card is measured and judged, then the
/// compression setting that keeps a portrait within `target_bytes` is found by trying settings
/// (each one a reset of the camera) and left in force. `prompt` is called before each scene and
/// at the end.
pub fn calibrate_camera<T: Transport>(
    camera: &mut Camera<T>,
    target_bytes: u32,
    prompt: &mut dyn FnMut(CameraStep),
) -> Result<CameraCalibration, CalibrationError> {
    prompt(CameraStep::ShowGreyCard);
    // The card's limits were measured through the camera's default compression, not the stronger
    // one the kept photo uses.
    camera.configure(&Settings {
        compression: DEFAULT_COMPRESSION,
        ..Settings::capture()
    })?;
    let photo = camera.capture(&mut |_| {})?;
    let measures = measure_grey_card(&photo.image);
    prompt(CameraStep::ShowPortrait);
    let mut size_at = |compression: u8| -> Result<u32, CalibrationError> {
        camera.configure(&Settings {
            compression,
            ..Settings::capture()
        })?;
        camera.frame_control(FrameAction::StopCurrent)?;
        let length = camera.frame_length();
        camera.frame_control(FrameAction::Resume)?;
        Ok(length?)
    };
    let compression = choose_compression(&mut size_at, target_bytes)?;
    camera.configure(&Settings {
        compression: compression.compression,
        ..Settings::capture()
    })?;
    tracing::info!(
        device = "vc0706",
        exposure = measures.exposure,
        cast = measures.colour_cast,
        sharpness = measures.sharpness,
        compression = compression.compression,
        frame_len = compression.frame_len,
        pass = measures.verdict.pass(),
        "camera calibrated"
    );
    prompt(CameraStep::Done);
    Ok(CameraCalibration {
        measures,
        compression,
    })
}

/// Finds the lowest compression byte (the best picture) whose JPEG stays within `target` bytes,
/// by bisection: sizes fall as the compression rises (docs/reference/vc0706-camera-protocol.md,
/// "set compression": higher = more compression). `size_at` takes a picture at a setting and
/// returns its size.
pub fn choose_compression(
    size_at: &mut dyn FnMut(u8) -> Result<u32, CalibrationError>,
    target: u32,
) -> Result<CompressionChoice, CalibrationError> {
    let mut tries = 1;
    let smallest = size_at(u8::MAX)?;
    if smallest > target {
        return Err(CalibrationError::NoCompressionFits { target, smallest });
    }
    tries += 1;
    let largest = size_at(0)?;
    if largest <= target {
        return Ok(CompressionChoice {
            compression: 0,
            frame_len: largest,
            target,
            tries,
        });
    }
    // size_at(low) > target, size_at(high) ≤ target.
    let (mut low, mut high, mut high_len) = (0u8, u8::MAX, smallest);
    while high - low > 1 {
        let middle = low + (high - low) / 2;
        tries += 1;
        let len = size_at(middle)?;
        if len <= target {
            high = middle;
            high_len = len;
        } else {
            low = middle;
        }
    }
    Ok(CompressionChoice {
        compression: high,
        frame_len: high_len,
        target,
        tries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bisection_finds_the_lowest_setting_that_fits() {
        let size = |c: u8| 100_000 - u32::from(c) * 300;
        for target in [30_000u32, 50_000, 99_000, 100_000, 23_500] {
            let mut calls = 0;
            let choice = choose_compression(
                &mut |c| {
                    calls += 1;
                    Ok(size(c))
                },
                target,
            )
            .expect("fits");
            assert!(choice.frame_len <= target);
            assert!(choice.compression == 0 || size(choice.compression - 1) > target);
            assert!(calls <= 11, "{calls} tries");
        }
        let refused = choose_compression(&mut |c| Ok(size(c)), 1_000);
        assert!(matches!(
            refused,
            Err(CalibrationError::NoCompressionFits { .. })
        ));
    }
}
