//! Deterministic smooth random fields, the raw material of natural-looking variation (ridge period,
//! skin dryness, pressure), drawn from a seeded generator so that a seed always gives the same field.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A smooth random field: a sum of a few plane waves with random directions and phases, with
/// wavelengths in a given range. Values lie roughly in [-1, 1] (the sum is scaled by 1/√n).
#[derive(Debug, Clone)]
pub(crate) struct SmoothField {
    waves: Vec<[f32; 3]>,
    scale: f32,
}

impl SmoothField {
    /// `count` waves with wavelengths between `min_wavelength` and `max_wavelength` pixels.
    pub(crate) fn new(
        rng: &mut ChaCha8Rng,
        count: usize,
        min_wavelength: f32,
        max_wavelength: f32,
    ) -> Self {
        let waves = (0..count)
            .map(|_| {
                let direction = rng.random_range(0.0..std::f32::consts::TAU);
                let wavelength = rng.random_range(min_wavelength..=max_wavelength);
                let k = std::f32::consts::TAU / wavelength;
                let phase = rng.random_range(0.0..std::f32::consts::TAU);
                [k * direction.cos(), k * direction.sin(), phase]
            })
            .collect::<Vec<_>>();
        let scale = if count == 0 {
            0.0
        } else {
            (2.0 / count as f32).sqrt()
        };
        Self { waves, scale }
    }

    /// The field's value at (x, y), roughly in [-1, 1].
    pub(crate) fn at(&self, x: f32, y: f32) -> f32 {
        let sum: f32 = self
            .waves
            .iter()
            .map(|[kx, ky, phase]| (kx * x + ky * y + phase).cos())
            .sum();
        (sum * self.scale).clamp(-1.0, 1.0)
    }
}

/// A standard normal sample (Box–Muller), so that noise needs no extra crate.
pub(crate) fn gaussian(rng: &mut ChaCha8Rng) -> f32 {
    let u1: f32 = rng.random_range(f32::EPSILON..1.0);
    let u2: f32 = rng.random_range(0.0..1.0);
    (-2.0 * u1.ln()).sqrt() * (std::f32::consts::TAU * u2).cos()
}

/// A seed for a sub-generator, mixed from a parent seed and a purpose tag (SplitMix64 finaliser), so
/// that adding a draw in one part of the synthesis does not shift every other part.
pub(crate) fn derive_seed(seed: u64, tag: u64) -> u64 {
    let mut z = seed ^ tag.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Blobby value noise: random values on a lattice `spacing` pixels apart, smoothly interpolated.
/// Values in [0, 1]. Used for skin texture: dry patches, wet patches, a ragged contact edge.
#[derive(Debug, Clone)]
pub(crate) struct LatticeNoise {
    cols: usize,
    rows: usize,
    spacing: f32,
    values: Vec<f32>,
}

impl LatticeNoise {
    /// Noise over a `width` × `height` pixel area with blobs about `spacing` pixels across.
    pub(crate) fn new(rng: &mut ChaCha8Rng, width: u32, height: u32, spacing: f32) -> Self {
        let spacing = spacing.max(1.0);
        let cols = (width as f32 / spacing).ceil() as usize + 2;
        let rows = (height as f32 / spacing).ceil() as usize + 2;
        let values = (0..cols * rows)
            .map(|_| rng.random_range(0.0..1.0))
            .collect();
        Self {
            cols,
            rows,
            spacing,
            values,
        }
    }

    /// The noise at (x, y), in [0, 1].
    pub(crate) fn at(&self, x: f32, y: f32) -> f32 {
        let gx = (x / self.spacing).clamp(0.0, (self.cols - 1) as f32 - 0.001);
        let gy = (y / self.spacing).clamp(0.0, (self.rows - 1) as f32 - 0.001);
        let (c, r) = (gx as usize, gy as usize);
        let smooth = |t: f32| t * t * (3.0 - 2.0 * t);
        let (fx, fy) = (smooth(gx - c as f32), smooth(gy - r as f32));
        let i = r * self.cols + c;
        let top = self.values[i] * (1.0 - fx) + self.values[i + 1] * fx;
        let bottom = self.values[i + self.cols] * (1.0 - fx) + self.values[i + self.cols + 1] * fx;
        top * (1.0 - fy) + bottom * fy
    }
}

/// Hermite step: 0 below `edge0`, 1 above `edge1`, smooth between.
pub(crate) fn smoothstep(edge0: f32, edge1: f32, x: f32) -> f32 {
    let t = ((x - edge0) / (edge1 - edge0)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}
