//! A floating-point RGB canvas with the few operations the portrait needs: blending a colour with an
//! anti-aliased coverage, a Gaussian blur, a gain and sensor noise.

use image::{Rgb, RgbImage};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Linear-ish RGB in 0..=255 (no gamma handling: the renderer is honest, not photometric).
pub(crate) type Colour = [f32; 3];

/// The canvas: `width × height` colours, plus a per-pixel flag "part of the person" (not background),
/// which the side-shadow defect needs.
pub(crate) struct Canvas {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<Colour>,
    pub person: Vec<bool>,
}

impl Canvas {
    pub fn new(width: usize, height: usize) -> Self {
        Canvas {
            width,
            height,
            pixels: vec![[0.0; 3]; width * height],
            person: vec![false; width * height],
        }
    }

    /// Multiplies every pixel by `gain` (exposure).
    pub fn apply_gain(&mut self, gain: f32) {
        for pixel in &mut self.pixels {
            for channel in pixel.iter_mut() {
                *channel *= gain;
            }
        }
    }

    /// A separable Gaussian blur of standard deviation `sigma` pixels (edges clamp).
    pub fn blur(&mut self, sigma: f32) {
        if sigma < 0.3 {
            return;
        }
        let radius = (sigma * 3.0).ceil() as isize;
        let kernel: Vec<f32> = (-radius..=radius)
            .map(|i| (-(i as f32).powi(2) / (2.0 * sigma * sigma)).exp())
            .collect();
        let total: f32 = kernel.iter().sum();
        let kernel: Vec<f32> = kernel.iter().map(|k| k / total).collect();
        let (w, h) = (self.width as isize, self.height as isize);
        let mut tmp = vec![[0.0f32; 3]; self.pixels.len()];
        for y in 0..h {
            for x in 0..w {
                let mut acc = [0.0f32; 3];
                for (k, weight) in kernel.iter().enumerate() {
                    let sx = (x + k as isize - radius).clamp(0, w - 1);
                    let p = self.pixels[(y * w + sx) as usize];
                    for c in 0..3 {
                        acc[c] += p[c] * weight;
                    }
                }
                tmp[(y * w + x) as usize] = acc;
            }
        }
        for y in 0..h {
            for x in 0..w {
                let mut acc = [0.0f32; 3];
                for (k, weight) in kernel.iter().enumerate() {
                    let sy = (y + k as isize - radius).clamp(0, h - 1);
                    let p = tmp[(sy * w + x) as usize];
                    for c in 0..3 {
                        acc[c] += p[c] * weight;
                    }
                }
                self.pixels[(y * w + x) as usize] = acc;
            }
        }
    }

    /// Adds Gaussian sensor noise of standard deviation `sigma` (grey levels), then rounds and clips.
    pub fn into_image(self, noise_sigma: f32, rng: &mut ChaCha8Rng) -> RgbImage {
        let mut image = RgbImage::new(self.width as u32, self.height as u32);
        for (pixel, out) in self.pixels.iter().zip(image.pixels_mut()) {
            // Luma noise shared by the channels plus a smaller chroma part, as on a real sensor.
            let shared = gaussian(rng) * noise_sigma;
            let mut rgb = [0u8; 3];
            for c in 0..3 {
                let value = pixel[c] + shared + gaussian(rng) * noise_sigma * 0.4;
                rgb[c] = value.round().clamp(0.0, 255.0) as u8;
            }
            *out = Rgb(rgb);
        }
        image
    }
}

/// A standard normal sample (Box–Muller), from our own seeded generator.
pub(crate) fn gaussian(rng: &mut ChaCha8Rng) -> f32 {
    let u1: f32 = rng.random_range(1e-7f32..1.0);
    let u2: f32 = rng.random::<f32>();
    (-2.0 * u1.ln()).sqrt() * (std::f32::consts::TAU * u2).cos()
}

/// Mixes `base` toward `paint` by `coverage` (0..=1).
pub(crate) fn mix(base: Colour, paint: Colour, coverage: f32) -> Colour {
    if coverage <= 0.0 {
        return base;
    }
    if coverage >= 1.0 {
        return paint;
    }
    [
        base[0] + (paint[0] - base[0]) * coverage,
        base[1] + (paint[1] - base[1]) * coverage,
        base[2] + (paint[2] - base[2]) * coverage,
    ]
}

/// Scales a colour.
pub(crate) fn scale(colour: Colour, factor: f32) -> Colour {
    [colour[0] * factor, colour[1] * factor, colour[2] * factor]
}

/// Coverage of an ellipse centred at the origin with semi-axes `a`, `b`, at point (`u`, `v`), for a
/// pixel of size `pixel` (all in the same unit): 1 inside, 0 outside, a one-pixel ramp at the edge.
pub(crate) fn ellipse_coverage(u: f32, v: f32, a: f32, b: f32, pixel: f32) -> f32 {
    let (nu, nv) = (u / a, v / b);
    let rho = (nu * nu + nv * nv).sqrt();
    if rho < 1e-6 {
        return 1.0;
    }
    let grad = ((u / (a * a)).powi(2) + (v / (b * b)).powi(2)).sqrt() / rho;
    let distance = (rho - 1.0) / grad.max(1e-6);
    (0.5 - distance / pixel).clamp(0.0, 1.0)
}

/// Coverage of a band `|d| < half_width` where `d` is a signed distance (same unit as `pixel`).
pub(crate) fn band_coverage(distance: f32, half_width: f32, pixel: f32) -> f32 {
    (0.5 - (distance.abs() - half_width) / pixel).clamp(0.0, 1.0)
}

/// Coverage of the half-plane `d < 0` for a signed distance `d`.
pub(crate) fn edge_coverage(distance: f32, pixel: f32) -> f32 {
    (0.5 - distance / pixel).clamp(0.0, 1.0)
}

/// Smooth step from 0 at `edge0` to 1 at `edge1`.
pub(crate) fn smoothstep(edge0: f32, edge1: f32, x: f32) -> f32 {
    let t = ((x - edge0) / (edge1 - edge0)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// A deterministic hash noise in 0..1 for an integer lattice point (texture, not randomness).
pub(crate) fn hash_noise(x: i32, y: i32, salt: u32) -> f32 {
    let mut h = (x as u32).wrapping_mul(0x9E37_79B1) ^ (y as u32).wrapping_mul(0x85EB_CA77) ^ salt;
    h ^= h >> 15;
    h = h.wrapping_mul(0x2C1B_3C6D);
    h ^= h >> 12;
    h = h.wrapping_mul(0x297A_2D39);
    h ^= h >> 15;
    (h & 0xFFFF) as f32 / 65535.0
}

/// Smooth value noise in 0..1 at a real point, cell size 1.
pub(crate) fn value_noise(x: f32, y: f32, salt: u32) -> f32 {
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let (sx, sy) = (fx * fx * (3.0 - 2.0 * fx), fy * fy * (3.0 - 2.0 * fy));
    let (ix, iy) = (x0 as i32, y0 as i32);
    let n00 = hash_noise(ix, iy, salt);
    let n10 = hash_noise(ix + 1, iy, salt);
    let n01 = hash_noise(ix, iy + 1, salt);
    let n11 = hash_noise(ix + 1, iy + 1, salt);
    let top = n00 + (n10 - n00) * sx;
    let bottom = n01 + (n11 - n01) * sx;
    top + (bottom - top) * sy
}
