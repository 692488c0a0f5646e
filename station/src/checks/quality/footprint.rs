//! FingerJet FX's footprint, approached: where the ridges are strong enough for it to look for
//! minutiae. NFIQ 2 fails (our reference reports 0) when FingerJet finds fewer than 6 minutiae, and
//! it only looks inside this footprint (docs/quality-score.md). FingerJet (`orimap.h`,
//! `raw_orimap`) resizes the image to 333 ppi, smooths it with binomial filters, and keeps each
//! 4 × 4 cell whose summed second-derivative orientation energy (Laplacian times the doubled-angle
//! vector (Ixx − Iyy, 2·Ixy)) exceeds a fixed threshold. The threshold is absolute: faint, blurred
//! or noisy ridges fall below it, which is why such prints get 0. We compute the same energy per
//! cell and leave the threshold to the model (its scale differs from FingerJet's integer one).

use super::image::Plane;

/// FingerJet's working resolution is 333 ppi: two pixels for three of ours.
const SCALE_NUM: usize = 2;
const SCALE_DEN: usize = 3;
/// Cell side at 333 ppi (FingerJet's `ori_scale`).
const CELL: usize = 4;

/// The orientation energy of each cell, as ln(1 + energy).
pub(crate) struct Footprint {
    cells: Vec<f64>,
    cells_x: usize,
    cells_y: usize,
}

impl Footprint {
    pub(crate) fn measure(img: Plane<'_>) -> Self {
        let (w, h) = (
            img.width * SCALE_NUM / SCALE_DEN,
            img.height * SCALE_NUM / SCALE_DEN,
        );
        let (cells_x, cells_y) = (w / CELL, h / CELL);
        if cells_x < 3 || cells_y < 3 {
            return Self {
                cells: Vec::new(),
                cells_x: 0,
                cells_y: 0,
            };
        }
        let s = smooth(&resize(img, w, h), w, h);
        let mut sums = vec![(0.0f64, 0.0f64); cells_x * cells_y];
        for y in 1..h - 1 {
            for x in 1..w - 1 {
                let (cx, cy) = (x / CELL, y / CELL);
                if cx >= cells_x || cy >= cells_y {
                    continue;
                }
                let at = |dx: isize, dy: isize| {
                    s[(y as isize + dy) as usize * w + (x as isize + dx) as usize]
                };
                let c = at(0, 0);
                let ixx = at(1, 0) - 2.0 * c + at(-1, 0);
                let iyy = at(0, 1) - 2.0 * c + at(0, -1);
                let ixy = (at(1, 1) - at(-1, 1) - at(1, -1) + at(-1, -1)) / 4.0;
                let lap = ixx + iyy;
                let cell = &mut sums[cy * cells_x + cx];
                cell.0 += f64::from(lap * (ixx - iyy));
                cell.1 += f64::from(lap * 2.0 * ixy);
            }
        }
        let cells = sums.iter().map(|&(a, b)| a.hypot(b).ln_1p()).collect();
        Self {
            cells,
            cells_x,
            cells_y,
        }
    }

    /// The `q` quantile (0–1) of the cells' energy; 0 when the image has no whole cell.
    pub(crate) fn quantile(&self, q: f64) -> f64 {
        if self.cells.is_empty() {
            return 0.0;
        }
        let mut v = self.cells.clone();
        v.sort_by(f64::total_cmp);
        let i = ((v.len() - 1) as f64 * q.clamp(0.0, 1.0)).round() as usize;
        v[i]
    }

    /// The energy of the cell holding pixel (x, y) of the 500-ppi image.
    pub(crate) fn energy_at(&self, x: usize, y: usize) -> f64 {
        let cx = (x * SCALE_NUM / SCALE_DEN / CELL).min(self.cells_x.saturating_sub(1));
        let cy = (y * SCALE_NUM / SCALE_DEN / CELL).min(self.cells_y.saturating_sub(1));
        self.cells
            .get(cy * self.cells_x + cx)
            .copied()
            .unwrap_or(0.0)
    }
}

/// 500 to 333 ppi: each output pixel the mean of the 2 × 2 input pixels under it.
fn resize(img: Plane<'_>, w: usize, h: usize) -> Vec<f32> {
    let mut out = vec![0.0f32; w * h];
    for y in 0..h {
        let y0 = (y * SCALE_DEN / SCALE_NUM).min(img.height - 1);
        let y1 = (y0 + 1).min(img.height - 1);
        for x in 0..w {
            let x0 = (x * SCALE_DEN / SCALE_NUM).min(img.width - 1);
            let x1 = (x0 + 1).min(img.width - 1);
            let sum = u32::from(img.at(x0, y0))
                + u32::from(img.at(x1, y0))
                + u32::from(img.at(x0, y1))
                + u32::from(img.at(x1, y1));
            out[y * w + x] = sum as f32 / 4.0;
        }
    }
    out
}

/// Separable 5-tap binomial smoothing (1 4 6 4 1)/16, edges clamped, as FingerJet's cascaded
/// binomial stages before its derivatives.
fn smooth(px: &[f32], w: usize, h: usize) -> Vec<f32> {
    const K: [f32; 5] = [1.0 / 16.0, 4.0 / 16.0, 6.0 / 16.0, 4.0 / 16.0, 1.0 / 16.0];
    let mut tmp = vec![0.0f32; w * h];
    for y in 0..h {
        for x in 0..w {
            tmp[y * w + x] = K
                .iter()
                .enumerate()
                .map(|(k, &c)| c * px[y * w + (x + k).saturating_sub(2).min(w - 1)])
                .sum();
        }
    }
    let mut out = vec![0.0f32; w * h];
    for y in 0..h {
        for x in 0..w {
            out[y * w + x] = K
                .iter()
                .enumerate()
                .map(|(k, &c)| c * tmp[(y + k).saturating_sub(2).min(h - 1) * w + x])
                .sum();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ridges 9 px apart (a usual 500-ppi period), of the given contrast around mid-grey.
    fn ridges(contrast: f64) -> Vec<u8> {
        (0..256 * 288)
            .map(|i| {
                let x = (i % 256) as f64;
                (128.0 + contrast * (x * std::f64::consts::TAU / 9.0).sin()).round() as u8
            })
            .collect()
    }

    fn plane(px: &[u8]) -> Plane<'_> {
        Plane {
            px,
            width: 256,
            height: 288,
        }
    }

    #[test]
    fn faint_ridges_have_less_energy_than_strong_ones_and_flat_grey_none() {
        let flat = vec![128u8; 256 * 288];
        let (faint, strong) = (ridges(10.0), ridges(100.0));
        let e = |px: &[u8]| Footprint::measure(plane(px)).quantile(0.5);
        assert_eq!(e(&flat), 0.0);
        assert!(e(&faint) > 0.0);
        // The energy is a product of two second derivatives: ten times the contrast, a hundred
        // times the energy, ln(100) ≈ 4.6 more.
        assert!(e(&strong) > e(&faint) + 4.0, "{} {}", e(&strong), e(&faint));
    }

    #[test]
    fn an_image_smaller_than_three_cells_has_no_footprint() {
        let px = vec![0u8; 10 * 10];
        let f = Footprint::measure(Plane {
            px: &px,
            width: 10,
            height: 10,
        });
        assert_eq!(f.quantile(0.5), 0.0);
        assert_eq!(f.energy_at(5, 5), 0.0);
    }
}
