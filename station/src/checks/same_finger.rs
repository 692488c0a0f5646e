//! Same finger twice: during enrolment every new finger is compared with those already taken for
//! this applicant. A match means the applicant put the same finger down again (by mistake, or to
//! pass off one finger as two).

use crate::enrolment::FingerPosition;
use fingerprint::{Prepared, SAME_FINGER_THRESHOLD, Template};

/// The earlier finger that `new` matches, with the score, if any: the highest score at or above
/// [`SAME_FINGER_THRESHOLD`]. Each comparison takes about 2–4 ms on the 256 × 288 sensor. Logs the outcome (never the
/// minutiae).
pub fn same_finger(
    new: &Template,
    earlier: &[(FingerPosition, Template)],
) -> Option<(FingerPosition, u32)> {
    let new = Prepared::new(new);
    let best = earlier
        .iter()
        .map(|(position, template)| (*position, new.compare(&Prepared::new(template))))
        .max_by_key(|(_, score)| *score);
    match best {
        Some((position, score)) if score >= SAME_FINGER_THRESHOLD => {
            tracing::warn!(earlier = %position, score, threshold = SAME_FINGER_THRESHOLD,
                compared = earlier.len(), "same finger presented twice");
            Some((position, score))
        }
        _ => {
            tracing::debug!(
                best_score = best.map_or(0, |(_, s)| s),
                compared = earlier.len(),
                "new finger differs from those already taken"
            );
            None
        }
    }
}
