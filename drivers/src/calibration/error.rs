//! Why a calibration could not be made.

use crate::vc0706::CameraError;
use crate::zfm::ZfmError;

/// Why a calibration could not be made (a failed measure is not an error: it is a failed
/// [`super::Check`]).
#[derive(Debug, thiserror::Error)]
pub enum CalibrationError {
    /// No frame was given, or fewer than the measures need.
    #[error("at least {needed} frames of each target are needed, {given} given")]
    TooFewFrames {
        /// Frames needed.
        needed: usize,
        /// Frames given.
        given: usize,
    },
    /// Frames (or a correction and an image) of different sizes.
    #[error("frame of {found_width}×{found_height} where {width}×{height} was expected")]
    SizeMismatch {
        /// Expected width.
        width: u32,
        /// Expected height.
        height: u32,
        /// Width found.
        found_width: u32,
        /// Height found.
        found_height: u32,
    },
    /// A stored flat-field correction could not be read back.
    #[error("flat-field data is damaged: {0}")]
    BadFlatField(&'static str),
    /// The fingerprint module failed.
    #[error("fingerprint module: {0}")]
    Fingerprint(#[from] ZfmError),
    /// The camera failed.
    #[error("camera: {0}")]
    Camera(#[from] CameraError),
    /// No compression setting keeps the picture within the size asked.
    #[error("no compression setting keeps the picture within {target} bytes (smallest {smallest})")]
    NoCompressionFits {
        /// Target size, bytes.
        target: u32,
        /// Smallest frame obtained, bytes.
        smallest: u32,
    },
}
