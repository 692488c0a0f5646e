//! The legal finger sequence, as a pure function of what happened so far.
//!
//! Our reading of docs/reference/counter-workflow.md (item 4: "the two index fingers, flat. If one
//! cannot be taken, the middle finger then the ring finger of the same hand, then the other hand"):
//! 1. two fingers are wanted, one from each hand, left hand first;
//! 2. for each hand, in turn: its index, and when that finger is recorded as an exception, its middle,
//!    then its ring finger, asked straight away while the applicant still presents that hand;
//! 3. when a hand gives no finger at all (index, middle and ring all exceptions), the missing finger is
//!    taken from the other hand: its next untried finger among index, middle, ring;
//! 4. the sequence ends when two fingers are captured or no candidate is left (thumbs and little
//!    fingers are never asked for: the reference names only these three).

use super::finger::{FingerPosition, Hand};

/// How many fingers a record should hold (docs/reference/counter-workflow.md: "the two index
/// fingers").
pub const FINGERS_WANTED: usize = 2;

/// What became of a finger that was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FingerOutcome {
    /// An image was kept (above the threshold or accepted below it).
    Captured,
    /// Recorded as not takeable, with a reason.
    Exception,
}

/// The next finger to ask for, given the fingers already settled in order, or `None` when the
/// sequence is over.
pub fn next_finger(settled: &[(FingerPosition, FingerOutcome)]) -> Option<FingerPosition> {
    let captured = |hand: Hand| {
        settled
            .iter()
            .filter(|(p, o)| p.hand() == hand && *o == FingerOutcome::Captured)
            .count()
    };
    let tried = |p: FingerPosition| settled.iter().any(|(q, _)| *q == p);
    let first_untried = |hand: Hand| {
        FingerPosition::of_hand(hand)
            .into_iter()
            .find(|p| !tried(*p))
    };
    if captured(Hand::Left) + captured(Hand::Right) >= FINGERS_WANTED {
        return None;
    }
    // One finger from each hand, left first.
    for hand in [Hand::Left, Hand::Right] {
        if captured(hand) == 0
            && let Some(p) = first_untried(hand)
        {
            return Some(p);
        }
    }
    // A hand gave nothing: the other hand makes up for it.
    for hand in [Hand::Left, Hand::Right] {
        if captured(hand) > 0
            && captured(hand.other()) == 0
            && let Some(p) = first_untried(hand)
        {
            return Some(p);
        }
    }
    None
}
