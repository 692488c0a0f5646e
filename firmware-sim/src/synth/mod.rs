//! Synthetic biometric samples for the simulated devices: fingerprints and portraits drawn from a
//! seed, and the pre-request's QR code an applicant holds up to the camera.

pub mod fingerprint;
pub mod portrait;
pub mod qr_card;
pub mod sensor_defects;
