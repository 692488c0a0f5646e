//! Checks on captured biometrics before they go into a record.

pub mod quality;
pub mod photo;
