//! Minutiae and 1:1 matching: the `fingerprint` crate the central shares (extraction, the ISO/IEC
//! 19794-2 template record, comparison, thresholds), and the enrolment's own same-finger check.

pub use super::same_finger::same_finger;
pub use fingerprint::*;
