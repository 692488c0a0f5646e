//! The unified score: our own model over the native measures (placeholder until fitted).

use super::measures::Measures;

/// The model's inputs, in the order of [`WEIGHTS`].
pub(crate) fn inputs(m: &Measures) -> [f64; 1] {
    [m.ocl.mean]
}

const WEIGHTS: [f64; 1] = [60.0];
const INTERCEPT: f64 = 0.0;

/// Score 0–100.
pub(crate) fn score(m: &Measures) -> u8 {
    let x = inputs(m);
    let s: f64 = INTERCEPT + x.iter().zip(WEIGHTS).map(|(a, b)| a * b).sum::<f64>();
    if s.is_finite() {
        s.round().clamp(0.0, 100.0) as u8
    } else {
        0
    }
}
