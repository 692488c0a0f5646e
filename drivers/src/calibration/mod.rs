//! Calibration of the fingerprint sensor and the camera, in the spirit of the FBI/NIST scanner
//! image-quality specifications: measurements on frames (no UI, no storage), a verdict per measure
//! against documented limits ([`limits`]), a flat-field correction for every later capture, and
//! the routines that drive the devices through a calibration.
//!
//! Fingerprint sensor, from N frames of a blank (white) target and N of a flat (dark) target:
//! background level, temporal noise and signal-to-noise ratio, grey-level uniformity, dynamic
//! range, dead and stuck pixels, latent-print residue (a dirty patch), and a [`FlatField`].
//! Camera, on a grey card: exposure, colour cast, sharpness (variance of the Laplacian); on a
//! portrait: the compression setting that keeps a 640 × 480 JPEG within a target size.

mod bad_pixels;
mod camera;
mod error;
mod fingerprint;
mod flat_field;
pub mod limits;
mod pixel_stats;
mod residue;
mod routine;
mod verdict;

pub use bad_pixels::BadPixels;
pub use camera::{CameraMeasures, CompressionChoice, measure_grey_card};
pub use error::CalibrationError;
pub use fingerprint::{FingerprintCalibration, FingerprintMeasures, measure_fingerprint};
pub use flat_field::FlatField;
pub use pixel_stats::PixelStats;
pub use residue::{Residue, find_residue};
pub use routine::{
    CameraCalibration, CameraStep, FingerprintStep, calibrate_camera, calibrate_fingerprint,
    choose_compression,
};
pub use verdict::{Check, Verdict};
