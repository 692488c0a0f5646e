//! Block-level building blocks shared by the NFIQ 2 measures: gradient moments, ridge orientation,
//! the ridge segmentation mask, the rotated block and the ridge/valley profile. Each mirrors the
//! function of the same purpose in NFIQ 2 v2.3 (`common_functions.cpp`).

use super::image::Plane;

/// Side of NFIQ 2's local region (`Sizes::LocalRegionSquare`).
pub(crate) const BLOCK: usize = 32;
/// The slanted sub-block the ridge measures extract after rotation (32 × 16 px).
pub(crate) const SLANT_W: usize = 32;
/// Height of the slanted sub-block.
pub(crate) const SLANT_H: usize = 16;
/// Border added around a block so that the rotated slanted block stays inside it:
/// ceil((ceil(sqrt(32² + 16²)) − 32) / 2) = 2.
pub(crate) const SLANT_BORDER: usize = 2;

/// Sums of the gradient products over a block, gradients taken inside the block with centred
/// differences and one-sided ones at its edges (NIST `computeNumericalGradients` / `diffGrad`).
#[derive(Clone, Copy, Default)]
pub(crate) struct Moments {
    pub gxx: f64,
    pub gyy: f64,
    pub gxy: f64,
    pub n: f64,
}

pub(crate) fn gradient_moments(
    img: Plane<'_>,
    x0: usize,
    y0: usize,
    bw: usize,
    bh: usize,
) -> Moments {
    let mut m = Moments {
        n: (bw * bh) as f64,
        ..Moments::default()
    };
    if bw == 0 || bh == 0 {
        return m;
    }
    let row = |y: usize| &img.px[(y0 + y) * img.width + x0..(y0 + y) * img.width + x0 + bw];
    for y in 0..bh {
        let r = row(y);
        let (up, down, dy_div) = if bh < 2 {
            (r, r, 1.0)
        } else if y == 0 {
            (r, row(1), 1.0)
        } else if y == bh - 1 {
            (row(y - 1), r, 1.0)
        } else {
            (row(y - 1), row(y + 1), 2.0)
        };
        for x in 0..bw {
            let gx = if bw < 2 {
                0.0
            } else if x == 0 {
                f64::from(r[1]) - f64::from(r[0])
            } else if x == bw - 1 {
                f64::from(r[x]) - f64::from(r[x - 1])
            } else {
                (f64::from(r[x + 1]) - f64::from(r[x - 1])) / 2.0
            };
            let gy = (f64::from(down[x]) - f64::from(up[x])) / dy_div;
            m.gxx += gx * gx;
            m.gyy += gy * gy;
            m.gxy += gx * gy;
        }
    }
    m
}

impl Moments {
    /// NIST `ridgeorient` on the block means: the angle of the line perpendicular to the ridges.
    pub fn ridge_orientation(&self) -> f64 {
        let (a, b, c) = (self.gxx / self.n, self.gyy / self.n, self.gxy / self.n);
        let t = a - b;
        let denom = c * c + t * t + f64::EPSILON;
        (c / denom).atan2(t / denom) / 2.0
    }

    /// Orientation certainty level: 1 − λmin/λmax of the gradient covariance; `None` for a flat block.
    pub fn orientation_certainty(&self) -> Option<f64> {
        let (a, b, c) = (self.gxx / self.n, self.gyy / self.n, self.gxy / self.n);
        let root = ((a - b).powi(2) + 4.0 * c * c).sqrt();
        let max = ((a + b) + root) / 2.0;
        let min = ((a + b) - root) / 2.0;
        if max == 0.0 || !max.is_finite() {
            None
        } else {
            Some(1.0 - min / max)
        }
    }

    /// Coherence of the squared-gradient field (NIST `QualityMap::getAngleOfBlock`).
    pub fn coherence(&self) -> f64 {
        let sx = self.gxx - self.gyy;
        let sy = 2.0 * self.gxy;
        let total = self.gxx + self.gyy;
        if total > 0.0 {
            (sx * sx + sy * sy).sqrt() / total
        } else {
            0.0
        }
    }
}

/// NIST `ridgesegment` reduced to what the measures use: per 32 × 32 grid cell (from the top-left
/// corner, partial cells at the right and bottom), whether the cell's standard deviation exceeds
/// 0.1 × the image's. A block is foreground when every cell it touches is.
pub(crate) struct SegmentMask {
    cols: usize,
    rows: usize,
    ok: Vec<bool>,
}

/// Threshold on the normalised block standard deviation (NFIQ 2 measures' `threshold { .1 }`).
const SEGMENT_THRESHOLD: f64 = 0.1;

impl SegmentMask {
    pub fn new(img: Plane<'_>, image_std: f64) -> Self {
        let cols = img.width.div_ceil(BLOCK);
        let rows = img.height.div_ceil(BLOCK);
        let mut ok = vec![false; cols * rows];
        for gy in 0..rows {
            for gx in 0..cols {
                let (x0, y0) = (gx * BLOCK, gy * BLOCK);
                let (x1, y1) = ((x0 + BLOCK).min(img.width), (y0 + BLOCK).min(img.height));
                let n = ((x1 - x0) * (y1 - y0)) as f64;
                let (mut s, mut s2) = (0f64, 0f64);
                for y in y0..y1 {
                    for &v in &img.px[y * img.width + x0..y * img.width + x1] {
                        let v = f64::from(v);
                        s += v;
                        s2 += v * v;
                    }
                }
                let mean = s / n;
                let std = (s2 / n - mean * mean).max(0.0).sqrt();
                // std(normalised block) = std(block) / std(image); NaN (flat image) is never > 0.1.
                ok[gy * cols + gx] = std / image_std > SEGMENT_THRESHOLD;
            }
        }
        SegmentMask { cols, rows, ok }
    }

    /// Per pixel: foreground cell and `other` set.
    pub fn pixels_and(&self, other: &[bool], w: usize, h: usize) -> Vec<bool> {
        let mut out = Vec::with_capacity(w * h);
        for y in 0..h {
            let cells = &self.ok[(y / BLOCK) * self.cols..(y / BLOCK + 1) * self.cols];
            out.extend((0..w).map(|x| cells[x / BLOCK] && other[y * w + x]));
        }
        out
    }

    /// Whether every pixel of the rectangle lies in foreground cells.
    pub fn all(&self, x0: usize, y0: usize, w: usize, h: usize) -> bool {
        if w == 0 || h == 0 {
            return false;
        }
        let (gx0, gy0) = (x0 / BLOCK, y0 / BLOCK);
        let (gx1, gy1) = (
            ((x0 + w - 1) / BLOCK).min(self.cols - 1),
            ((y0 + h - 1) / BLOCK).min(self.rows - 1),
        );
        (gy0..=gy1).all(|gy| (gx0..=gx1).all(|gx| self.ok[gy * self.cols + gx]))
    }
}

/// The grid NFIQ 2's ridge measures walk: 32 × 32 blocks starting 2 px in, each seen through a
/// 36 × 36 window that also covers the 2 px border. Yields (map row, map col, x, y).
pub(crate) fn slanted_grid(
    width: usize,
    height: usize,
) -> impl Iterator<Item = (usize, usize, usize, usize)> {
    let step_ok = |n: usize, start: usize| start + BLOCK + SLANT_BORDER <= n;
    let ys = (0..)
        .map(|i| SLANT_BORDER + i * BLOCK)
        .take_while(move |&y| step_ok(height, y));
    ys.enumerate().flat_map(move |(br, y)| {
        (0..)
            .map(|i| SLANT_BORDER + i * BLOCK)
            .take_while(move |&x| step_ok(width, x))
            .enumerate()
            .map(move |(bc, x)| (br, bc, x, y))
    })
}

/// Number of (rows, cols) in [`slanted_grid`].
pub(crate) fn slanted_grid_size(width: usize, height: usize) -> (usize, usize) {
    let count = |n: usize| {
        if n >= SLANT_BORDER + BLOCK + SLANT_BORDER {
            (n - SLANT_BORDER - BLOCK - SLANT_BORDER) / BLOCK + 1
        } else {
            0
        }
    };
    (count(height), count(width))
}

/// A square window rotated by `angle` radians with nearest-neighbour sampling, as OpenCV's
/// `getRotationMatrix2D` + `warpAffine(INTER_NEAREST)` in NIST `getRotatedBlock`. With `pad`, two
/// more pixels are taken on every side first (the output keeps the unpadded size, so the rotation
/// centre sits 2 px right and down of the output centre, exactly as in NFIQ 2).
pub(crate) fn rotated_window(
    img: Plane<'_>,
    x0: usize,
    y0: usize,
    n: usize,
    angle: f64,
    pad: bool,
    out: &mut Vec<u8>,
) {
    out.clear();
    out.resize(n * n, 0);
    let p = if pad { 2isize } else { 0 };
    let src_n = n as isize + 2 * p;
    let c = src_n as f64 / 2.0;
    let (s, co) = angle.sin_cos();
    // Forward matrix M = [α β tx; −β α ty]; warpAffine samples src at M⁻¹ · dst.
    let (a, b) = (co, s);
    let tx = (1.0 - a) * c - b * c;
    let ty = b * c + (1.0 - a) * c;
    // Inverse of [[a, b], [−b, a]] is [[a, −b], [b, a]] (det = 1).
    let (i00, i01, i10, i11) = (a, -b, b, a);
    let itx = -(i00 * tx + i01 * ty);
    let ity = -(i10 * tx + i11 * ty);
    const SCALE: f64 = 1024.0;
    for y in 0..n {
        let yf = y as f64;
        let x_row = ((i01 * yf + itx) * SCALE).round_ties_even() as i64 + 512;
        let y_row = ((i11 * yf + ity) * SCALE).round_ties_even() as i64 + 512;
        for x in 0..n {
            let xf = x as f64;
            let sx = (x_row + (i00 * xf * SCALE).round_ties_even() as i64) >> 10;
            let sy = (y_row + (i10 * xf * SCALE).round_ties_even() as i64) >> 10;
            // OpenCV's copyMakeBorder on a sub-matrix takes the border from the surrounding image
            // where there is one (no BORDER_ISOLATED in NIST's call); zeros only beyond its edge.
            if sx >= 0 && sy >= 0 && (sx as isize) < src_n && (sy as isize) < src_n {
                let ix = x0 as isize + sx as isize - p;
                let iy = y0 as isize + sy as isize - p;
                if ix >= 0 && iy >= 0 && (ix as usize) < img.width && (iy as usize) < img.height {
                    out[y * n + x] = img.at(ix as usize, iy as usize);
                }
            }
        }
    }
}

/// NIST `getRidgeValleyStructure` on a crop of a rotated window: the column means, the least-squares
/// trend line through them (rounded to 1e−10 as NIST does), and which columns are ridge (darker
/// than the trend).
pub(crate) fn ridge_valley_structure(
    win: &[u8],
    n: usize,
    r0: usize,
    rows: usize,
    c0: usize,
    cols: usize,
) -> (Vec<f64>, Vec<f64>, Vec<bool>) {
    let mut v3 = vec![0.0; cols];
    for (i, v) in v3.iter_mut().enumerate() {
        let s: u32 = (r0..r0 + rows)
            .map(|r| u32::from(win[r * n + c0 + i]))
            .sum();
        *v = f64::from(s) / rows as f64;
    }
    let m = cols as f64;
    let sx: f64 = (1..=cols).map(|i| i as f64).sum();
    let sxx: f64 = (1..=cols).map(|i| (i * i) as f64).sum();
    let sy: f64 = v3.iter().sum();
    let sxy: f64 = v3.iter().enumerate().map(|(i, v)| (i + 1) as f64 * v).sum();
    let den = m * sxx - sx * sx;
    let (mut slope, mut icpt) = if den != 0.0 {
        let sl = (m * sxy - sx * sy) / den;
        (sl, (sy - sl * sx) / m)
    } else {
        (0.0, sy / m.max(1.0))
    };
    slope = (slope * 1e10).round() / 1e10;
    icpt = (icpt * 1e10).round() / 1e10;
    let dt: Vec<f64> = (0..cols).map(|i| (i + 1) as f64 * slope + icpt).collect();
    let ridge = v3.iter().zip(&dt).map(|(v, d)| v < d).collect();
    (v3, dt, ridge)
}
