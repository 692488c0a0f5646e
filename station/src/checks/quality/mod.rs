//! Fingerprint quality modelled on NIST NFIQ 2 (v2.3): the native measures on 32 × 32 blocks of
//! the whitespace-cropped 500-ppi image, one score 0–100 from our own model, and NFIQ 2's
//! actionable feedback as clerk messages. Reference: docs/reference/fingerprint-science.md.
//!
//! Agreement with NIST's published outputs on its five reference images (tests/quality_reference):
//! OCL, LCS, FDA, RVUP and OF follow NIST's code step by step and give the same bin counts, with
//! mean and standard deviation equal to 5e−6; Mu, MMB and σ equal; foreground pixels within 0.15 %
//! and its mean within 0.05 grey level (box filters for NIST's Gaussians, at half resolution);
//! coherence sum and mean within 0.4 %. Minutiae come from our own detector, not FingerJet FX:
//! count within 19 %, centre-box count within 9 minutiae, the two minutiae-quality shares within
//! 0.09. NFIQ 2 fails (our reference reports 0) when FingerJet finds fewer than 6 minutiae inside
//! its footprint; footprint.rs measures that footprint's energy for the model
//! (docs/quality-score.md). Unified score: model.rs, measured against NFIQ 2 on held-out fingers and kinds of damage by
//! `scripts/quality-eval.sh` (figures in the README, "Quality score against NFIQ 2").
//!
//! ```text
//! let report = station::checks::quality::assess(img)?;
//! if report.score < station::checks::quality::USABLE_THRESHOLD { /* ask for another capture */ }
//! ```

mod blocks;
pub mod feedback;
mod footprint;
mod foreground;
mod histogram;
mod image;
pub mod measures;
pub mod minutiae;
mod model;
mod ridge_structure;

use std::time::Instant;

use serde::Serialize;

pub use feedback::{Feedback, Language};
pub use histogram::Histogram;
pub use measures::Measures;

/// Name of this quality algorithm, for the record manifest's `quality.algorithm`.
pub const ALGORITHM: &str = "dr-quality (NFIQ 2.3 native measures, own model)";

/// Version of the algorithm and its fitted model, recorded with every score (`quality.version`).
pub const VERSION: &str = "2.2";

/// Default usable/unusable threshold (MOSIP's finger threshold;
/// docs/reference/fingerprint-science.md).
pub const USABLE_THRESHOLD: u8 = 40;

/// Largest side accepted, px: NFIQ 2 stops at 800 × 1000; anything far beyond is not a
/// 500-ppi flat print and would only cost time.
pub const MAX_SIDE: u32 = 4096;

/// The quality verdict for one image.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QualityReport {
    /// Unified quality score, 0 (unusable) to 100.
    pub score: u8,
    /// Algorithm name and version ([`VERSION`]).
    pub version: &'static str,
    /// What to tell the applicant; empty when nothing is wrong.
    pub feedback: Vec<Feedback>,
    /// Every native measure.
    pub measures: Measures,
}

impl QualityReport {
    /// Whether the score reaches `threshold`.
    pub fn is_usable(&self, threshold: u8) -> bool {
        self.score >= threshold
    }

    /// Why another capture is asked, in the clerk's words; nothing when the print is usable.
    pub fn retry_advice(&self, threshold: u8, language: Language) -> Option<&'static str> {
        feedback::retry_advice(&self.feedback, self.score, threshold, language)
    }
}

/// Why an image could not be assessed at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum QualityError {
    /// The image has no pixels.
    #[error("image is empty ({width}×{height})")]
    Empty {
        /// Width, px.
        width: u32,
        /// Height, px.
        height: u32,
    },
    /// The image is larger than any fingerprint sensor gives.
    #[error("image is too large ({width}×{height}, at most {MAX_SIDE} px a side)")]
    TooLarge {
        /// Width, px.
        width: u32,
        /// Height, px.
        height: u32,
    },
}

/// Assesses one 8-bit, 500-ppi fingerprint image. Never panics; images of any size within
/// [`MAX_SIDE`] get a report (tiny or blank ones score 0 with feedback saying why).
pub fn assess(img: &::image::GrayImage) -> Result<QualityReport, QualityError> {
    let (width, height) = img.dimensions();
    if width == 0 || height == 0 {
        return Err(QualityError::Empty { width, height });
    }
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(QualityError::TooLarge { width, height });
    }
    let started = Instant::now();
    let full = image::Plane {
        px: img.as_raw(),
        width: width as usize,
        height: height as usize,
    };
    let (x0, y0, w, h) = image::white_frame_crop(full);
    let cropped = image::copy_rect(full, x0, y0, w, h);
    let plane = image::Plane {
        px: &cropped,
        width: w,
        height: h,
    };
    let (measures, _minutiae) = measures::compute(plane);
    let feedback = feedback::from_measures(&measures);
    let blocked = feedback.iter().any(Feedback::is_blocking) || measures.minutiae_count == 0;
    let score = if blocked { 0 } else { model::score(&measures) };
    tracing::debug!(
        score,
        width,
        height,
        minutiae = measures.minutiae_count,
        elapsed_us = started.elapsed().as_micros() as u64,
        "fingerprint quality assessed"
    );
    Ok(QualityReport {
        score,
        version: VERSION,
        feedback,
        measures,
    })
}
