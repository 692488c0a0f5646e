//! The three ridge-structure measures NFIQ 2 takes from a slanted 32 × 16 block rotated along the
//! local ridge orientation: local clarity (LCS), frequency-domain analysis (FDA) and ridge-valley
//! uniformity (RVUP); plus orientation flow (OF), which uses the same block orientations. One pass
//! over the blocks computes all four (NFIQ 2 v2.3 `LCS.cpp`, `FDA.cpp`, `RVUPHistogram.cpp`, `OF.cpp`).

use std::f64::consts::PI;

use super::blocks::{
    BLOCK, SLANT_BORDER, SLANT_H, SLANT_W, SegmentMask, gradient_moments, ridge_valley_structure,
    rotated_window, slanted_grid, slanted_grid_size,
};
use super::image::Plane;

/// Per-block values of the four measures, foreground blocks only.
#[derive(Default)]
pub(crate) struct RidgeValues {
    pub lcs: Vec<f64>,
    pub fda: Vec<f64>,
    pub rvup: Vec<f64>,
    pub of: Vec<f64>,
}

/// Smallest change of orientation OF counts, degrees (NFIQ 2 `OF::angleMin`).
const OF_ANGLE_MIN_DEG: f64 = 4.0;

pub(crate) fn measure(img: Plane<'_>, mask: &SegmentMask) -> RidgeValues {
    let (map_rows, map_cols) = slanted_grid_size(img.width, img.height);
    let mut out = RidgeValues::default();
    let mut orient = vec![0.0f64; map_rows * map_cols];
    let mut fore = vec![false; map_rows * map_cols];
    let win_n = BLOCK + 2 * SLANT_BORDER;
    let mut win = Vec::with_capacity(win_n * win_n);
    let dft = Dft32::new();
    for (br, bc, x, y) in slanted_grid(img.width, img.height) {
        let o = gradient_moments(img, x, y, BLOCK, BLOCK).ridge_orientation();
        orient[br * map_cols + bc] = o;
        let is_fore = mask.all(x, y, BLOCK, BLOCK);
        fore[br * map_cols + bc] = is_fore;
        if !is_fore {
            continue;
        }
        let (wx, wy) = (x - SLANT_BORDER, y - SLANT_BORDER);
        rotated_window(img, wx, wy, win_n, o, false, &mut win);
        out.lcs.push(local_clarity(&win, win_n));
        rotated_window(img, wx, wy, win_n, o, true, &mut win);
        rvup(&win, win_n, &mut out.rvup);
        rotated_window(img, wx, wy, win_n, o + PI / 2.0, true, &mut win);
        out.fda.push(frequency_domain(&win, win_n, &dft));
    }
    orientation_flow(&orient, &fore, map_rows, map_cols, &mut out.of);
    out
}

/// The slanted crop inside a rotated window: `SLANT_H` rows × `SLANT_W` columns around the centre
/// (or transposed for FDA), with NIST's index arithmetic.
fn crop_origin(n: usize, len: usize) -> usize {
    let c = n / 2;
    c + 1 - len / 2 - 1
}

/// NIST `loclar`: agreement of pixels with the ridge/valley split, when ridge and valley widths
/// are plausible at 500 ppi; 0 (worst) to 1 (best).
fn local_clarity(win: &[u8], n: usize) -> f64 {
    let (r0, c0) = (crop_origin(n, SLANT_H), crop_origin(n, SLANT_W));
    let (_, dt, ridge) = ridge_valley_structure(win, n, r0, SLANT_H, c0, SLANT_W);
    let len = ridge.len();
    let change: Vec<bool> = (0..len)
        .map(|i| ridge[i] != ridge[if i == 0 { len - 1 } else { i - 1 }])
        .collect();
    let change_index: Vec<usize> = (1..len).filter(|&i| change[i]).map(|i| i - 1).collect();
    if change_index.is_empty() {
        return 0.0;
    }
    let mut wrv = vec![change_index[0] as f64];
    wrv.extend(change_index.windows(2).map(|w| (w[1] - w[0]) as f64));
    // Widths normalised by the 125-ppi maxima scaled to 500 ppi (5 px × 4); NIST divides the
    // valley minimum and maximum by the ridge scale too.
    let scale = 500.0 / 125.0 * 5.0;
    let (nwr_min, nwr_max, nwv_min, nwv_max) =
        (3.0 / scale, 10.0 / scale, 2.0 / scale, 10.0 / scale);
    let begins_with_ridge = ridge[0];
    let firsts: Vec<f64> = wrv.iter().step_by(2).map(|w| w / scale).collect();
    let seconds: Vec<f64> = wrv.iter().skip(1).step_by(2).map(|w| w / scale).collect();
    let (nwr, nwv) = if begins_with_ridge {
        (firsts, seconds)
    } else {
        (seconds, firsts)
    };
    let mean = |v: &[f64]| {
        if v.is_empty() {
            0.0
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    let (mr, mv) = (mean(&nwr), mean(&nwv));
    if !(mr >= nwr_min && mr <= nwr_max && mv >= nwv_min && mv <= nwv_max) {
        return 0.0;
    }
    let (mut ridge_good, mut ridge_n, mut valley_good, mut valley_n) = (0u32, 0u32, 0u32, 0u32);
    for (i, &is_ridge) in ridge.iter().enumerate() {
        for r in r0..r0 + SLANT_H {
            let v = f64::from(win[r * n + c0 + i]);
            if is_ridge {
                ridge_n += 1;
                ridge_good += u32::from(v >= dt[i]);
            } else {
                valley_n += 1;
                valley_good += u32::from(v < dt[i]);
            }
        }
    }
    let ratio = |a: u32, b: u32| {
        if b == 0 {
            0.0
        } else {
            f64::from(a) / f64::from(b)
        }
    };
    1.0 - (ratio(valley_good, valley_n) + ratio(ridge_good, ridge_n)) / 2.0
}

/// NIST `rvuhist`: ratios of successive ridge and valley widths (complete ones only).
fn rvup(win: &[u8], n: usize, out: &mut Vec<f64>) {
    let (r0, c0) = (crop_origin(n, SLANT_H), crop_origin(n, SLANT_W));
    let (_, _, ridge) = ridge_valley_structure(win, n, r0, SLANT_H, c0, SLANT_W);
    let len = ridge.len();
    // NIST's loop stops one short of the end.
    let change: Vec<bool> = (0..len - 1)
        .map(|i| ridge[i] != ridge[if i == 0 { len - 1 } else { i - 1 }])
        .collect();
    let ci: Vec<usize> = (1..change.len())
        .filter(|&i| change[i])
        .map(|i| i - 1)
        .collect();
    let (Some(&first), Some(&last)) = (ci.first(), ci.last()) else {
        return;
    };
    if first + 1 >= last {
        return; // no complete ridge or valley
    }
    let begins_with_ridge = ridge[first + 1];
    let cic: Vec<usize> = ci[1..].iter().map(|c| c - first).collect();
    if cic.len() <= 1 {
        return;
    }
    let widths: Vec<f64> = (1..cic.len())
        .rev()
        .map(|i| (cic[i] - cic[i - 1]) as f64)
        .collect();
    let mut ratios: Vec<f64> = widths.windows(2).map(|w| w[0] / w[1]).collect();
    let mut i = usize::from(begins_with_ridge);
    while i < ratios.len() {
        ratios[i] = 1.0 / ratios[i];
        i += 2;
    }
    out.extend(ratios);
}

/// A 32-point DFT magnitude table (the slanted block's row profile is 32 long).
struct Dft32 {
    cos: [f64; 32],
    sin: [f64; 32],
}

impl Dft32 {
    fn new() -> Self {
        let mut cos = [0.0; 32];
        let mut sin = [0.0; 32];
        for k in 0..32 {
            let a = -2.0 * PI * k as f64 / 32.0;
            cos[k] = a.cos();
            sin[k] = a.sin();
        }
        Dft32 { cos, sin }
    }

    fn magnitudes(&self, t: &[f64; 32]) -> [f64; 32] {
        let mut out = [0.0; 32];
        for (k, o) in out.iter_mut().enumerate() {
            let (mut re, mut im) = (0.0, 0.0);
            for (j, v) in t.iter().enumerate() {
                let idx = (k * j) % 32;
                re += v * self.cos[idx];
                im += v * self.sin[idx];
            }
            *o = (re * re + im * im).sqrt();
        }
        out
    }
}

/// NIST `fda`: how much of the row profile's spectrum sits in its dominant frequency.
fn frequency_domain(win: &[u8], n: usize, dft: &Dft32) -> f64 {
    // Rotated a quarter turn further: the crop is 32 rows × 16 columns and rows are averaged.
    let (r0, c0) = (crop_origin(n, SLANT_W), crop_origin(n, SLANT_H));
    let mut t = [0.0f64; 32];
    for (r, tv) in t.iter_mut().enumerate() {
        let s: u32 = (0..SLANT_H)
            .map(|c| u32::from(win[(r0 + r) * n + c0 + c]))
            .sum();
        *tv = f64::from(s) / SLANT_H as f64;
    }
    let mag = dft.magnitudes(&t);
    let amp = &mag[1..]; // without DC: 31 values
    let mut m = 0;
    for (i, &a) in amp.iter().enumerate() {
        if a > amp[m] {
            m = i;
        }
    }
    if m == 0 || m + 1 >= amp.len() {
        return 1.0;
    }
    let denom: f64 = amp[..amp.len() / 2].iter().sum();
    if denom <= 0.0 {
        return 1.0;
    }
    (amp[m] + 0.3 * (amp[m - 1] + amp[m + 1])) / denom
}

/// NIST OF: mean circular difference of each block's orientation with its 8 neighbours (zero
/// outside the map), kept where all 9 blocks are foreground and the change exceeds 4°.
fn orientation_flow(orient: &[f64], fore: &[bool], rows: usize, cols: usize, out: &mut Vec<f64>) {
    let ang_min = OF_ANGLE_MIN_DEG.to_radians();
    let ang_diff = (90.0 - OF_ANGLE_MIN_DEG).to_radians();
    let get = |r: isize, c: isize, v: &[f64]| -> f64 {
        if r < 0 || c < 0 || r >= rows as isize || c >= cols as isize {
            0.0
        } else {
            v[r as usize * cols + c as usize]
        }
    };
    let fore_at = |r: isize, c: isize| {
        r >= 0
            && c >= 0
            && r < rows as isize
            && c < cols as isize
            && fore[r as usize * cols + c as usize]
    };
    for r in 0..rows as isize {
        for c in 0..cols as isize {
            let centre = get(r, c, orient);
            let mut sum = 0.0;
            let mut all_fore = true;
            for dr in -1..=1 {
                for dc in -1..=1 {
                    let d = (centre - get(r + dr, c + dc, orient)).abs();
                    sum += d.min(2.0 * PI - d);
                    all_fore &= fore_at(r + dr, c + dc);
                }
            }
            let loq = sum / 8.0;
            if all_fore && loq > ang_min {
                out.push((loq - ang_min) / ang_diff);
            }
        }
    }
}
