//! NFIQ 2's way of summarising a per-block measure: ten bins with fixed boundaries, plus the mean and
//! the standard deviation of the values (`addHistogramFeatures`).

use serde::Serialize;

/// A measure family as NFIQ 2 reports it: counts in ten bins, mean and standard deviation.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Histogram {
    /// Block counts per bin; bin `i` holds values in `[limit[i-1], limit[i])`, the last is open.
    pub bins: [u32; 10],
    /// Mean of the block values (0 when there are none).
    pub mean: f64,
    /// Population standard deviation of the block values (0 when there are none).
    pub std_dev: f64,
}

impl Histogram {
    /// Bins `values` with NIST's nine inner boundaries.
    pub(crate) fn from_values(values: &[f64], limits: &[f64; 9]) -> Self {
        let mut bins = [0u32; 10];
        for &v in values {
            // Values equal to a boundary go to the upper bin, as NIST's `value >= currentBound`.
            let idx = limits.iter().take_while(|&&l| v >= l).count();
            bins[idx] += 1;
        }
        let n = values.len();
        if n == 0 {
            return Histogram {
                bins,
                mean: 0.0,
                std_dev: 0.0,
            };
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64;
        Histogram {
            bins,
            mean,
            std_dev: var.sqrt(),
        }
    }

    /// Number of values binned.
    pub fn count(&self) -> u32 {
        self.bins.iter().sum()
    }
}

/// NIST's bin boundaries (NFIQ 2 v2.3 headers `OCLHistogram.h`, `LCS.h`, `FDA.h`, `RVUPHistogram.h`,
/// `OF.h`), read from the public NFIQ 2 source; see also docs/reference/fingerprint-science.md.
pub(crate) const OCL_LIMITS: [f64; 9] =
    [0.337, 0.479, 0.579, 0.655, 0.716, 0.766, 0.81, 0.852, 0.898];
/// Local clarity bin boundaries.
pub(crate) const LCS_LIMITS: [f64; 9] = [0.0, 0.70, 0.74, 0.77, 0.79, 0.81, 0.83, 0.85, 0.87];
/// Frequency-domain analysis bin boundaries.
pub(crate) const FDA_LIMITS: [f64; 9] = [0.268, 0.304, 0.33, 0.355, 0.38, 0.407, 0.44, 0.50, 1.0];
/// Ridge-valley uniformity bin boundaries.
pub(crate) const RVUP_LIMITS: [f64; 9] = [0.5, 0.667, 0.8, 1.0, 1.25, 1.5, 2.0, 24.0, 30.0];
/// Orientation flow bin boundaries.
pub(crate) const OF_LIMITS: [f64; 9] = [
    1.715e-2, 3.5e-2, 5.57e-2, 8.1e-2, 1.15e-1, 1.718e-1, 2.569e-1, 4.758e-1, 7.48e-1,
];
