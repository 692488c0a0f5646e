//! Defects a simulated sensor can be told to have, so that calibration is tested against known
//! truth: for the fingerprint sensor vignetting, temporal noise, dead and stuck pixels, a dirty
//! patch (latent-print residue) and a light source dimming with use; for the camera a colour cast
//! and defocus. Also the calibration targets a technician lays on the sensor or holds before the
//! camera.
//!
//! Written like [`crate::pty::FaultSpec`]:
//! `vignetting=0.4,noise=6,dead=12,stuck=5,dirty=40@120x90,dimming=0.02` for the fingerprint
//! sensor, `cast=1.2:1.0:0.8,defocus=2.5` for the camera; the empty text or `none` for a perfect
//! device.

mod camera;
mod exposure;
mod layout;
mod spec;
mod target;

pub use camera::{CameraDefects, CameraDefectsError, grey_card};
pub use exposure::DefectiveSensor;
pub use layout::{DefectLayout, DirtyPlacement};
pub use spec::{DirtyPatch, SensorDefects, SensorDefectsError};
pub use target::{BLANK_LEVEL, FLAT_LEVEL, Target};
