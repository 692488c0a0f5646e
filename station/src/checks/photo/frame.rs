//! The photo as the checks see it: full-resolution luma (sharpness, eyes) and a small colour copy about
//! 160 pixels wide (segmentation, background), both plain float buffers.

use image::RgbImage;

/// Width the segmentation works at: enough for a head that fills a third of the frame, and fast.
const SMALL_WIDTH: u32 = 160;

/// The working copies of one photo.
pub(crate) struct Frame {
    pub width: usize,
    pub height: usize,
    /// Full-resolution Rec. 601 luma, row by row.
    pub luma: Vec<f32>,
    /// Full-resolution colour (for the eye whites).
    pub rgb: Vec<[f32; 3]>,
    pub small: Small,
}

/// A box-averaged copy `factor` times smaller.
pub(crate) struct Small {
    pub width: usize,
    pub height: usize,
    pub factor: usize,
    pub rgb: Vec<[f32; 3]>,
    pub luma: Vec<f32>,
}

impl Frame {
    pub fn new(image: &RgbImage) -> Frame {
        let (width, height) = (image.width() as usize, image.height() as usize);
        let rgb: Vec<[f32; 3]> = image
            .pixels()
            .map(|p| [f32::from(p[0]), f32::from(p[1]), f32::from(p[2])])
            .collect();
        let luma: Vec<f32> = rgb.iter().map(|c| self::luma(*c)).collect();
        let factor = ((image.width() + SMALL_WIDTH / 2) / SMALL_WIDTH).max(1) as usize;
        let (sw, sh) = ((width / factor).max(1), (height / factor).max(1));
        let mut small_rgb = vec![[0.0f32; 3]; sw * sh];
        for (sy, row) in small_rgb.chunks_mut(sw).enumerate() {
            for (sx, out) in row.iter_mut().enumerate() {
                let mut acc = [0.0f32; 3];
                let mut n = 0.0f32;
                for y in sy * factor..((sy + 1) * factor).min(height) {
                    for x in sx * factor..((sx + 1) * factor).min(width) {
                        let c = rgb[y * width + x];
                        acc[0] += c[0];
                        acc[1] += c[1];
                        acc[2] += c[2];
                        n += 1.0;
                    }
                }
                let n = n.max(1.0);
                *out = [acc[0] / n, acc[1] / n, acc[2] / n];
            }
        }
        let small_luma = small_rgb.iter().map(|c| self::luma(*c)).collect();
        Frame {
            width,
            height,
            luma,
            rgb,
            small: Small {
                width: sw,
                height: sh,
                factor,
                rgb: small_rgb,
                luma: small_luma,
            },
        }
    }
}

/// Rec. 601 luma.
pub(crate) fn luma(c: [f32; 3]) -> f32 {
    0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]
}

/// Saturation as in HSV: (max − min) / max.
pub(crate) fn saturation(c: [f32; 3]) -> f32 {
    let max = c[0].max(c[1]).max(c[2]);
    let min = c[0].min(c[1]).min(c[2]);
    if max < 1.0 { 0.0 } else { (max - min) / max }
}

/// Euclidean colour distance.
pub(crate) fn distance(a: [f32; 3], b: [f32; 3]) -> f32 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}

/// The value below which `q` (0..=1) of `values` lie (sorts a copy; 0 for an empty slice).
pub(crate) fn quantile(values: &[f32], q: f32) -> f32 {
    if values.is_empty() {
        return 0.0;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let index = ((sorted.len() - 1) as f32 * q.clamp(0.0, 1.0)).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}
