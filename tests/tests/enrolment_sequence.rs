//! The legal finger sequence (docs/reference/counter-workflow.md item 4), table-driven, plus an
//! exhaustive walk of every capture/exception pattern.

use station::enrolment::{FingerOutcome, FingerPosition, next_finger};

use FingerOutcome::{Captured as C, Exception as X};
use FingerPosition::{
    LeftIndex as LI, LeftMiddle as LM, LeftRing as LR, RightIndex as RI, RightMiddle as RM,
    RightRing as RR,
};

#[test]
fn next_finger_follows_the_legal_order() {
    #[allow(clippy::type_complexity)]
    let table: &[(&[(FingerPosition, FingerOutcome)], Option<FingerPosition>)] = &[
        (&[], Some(LI)),
        (&[(LI, C)], Some(RI)),
        (&[(LI, C), (RI, C)], None),
        // Same hand first: middle, then ring.
        (&[(LI, X)], Some(LM)),
        (&[(LI, X), (LM, X)], Some(LR)),
        (&[(LI, X), (LM, C)], Some(RI)),
        (&[(LI, X), (LM, X), (LR, C)], Some(RI)),
        (&[(LI, X), (LM, C), (RI, C)], None),
        (&[(LI, C), (RI, X)], Some(RM)),
        (&[(LI, C), (RI, X), (RM, X)], Some(RR)),
        (&[(LI, C), (RI, X), (RM, C)], None),
        // A hand gives nothing: the other hand makes up for it.
        (&[(LI, X), (LM, X), (LR, X)], Some(RI)),
        (&[(LI, X), (LM, X), (LR, X), (RI, C)], Some(RM)),
        (&[(LI, X), (LM, X), (LR, X), (RI, C), (RM, X)], Some(RR)),
        (&[(LI, X), (LM, X), (LR, X), (RI, C), (RM, C)], None),
        (&[(LI, X), (LM, X), (LR, X), (RI, X)], Some(RM)),
        (&[(LI, X), (LM, X), (LR, X), (RI, X), (RM, C)], Some(RR)),
        (&[(LI, C), (RI, X), (RM, X), (RR, X)], Some(LM)),
        (&[(LI, C), (RI, X), (RM, X), (RR, X), (LM, X)], Some(LR)),
        (&[(LI, C), (RI, X), (RM, X), (RR, X), (LM, C)], None),
        // Nothing left to ask.
        (
            &[(LI, X), (LM, X), (LR, X), (RI, C), (RM, X), (RR, X)],
            None,
        ),
        (
            &[(LI, C), (RI, X), (RM, X), (RR, X), (LM, X), (LR, X)],
            None,
        ),
        (
            &[(LI, X), (LM, X), (LR, X), (RI, X), (RM, X), (RR, X)],
            None,
        ),
    ];
    for (settled, expected) in table {
        assert_eq!(next_finger(settled), *expected, "after {settled:?}");
    }
}

/// Every way the six candidate fingers can turn out (captured or not), walked through the
/// sequence: no finger is asked twice, the walk ends, and it ends either with two fingers or with
/// every candidate tried; two fingers come from both hands unless one hand gave nothing.
#[test]
fn every_pattern_ends_well() {
    let all = [LI, LM, LR, RI, RM, RR];
    for pattern in 0u32..64 {
        let takeable = |p: FingerPosition| {
            let bit = all.iter().position(|q| *q == p).expect("candidate");
            pattern & (1 << bit) != 0
        };
        let mut settled = Vec::new();
        while let Some(p) = next_finger(&settled) {
            assert!(
                !settled.iter().any(|(q, _)| *q == p),
                "pattern {pattern:06b}: {p} asked twice"
            );
            assert!(settled.len() < 6, "pattern {pattern:06b}: no end");
            settled.push((p, if takeable(p) { C } else { X }));
        }
        let captured: Vec<_> = settled
            .iter()
            .filter(|(_, o)| *o == C)
            .map(|(p, _)| *p)
            .collect();
        assert!(captured.len() <= 2, "pattern {pattern:06b}: {settled:?}");
        if captured.len() < 2 {
            assert_eq!(settled.len(), 6, "pattern {pattern:06b} stopped early");
        }
        // Two fingers on one hand only when the other hand has nothing takeable among the three.
        if captured.len() == 2 && captured[0].hand() == captured[1].hand() {
            let other = captured[0].hand().other();
            assert!(
                FingerPosition::of_hand(other).iter().all(|p| !takeable(*p)),
                "pattern {pattern:06b}: {captured:?}"
            );
        }
        // The first finger asked is always the left index.
        assert_eq!(settled[0].0, LI);
    }
}
