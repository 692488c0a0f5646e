//! Measures of a fingerprint image, the same for our synthetic prints and for reference images, so
//! that the two can be compared: ridge period, contrast, foreground area, local ridge orientation.

use image::GrayImage;

/// Side of the square blocks the foreground is decided on, pixels.
const BLOCK: u32 = 16;
/// A block is foreground when its grey levels spread this much (standard deviation)...
const MIN_BLOCK_SPREAD: f32 = 18.0;
/// ...and it is not almost white.
const MAX_BLOCK_MEAN: f32 = 225.0;

/// What [`ImageMeasures::of`] finds in an image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImageMeasures {
    /// Median ridge period over the foreground, pixels (ridge to ridge), if any ridges were found.
    pub ridge_period: Option<f32>,
    /// Contrast of the foreground: grey level at the 95th percentile minus the 5th.
    pub contrast: f32,
    /// Foreground (print) area, pixels.
    pub foreground_pixels: u32,
    /// Foreground area as a share of the image, 0–1.
    pub foreground_share: f32,
    /// Mean grey level of the whole image.
    pub mean_grey: f32,
}

impl ImageMeasures {
    /// Measures `image`.
    pub fn of(image: &GrayImage) -> Self {
        let mask = foreground_blocks(image);
        let (w, h) = image.dimensions();
        let mut histogram = [0u32; 256];
        let mut foreground_pixels = 0u32;
        for (x, y, pixel) in image.enumerate_pixels() {
            if mask.contains(x, y) {
                histogram[pixel.0[0] as usize] += 1;
                foreground_pixels += 1;
            }
        }
        let percentile = |p: f32| -> f32 {
            let target = (p * foreground_pixels as f32) as u32;
            let mut seen = 0;
            for (level, count) in histogram.iter().enumerate() {
                seen += count;
                if seen > target {
                    return level as f32;
                }
            }
            255.0
        };
        let contrast = if foreground_pixels == 0 {
            0.0
        } else {
            percentile(0.95) - percentile(0.05)
        };
        let total: u64 = image.pixels().map(|p| u64::from(p.0[0])).sum();
        let area = (w * h).max(1);

        let mut periods = Vec::new();
        let step = 24;
        let mut y = 32;
        while y + 32 < h {
            let mut x = 32;
            while x + 32 < w {
                if mask.contains(x, y)
                    && let Some(period) = period_at(image, x as f32, y as f32)
                {
                    periods.push(period);
                }
                x += step;
            }
            y += step;
        }
        periods.sort_by(f32::total_cmp);
        let ridge_period = periods.get(periods.len() / 2).copied();
        Self {
            ridge_period,
            contrast,
            foreground_pixels,
            foreground_share: foreground_pixels as f32 / area as f32,
            mean_grey: total as f32 / area as f32,
        }
    }
}

/// Foreground blocks of an image.
struct BlockMask {
    cols: u32,
    blocks: Vec<bool>,
}

impl BlockMask {
    fn contains(&self, x: u32, y: u32) -> bool {
        self.blocks
            .get(((y / BLOCK) * self.cols + x / BLOCK) as usize)
            .copied()
            .unwrap_or(false)
    }
}

fn foreground_blocks(image: &GrayImage) -> BlockMask {
    let (w, h) = image.dimensions();
    let (cols, rows) = (w.div_ceil(BLOCK), h.div_ceil(BLOCK));
    let mut blocks = Vec::with_capacity((cols * rows) as usize);
    for by in 0..rows {
        for bx in 0..cols {
            let (mut n, mut sum, mut sum2) = (0.0f32, 0.0f32, 0.0f32);
            for y in by * BLOCK..((by + 1) * BLOCK).min(h) {
                for x in bx * BLOCK..((bx + 1) * BLOCK).min(w) {
                    let v = f32::from(image.get_pixel(x, y).0[0]);
                    n += 1.0;
                    sum += v;
                    sum2 += v * v;
                }
            }
            let mean = sum / n.max(1.0);
            let spread = (sum2 / n.max(1.0) - mean * mean).max(0.0).sqrt();
            blocks.push(spread >= MIN_BLOCK_SPREAD && mean <= MAX_BLOCK_MEAN);
        }
    }
    BlockMask { cols, blocks }
}

/// Local ridge orientation round (x, y) from the grey-level gradients in a window of `radius`
/// pixels (structure tensor): the ridge direction in radians [0, π) and the coherence 0–1
/// (1: perfectly parallel ridges). `None` where the window leaves the image or is flat.
pub fn orientation_at(image: &GrayImage, x: f32, y: f32, radius: u32) -> Option<(f32, f32)> {
    let (w, h) = image.dimensions();
    let (cx, cy) = (x.round() as i64, y.round() as i64);
    let r = i64::from(radius);
    if cx - r < 1 || cy - r < 1 || cx + r + 1 >= i64::from(w) || cy + r + 1 >= i64::from(h) {
        return None;
    }
    let at = |x: i64, y: i64| f32::from(image.get_pixel(x as u32, y as u32).0[0]);
    let (mut gxx, mut gyy, mut gxy) = (0.0f32, 0.0f32, 0.0f32);
    for py in cy - r..=cy + r {
        for px in cx - r..=cx + r {
            let gx = at(px + 1, py) - at(px - 1, py);
            let gy = at(px, py + 1) - at(px, py - 1);
            gxx += gx * gx;
            gyy += gy * gy;
            gxy += gx * gy;
        }
    }
    let energy = gxx + gyy;
    if energy < 1e-3 {
        return None;
    }
    // The gradient is across the ridges; the ridge runs at right angles to it.
    let gradient = 0.5 * (2.0 * gxy).atan2(gxx - gyy);
    let coherence = ((gxx - gyy).powi(2) + 4.0 * gxy * gxy).sqrt() / energy;
    let ridge = (gradient + std::f32::consts::FRAC_PI_2).rem_euclid(std::f32::consts::PI);
    Some((ridge, coherence))
}

/// The ridge period round (x, y): the grey levels are averaged along the ridges into a profile
/// across them (Hong, Wan & Jain's x-signature), and the distance between its dark dips is measured.
pub fn period_at(image: &GrayImage, x: f32, y: f32) -> Option<f32> {
    let (theta, coherence) = orientation_at(image, x, y, 8)?;
    if coherence < 0.5 {
        return None;
    }
    let (w, h) = image.dimensions();
    let (along_x, along_y) = (theta.cos(), theta.sin());
    let (across_x, across_y) = (-along_y, along_x);
    const LENGTH: usize = 64;
    const WIDTH: i32 = 8;
    let mut profile = [0.0f32; LENGTH];
    for (k, value) in profile.iter_mut().enumerate() {
        let t = k as f32 - LENGTH as f32 / 2.0;
        let mut sum = 0.0;
        for s in -WIDTH..=WIDTH {
            let px = x + t * across_x + s as f32 * along_x;
            let py = y + t * across_y + s as f32 * along_y;
            if px < 0.0 || py < 0.0 || px >= w as f32 - 1.0 || py >= h as f32 - 1.0 {
                return None;
            }
            sum += f32::from(image.get_pixel(px as u32, py as u32).0[0]);
        }
        *value = sum;
    }
    // Smooth a little before looking for dips.
    let smooth: Vec<f32> = (0..LENGTH)
        .map(|k| {
            let lo = k.saturating_sub(1);
            let hi = (k + 1).min(LENGTH - 1);
            (profile[lo] + 2.0 * profile[k] + profile[hi]) / 4.0
        })
        .collect();
    // Dips (ridges are dark), placed to a fraction of a pixel by a parabola through three samples.
    let dips: Vec<f32> = (2..LENGTH - 2)
        .filter(|&k| {
            smooth[k] < smooth[k - 1]
                && smooth[k] <= smooth[k + 1]
                && smooth[k] < smooth[k - 2]
                && smooth[k] <= smooth[k + 2]
        })
        .map(|k| {
            let (a, b, c) = (smooth[k - 1], smooth[k], smooth[k + 1]);
            let curvature = a - 2.0 * b + c;
            let offset = if curvature > 1e-6 {
                (0.5 * (a - c) / curvature).clamp(-0.5, 0.5)
            } else {
                0.0
            };
            k as f32 + offset
        })
        .collect();
    if dips.len() < 3 {
        return None;
    }
    let (Some(first), Some(last)) = (dips.first(), dips.last()) else {
        return None;
    };
    Some((last - first) / (dips.len() - 1) as f32)
}
