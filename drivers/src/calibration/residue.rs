//! Latent-print residue: a region of the blank frame whose level departs from the smooth light
//! field, found by local statistics.
//!
//! The light field of a sensor (vignetting, a dimming source) varies slowly: a quadratic surface
//! fitted to the means of small cells follows it, fitted robustly so that the residue itself does
//! not pull the surface. Cells departing from the surface by more than a few grey levels, and by
//! a share of the local level, are marked; touching marked cells make a region, and a region of
//! at least [`RESIDUE_MIN_CELLS`] cells is residue.

use super::limits::{RESIDUE_CELL, RESIDUE_MIN_CELLS, RESIDUE_MIN_DROP, RESIDUE_MIN_FRACTION};
use super::{BadPixels, PixelStats};

/// Rounds of fitting, each leaving out the cells the previous fit found far off.
const FIT_ROUNDS: usize = 4;
/// A cell further from the fit than this many median deviations is left out of the next fit.
const OUTLIER_SPREAD: f64 = 3.0;
/// Floor of the median deviation, grey levels (the 4-bit staircase alone gives a few).
const MIN_SPREAD: f64 = 2.0;

/// A region of residue on the glass.
#[derive(Debug, Clone, PartialEq)]
pub struct Residue {
    /// Centre of the marked cells, x, pixels.
    pub x: f64,
    /// Centre of the marked cells, y, pixels.
    pub y: f64,
    /// Bounding box of the region: left, top, right, bottom (pixels, right and bottom excluded).
    pub bounds: (u32, u32, u32, u32),
    /// Cells marked.
    pub cells: usize,
    /// Mean departure from the light field over the region, grey levels (negative: darker).
    pub departure: f64,
}

struct Cell {
    cx: f64,
    cy: f64,
    mean: f64,
}

/// Finds residue on the blank target's statistics, ignoring dead and stuck pixels. Regions are
/// returned largest first; none on a clean sensor.
pub fn find_residue(blank: &PixelStats, bad: &BadPixels) -> Vec<Residue> {
    let (width, height) = (blank.width, blank.height);
    let columns = width.div_ceil(RESIDUE_CELL) as usize;
    let rows = height.div_ceil(RESIDUE_CELL) as usize;
    let mut cells: Vec<Option<Cell>> = Vec::with_capacity(columns * rows);
    for row in 0..rows as u32 {
        for column in 0..columns as u32 {
            let (x0, y0) = (column * RESIDUE_CELL, row * RESIDUE_CELL);
            let (x1, y1) = (
                (x0 + RESIDUE_CELL).min(width),
                (y0 + RESIDUE_CELL).min(height),
            );
            let (mut sum, mut count) = (0.0, 0u32);
            for y in y0..y1 {
                for x in x0..x1 {
                    if !bad.contains(x, y) {
                        sum += f64::from(blank.mean_at(x, y));
                        count += 1;
                    }
                }
            }
            let area = (x1 - x0) * (y1 - y0);
            cells.push((count * 2 > area).then(|| Cell {
                cx: (f64::from(x0 + x1) / 2.0) / f64::from(width.max(1)) * 2.0 - 1.0,
                cy: (f64::from(y0 + y1) / 2.0) / f64::from(height.max(1)) * 2.0 - 1.0,
                mean: sum / f64::from(count.max(1)),
            }));
        }
    }
    let Some(surface) = robust_fit(&cells) else {
        return Vec::new();
    };
    let marked: Vec<Option<f64>> = cells
        .iter()
        .map(|cell| {
            let cell = cell.as_ref()?;
            let expected = surface.at(cell.cx, cell.cy);
            let departure = cell.mean - expected;
            let limit = RESIDUE_MIN_DROP.max(RESIDUE_MIN_FRACTION * expected.abs());
            (departure.abs() >= limit).then_some(departure)
        })
        .collect();
    let mut regions = regions_of(&marked, columns, rows, width, height);
    regions.sort_by_key(|r| std::cmp::Reverse(r.cells));
    regions
}

/// Touching marked cells (4-neighbours) grouped into regions of at least the minimum size.
fn regions_of(
    marked: &[Option<f64>],
    columns: usize,
    rows: usize,
    width: u32,
    height: u32,
) -> Vec<Residue> {
    let mut seen = vec![false; marked.len()];
    let mut regions = Vec::new();
    for start in 0..marked.len() {
        if seen[start] || marked[start].is_none() {
            continue;
        }
        seen[start] = true;
        let mut stack = vec![start];
        let mut members = Vec::new();
        while let Some(i) = stack.pop() {
            members.push(i);
            let (c, r) = (i % columns, i / columns);
            let mut next = Vec::with_capacity(4);
            if c > 0 {
                next.push(i - 1);
            }
            if c + 1 < columns {
                next.push(i + 1);
            }
            if r > 0 {
                next.push(i - columns);
            }
            if r + 1 < rows {
                next.push(i + columns);
            }
            for j in next {
                if !seen[j] && marked[j].is_some() {
                    seen[j] = true;
                    stack.push(j);
                }
            }
        }
        if members.len() < RESIDUE_MIN_CELLS {
            continue;
        }
        let cell = RESIDUE_CELL as usize;
        let (mut sx, mut sy, mut sd) = (0.0, 0.0, 0.0);
        let (mut left, mut top, mut right, mut bottom) = (usize::MAX, usize::MAX, 0, 0);
        for &i in &members {
            let (c, r) = (i % columns, i / columns);
            sx += (c * cell + cell / 2) as f64;
            sy += (r * cell + cell / 2) as f64;
            sd += marked[i].unwrap_or(0.0);
            left = left.min(c * cell);
            top = top.min(r * cell);
            right = right.max((c + 1) * cell);
            bottom = bottom.max((r + 1) * cell);
        }
        let n = members.len() as f64;
        regions.push(Residue {
            x: sx / n,
            y: sy / n,
            bounds: (
                left as u32,
                top as u32,
                (right as u32).min(width),
                (bottom as u32).min(height),
            ),
            cells: members.len(),
            departure: sd / n,
        });
    }
    regions
}

/// a + b·x + c·y + d·x² + e·y² + f·x·y over cell centres in −1..1.
struct Surface([f64; 6]);

impl Surface {
    fn at(&self, x: f64, y: f64) -> f64 {
        let t = terms(x, y);
        self.0.iter().zip(t).map(|(k, t)| k * t).sum()
    }
}

fn terms(x: f64, y: f64) -> [f64; 6] {
    [1.0, x, y, x * x, y * y, x * y]
}

/// Least-squares fit, repeated without the cells far from the previous fit.
fn robust_fit(cells: &[Option<Cell>]) -> Option<Surface> {
    let mut used: Vec<bool> = cells.iter().map(Option::is_some).collect();
    let mut surface = None;
    for _ in 0..FIT_ROUNDS {
        let fitted = least_squares(cells, &used)?;
        let mut deviations: Vec<f64> = cells
            .iter()
            .zip(&used)
            .filter_map(|(c, &u)| c.as_ref().filter(|_| u))
            .map(|c| (c.mean - fitted.at(c.cx, c.cy)).abs())
            .collect();
        if deviations.is_empty() {
            return None;
        }
        let middle = deviations.len() / 2;
        let (_, spread, _) = deviations.select_nth_unstable_by(middle, f64::total_cmp);
        let limit = OUTLIER_SPREAD * spread.max(MIN_SPREAD);
        for (cell, use_it) in cells.iter().zip(used.iter_mut()) {
            if let Some(c) = cell {
                *use_it = (c.mean - fitted.at(c.cx, c.cy)).abs() <= limit;
            }
        }
        surface = Some(fitted);
    }
    surface
}

#[allow(clippy::needless_range_loop)]
fn least_squares(cells: &[Option<Cell>], used: &[bool]) -> Option<Surface> {
    let mut a = [[0.0f64; 7]; 6];
    let mut count = 0;
    for (cell, &u) in cells.iter().zip(used) {
        let Some(c) = cell.as_ref().filter(|_| u) else {
            continue;
        };
        count += 1;
        let t = terms(c.cx, c.cy);
        for i in 0..6 {
            for j in 0..6 {
                a[i][j] += t[i] * t[j];
            }
            a[i][6] += t[i] * c.mean;
        }
    }
    if count < 6 {
        return None;
    }
    solve(a).map(Surface)
}

/// Gaussian elimination with partial pivoting on an augmented 6 × 7 system.
#[allow(clippy::needless_range_loop)]
fn solve(mut a: [[f64; 7]; 6]) -> Option<[f64; 6]> {
    for col in 0..6 {
        let pivot = (col..6).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        for row in 0..6 {
            if row != col {
                let factor = a[row][col] / a[col][col];
                for k in col..7 {
                    a[row][k] -= factor * a[col][k];
                }
            }
        }
    }
    let mut x = [0.0; 6];
    for i in 0..6 {
        x[i] = a[i][6] / a[i][i];
    }
    Some(x)
}
