//! Minutiae and 1:1 matching (issue 7, parts 2 and 3): a [`Template`] of minutiae extracted from a
//! 500-ppi 8-bit image, [`compare`] for a score, the calibrated thresholds, and [`same_finger`] for
//! the enrolment check.
//!
//! ## Why the NBIS ports rather than our own code
//! `fprint-mindtct` 0.1 and `fprint-bozorth3` 0.1 (MIT OR Apache-2.0, pure Rust, `forbid(unsafe)`,
//! no dependencies) port NIST's MINDTCT and BOZORTH3 (shared/reference/fingerprint-science.md,
//! "Matching"). Checked here against NIST's own code (nbis-python, shared/tools/nfiq2-ref) on 36
//! simulator impressions (12 fingers × 3, 256×288):
//! - minutiae: the same positions as NIST's on 36 of 36 images (1,206 minutiae);
//! - scores: equal on 472 of 630 pairs, mean |difference| 0.5, largest 15 (on a genuine pair scoring
//!   ~170); no decision differs at a threshold of 40. nbis-python feeds BOZORTH3 through its own
//!   minutia conversion, which explains small differences; the crate's own suite checks it
//!   score-exact against the stock C tool on 345 fixture files;
//! - speed (release, one core): 20 ms per extraction on 256 × 288 (NIST: 31 ms), 56 ms on NIST's
//!   416 × 560 SFinGe_Test01. BOZORTH3's cluster search grows with the consistent pairs, so a strong
//!   genuine pair costs far more than an impostor. The crate is vendored (vendor/fprint-bozorth3,
//!   through `[patch.crates-io]`) with its linear scan of the compatibility list replaced by an
//!   index: same scores (its golden test against NIST's C tool, and 2,370 simulator pairs), 2.2×
//!   faster in all, the bench's strong pair 64 → 20 ms. Comparison times on 4,000 genuine and
//!   39,800 impostor pairs (matching_accuracy.rs, both sets): genuine median 5–6 ms, p90 21–25 ms,
//!   p99 48–54 ms; impostor median 0.3–0.4 ms, p99 17–21 ms. Extraction + one comparison stays
//!   within 40 ms for 99.0–99.4 % of impostor pairs and 86–89 % of genuine pairs: the goal is met
//!   for the usual case, not for every strong genuine pair.
//!
//! Their weak points: version 0.1 from one author (young; pinned in Cargo.lock, and this module's
//! tests would catch a change of behaviour), and MINDTCT's public output has no minutia type, which
//! ISO/IEC 19794-2 records carry, so extract.rs calls it from the image. Writing our own
//! MINDTCT-class extractor (≈ 12,000 lines in the port) would not have been better in two hours.
//!
//! ## Accuracy on simulator identities (station/tests/matching_accuracy.rs, `--ignored`)
//! 200 fingers × 5 impressions at 256 × 288 (firmware-sim; same seed = genuine, different seeds =
//! impostors): 2,000 genuine and 19,900 impostor pairs, on two sets: the *calibration* set the
//! thresholds were set on (seeds 70,000+) and a *held-out* set never used for that (170,000+).
//! With the normalised score of compare.rs (raw BOZORTH3 gave 4.40 % on the calibration set):
//!
//! | | calibration | held out | goal |
//! |---|---|---|---|
//! | FNMR at FMR 0.1 % | 2.25 % | 1.05 % | ≤ 2 % |
//! | same finger twice: catch rate (threshold 64) | 97.95 % | 98.95 % | ≥ 99 % |
//! | same finger twice: false alarms per new finger | 0.30 % | 0.40 % | ≤ 0.5 % |
//! | both impressions at quality ≥ 40: FNMR / catch rate | 1.17 / 98.99 % | 0.68 / 99.32 % | |
//!
//! Pooled at the thresholds (4,000 genuine pairs): FNMR 1.65 %, catch rate 98.45 %. The genuine
//! pairs that fail are concentrated on a few impressions (on the calibration set, 11 impressions
//! take part in 40 of the 45 failures): very dry prints with broken ridges, 6 of the 11 below the
//! counter's quality threshold (the clerk is asked for another try), two with 9–10 reliable
//! minutiae. (On 300 simulator impressions, seeds 70,000–70,059, our usable/unusable verdict at 40
//! agrees with NIST's NFIQ 2 on 96.0 %: ours is the stricter on 10, the kinder on 2; one of the
//! failing dry prints scored 41 here and 29 by NIST's code.) Normalising differently (the higher
//! or the mean of both directions, other powers of the counts), or using every minutia for prints
//! with few reliable ones, did not do better than 2.20 % on the calibration set. A matcher that
//! also used ridge counts or the orientation field would be the next step.
//!
//! ## Thresholds
//! See [`MATCH_THRESHOLD`] and [`SAME_FINGER_THRESHOLD`].

mod compare;
mod extract;
mod same_finger;
mod template;

pub use compare::{MIN_MINUTIA_QUALITY, compare};
pub use extract::{extract, extract_image};
pub use same_finger::same_finger;
pub use template::{MAX_MINUTIAE, Minutia, MinutiaKind, RESOLUTION_500_PPI, Template};

/// The score at and above which two prints are the same finger (handover, `station fingerprint
/// match`). Calibrated on simulator identities (matching_accuracy.rs, 19,900 impostor pairs): the
/// smallest score whose false match rate is at most 0.1 %, the target (measured: 0.075 % FMR,
/// 2.25 % FNMR; on the 200 held-out fingers 0.040 % FMR, 1.05 % FNMR).
pub const MATCH_THRESHOLD: u32 = 67;

/// The score at and above which a new finger is taken for one already captured in the same
/// enrolment. Each new finger is compared with up to 5 earlier ones, so the target is at most 0.5 %
/// false alarms per new finger over those 5 comparisons. Measured (matching_accuracy.rs, 1,000 new
/// fingers × 5 earlier ones; catch rate = genuine pairs at or above the threshold), threshold:
/// catch / false alarms — 55: 98.20 / 2.6 %; 60: 98.05 / 0.7 %; **64: 97.95 / 0.3 %**;
/// 67: 97.75 / 0.2 %; 71: 97.65 / 0.0 %. 64 is the lowest that kept the target when it was set (61
/// reaches it too when the sweep is finer, for 0.1 point of catch rate; not worth the margin). On the
/// 200 held-out fingers: 98.95 % caught, 0.40 % false alarms. The catch-rate goal (≥ 99 %) is met
/// only where both impressions reach the quality threshold (98.99 % and 99.32 %): even at 30 the
/// calibration set catches 98.8 %, because ~1 % of genuine impressions share too little with each
/// other for BOZORTH3.
pub const SAME_FINGER_THRESHOLD: u32 = 64;

/// Whether a score means the same finger at [`MATCH_THRESHOLD`].
pub fn is_match(score: u32) -> bool {
    score >= MATCH_THRESHOLD
}

/// Why minutiae could not be extracted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MatchError {
    /// The image is too small, too large, or its buffer too short.
    #[error("fingerprint image unusable for minutiae: {0}")]
    Image(String),
}
