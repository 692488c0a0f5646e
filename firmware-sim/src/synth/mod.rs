//! Synthetic biometric samples for the simulated devices: fingerprints drawn from a seed.

pub mod fingerprint;
pub mod portrait;
pub mod sensor_defects;
