//! Where a sensor's defects lie: the ground truth a calibration is checked against.

use std::collections::HashSet;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::spec::SensorDefects;

/// How much of the light a latent print on the glass takes away at its centre (a fifth): enough
/// to see on a blank frame, little enough to leave ridges readable under it.
pub const DIRTY_DEPTH: f64 = 0.2;
/// The residue thins out over the outer part of the disc (this fraction of the radius).
const DIRTY_EDGE: f64 = 0.3;
/// Salt for the layout's dice, so that it does not repeat the simulator's other random draws.
const LAYOUT_SALT: u64 = 0x5345_4e53_4f52_2144;

/// Where the dirty patch lies on a given sensor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DirtyPlacement {
    /// Centre x, pixels.
    pub x: u32,
    /// Centre y, pixels.
    pub y: u32,
    /// Radius, pixels.
    pub radius: u32,
}

impl DirtyPlacement {
    /// The fraction of light the residue lets through at (x, y): 1 outside the disc, 1 −
    /// [`DIRTY_DEPTH`] over its inner part, rising smoothly to 1 at its rim.
    pub fn transmission(&self, x: u32, y: u32) -> f64 {
        let dx = f64::from(x) - f64::from(self.x);
        let dy = f64::from(y) - f64::from(self.y);
        let radius = f64::from(self.radius);
        let d = (dx * dx + dy * dy).sqrt() / radius;
        if d >= 1.0 {
            return 1.0;
        }
        let inner = 1.0 - DIRTY_EDGE;
        let strength = if d <= inner {
            1.0
        } else {
            let t = (1.0 - d) / DIRTY_EDGE;
            t * t * (3.0 - 2.0 * t)
        };
        1.0 - DIRTY_DEPTH * strength
    }

    /// Whether (x, y) lies within the disc.
    pub fn contains(&self, x: u32, y: u32) -> bool {
        let dx = f64::from(x) - f64::from(self.x);
        let dy = f64::from(y) - f64::from(self.y);
        dx * dx + dy * dy < f64::from(self.radius) * f64::from(self.radius)
    }
}

/// The positions of a sensor's defects, drawn from its seed: the same seed, the same sensor.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DefectLayout {
    /// Sensor width, pixels.
    pub width: u32,
    /// Sensor height, pixels.
    pub height: u32,
    /// Pixels that always read 0, as (x, y), sorted.
    pub dead: Vec<(u32, u32)>,
    /// Pixels that always read 255, as (x, y), sorted.
    pub stuck: Vec<(u32, u32)>,
    /// The latent print on the glass, if any.
    pub dirty: Option<DirtyPlacement>,
}

impl DefectLayout {
    /// Draws the layout of `defects` on a `width` × `height` sensor with seed `seed`. Dead and
    /// stuck pixels never share a position (at most every pixel of the sensor is taken).
    pub fn new(defects: &SensorDefects, seed: u64, width: u32, height: u32) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ LAYOUT_SALT);
        let pixels = u64::from(width) * u64::from(height);
        let mut taken = HashSet::new();
        let mut draw = |count: u32, rng: &mut ChaCha8Rng| {
            let mut out = Vec::new();
            while (out.len() as u64) < u64::from(count) && (taken.len() as u64) < pixels {
                let at = (rng.random_range(0..width), rng.random_range(0..height));
                if taken.insert(at) {
                    out.push(at);
                }
            }
            out.sort_unstable();
            out
        };
        let (dead, stuck) = if width == 0 || height == 0 {
            (Vec::new(), Vec::new())
        } else {
            let dead = draw(defects.dead, &mut rng);
            let stuck = draw(defects.stuck, &mut rng);
            (dead, stuck)
        };
        let dirty = defects.dirty.map(|patch| {
            let (x, y) = patch.centre.unwrap_or_else(|| {
                let place = |side: u32, rng: &mut ChaCha8Rng| {
                    if side > 2 * patch.radius {
                        rng.random_range(patch.radius..=side - patch.radius)
                    } else {
                        side / 2
                    }
                };
                let x = place(width, &mut rng);
                (x, place(height, &mut rng))
            });
            DirtyPlacement {
                x,
                y,
                radius: patch.radius,
            }
        });
        Self {
            width,
            height,
            dead,
            stuck,
            dirty,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_sensor() {
        let defects = SensorDefects {
            dead: 20,
            stuck: 7,
            dirty: Some(super::super::DirtyPatch {
                radius: 30,
                centre: None,
            }),
            ..SensorDefects::default()
        };
        let a = DefectLayout::new(&defects, 9, 256, 288);
        assert_eq!(a, DefectLayout::new(&defects, 9, 256, 288));
        assert_ne!(a, DefectLayout::new(&defects, 10, 256, 288));
        assert_eq!(a.dead.len(), 20);
        assert_eq!(a.stuck.len(), 7);
        assert!(a.dead.iter().all(|p| !a.stuck.contains(p)));
        let patch = a.dirty.expect("a patch");
        assert!(patch.x >= 30 && patch.x <= 226 && patch.y >= 30 && patch.y <= 258);
        assert!(patch.transmission(patch.x, patch.y) < 0.81);
        assert_eq!(patch.transmission(0, 0).to_bits(), 1.0f64.to_bits());
    }

    #[test]
    fn more_bad_pixels_than_pixels_takes_them_all() {
        let defects = SensorDefects {
            dead: 10,
            stuck: 10,
            ..SensorDefects::default()
        };
        let layout = DefectLayout::new(&defects, 1, 3, 3);
        assert_eq!(layout.dead.len() + layout.stuck.len(), 9);
        let empty = DefectLayout::new(&defects, 1, 0, 0);
        assert!(empty.dead.is_empty());
    }
}
