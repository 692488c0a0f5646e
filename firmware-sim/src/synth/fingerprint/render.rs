//! Rendering one impression: the master print seen through the sensor, placed, pressed and textured
//! as `Impression` says, as an 8-bit grey image with a light background and dark ridges.

use image::GrayImage;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::impression::Impression;
use super::noise::{LatticeNoise, derive_seed, gaussian, smoothstep};
use super::outline::Outline;

/// The master print: grown ridge values in [-1, 1] (positive on ridges), row-major.
#[derive(Debug)]
pub(crate) struct MasterPrint {
    pub(crate) width: usize,
    pub(crate) height: usize,
    pub(crate) ridges: Vec<f32>,
}

impl MasterPrint {
    /// Bilinear sample at (x, y); 0 (no ridge, no valley) outside.
    pub(crate) fn sample(&self, x: f32, y: f32) -> f32 {
        if !(x >= 0.0 && y >= 0.0) {
            return 0.0;
        }
        let (c, r) = (x as usize, y as usize);
        if c + 1 >= self.width || r + 1 >= self.height {
            return 0.0;
        }
        let (fx, fy) = (x - c as f32, y - r as f32);
        let i = r * self.width + c;
        let top = self.ridges[i] * (1.0 - fx) + self.ridges[i + 1] * fx;
        let bottom =
            self.ridges[i + self.width] * (1.0 - fx) + self.ridges[i + self.width + 1] * fx;
        top * (1.0 - fy) + bottom * fy
    }
}

/// Where an image pixel falls on the master print: shift, rotation and plastic distortion.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Placement {
    /// Master point shown at the image centre when the finger is not shifted.
    anchor: (f32, f32),
    centre: (f32, f32),
    shift: (f32, f32),
    cos: f32,
    sin: f32,
    /// How far, and which way, the skin away from the centre is dragged (master pixels).
    drag: (f32, f32),
}

/// How much the ridge edges wander with the skin's fine texture (in master-print units).
const EDGE_ROUGHNESS: f32 = 0.5;

/// Plastic distortion (Cappelli's model in spirit): the skin within this distance of the centre
/// holds to the glass, the skin beyond the second is dragged in full, smoothly between.
const HELD_RADIUS: f32 = 50.0;
const DRAGGED_RADIUS: f32 = 170.0;

impl Placement {
    pub(crate) fn new(
        anchor: (f32, f32),
        conditions: &Impression,
        width: u32,
        height: u32,
    ) -> Self {
        let angle = conditions.rotation_deg.to_radians();
        let drag = if conditions.distortion.is_finite() && conditions.distortion_angle.is_finite() {
            (
                conditions.distortion * conditions.distortion_angle.cos(),
                conditions.distortion * conditions.distortion_angle.sin(),
            )
        } else {
            (0.0, 0.0)
        };
        Self {
            anchor,
            centre: (width as f32 / 2.0, height as f32 / 2.0),
            shift: (conditions.shift_x, conditions.shift_y),
            cos: angle.cos(),
            sin: angle.sin(),
            drag,
        }
    }

    fn reach(a: f32, b: f32) -> f32 {
        smoothstep(HELD_RADIUS, DRAGGED_RADIUS, a.hypot(b))
    }

    /// Offset from the anchor, in master pixels, of image pixel (u, v).
    pub(crate) fn image_to_offset(&self, u: f32, v: f32) -> (f32, f32) {
        let du = u - self.centre.0 - self.shift.0;
        let dv = v - self.centre.1 - self.shift.1;
        // The finger is turned clockwise by the angle on the image: undo it.
        let a = self.cos * du + self.sin * dv;
        let b = -self.sin * du + self.cos * dv;
        let reach = Self::reach(a, b);
        (a + self.drag.0 * reach, b + self.drag.1 * reach)
    }

    /// Image pixel showing the master point (x, y): the inverse of [`Self::image_to_offset`].
    pub(crate) fn master_to_image(&self, x: f32, y: f32) -> (f32, f32) {
        let (ma, mb) = (x - self.anchor.0, y - self.anchor.1);
        // Undo the drag by fixed-point iteration: it changes slowly with position (at most a few
        // pixels over 120), so each step divides the error by 20 or more.
        let (mut a, mut b) = (ma, mb);
        for _ in 0..4 {
            let reach = Self::reach(a, b);
            a = ma - self.drag.0 * reach;
            b = mb - self.drag.1 * reach;
        }
        (
            self.cos * a - self.sin * b + self.centre.0 + self.shift.0,
            self.sin * a + self.cos * b + self.centre.1 + self.shift.1,
        )
    }
}

/// Renders `conditions` of the finger whose master print and outline are given.
pub(crate) fn render(
    master: &MasterPrint,
    outline: &Outline,
    anchor: (f32, f32),
    conditions: &Impression,
    width: u32,
    height: u32,
) -> GrayImage {
    let mut rng = ChaCha8Rng::seed_from_u64(derive_seed(conditions.texture_seed, 0x7E47));
    let placement = Placement::new(anchor, conditions, width, height);
    let pressure = conditions.pressure.clamp(0.0, 1.0);
    let moisture = conditions.moisture.clamp(-1.0, 1.0);

    // Pressure widens the contact area and the ridges; wet skin widens them more, dry skin less.
    let contact_scale = 0.85 + 0.25 * pressure;
    let threshold = -0.45 * (pressure - 0.5) - 0.35 * moisture;
    let dryness = (-moisture).max(0.0);
    let wetness = moisture.max(0.0);

    let edge = LatticeNoise::new(&mut rng, width, height, 18.0);
    let pores = LatticeNoise::new(&mut rng, width, height, 3.0);
    let patches = LatticeNoise::new(&mut rng, width, height, 11.0);
    let background = rng.random_range(238.0..=250.0);
    let ridge_grey = rng.random_range(25.0..=55.0) - 20.0 * (pressure - 0.5);
    let valley_grey = background - rng.random_range(8.0..=20.0);

    let mut values = vec![0.0f32; width as usize * height as usize];
    for v in 0..height {
        for u in 0..width {
            let (a, b) = placement.image_to_offset(u as f32, v as f32);
            let (x, y) = (anchor.0 + a, anchor.1 + b);

            let ragged = 0.06 * (edge.at(u as f32, v as f32) - 0.5);
            let radius = outline.scaled_radius(x, y, contact_scale) + ragged;
            let mut contact = 1.0 - smoothstep(0.86, 1.0, radius);
            if let Some(partial) = conditions.partial {
                let along = a * partial.angle.cos() + b * partial.angle.sin();
                contact *=
                    1.0 - smoothstep(partial.distance - 12.0, partial.distance + 12.0, along);
            }
            if contact <= 0.0 {
                values[v as usize * width as usize + u as usize] = background;
                continue;
            }
            let s = master.sample(x, y);
            // Moisture fills valleys in patches: there the ridges swell until they merge.
            let swell = if wetness > 0.0 {
                1.3 * wetness * smoothstep(0.35, 0.75, patches.at(u as f32, v as f32))
            } else {
                0.0
            };
            // Skin is not smooth: ridge edges are rough, at the scale of the sweat pores.
            let rough = EDGE_ROUGHNESS * (pores.at(u as f32, v as f32) - 0.5);
            let edge = threshold - swell + rough;
            let mut ridge = smoothstep(edge - 0.35, edge + 0.35, s);
            if dryness > 0.0 {
                // Dry skin touches the glass in patches: ridges break up.
                let touch =
                    0.6 * patches.at(u as f32, v as f32) + 0.4 * pores.at(u as f32, v as f32);
                ridge *= smoothstep(dryness * 0.7 - 0.1, dryness * 0.7 + 0.1, touch);
            }
            // Towards the edge of the contact area the skin touches in ever smaller spots: ridges
            // break into fragments rather than fade.
            let spot = 0.5 * pores.at(u as f32, v as f32) + 0.5 * patches.at(u as f32, v as f32);
            ridge *= smoothstep(spot - 0.12, spot + 0.12, 1.4 * contact - 0.2);
            let strength = contact.sqrt();
            let inside = valley_grey * strength + background * (1.0 - strength);
            values[v as usize * width as usize + u as usize] =
                inside - (inside - ridge_grey) * ridge * strength;
        }
    }

    let blurred = blur3(&values, width as usize, height as usize);
    let mut image = GrayImage::new(width, height);
    for (pixel, value) in image.pixels_mut().zip(blurred) {
        let noisy = value + conditions.noise * gaussian(&mut rng);
        pixel.0[0] = noisy.round().clamp(0.0, 255.0) as u8;
    }
    image
}

/// A light 3×3 blur (1-2-1), as the sensor's optics soften edges.
fn blur3(values: &[f32], width: usize, height: usize) -> Vec<f32> {
    let at = |x: usize, y: usize| values[y * width + x];
    let mut out = values.to_vec();
    for y in 1..height.saturating_sub(1) {
        for x in 1..width.saturating_sub(1) {
            let mut sum = 0.0;
            for (dy, wy) in [(0, 1.0), (1, 2.0), (2, 1.0)] {
                for (dx, wx) in [(0, 1.0), (1, 2.0), (2, 1.0)] {
                    sum += wy * wx * at(x + dx - 1, y + dy - 1);
                }
            }
            out[y * width + x] = sum / 16.0;
        }
    }
    out
}
