//! The handover decision's comparison: a live print against the fingers enrolled for one person.
//! The central runs it on the template the station sealed to it, and the reference it keeps.

use crate::compare::Prepared;
use crate::iso19794_2::ParsedFingerMinutiae;
use crate::template::Template;
use crate::{MATCH_THRESHOLD, is_match};

/// The best comparison of a live print with the enrolled fingers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BestMatch {
    /// ISO position code of the enrolled finger that scored best.
    pub position: u8,
    /// Its score, 0..=[`MAX_SCORE`](crate::MAX_SCORE).
    pub score: u32,
    /// The threshold the score was held against ([`MATCH_THRESHOLD`]).
    pub threshold: u32,
    /// The score reaches the threshold.
    pub matched: bool,
}

/// Compares `live` with the enrolled fingers at `position`, or with every enrolled finger when
/// `position` is 0 (ISO/IEC 19794 "unknown finger": the clerk did not say which finger is
/// presented), and keeps the best score. `None` when no enrolled finger is at that position.
pub fn best_match(
    enrolled: &[ParsedFingerMinutiae],
    live: &Template,
    position: u8,
) -> Option<BestMatch> {
    let live = Prepared::new(live);
    enrolled
        .iter()
        .filter(|finger| position == 0 || finger.position == position)
        .map(|finger| {
            (
                finger.position,
                live.compare(&Prepared::new(&finger.template)),
            )
        })
        .max_by_key(|(_, score)| *score)
        .map(|(position, score)| BestMatch {
            position,
            score,
            threshold: MATCH_THRESHOLD,
            matched: is_match(score),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Minutia, MinutiaKind, RESOLUTION_500_PPI};

    /// A made-up print: minutiae scattered by a small pseudo-random generator (the same seed is
    /// the same finger, other seeds other fingers).
    fn print(seed: u32) -> Template {
        let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(12_345) | 1;
        let mut next = move |n: u32| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state % n
        };
        let minutiae = (0..40)
            .map(|_| Minutia {
                x: 10 + next(236) as u16,
                y: 10 + next(268) as u16,
                angle: next(256) as u8,
                kind: if next(2) == 0 {
                    MinutiaKind::Bifurcation
                } else {
                    MinutiaKind::RidgeEnding
                },
                quality: 80,
            })
            .collect();
        Template {
            width: 256,
            height: 288,
            resolution_ppcm: RESOLUTION_500_PPI,
            minutiae,
        }
    }

    fn enrolled(position: u8, template: Template) -> ParsedFingerMinutiae {
        ParsedFingerMinutiae {
            position,
            representation: 0,
            quality: Some(70),
            template,
        }
    }

    #[test]
    fn the_same_print_matches_at_its_position_and_among_all() {
        let fingers = [enrolled(2, print(1)), enrolled(7, print(2))];
        let any = best_match(&fingers, &print(2), 0).expect("fingers enrolled");
        assert_eq!((any.position, any.matched), (7, true), "{any:?}");
        let asked = best_match(&fingers, &print(2), 7).expect("left index enrolled");
        assert_eq!(asked, any);
        assert_eq!(asked.threshold, MATCH_THRESHOLD);
    }

    #[test]
    fn only_the_finger_asked_is_compared() {
        let fingers = [enrolled(2, print(1)), enrolled(7, print(2))];
        let other = best_match(&fingers, &print(2), 2).expect("right index enrolled");
        assert_eq!(other.position, 2);
        assert!(!other.matched, "{other:?}");
        assert!(other.score < any_score(&fingers));
        assert_eq!(best_match(&fingers, &print(2), 3), None, "no right middle");
        assert_eq!(best_match(&[], &print(2), 0), None);
    }

    fn any_score(fingers: &[ParsedFingerMinutiae]) -> u32 {
        best_match(fingers, &print(2), 0).map_or(0, |m| m.score)
    }
}
