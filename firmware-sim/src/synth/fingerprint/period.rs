//! The ridge period map: the distance from one ridge to the next, 8–10 px at 500 ppi, varying
//! smoothly over the finger (`docs/reference/fingerprint-science.md`, "Synthesis").

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::noise::SmoothField;

/// Shortest ridge period drawn, pixels at 500 ppi.
pub(crate) const MIN_PERIOD: f32 = 8.0;
/// Longest ridge period drawn, pixels at 500 ppi.
pub(crate) const MAX_PERIOD: f32 = 10.0;

/// The ridge period of one finger, pixels, as a function of position.
#[derive(Debug, Clone)]
pub(crate) struct PeriodMap {
    mean: f32,
    swing: f32,
    field: SmoothField,
}

impl PeriodMap {
    /// Draws a finger's period map: a mean period and a gentle variation over 150–400 px.
    pub(crate) fn new(rng: &mut ChaCha8Rng) -> Self {
        let mean = rng.random_range(8.6..=9.4);
        let swing = rng.random_range(0.3..=0.6);
        Self {
            mean,
            swing,
            field: SmoothField::new(rng, 5, 150.0, 400.0),
        }
    }

    /// The ridge period at (x, y), pixels, within [`MIN_PERIOD`, `MAX_PERIOD`].
    pub(crate) fn at(&self, x: f32, y: f32) -> f32 {
        (self.mean + self.swing * self.field.at(x, y)).clamp(MIN_PERIOD, MAX_PERIOD)
    }
}
