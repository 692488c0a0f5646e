//! The camera's measures on the grey card: exposure, colour cast, sharpness.
//!
//! The card is 18 % grey with a black-and-white checkerboard over its middle ninth. Exposure
//! and cast are read on the plain grey around it, sharpness on the checkerboard (the variance of
//! the Laplacian: a blurred edge has a weak second derivative).

use image::RgbImage;

use super::limits::{MAX_COLOUR_CAST, MAX_EXPOSURE, MIN_EXPOSURE, MIN_SHARPNESS};
use super::verdict::Rule;
use super::{Check, Verdict};

/// What was measured on the grey card.
#[derive(Debug, Clone, PartialEq)]
pub struct CameraMeasures {
    /// Picture width, pixels.
    pub width: u32,
    /// Picture height, pixels.
    pub height: u32,
    /// Mean luma of the plain card (Rec. 601 weights), grey levels.
    pub exposure: f64,
    /// Mean red ÷ mean green on the plain card (1 = no cast).
    pub red_ratio: f64,
    /// Mean blue ÷ mean green on the plain card (1 = no cast).
    pub blue_ratio: f64,
    /// Largest of |red ratio − 1| and |blue ratio − 1|.
    pub colour_cast: f64,
    /// Variance of the Laplacian of the luma over the checkerboard.
    pub sharpness: f64,
    /// Pass or fail, per measure.
    pub verdict: Verdict,
}

/// The JPEG compression setting chosen for the portrait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompressionChoice {
    /// The compression byte (VC0706 register 0x12 04; higher means smaller files).
    pub compression: u8,
    /// The portrait's JPEG size at that setting, bytes.
    pub frame_len: u32,
    /// The size it had to stay within, bytes.
    pub target: u32,
    /// Settings tried to find it.
    pub tries: u32,
}

fn luma(p: [u8; 3]) -> f64 {
    0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2])
}

/// Measures a picture of the grey card and judges each measure.
pub fn measure_grey_card(picture: &RgbImage) -> CameraMeasures {
    let (width, height) = picture.dimensions();
    let in_chart = |x: u32, y: u32| {
        (width / 3..width * 2 / 3).contains(&x) && (height / 3..height * 2 / 3).contains(&y)
    };
    // Keep away from the chart's blurred rim and the picture's edges.
    let margin = width / 20;
    let near_chart = |x: u32, y: u32| {
        (width / 3).saturating_sub(margin) <= x
            && x < width * 2 / 3 + margin
            && (height / 3).saturating_sub(margin) <= y
            && y < height * 2 / 3 + margin
    };
    let mut sums = [0.0f64; 3];
    let mut count = 0u64;
    for (x, y, p) in picture.enumerate_pixels() {
        if near_chart(x, y)
            || x < margin
            || y < margin
            || x + margin >= width
            || y + margin >= height
        {
            continue;
        }
        for (s, &c) in sums.iter_mut().zip(&p.0) {
            *s += f64::from(c);
        }
        count += 1;
    }
    let n = count.max(1) as f64;
    let [r, g, b] = sums.map(|s| s / n);
    let exposure = 0.299 * r + 0.587 * g + 0.114 * b;
    let ratio = |c: f64| if g > 0.0 { c / g } else { f64::NAN };
    let (red_ratio, blue_ratio) = (ratio(r), ratio(b));
    let colour_cast = (red_ratio - 1.0).abs().max((blue_ratio - 1.0).abs());

    let (mut sum, mut sum_sq, mut k) = (0.0, 0.0, 0u64);
    for y in 1..height.saturating_sub(1) {
        for x in 1..width.saturating_sub(1) {
            if !in_chart(x, y) {
                continue;
            }
            let at = |x: u32, y: u32| luma(picture.get_pixel(x, y).0);
            let laplacian =
                at(x - 1, y) + at(x + 1, y) + at(x, y - 1) + at(x, y + 1) - 4.0 * at(x, y);
            sum += laplacian;
            sum_sq += laplacian * laplacian;
            k += 1;
        }
    }
    let sharpness = if k > 0 {
        let m = sum / k as f64;
        (sum_sq / k as f64 - m * m).max(0.0)
    } else {
        0.0
    };
    let verdict = Verdict {
        checks: vec![
            Check::new(
                "exposure",
                exposure,
                Rule::Within(MIN_EXPOSURE, MAX_EXPOSURE),
                "own: 18 % grey card ± ½ stop",
            ),
            Check::new(
                "colour_cast",
                colour_cast,
                Rule::AtMost(MAX_COLOUR_CAST),
                "own: 5 % channel imbalance on grey",
            ),
            Check::new(
                "sharpness",
                sharpness,
                Rule::AtLeast(MIN_SHARPNESS),
                "own: measured on the simulator's card",
            ),
        ],
    };
    CameraMeasures {
        width,
        height,
        exposure,
        red_ratio,
        blue_ratio,
        colour_cast,
        sharpness,
        verdict,
    }
}
