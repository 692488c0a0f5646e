//! NFIQ 2's native quality measures, computed on the whitespace-cropped image, each family
//! reported as NFIQ 2 reports it.

use serde::Serialize;

use super::blocks::{BLOCK, SegmentMask, gradient_moments};
use super::footprint::Footprint;
use super::foreground;
use super::histogram::{FDA_LIMITS, Histogram, LCS_LIMITS, OCL_LIMITS, OF_LIMITS, RVUP_LIMITS};
use super::image::Plane;
use super::minutiae::{self, Minutia};
use super::ridge_structure;

/// Every native measure, with NFIQ 2's feature name in each field's documentation.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Measures {
    /// Width of the image after trimming the white frame, px.
    pub cropped_width: u32,
    /// Height of the image after trimming the white frame, px.
    pub cropped_height: u32,
    /// Orientation certainty (`OCL_Bin10_*`).
    pub ocl: Histogram,
    /// Local clarity (`LCS_Bin10_*`).
    pub lcs: Histogram,
    /// Frequency-domain analysis (`FDA_Bin10_*`).
    pub fda: Histogram,
    /// Ridge-valley uniformity (`RVUP_Bin10_*`).
    pub rvup: Histogram,
    /// Orientation flow (`OF_Bin10_*`).
    pub of: Histogram,
    /// Minutiae count (`FingerJetFX_MinutiaeCount`; our own detector, not FingerJet).
    pub minutiae_count: u32,
    /// Minutiae in the 200 × 200 box at their centre of mass (`FingerJetFX_MinCount_COMMinRect200x200`).
    pub minutiae_centre_count: u32,
    /// Share of minutiae whose 32 × 32 block mean is 0–0.5 σ darker than the image (`FJFXPos_Mu_MinutiaeQuality_2`).
    pub minutiae_quality_mu: f64,
    /// Share of minutiae whose block orientation certainty exceeds 80 % (`FJFXPos_OCL_MinutiaeQuality_80`).
    pub minutiae_quality_ocl: f64,
    /// Minutiae of our detector whose block orientation certainty exceeds 80 % (the count behind
    /// `minutiae_quality_ocl`).
    pub minutiae_ocl_count: u32,
    /// FingerJet FX's footprint energy (`footprint.rs`, ln scale): its 25th, 50th, 75th and 90th
    /// percentile over the 4 × 4 cells at 333 ppi. NFIQ 2 fails when too little of the print is
    /// above FingerJet's threshold (docs/quality-score.md).
    pub footprint_energy: [f64; 4],
    /// The footprint energy at the sixth strongest of our minutiae (0 below six minutiae): FingerJet
    /// needs six minutiae inside its footprint, or NFIQ 2 fails.
    pub footprint_energy_sixth_minutia: f64,
    /// Mean grey level of the foreground (`ImgProcROIArea_Mean`).
    pub foreground_mean: f64,
    /// Foreground pixels (`SufficientFingerprintForeground`, actionable).
    pub foreground_pixels: u64,
    /// Sum of orientation coherence over foreground blocks (`OrientationMap_ROIFilter_CoherenceSum`).
    pub coherence_sum: f64,
    /// Mean orientation coherence over foreground blocks (`OrientationMap_ROIFilter_CoherenceRel`).
    pub coherence_rel: f64,
    /// Mean of 32 × 32 block means (`MMB`).
    pub mean_of_block_means: f64,
    /// Image mean (`Mu`; also `EmptyImageOrContrastTooLow`, actionable).
    pub mean: f64,
    /// Image standard deviation (`UniformImage`, actionable).
    pub std_dev: f64,
}

/// Computes every measure on an already cropped image; also returns the minutiae found.
pub(crate) fn compute(img: Plane<'_>) -> (Measures, Vec<Minutia>) {
    let (w, h) = (img.width, img.height);
    let (mean, std_dev) = img.mean_std();
    let mut m = Measures {
        cropped_width: w as u32,
        cropped_height: h as u32,
        mean,
        std_dev,
        ..Measures::default()
    };

    // Block means (MMB) and orientation certainty: 32 × 32 grid from the corner.
    let mut block_means = Vec::new();
    let mut ocl = Vec::new();
    for y in (0..h).step_by(BLOCK) {
        for x in (0..w).step_by(BLOCK) {
            let (bw, bh) = (BLOCK.min(w - x), BLOCK.min(h - y));
            let s: u64 = (y..y + bh)
                .flat_map(|yy| img.px[yy * w + x..yy * w + x + bw].iter())
                .map(|&v| u64::from(v))
                .sum();
            block_means.push(s as f64 / (bw * bh) as f64);
            if bw == BLOCK
                && bh == BLOCK
                && let Some(v) = gradient_moments(img, x, y, BLOCK, BLOCK).orientation_certainty()
            {
                ocl.push(v);
            }
        }
    }
    m.mean_of_block_means = if block_means.is_empty() {
        0.0
    } else {
        block_means.iter().sum::<f64>() / block_means.len() as f64
    };
    m.ocl = Histogram::from_values(&ocl, &OCL_LIMITS);

    let mask = SegmentMask::new(img, std_dev);
    let ridge = ridge_structure::measure(img, &mask);
    m.lcs = Histogram::from_values(&ridge.lcs, &LCS_LIMITS);
    m.fda = Histogram::from_values(&ridge.fda, &FDA_LIMITS);
    m.rvup = Histogram::from_values(&ridge.rvup, &RVUP_LIMITS);
    m.of = Histogram::from_values(&ridge.of, &OF_LIMITS);

    let fg = foreground::find(img);
    m.foreground_pixels = fg.pixels;
    m.foreground_mean = fg.mean;
    m.coherence_sum = fg
        .blocks
        .iter()
        .map(|&(x, y, bw, bh)| gradient_moments(img, x, y, bw, bh).coherence())
        .sum();
    m.coherence_rel = if fg.blocks.is_empty() {
        0.0
    } else {
        m.coherence_sum / fg.blocks.len() as f64
    };

    // Minutiae where the ridge segmentation and the foreground agree.
    let valid = mask.pixels_and(&fg.mask, w, h);
    let found = minutiae::detect(img, &valid);
    m.minutiae_count = found.len() as u32;
    m.minutiae_centre_count = centre_count(&found);
    if !found.is_empty() {
        let n = found.len() as f64;
        let mu_ok = found.iter().filter(|p| {
            let q = (mean - block_mean_around(img, p.x, p.y)) / std_dev;
            q > 0.0 && q <= 0.5
        });
        m.minutiae_quality_mu = mu_ok.count() as f64 / n;
        let ocl_ok = found
            .iter()
            .filter(|p| block_ocl_around(img, p.x, p.y) > 80);
        m.minutiae_ocl_count = ocl_ok.count() as u32;
        m.minutiae_quality_ocl = f64::from(m.minutiae_ocl_count) / n;
    }

    let footprint = Footprint::measure(img);
    m.footprint_energy = [0.25, 0.5, 0.75, 0.9].map(|q| footprint.quantile(q));
    let mut at_minutiae: Vec<f64> = found
        .iter()
        .map(|p| footprint.energy_at(p.x, p.y))
        .collect();
    at_minutiae.sort_by(|a, b| b.total_cmp(a));
    m.footprint_energy_sixth_minutia = at_minutiae.get(5).copied().unwrap_or(0.0);
    (m, found)
}

/// Minutiae inside the 200 × 200 box centred on their centre of mass.
fn centre_count(found: &[Minutia]) -> u32 {
    if found.is_empty() {
        return 0;
    }
    let n = found.len();
    let cx = found.iter().map(|p| p.x).sum::<usize>() / n;
    let cy = found.iter().map(|p| p.y).sum::<usize>() / n;
    found
        .iter()
        .filter(|p| p.x.abs_diff(cx) <= 100 && p.y.abs_diff(cy) <= 100)
        .count() as u32
}

/// Mean of the 32 × 32 block at a minutia (clipped at the image edge, as NIST).
fn block_mean_around(img: Plane<'_>, x: usize, y: usize) -> f64 {
    let (x0, y0) = (x.saturating_sub(BLOCK / 2), y.saturating_sub(BLOCK / 2));
    let (x1, y1) = ((x0 + BLOCK).min(img.width), (y0 + BLOCK).min(img.height));
    let s: u64 = (y0..y1)
        .flat_map(|yy| img.px[yy * img.width + x0..yy * img.width + x1].iter())
        .map(|&v| u64::from(v))
        .sum();
    s as f64 / ((x1 - x0) * (y1 - y0)).max(1) as f64
}

/// Orientation certainty (0–100, rounded) of the full 32 × 32 block nearest a minutia.
fn block_ocl_around(img: Plane<'_>, x: usize, y: usize) -> u32 {
    if img.width < BLOCK || img.height < BLOCK {
        return 0;
    }
    let x0 = x.saturating_sub(BLOCK / 2).min(img.width - BLOCK);
    let y0 = y.saturating_sub(BLOCK / 2).min(img.height - BLOCK);
    let ocl = gradient_moments(img, x0, y0, BLOCK, BLOCK)
        .orientation_certainty()
        .unwrap_or(0.0);
    (ocl * 100.0 + 0.5) as u32
}
