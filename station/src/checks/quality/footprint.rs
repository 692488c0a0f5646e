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

/// The usable footprint's energy threshold (ln scale) and erosion (cells). Chosen on the training
/// images of the evaluation set only (scripts/quality-eval.sh; the held-out fingers and kinds not
/// looked at): among thresholds 4.5–7.5 and erosions 0–3, these make the count of our minutiae
/// inside the footprint tell NFIQ 2's zeros from its scores best (area under the ROC curve 0.95,
/// against 0.89 for the energy at the sixth minutia), on the images the model scores.
const USABLE_THRESHOLD: f64 = 6.0;
const USABLE_EROSION: usize = 1;

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

    /// FingerJet's usable footprint, approached: the cells above the threshold, cleaned by a 3 × 3
    /// majority (a cell kept when at least 5 of the 9 are above; FingerJet runs several majority
    /// passes), then eroded so that a minutia at the edge of the contact, whose neighbourhood is
    /// cut, does not count. One flag per cell, row by row.
    pub(crate) fn usable(&self) -> Vec<bool> {
        self.usable_with(USABLE_THRESHOLD, USABLE_EROSION)
    }

    fn usable_with(&self, threshold: f64, erosion: usize) -> Vec<bool> {
        let (cw, ch) = (self.cells_x, self.cells_y);
        let above: Vec<bool> = self.cells.iter().map(|&e| e > threshold).collect();
        let count = |m: &[bool], x: usize, y: usize, r: usize| {
            let mut n = 0;
            for yy in y.saturating_sub(r)..(y + r + 1).min(ch) {
                for xx in x.saturating_sub(r)..(x + r + 1).min(cw) {
                    n += usize::from(m[yy * cw + xx]);
                }
            }
            n
        };
        let kept: Vec<bool> = (0..cw * ch)
            .map(|i| count(&above, i % cw, i / cw, 1) >= 5)
            .collect();
        if erosion == 0 {
            return kept;
        }
        // A cell outside the image counts as outside the contact.
        let side = 2 * erosion + 1;
        (0..cw * ch)
            .map(|i| {
                let (x, y) = (i % cw, i / cw);
                x >= erosion
                    && y >= erosion
                    && x + erosion < cw
                    && y + erosion < ch
                    && count(&kept, x, y, erosion) == side * side
            })
            .collect()
    }

    /// How many of the points (500-ppi pixels) fall in a cell of `mask` (from [`Self::usable`]).
    pub(crate) fn count_inside(
        &self,
        mask: &[bool],
        points: impl Iterator<Item = (usize, usize)>,
    ) -> u32 {
        points
            .filter(|&(x, y)| mask.get(self.cell_of(x, y)).copied().unwrap_or(false))
            .count() as u32
    }

    fn cell_of(&self, x: usize, y: usize) -> usize {
        let cx = (x * SCALE_NUM / SCALE_DEN / CELL).min(self.cells_x.saturating_sub(1));
        let cy = (y * SCALE_NUM / SCALE_DEN / CELL).min(self.cells_y.saturating_sub(1));
        cy * self.cells_x + cx
    }

    /// The energy of the cell holding pixel (x, y) of the 500-ppi image.
    pub(crate) fn energy_at(&self, x: usize, y: usize) -> f64 {
        self.cells.get(self.cell_of(x, y)).copied().unwrap_or(0.0)
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
    fn a_small_contact_has_a_small_usable_footprint_without_its_edge() {
        let full = ridges(100.0);
        // The same ridges on a 90 × 90 px patch (60 × 60 at 333 ppi, 15 × 15 cells), white around.
        // The whole image is 42 × 48 cells at 333 ppi.
        let patch: Vec<u8> = full
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                let (x, y) = (i % 256, i / 256);
                if (80..170).contains(&x) && (100..190).contains(&y) {
                    v
                } else {
                    255
                }
            })
            .collect();
        let cells = |px: &[u8]| {
            let f = Footprint::measure(plane(px));
            f.usable().iter().filter(|&&inside| inside).count()
        };
        let (whole, small) = (cells(&full), cells(&patch));
        // All but the eroded border row and column all round (40 × 46), give or take a cell where
        // the resampling beats with the ridges.
        assert!(whole > 40 * 46 - 10 && whole <= 40 * 46, "{whole}");
        assert!(small > 0 && small < 15 * 15, "{small}");
        let f = Footprint::measure(plane(&patch));
        let mask = f.usable();
        let points = [(125, 145), (10, 10), (240, 270)];
        // The centre of the patch is inside, the white frame out. (The patch's own edge is a step
        // with energy of its own: the erosion takes off that ring, not the patch's outer ridges.)
        assert_eq!(f.count_inside(&mask, points[..1].iter().copied()), 1);
        assert_eq!(f.count_inside(&mask, points[1..].iter().copied()), 0);
        assert!(
            Footprint::measure(plane(&vec![128u8; 256 * 288]))
                .usable()
                .iter()
                .all(|&i| !i)
        );
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
