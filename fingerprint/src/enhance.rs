//! Ridge enhancement before minutiae extraction: each pixel is filtered with an even Gabor kernel
//! tuned to the local ridge direction and to the print's ridge period (Hong, Wan & Jain, "Fingerprint
//! image enhancement: algorithm and performance evaluation", IEEE PAMI 20(8), 1998).
//!
//! Why: on a dry finger the ridges break into dashes, and MINDTCT takes every dash end for a minutia.
//! The kernel is long along the ridge and a ridge period wide across it, so it joins the dashes and
//! keeps the ridge and valley rhythm. On simulator identities (matching_accuracy.rs) the genuine pairs
//! that failed were almost all such prints; see mod.rs for the figures before and after.
//!
//! Steps: the ridge direction per 8 × 8 block from the gradients in a 24 × 24 window, smoothed over
//! 5 × 5 blocks (as a doubled-angle vector, so opposite gradients add up); the ridge period, the median
//! of the blocks' own estimates (peaks of the grey profile across the ridges); then the filtering, with
//! kernels for 16 directions computed once per image.

use std::f32::consts::PI;

/// Side of the blocks that share one ridge direction, pixels.
const BLOCK: usize = 8;
/// Side of the window the direction of a block is measured over, pixels.
const WINDOW: usize = 24;
/// Blocks each side averaged into a block's direction (5 × 5 blocks).
const SMOOTH: i32 = 2;
/// Directions the kernels are computed for (11.25° apart).
const DIRECTIONS: usize = 16;
/// Half-side of the kernel, pixels: it spans about two ridge periods each way.
const RADIUS: usize = 10;
/// Kernel side, padded to a multiple of 8 so that the inner loop runs on whole lanes.
const ROW: usize = 24;
/// Spread of the kernel across the ridges (pixels): about a third of a period, as in Hong et al.
const SIGMA_ACROSS: f32 = 3.0;
/// Spread along the ridges (pixels): long enough to bridge the gaps of a dry print.
const SIGMA_ALONG: f32 = 5.0;
/// Ridge periods believed, pixels: 8–10 px is usual at 500 ppi
/// (docs/reference/fingerprint-science.md, "Synthesis"); this range leaves room for children and
/// large fingers.
const PERIODS: std::ops::RangeInclusive<f32> = 5.0..=15.0;
/// The period used when no block gives one.
const USUAL_PERIOD: f32 = 9.0;

/// The enhanced copy of a row-major 8-bit image (dark ridges on a light background, the same
/// polarity), and the ridge period found, pixels. Images smaller than a kernel are returned as they
/// are.
pub fn enhance(pixels: &[u8], width: usize, height: usize) -> (Vec<u8>, f32) {
    if width < 2 * RADIUS + 1 || height < 2 * RADIUS + 1 || pixels.len() < width * height {
        return (pixels.to_vec(), USUAL_PERIOD);
    }
    let image = Centred::new(&pixels[..width * height], width, height);
    let directions = image.directions();
    let period = image.period(&directions);
    let filtered = image.filter(&directions, period);
    (to_grey(&filtered), period)
}

/// The image with its mean taken off, as floats.
struct Centred {
    values: Vec<f32>,
    width: usize,
    height: usize,
}

/// Direction across the ridges (the gradient's, radians in −π/2..π/2) for each block, row-major.
struct Directions {
    across: Vec<f32>,
    columns: usize,
}

impl Directions {
    fn at(&self, x: usize, y: usize) -> f32 {
        self.across[(y / BLOCK) * self.columns + x / BLOCK]
    }
}

impl Centred {
    fn new(pixels: &[u8], width: usize, height: usize) -> Self {
        let mean = pixels.iter().map(|v| f64::from(*v)).sum::<f64>() / pixels.len() as f64;
        let values = pixels.iter().map(|v| f32::from(*v) - mean as f32).collect();
        Self {
            values,
            width,
            height,
        }
    }

    /// Sobel gradients, as the three running sums the direction needs (gx² − gy², 2·gx·gy), each
    /// as a summed-area table.
    fn gradient_tables(&self) -> (SummedArea, SummedArea) {
        let (w, h, v) = (self.width, self.height, &self.values);
        let mut cos2 = vec![0.0f32; w * h];
        let mut sin2 = vec![0.0f32; w * h];
        for y in 1..h - 1 {
            for x in 1..w - 1 {
                let i = y * w + x;
                let gx = 2.0 * (v[i + 1] - v[i - 1]) + v[i - w + 1] - v[i - w - 1] + v[i + w + 1]
                    - v[i + w - 1];
                let gy = 2.0 * (v[i + w] - v[i - w]) + v[i + w - 1] - v[i - w - 1] + v[i + w + 1]
                    - v[i - w + 1];
                cos2[i] = gx * gx - gy * gy;
                sin2[i] = 2.0 * gx * gy;
            }
        }
        (SummedArea::new(&cos2, w, h), SummedArea::new(&sin2, w, h))
    }

    fn directions(&self) -> Directions {
        let (cos2, sin2) = self.gradient_tables();
        let columns = self.width.div_ceil(BLOCK);
        let rows = self.height.div_ceil(BLOCK);
        let mut raw = vec![(0.0f64, 0.0f64); columns * rows];
        for by in 0..rows {
            for bx in 0..columns {
                let (cx, cy) = (bx * BLOCK + BLOCK / 2, by * BLOCK + BLOCK / 2);
                let (x0, y0) = (cx.saturating_sub(WINDOW / 2), cy.saturating_sub(WINDOW / 2));
                let x1 = (cx + WINDOW / 2).min(self.width);
                let y1 = (cy + WINDOW / 2).min(self.height);
                raw[by * columns + bx] = (cos2.sum(x0, y0, x1, y1), sin2.sum(x0, y0, x1, y1));
            }
        }
        let mut across = vec![0.0f32; columns * rows];
        for by in 0..rows as i32 {
            for bx in 0..columns as i32 {
                let (mut c, mut s) = (0.0f64, 0.0f64);
                for dy in -SMOOTH..=SMOOTH {
                    for dx in -SMOOTH..=SMOOTH {
                        let (x, y) = (bx + dx, by + dy);
                        if x >= 0 && y >= 0 && x < columns as i32 && y < rows as i32 {
                            let (rc, rs) = raw[y as usize * columns + x as usize];
                            c += rc;
                            s += rs;
                        }
                    }
                }
                across[by as usize * columns + bx as usize] = (0.5 * s.atan2(c)) as f32;
            }
        }
        Directions { across, columns }
    }

    /// The median of the blocks' ridge periods: each block's grey profile across the ridges (32
    /// samples, each the sum of 15 along the ridge), the mean distance between its peaks.
    fn period(&self, directions: &Directions) -> f32 {
        const SAMPLES: usize = 32;
        const ALONG: i32 = 7;
        let mut found = Vec::new();
        let (w, h) = (self.width as f32, self.height as f32);
        for (b, across) in directions.across.iter().enumerate() {
            let cx = ((b % directions.columns) * BLOCK + BLOCK / 2) as f32;
            let cy = ((b / directions.columns) * BLOCK + BLOCK / 2) as f32;
            let (s, c) = across.sin_cos();
            let mut profile = [0.0f32; SAMPLES];
            let mut inside = true;
            'samples: for (k, sample) in profile.iter_mut().enumerate() {
                let u = k as f32 - (SAMPLES / 2) as f32;
                for a in -ALONG..=ALONG {
                    let a = a as f32;
                    let (x, y) = (cx + u * c - a * s, cy + u * s + a * c);
                    if x < 0.0 || y < 0.0 || x >= w - 1.0 || y >= h - 1.0 {
                        inside = false;
                        break 'samples;
                    }
                    *sample += self.values[y as usize * self.width + x as usize];
                }
            }
            if !inside {
                continue;
            }
            let peaks: Vec<usize> = (1..SAMPLES - 1)
                .filter(|k| profile[*k] > profile[k - 1] && profile[*k] >= profile[k + 1])
                .collect();
            if let (Some(first), Some(last)) = (peaks.first(), peaks.last())
                && peaks.len() >= 2
            {
                let period = (last - first) as f32 / (peaks.len() - 1) as f32;
                if PERIODS.contains(&period) {
                    found.push(period);
                }
            }
        }
        if found.is_empty() {
            return USUAL_PERIOD;
        }
        let middle = found.len() / 2;
        *found.select_nth_unstable_by(middle, f32::total_cmp).1
    }

    /// Each pixel filtered with the kernel of its block's direction.
    fn filter(&self, directions: &Directions, period: f32) -> Vec<f32> {
        let kernels: Vec<Kernel> = (0..DIRECTIONS)
            .map(|k| Kernel::new(k as f32 * PI / DIRECTIONS as f32 - PI / 2.0, period))
            .collect();
        let padded = Padded::new(self);
        let mut out = vec![0.0f32; self.width * self.height];
        for y in 0..self.height {
            for x in 0..self.width {
                let across = directions.at(x, y);
                let k =
                    ((across + PI / 2.0) / PI * DIRECTIONS as f32).round() as usize % DIRECTIONS;
                out[y * self.width + x] = kernels[k].apply(&padded, x, y);
            }
        }
        out
    }
}

/// A summed-area table (`(width + 1) × (height + 1)`, f64 so that large images keep precision).
struct SummedArea {
    table: Vec<f64>,
    stride: usize,
}

impl SummedArea {
    fn new(values: &[f32], width: usize, height: usize) -> Self {
        let stride = width + 1;
        let mut table = vec![0.0f64; stride * (height + 1)];
        for y in 0..height {
            let mut row = 0.0f64;
            for x in 0..width {
                row += f64::from(values[y * width + x]);
                table[(y + 1) * stride + x + 1] = table[y * stride + x + 1] + row;
            }
        }
        Self { table, stride }
    }

    /// Sum over `x0..x1` × `y0..y1`.
    fn sum(&self, x0: usize, y0: usize, x1: usize, y1: usize) -> f64 {
        let t = &self.table;
        let s = self.stride;
        t[y1 * s + x1] - t[y0 * s + x1] - t[y1 * s + x0] + t[y0 * s + x0]
    }
}

/// The image with `RADIUS` pixels of its edge repeated on every side, and `ROW` columns more on the
/// right so that every kernel row reads whole lanes.
struct Padded {
    values: Vec<f32>,
    stride: usize,
}

impl Padded {
    fn new(image: &Centred) -> Self {
        let stride = image.width + 2 * RADIUS + ROW;
        let rows = image.height + 2 * RADIUS;
        let mut values = vec![0.0f32; stride * rows];
        for y in 0..rows {
            let from = y.saturating_sub(RADIUS).min(image.height - 1);
            for x in 0..stride {
                let fx = x.saturating_sub(RADIUS).min(image.width - 1);
                values[y * stride + x] = image.values[from * image.width + fx];
            }
        }
        Self { values, stride }
    }
}

/// An even Gabor kernel, `2·RADIUS + 1` rows of `ROW` weights (zeros past the kernel's side), with
/// zero mean so that a flat area gives zero.
struct Kernel {
    rows: Vec<[f32; ROW]>,
}

impl Kernel {
    fn new(across: f32, period: f32) -> Self {
        let (s, c) = across.sin_cos();
        let side = 2 * RADIUS + 1;
        let mut rows = vec![[0.0f32; ROW]; side];
        let mut total = 0.0f32;
        for (dy, row) in rows.iter_mut().enumerate() {
            for (dx, weight) in row.iter_mut().take(side).enumerate() {
                let (x, y) = (dx as f32 - RADIUS as f32, dy as f32 - RADIUS as f32);
                let u = x * c + y * s;
                let v = -x * s + y * c;
                let envelope = (-0.5
                    * (u * u / (SIGMA_ACROSS * SIGMA_ACROSS)
                        + v * v / (SIGMA_ALONG * SIGMA_ALONG)))
                    .exp();
                *weight = envelope * (2.0 * PI * u / period).cos();
                total += *weight;
            }
        }
        let mean = total / (side * side) as f32;
        for row in &mut rows {
            for weight in row.iter_mut().take(side) {
                *weight -= mean;
            }
        }
        Self { rows }
    }

    /// The filtered value at (`x`, `y`) of the original image.
    fn apply(&self, image: &Padded, x: usize, y: usize) -> f32 {
        let mut lanes = [0.0f32; 8];
        for (dy, row) in self.rows.iter().enumerate() {
            let start = (y + dy) * image.stride + x;
            let pixels = &image.values[start..start + ROW];
            for (weights, values) in row.chunks_exact(8).zip(pixels.chunks_exact(8)) {
                for lane in 0..8 {
                    lanes[lane] += weights[lane] * values[lane];
                }
            }
        }
        lanes.iter().sum()
    }
}

/// Back to 8-bit grey: 128 for zero, the 95th percentile of the magnitudes at full scale.
fn to_grey(filtered: &[f32]) -> Vec<u8> {
    let mut magnitudes: Vec<f32> = filtered.iter().map(|v| v.abs()).collect();
    let at = (magnitudes.len() * 95 / 100).min(magnitudes.len().saturating_sub(1));
    let scale = if magnitudes.is_empty() {
        1.0
    } else {
        magnitudes
            .select_nth_unstable_by(at, f32::total_cmp)
            .1
            .max(1e-3)
    };
    filtered
        .iter()
        .map(|v| (128.0 + 127.0 * (v / scale).clamp(-1.0, 1.0)).round() as u8)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Straight ridges of period 9 px, broken into dashes like a dry finger's.
    fn dashed_ridges(width: usize, height: usize) -> Vec<u8> {
        let mut pixels = vec![230u8; width * height];
        for y in 0..height {
            for x in 0..width {
                let on_ridge = (y % 9) < 4;
                let in_gap = (x + 5 * (y / 9)) % 14 < 5;
                if on_ridge && !in_gap {
                    pixels[y * width + x] = 40;
                }
            }
        }
        pixels
    }

    #[test]
    fn finds_the_ridge_period() {
        let (_, period) = enhance(&dashed_ridges(128, 128), 128, 128);
        assert!((period - 9.0).abs() <= 0.5, "period {period}");
    }

    #[test]
    fn joins_the_dashes_of_a_dry_ridge() {
        let (w, h) = (128, 128);
        let dry = dashed_ridges(w, h);
        let (enhanced, _) = enhance(&dry, w, h);
        // Along the middle of a ridge row, away from the edges: the dry image is light in its gaps,
        // the enhanced one stays dark all along.
        let y = 9 * 7 + 1;
        let light = |p: &[u8]| (20..108).filter(|x| p[y * w + x] > 128).count();
        assert!(light(&dry) > 25, "the test pattern has gaps");
        assert_eq!(light(&enhanced), 0, "gaps left after enhancement");
        // And the valleys stay light.
        let valley = 9 * 7 + 6;
        assert!((20..108).all(|x| enhanced[valley * w + x] > 128));
    }

    #[test]
    fn leaves_a_tiny_image_alone() {
        let pixels = vec![7u8; 10 * 10];
        assert_eq!(enhance(&pixels, 10, 10).0, pixels);
        assert_eq!(enhance(&pixels[..50], 10, 10).0, pixels[..50].to_vec());
    }
}
