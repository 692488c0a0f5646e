//! NFIQ 2's actionable feedback, with NIST's thresholds, turned into what the clerk says to the
//! applicant. Thresholds: reference/fingerprint-science.md ("Actionable feedback and NIST's
//! thresholds").

use serde::Serialize;

use super::measures::Measures;

/// Above this image mean the image is empty or too faint (`EmptyImageOrContrastTooLow`).
pub const EMPTY_OR_FAINT_MEAN: f64 = 250.0;
/// Below this standard deviation the image is uniform (`UniformImage`).
pub const UNIFORM_STD_DEV: f64 = 1.0;
/// Below this many minutiae the print is unusable (`FingerprintImageWithMinutiae`).
pub const MIN_MINUTIAE: u32 = 5;
/// Below this many foreground pixels the finger covers too little (`SufficientFingerprintForeground`).
pub const MIN_FOREGROUND_PIXELS: u64 = 50_000;
/// NFIQ 2 refuses images narrower or lower than this after trimming the white frame (FingerJet's
/// limit, `removeWhiteFrameAroundFingerprint`).
pub const MIN_CROPPED_SIDE: u32 = 197;

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
    /// NFIQ 2's name for the underlying actionable measure.
    pub fn nist_name(&self) -> &'static str {
        match self {
            Feedback::EmptyImageOrContrastTooLow { .. } => "EmptyImageOrContrastTooLow",
            Feedback::UniformImage { .. } => "UniformImage",
            Feedback::TooFewMinutiae { .. } => "FingerprintImageWithMinutiae",
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

    /// Whether this problem alone makes the print unusable (NFIQ 2 scores such images 0 or near).
    pub fn is_blocking(&self) -> bool {
        !matches!(self, Feedback::SmallForeground { .. })
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
    if m.foreground_pixels < MIN_FOREGROUND_PIXELS {
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
