//! Synthetic 500-ppi fingerprints, SFinGe style (Cappelli et al.), for the simulated fingerprint module.
//!
//! A [`Finger`] is an identity drawn from a seed: a pattern class in the natural mix, cores and deltas,
//! an orientation field from the zero-pole model with a realism correction, a smoothly varying ridge
//! period of 8–10 px, an elliptical outline, and a master ridge pattern grown from random seeds by
//! repeated Gabor filtering, where minutiae appear where ridges must split or end. The minutiae are
//! then found on the master print and kept as ground truth.
//!
//! An [`Impression`] is one placement of that finger on the sensor: shift, rotation, mild plastic
//! distortion, pressure, dryness or wetness, noise and partial contact. Rendering an impression of a
//! known finger is fast; the master prints of recently used fingers are kept in a small cache.
//!
//! Facts and figures: `docs/reference/fingerprint-science.md` (section "Synthesis").

mod cache;
mod class;
mod finger;
mod growth;
mod impression;
pub mod measure;
mod minutiae;
mod noise;
mod orientation;
mod outline;
mod period;
mod render;
#[cfg(test)]
mod tests;

pub use class::{PatternClass, Singularity, SingularityKind};
pub use finger::{Finger, MASTER_HEIGHT, MASTER_WIDTH, MAX_IMPRESSION_SIDE};
pub use impression::{Impression, PartialContact};
pub use measure::ImageMeasures;
pub use minutiae::{Minutia, MinutiaKind};
