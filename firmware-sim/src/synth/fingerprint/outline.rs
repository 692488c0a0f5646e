//! The finger's outline: the skin that can touch the glass, a rounded tip above and a longer, flatter
//! part below (SFinGe builds it from elliptical arcs; a superellipse per half does the same job).

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Superellipse exponent: 2 is an ellipse; a little more squares the shoulders as real fingers are.
const SQUARENESS: f32 = 2.4;

/// The outline of one finger in master-print pixels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Outline {
    /// Centre, where the upper and lower halves meet.
    pub(crate) cx: f32,
    /// Centre, where the upper and lower halves meet.
    pub(crate) cy: f32,
    /// Half the width, pixels.
    pub(crate) half_width: f32,
    /// Height of the tip above the centre, pixels.
    pub(crate) top: f32,
    /// Length below the centre, pixels.
    pub(crate) bottom: f32,
}

impl Outline {
    /// Draws an outline centred on (`cx`, `cy`): 16–21 mm wide, 21–26 mm long at 500 ppi (the
    /// contact area of a pressed fingertip; light pressure shrinks it when an impression is made).
    pub(crate) fn new(cx: f32, cy: f32, rng: &mut ChaCha8Rng) -> Self {
        Self {
            cx,
            cy,
            half_width: rng.random_range(165.0..=205.0),
            top: rng.random_range(200.0..=240.0),
            bottom: rng.random_range(230.0..=275.0),
        }
    }

    /// The normalised radius of (x, y): below 1 inside the finger, 1 on its edge.
    pub(crate) fn radius(&self, x: f32, y: f32) -> f32 {
        self.scaled_radius(x, y, 1.0)
    }

    /// The normalised radius of (x, y) for the outline shrunk or grown by `scale` about its centre.
    pub(crate) fn scaled_radius(&self, x: f32, y: f32, scale: f32) -> f32 {
        let scale = scale.max(0.05);
        let dx = ((x - self.cx) / (self.half_width * scale)).abs();
        let dy = y - self.cy;
        let dy = if dy < 0.0 {
            -dy / (self.top * scale)
        } else {
            dy / (self.bottom * scale)
        };
        (dx.powf(SQUARENESS) + dy.powf(SQUARENESS)).powf(1.0 / SQUARENESS)
    }

    /// The horizontal extent (from, to) of row `y` inside the outline grown by `scale`, if the row
    /// meets it.
    pub(crate) fn row_span(&self, y: f32, scale: f32) -> Option<(f32, f32)> {
        let dy = y - self.cy;
        let reach = if dy < 0.0 { self.top } else { self.bottom } * scale;
        let t = (dy.abs() / reach).powf(SQUARENESS);
        if t.is_nan() || t >= 1.0 {
            return None;
        }
        let half = self.half_width * scale * (1.0 - t).powf(1.0 / SQUARENESS);
        Some((self.cx - half, self.cx + half))
    }
}
