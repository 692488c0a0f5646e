//! Checks on captured biometrics before they go into a record.

pub mod image_input;
pub mod matching;
pub mod photo;
pub mod quality;
mod region;
mod same_finger;
