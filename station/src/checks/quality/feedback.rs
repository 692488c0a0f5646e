//! NFIQ 2's actionable feedback, with NIST's thresholds, turned into what the clerk says to the
//! applicant. Thresholds: docs/reference/fingerprint-science.md ("Actionable feedback and NIST's
//! thresholds").

use serde::Serialize;

use super::measures::Measures;

/// Above this image mean the image is empty or too faint (`EmptyImageOrContrastTooLow`).
pub const EMPTY_OR_FAINT_MEAN: f64 = 250.0;
/// Below this standard deviation the image is uniform (`UniformImage`).
pub const UNIFORM_STD_DEV: f64 = 1.0;
/// Below this many minutiae the print is unusable (`FingerprintImageWithMinutiae`).
pub const MIN_MINUTIAE: u32 = 5;
/// Below this side after trimming, px, there is no print to score (half of NFIQ 2's own limit,
/// [`MIN_CROPPED_SIDE`]; the smallest partial contact NFIQ 2 scored in the evaluation set was 115 px
/// high).
pub const UNSCORABLE_SIDE: u32 = 100;
/// Below this many foreground pixels the finger covers too little (`SufficientFingerprintForeground`).
pub const MIN_FOREGROUND_PIXELS: u64 = 50_000;
/// NFIQ 2 refuses images narrower or lower than this after trimming the white frame (FingerJet's
/// limit, `removeWhiteFrameAroundFingerprint`).
pub const MIN_CROPPED_SIDE: u32 = 197;
/// Ours, not NIST's: a foreground lighter than this on average (grey levels)…
pub const DRY_FOREGROUND_MEAN: f64 = 170.0;
/// …with a mean local clarity (LCS) below this, is a print whose ridges break into dashes: a dry
/// (or very lightly laid) finger. Set on 600 simulator impressions (seeds 70,000–70,119 × 5): it
/// names 5 of the 24 dry ones (moisture below −0.5), among them 3 of the 4 below the quality
/// threshold (the fourth touched too little of the sensor, and says so), and none of the 576
/// others. A normal print's foreground averages about 135 and its clarity 0.87; the dry ones below
/// the threshold 190–210 and 0.49–0.57. Advice is shown only under the threshold.
pub const DRY_CLARITY: f64 = 0.7;

/// A problem with the capture and what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Feedback {
    /// The image is (nearly) white: no finger, or pressed far too lightly.
    EmptyImageOrContrastTooLow {
        /// Image mean grey level.
        mean: f64,
    },
    /// The image is one flat grey: sensor dirty, covered or faulty.
    UniformImage {
        /// Image standard deviation.
        std_dev: f64,
    },
    /// Too few minutiae: ridges broken or faint, typically a dry finger.
    TooFewMinutiae {
        /// Minutiae found.
        count: u32,
    },
    /// The finger covers too small an area of the sensor.
    SmallForeground {
        /// Foreground pixels.
        pixels: u64,
    },
    /// Ridges broken into dashes: a dry finger, or one laid too lightly (ours, not an NFIQ 2
    /// measure: see [`DRY_FOREGROUND_MEAN`]).
    DryRidges {
        /// Mean grey level of the foreground.
        foreground_mean: f64,
        /// Mean local clarity (LCS).
        clarity: f64,
    },
    /// After trimming white margins the print is smaller than NFIQ 2 accepts.
    PrintTooSmall {
        /// Cropped width, px.
        width: u32,
        /// Cropped height, px.
        height: u32,
    },
}

pub use crate::language::Language;

impl Feedback {
    /// NFIQ 2's name for the underlying actionable measure (`DryRidges` is the station's own).
    pub fn nist_name(&self) -> &'static str {
        match self {
            Feedback::EmptyImageOrContrastTooLow { .. } => "EmptyImageOrContrastTooLow",
            Feedback::UniformImage { .. } => "UniformImage",
            Feedback::TooFewMinutiae { .. } => "FingerprintImageWithMinutiae",
            Feedback::DryRidges { .. } => "DryRidges",
            Feedback::SmallForeground { .. } | Feedback::PrintTooSmall { .. } => {
                "SufficientFingerprintForeground"
            }
        }
    }

    /// What the clerk tells the applicant.
    pub fn message(&self, language: Language) -> &'static str {
        match (self, language) {
            (Feedback::EmptyImageOrContrastTooLow { .. }, Language::French) => {
                "Image vide ou trop pâle : appuyez plus fort, le doigt bien posé sur le capteur."
            }
            (Feedback::EmptyImageOrContrastTooLow { .. }, Language::English) => {
                "Empty or faint image: press harder, with the finger resting on the sensor."
            }
            (Feedback::UniformImage { .. }, Language::French) => {
                "Image uniforme : nettoyez le capteur puis recommencez."
            }
            (Feedback::UniformImage { .. }, Language::English) => {
                "Uniform image: clean the sensor and try again."
            }
            (Feedback::TooFewMinutiae { .. }, Language::French) => {
                "Crêtes peu lisibles, doigt trop sec : humidifiez légèrement le doigt et appuyez plus fort."
            }
            (Feedback::TooFewMinutiae { .. }, Language::English) => {
                "Ridges hard to read, finger too dry: moisten the finger slightly and press harder."
            }
            (Feedback::DryRidges { .. }, Language::French) => {
                "Doigt trop sec, crêtes interrompues : soufflez sur le doigt ou humidifiez-le légèrement, puis appuyez un peu plus fort."
            }
            (Feedback::DryRidges { .. }, Language::English) => {
                "Finger too dry, ridges broken: breathe on the finger or moisten it slightly, then press a little harder."
            }
            (
                Feedback::SmallForeground { .. } | Feedback::PrintTooSmall { .. },
                Language::French,
            ) => "Empreinte trop petite : posez le doigt bien à plat au centre du capteur.",
            (
                Feedback::SmallForeground { .. } | Feedback::PrintTooSmall { .. },
                Language::English,
            ) => "Print too small: place the finger flat in the centre of the sensor.",
        }
    }

    /// Whether this problem alone makes the print unscorable (score 0): no print at all, or one
    /// far too small. Prints that NIST's feedback merely calls small or poor in minutiae are left
    /// to the model, because NFIQ 2 itself scores them: partial contacts 160 px wide got 32–60 and
    /// blurred simulator prints where our detector finds 1–4 minutiae up to 63 in the evaluation
    /// set (scripts/quality-eval.sh).
    pub fn is_blocking(&self) -> bool {
        match self {
            Feedback::EmptyImageOrContrastTooLow { .. } | Feedback::UniformImage { .. } => true,
            Feedback::TooFewMinutiae { count } => *count == 0,
            Feedback::PrintTooSmall { width, height } => (*width).min(*height) < UNSCORABLE_SIDE,
            Feedback::SmallForeground { .. } | Feedback::DryRidges { .. } => false,
        }
    }
}

/// The feedback NIST's thresholds give for these measures, most fundamental first.
pub(crate) fn from_measures(m: &Measures) -> Vec<Feedback> {
    let mut out = Vec::new();
    if m.std_dev < UNIFORM_STD_DEV {
        out.push(Feedback::UniformImage { std_dev: m.std_dev });
    }
    if m.mean > EMPTY_OR_FAINT_MEAN {
        out.push(Feedback::EmptyImageOrContrastTooLow { mean: m.mean });
    }
    if m.cropped_width < MIN_CROPPED_SIDE || m.cropped_height < MIN_CROPPED_SIDE {
        out.push(Feedback::PrintTooSmall {
            width: m.cropped_width,
            height: m.cropped_height,
        });
    }
    let dry = m.foreground_mean > DRY_FOREGROUND_MEAN && m.lcs.mean < DRY_CLARITY;
    if dry && out.is_empty() {
        out.push(Feedback::DryRidges {
            foreground_mean: m.foreground_mean,
            clarity: m.lcs.mean,
        });
    }
    // Broken ridges also shrink the foreground found: then dryness is the advice, not the size.
    if m.foreground_pixels < MIN_FOREGROUND_PIXELS && !dry {
        out.push(Feedback::SmallForeground {
            pixels: m.foreground_pixels,
        });
    }
    if m.minutiae_count < MIN_MINUTIAE && out.is_empty() {
        // Only when nothing more basic explains it: a blank image has no minutiae either.
        out.push(Feedback::TooFewMinutiae {
            count: m.minutiae_count,
        });
    }
    out
}

/// Why another capture is asked, in the clerk's words: the first problem found, or, when no single
/// measure explains the low score (blurred, smudged or wet ridges: the score comes from the model,
/// not from one threshold), a general advice, so that a retry is never unexplained. Nothing for a
/// print that reaches the threshold, even when a non-blocking measure (a small foreground on a
/// small sensor) would have something to say: advice is for the next try.
pub fn retry_advice(
    feedback: &[Feedback],
    score: u8,
    threshold: u8,
    language: Language,
) -> Option<&'static str> {
    if score >= threshold {
        return None;
    }
    Some(feedback.first().map_or_else(
        || match language {
            Language::French => {
                "Empreinte peu nette : essuyez le doigt et le capteur, puis posez le doigt bien à plat sans bouger."
            }
            Language::English => {
                "Print unclear: wipe the finger and the sensor, then lay the finger flat and keep still."
            }
        },
        |f| f.message(language),
    ))
}
