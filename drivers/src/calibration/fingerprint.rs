//! The fingerprint sensor's measures, from N frames of the blank target and N of the flat one.

use image::GrayImage;

use super::limits::{
    MAX_AREA_SPREAD_DARK, MAX_AREA_SPREAD_LIGHT, MAX_BAD_PIXELS, MIN_BACKGROUND_LEVEL,
    MIN_DYNAMIC_RANGE, MIN_FRAMES, MIN_SNR, UNIFORMITY_BLOCK,
};
use super::verdict::Rule;
use super::{
    BadPixels, CalibrationError, Check, FlatField, PixelStats, Residue, Verdict, find_residue,
};

/// A signal-to-noise ratio is reported up to this (a noiseless sensor would give infinity).
const SNR_CEILING: f64 = 1_000.0;

/// What was measured on the fingerprint sensor.
#[derive(Debug, Clone, PartialEq)]
pub struct FingerprintMeasures {
    /// Frames of each target.
    pub frames: usize,
    /// Sensor width, pixels.
    pub width: u32,
    /// Sensor height, pixels.
    pub height: u32,
    /// Mean level of the blank (white) target, grey levels, bad pixels left out.
    pub background_level: f64,
    /// Mean level of the flat (dark) target, grey levels.
    pub dark_level: f64,
    /// Background level − dark level, grey levels.
    pub dynamic_range: f64,
    /// Temporal noise (RMS over the pixels of their standard deviation over the frames, both
    /// targets), grey levels.
    pub temporal_noise: f64,
    /// Dynamic range ÷ temporal noise (capped at 1,000).
    pub snr: f64,
    /// Largest difference between two 32 × 32 block means of the blank target, grey levels.
    pub uniformity_light: f64,
    /// The same on the flat target.
    pub uniformity_dark: f64,
    /// Dead and stuck pixels.
    pub bad_pixels: BadPixels,
    /// Latent-print residue found on the blank target, largest first.
    pub residue: Vec<Residue>,
}

/// A fingerprint sensor's calibration: its measures, their verdict and the flat-field
/// correction to apply to its captures.
#[derive(Debug, Clone, PartialEq)]
pub struct FingerprintCalibration {
    /// The measures.
    pub measures: FingerprintMeasures,
    /// Pass or fail, per measure.
    pub verdict: Verdict,
    /// The correction for every later capture.
    pub flat_field: FlatField,
}

/// Measures the sensor from frames of the blank target and of the flat target (at least
/// [`MIN_FRAMES`] of each, all of one size).
pub fn measure_fingerprint(
    blank: &[GrayImage],
    flat: &[GrayImage],
) -> Result<FingerprintCalibration, CalibrationError> {
    let given = blank.len().min(flat.len());
    if given < MIN_FRAMES {
        return Err(CalibrationError::TooFewFrames {
            needed: MIN_FRAMES,
            given,
        });
    }
    let blank = PixelStats::from_frames(blank)?;
    let flat = PixelStats::from_frames(flat)?;
    if (flat.width, flat.height) != (blank.width, blank.height) {
        return Err(CalibrationError::SizeMismatch {
            width: blank.width,
            height: blank.height,
            found_width: flat.width,
            found_height: flat.height,
        });
    }
    let bad_pixels = BadPixels::find(&blank, &flat);
    let residue = find_residue(&blank, &bad_pixels);
    let (background_level, blank_variance) = good_means(&blank, &bad_pixels);
    let (dark_level, flat_variance) = good_means(&flat, &bad_pixels);
    let dynamic_range = background_level - dark_level;
    let temporal_noise = ((blank_variance + flat_variance) / 2.0).sqrt();
    let snr = if temporal_noise > dynamic_range.abs() / SNR_CEILING {
        dynamic_range / temporal_noise
    } else {
        SNR_CEILING
    };
    let measures = FingerprintMeasures {
        frames: given,
        width: blank.width,
        height: blank.height,
        background_level,
        dark_level,
        dynamic_range,
        temporal_noise,
        snr,
        uniformity_light: block_spread(&blank, &bad_pixels),
        uniformity_dark: block_spread(&flat, &bad_pixels),
        bad_pixels,
        residue,
    };
    let verdict = judge(&measures);
    let flat_field = FlatField::from_targets(&blank, &flat, &measures.bad_pixels);
    tracing::info!(
        device = "zfm",
        frames = given,
        background = measures.background_level,
        snr = measures.snr,
        dead = measures.bad_pixels.dead.len(),
        stuck = measures.bad_pixels.stuck.len(),
        residue = measures.residue.len(),
        pass = verdict.pass(),
        "fingerprint sensor measured"
    );
    Ok(FingerprintCalibration {
        measures,
        verdict,
        flat_field,
    })
}

/// Each measure against its limit.
fn judge(m: &FingerprintMeasures) -> Verdict {
    const FBI_F: &str = "EBTS Appendix F, gray-level uniformity (small area)";
    Verdict {
        checks: vec![
            Check::new(
                "background_level",
                m.background_level,
                Rule::AtLeast(MIN_BACKGROUND_LEVEL),
                "own: a third of the light lost",
            ),
            Check::new(
                "dynamic_range",
                m.dynamic_range,
                Rule::AtLeast(MIN_DYNAMIC_RANGE),
                "PIV-071006 / EBTS Appendix G: fingerprint gray range ≥ 150",
            ),
            Check::new(
                "snr",
                m.snr,
                Rule::AtLeast(MIN_SNR),
                "PIV-071006: signal-to-noise ratio ≥ 70.6",
            ),
            Check::new(
                "uniformity_light",
                m.uniformity_light,
                Rule::AtMost(MAX_AREA_SPREAD_LIGHT),
                FBI_F,
            ),
            Check::new(
                "uniformity_dark",
                m.uniformity_dark,
                Rule::AtMost(MAX_AREA_SPREAD_DARK),
                FBI_F,
            ),
            Check::new(
                "bad_pixels",
                m.bad_pixels.count() as f64,
                Rule::AtMost(MAX_BAD_PIXELS as f64),
                "own: isolated pixels filled by the flat field",
            ),
            Check::new(
                "residue_regions",
                m.residue.len() as f64,
                Rule::AtMost(0.0),
                "own: a latent print on the glass must be cleaned",
            ),
        ],
    }
}

/// Mean level and mean temporal variance over the pixels that respond.
fn good_means(stats: &PixelStats, bad: &BadPixels) -> (f64, f64) {
    let (mut level, mut variance, mut count) = (0.0, 0.0, 0usize);
    for (i, (&m, &v)) in stats.mean.iter().zip(&stats.variance).enumerate() {
        let (x, y) = (
            (i % stats.width as usize) as u32,
            (i / stats.width as usize) as u32,
        );
        if !bad.contains(x, y) {
            level += f64::from(m);
            variance += f64::from(v);
            count += 1;
        }
    }
    let n = count.max(1) as f64;
    (level / n, variance / n)
}

/// Largest difference between the means of two blocks (at least half inside the sensor).
fn block_spread(stats: &PixelStats, bad: &BadPixels) -> f64 {
    let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
    let mut y0 = 0;
    while y0 < stats.height {
        let mut x0 = 0;
        while x0 < stats.width {
            let x1 = (x0 + UNIFORMITY_BLOCK).min(stats.width);
            let y1 = (y0 + UNIFORMITY_BLOCK).min(stats.height);
            if (x1 - x0) * (y1 - y0) * 2 >= UNIFORMITY_BLOCK * UNIFORMITY_BLOCK {
                let (mut sum, mut count) = (0.0, 0u32);
                for y in y0..y1 {
                    for x in x0..x1 {
                        if !bad.contains(x, y) {
                            sum += f64::from(stats.mean_at(x, y));
                            count += 1;
                        }
                    }
                }
                if count > 0 {
                    let mean = sum / f64::from(count);
                    low = low.min(mean);
                    high = high.max(mean);
                }
            }
            x0 += UNIFORMITY_BLOCK;
        }
        y0 += UNIFORMITY_BLOCK;
    }
    if high >= low { high - low } else { 0.0 }
}
