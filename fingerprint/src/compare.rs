//! 1:1 comparison: the Minutia Cylinder-Code similarity of two templates (cylinders.rs), on their
//! reliable minutiae, as a whole-number score 0–1000.
//!
//! BOZORTH3 (NIST, through `fprint-bozorth3`) did this job until the measurements in mod.rs: on the
//! same templates it is as accurate, but its cluster search grows with the minutia pairs that agree,
//! so a strong genuine pair took 20–60 ms where MCC takes 2–5 ms whatever the pair. It stays a
//! dev-dependency, as the baseline the accuracy test and the bench measure MCC against.

use super::cylinders::Cylinders;
use super::template::Template;

/// The score of identical prints.
pub const MAX_SCORE: u32 = 1000;

/// Fewest reliable minutiae a print needs to be compared (BOZORTH3's own floor): below it, a few
/// chance agreements would make the score.
pub const MIN_MINUTIAE_COMPARED: usize = 10;

/// The comparison score of a live or new print (`probe`) against a reference: 0 for unrelated
/// prints, close to [`MAX_SCORE`] for the same template. The order of the two does not change the
/// score (except on ties between pairs); by convention the print just taken goes first. 0 when either
/// print has fewer than [`MIN_MINUTIAE_COMPARED`] reliable minutiae (too few to say).
pub fn compare(probe: &Template, reference: &Template) -> u32 {
    Prepared::new(probe).compare(&Prepared::new(reference))
}

/// A print made ready for comparison (its cylinders built), for comparing one print with several.
pub struct Prepared {
    cylinders: Cylinders,
}

impl Prepared {
    /// Builds the cylinders of `template`'s reliable minutiae.
    pub fn new(template: &Template) -> Self {
        Self {
            cylinders: Cylinders::of(template),
        }
    }

    /// The score of this print against `other`, as [`compare`].
    pub fn compare(&self, other: &Self) -> u32 {
        let (mine, theirs) = (&self.cylinders, &other.cylinders);
        if mine.minutiae() < MIN_MINUTIAE_COMPARED || theirs.minutiae() < MIN_MINUTIAE_COMPARED {
            return 0;
        }
        score(mine.similarity(theirs))
    }
}

/// The similarity 0..1 as a score 0..=`MAX_SCORE`.
fn score(similarity: f32) -> u32 {
    (f64::from(similarity.clamp(0.0, 1.0)) * f64::from(MAX_SCORE)).round() as u32
}
