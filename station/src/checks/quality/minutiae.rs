//! A simple minutiae detector for the quality measures: ridges smoothed along their local flow,
//! binarised against the local mean, thinned (Zhang–Suen), then ridge endings and bifurcations
//! found by crossing number and pruned near the foreground edge and in close pairs. NFIQ 2 uses
//! FingerJet FX OSE for this; counts differ (ours are calibrated into the model, not equal).

use serde::Serialize;

use super::blocks::gradient_moments;
use super::image::Plane;

/// Kind of a minutia.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MinutiaKind {
    /// A ridge ends.
    Ending,
    /// A ridge splits in two.
    Bifurcation,
}

/// A minutia found by the quality detector, in pixels of the cropped image.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Minutia {
    /// Column.
    pub x: usize,
    /// Row.
    pub y: usize,
    /// Ending or bifurcation.
    pub kind: MinutiaKind,
}

/// Cell size of the orientation field used for smoothing along ridges.
const CELL: usize = 16;
/// Half-length of the along-ridge smoothing line, px.
const ALONG: isize = 3;
/// Taps of the along-ridge line.
const TAPS: usize = 2 * ALONG as usize + 1;
/// Half-size of the local-mean window for binarisation, px (about two ridge periods).
const MEAN_RADIUS: usize = 8;
/// Minutiae closer than this to the foreground edge are dropped, px.
const EDGE_MARGIN: usize = 14;
/// Two minutiae closer than this are taken as a break or a spur and both dropped, px.
const PAIR_DISTANCE: usize = 8;

pub(crate) fn detect(img: Plane<'_>, valid: &[bool]) -> Vec<Minutia> {
    let (w, h) = (img.width, img.height);
    if w < 3 * CELL || h < 3 * CELL {
        return Vec::new();
    }
    let dirs = ridge_directions(img);
    let cells_x = w.div_ceil(CELL);
    // 1. Smooth along the ridge so that pores and small breaks do not cut ridges. The 7 taps of
    //    each cell are fixed offsets; only pixels near the image edge need clamping.
    let taps: Vec<[(isize, isize); TAPS]> = dirs
        .iter()
        .map(|&(dx, dy)| {
            let mut t = [(0isize, 0isize); TAPS];
            for (k, tap) in t.iter_mut().enumerate() {
                let s = k as f32 - ALONG as f32;
                *tap = ((dx * s).round() as isize, (dy * s).round() as isize);
            }
            t
        })
        .collect();
    let mut smooth = vec![0u16; w * h];
    let a = ALONG as usize;
    for y in 0..h {
        let cell_row = (y / CELL) * cells_x;
        let interior_y = y >= a && y + a < h;
        for x in 0..w {
            let t = &taps[cell_row + x / CELL];
            let mut s = 0u16;
            if interior_y && x >= a && x + a < w {
                let base = (y * w + x) as isize;
                for &(dx, dy) in t {
                    s += u16::from(img.px[(base + dy * w as isize + dx) as usize]);
                }
            } else {
                for &(dx, dy) in t {
                    let xx = (x as isize + dx).clamp(0, w as isize - 1) as usize;
                    let yy = (y as isize + dy).clamp(0, h as isize - 1) as usize;
                    s += u16::from(img.at(xx, yy));
                }
            }
            smooth[y * w + x] = s;
        }
    }
    // 2. Binarise against the local mean (integral image).
    let integral = integral_u16(&smooth, w, h);
    let mut ridge = vec![false; w * h];
    for y in 0..h {
        for x in 0..w {
            if !valid[y * w + x] {
                continue;
            }
            let (x0, y0) = (x.saturating_sub(MEAN_RADIUS), y.saturating_sub(MEAN_RADIUS));
            let (x1, y1) = ((x + MEAN_RADIUS + 1).min(w), (y + MEAN_RADIUS + 1).min(h));
            let sum = rect_sum(&integral, w, x0, y0, x1, y1);
            let n = ((x1 - x0) * (y1 - y0)) as u64;
            ridge[y * w + x] = u64::from(smooth[y * w + x]) * n < sum;
        }
    }
    // 3. Thin to one-pixel ridges.
    zhang_suen(&mut ridge, w, h);
    // 4. Crossing number, away from the foreground edge.
    let inside = eroded(valid, w, h, EDGE_MARGIN);
    let mut found = Vec::new();
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            if !ridge[y * w + x] || !inside[y * w + x] {
                continue;
            }
            let n = neighbours(&ridge, w, x, y);
            let cn = (0..8).filter(|&i| n[i] != n[(i + 1) % 8]).count() / 2;
            match cn {
                1 => found.push(Minutia {
                    x,
                    y,
                    kind: MinutiaKind::Ending,
                }),
                3 => found.push(Minutia {
                    x,
                    y,
                    kind: MinutiaKind::Bifurcation,
                }),
                _ => {}
            }
        }
    }
    // 5. Drop close pairs (spurs, breaks, bridges).
    let d2 = (PAIR_DISTANCE * PAIR_DISTANCE) as isize;
    let mut drop = vec![false; found.len()];
    for i in 0..found.len() {
        for j in i + 1..found.len() {
            let dx = found[i].x as isize - found[j].x as isize;
            let dy = found[j].y as isize - found[i].y as isize;
            if dy > PAIR_DISTANCE as isize {
                break; // found is sorted by row
            }
            if dx * dx + dy * dy < d2 {
                drop[i] = true;
                drop[j] = true;
            }
        }
    }
    found
        .into_iter()
        .zip(drop)
        .filter(|(_, d)| !d)
        .map(|(m, _)| m)
        .collect()
}

/// Unit vectors along the ridges per 16 × 16 cell, from squared gradients over a 48 × 48 window.
fn ridge_directions(img: Plane<'_>) -> Vec<(f32, f32)> {
    let (w, h) = (img.width, img.height);
    let (cx, cy) = (w.div_ceil(CELL), h.div_ceil(CELL));
    let mut out = Vec::with_capacity(cx * cy);
    for j in 0..cy {
        for i in 0..cx {
            let x0 = (i * CELL).saturating_sub(CELL);
            let y0 = (j * CELL).saturating_sub(CELL);
            let x1 = ((i + 2) * CELL).min(w);
            let y1 = ((j + 2) * CELL).min(h);
            let m = gradient_moments(img, x0, y0, x1 - x0, y1 - y0);
            // Dominant gradient direction, then a quarter turn: along the ridge.
            let theta = 0.5 * (2.0 * m.gxy).atan2(m.gxx - m.gyy) + std::f64::consts::FRAC_PI_2;
            out.push((theta.cos() as f32, theta.sin() as f32));
        }
    }
    out
}

fn integral_u16(px: &[u16], w: usize, h: usize) -> Vec<u64> {
    let mut s = vec![0u64; (w + 1) * (h + 1)];
    for y in 0..h {
        let mut row = 0u64;
        for x in 0..w {
            row += u64::from(px[y * w + x]);
            s[(y + 1) * (w + 1) + x + 1] = s[y * (w + 1) + x + 1] + row;
        }
    }
    s
}

fn rect_sum(s: &[u64], w: usize, x0: usize, y0: usize, x1: usize, y1: usize) -> u64 {
    let w1 = w + 1;
    s[y1 * w1 + x1] + s[y0 * w1 + x0] - s[y0 * w1 + x1] - s[y1 * w1 + x0]
}

/// Pixels whose (2r+1)² neighbourhood lies entirely in `valid` and inside the image.
pub(crate) fn eroded(valid: &[bool], w: usize, h: usize, r: usize) -> Vec<bool> {
    let mut s = vec![0u32; (w + 1) * (h + 1)];
    for y in 0..h {
        let mut row = 0u32;
        for x in 0..w {
            row += u32::from(!valid[y * w + x]);
            s[(y + 1) * (w + 1) + x + 1] = s[y * (w + 1) + x + 1] + row;
        }
    }
    let mut out = vec![false; w * h];
    for y in r..h.saturating_sub(r) {
        for x in r..w.saturating_sub(r) {
            let (x0, y0, x1, y1) = (x - r, y - r, x + r + 1, y + r + 1);
            let w1 = w + 1;
            let bad = s[y1 * w1 + x1] + s[y0 * w1 + x0] - s[y0 * w1 + x1] - s[y1 * w1 + x0];
            out[y * w + x] = bad == 0;
        }
    }
    out
}

/// The 8 neighbours clockwise from north: P2..P9 in Zhang–Suen's notation.
fn neighbours(b: &[bool], w: usize, x: usize, y: usize) -> [bool; 8] {
    let i = y * w + x;
    [
        b[i - w],
        b[i - w + 1],
        b[i + 1],
        b[i + w + 1],
        b[i + w],
        b[i + w - 1],
        b[i - 1],
        b[i - w - 1],
    ]
}

/// Zhang–Suen thinning, in place; the outermost pixels are cleared first. Each pass's deletion
/// rule is a table over the 256 neighbourhood codes.
fn zhang_suen(b: &mut [bool], w: usize, h: usize) {
    for x in 0..w {
        b[x] = false;
        b[(h - 1) * w + x] = false;
    }
    for y in 0..h {
        b[y * w] = false;
        b[y * w + w - 1] = false;
    }
    let tables = [deletion_table(0), deletion_table(1)];
    let mut candidates: Vec<usize> = (0..b.len()).filter(|&i| b[i]).collect();
    let mut to_clear = Vec::new();
    loop {
        let mut changed = false;
        for table in &tables {
            to_clear.clear();
            for &i in &candidates {
                if !b[i] {
                    continue;
                }
                let code = (b[i - w] as usize)
                    | (b[i - w + 1] as usize) << 1
                    | (b[i + 1] as usize) << 2
                    | (b[i + w + 1] as usize) << 3
                    | (b[i + w] as usize) << 4
                    | (b[i + w - 1] as usize) << 5
                    | (b[i - 1] as usize) << 6
                    | (b[i - w - 1] as usize) << 7;
                if table[code] {
                    to_clear.push(i);
                }
            }
            for &i in &to_clear {
                b[i] = false;
            }
            changed |= !to_clear.is_empty();
        }
        if !changed {
            break;
        }
        candidates.retain(|&i| b[i]);
    }
}

/// Whether Zhang–Suen deletes a pixel with this neighbourhood (bit k = neighbour P(k+2)).
fn deletion_table(step: usize) -> [bool; 256] {
    let mut t = [false; 256];
    for (code, out) in t.iter_mut().enumerate() {
        let p: [bool; 8] = std::array::from_fn(|k| code >> k & 1 == 1);
        let count = p.iter().filter(|&&v| v).count();
        let transitions = (0..8).filter(|&k| !p[k] && p[(k + 1) % 8]).count();
        let (p2, p4, p6, p8) = (p[0], p[2], p[4], p[6]);
        let rule = if step == 0 {
            !(p4 && p6 && (p2 || p8))
        } else {
            !(p2 && p8 && (p4 || p6))
        };
        *out = (2..=6).contains(&count) && transitions == 1 && rule;
    }
    t
}
