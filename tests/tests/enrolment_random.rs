//! Random counters: thousands of random event sequences (valid or not) drive sessions; none
//! panics, refused events change nothing, and every session that reaches the review gives a payload
//! whose manifest respects the rules (at most two fingers, attempts within the limit, the
//! below-threshold flag exactly when the kept score is under the threshold, no finger twice).

use rand::{Rng, SeedableRng, rngs::StdRng};
use station::enrolment::{Event, ExceptionReason, Session, Step};
use station::record::PayloadEntries;
use wire::fingerprint_storage::FingerprintStorage;

use crate::enrolment_support;
use enrolment_support::{MAX_ATTEMPTS, THRESHOLD, captured, loaded, photo, settings};

fn random_event(rng: &mut StdRng) -> Event {
    match rng.random_range(0..10) {
        0 => loaded(if rng.random_bool(0.3) {
            "2018-03-04"
        } else {
            "1975-10-09"
        }),
        1 => photo(rng.random_bool(0.6)),
        2 => Event::PhotoOnPaper,
        3 => Event::Retry,
        4 => Event::FingerException(
            [
                ExceptionReason::Amputated,
                ExceptionReason::Bandaged,
                ExceptionReason::Damaged,
                ExceptionReason::Other,
            ][rng.random_range(0..4)],
        ),
        _ => captured(rng.random_range(0..=100), rng.random()),
    }
}

#[test]
fn random_counters_never_break_the_rules() {
    let mut rng = StdRng::seed_from_u64(0x5e55_1011);
    let mut reviewed = 0;
    for case in 0..1_500u64 {
        let mut session = Session::new(settings("2026-11-27"), 0);
        for at in 1..60u64 {
            let before = session.step().clone();
            let settled_before = session.fingers().len();
            match session.handle(random_event(&mut rng), at) {
                Ok(step) => assert_eq!(&step, session.step()),
                Err(_) => {
                    assert_eq!(
                        session.step(),
                        &before,
                        "case {case}: refused event moved on"
                    );
                    assert_eq!(session.fingers().len(), settled_before);
                }
            }
            if let Step::Finger {
                attempt,
                max_attempts,
                ..
            } = session.step()
            {
                assert!(attempt <= max_attempts, "case {case}");
            }
            if session.step() == &Step::Review && rng.random_bool(0.5) {
                break;
            }
        }
        if session.step() != &Step::Review {
            continue;
        }
        reviewed += 1;
        // The storage question (identity card with prints) is answered before the review is confirmed.
        if session.storage_question_asked() {
            session
                .answer_storage(FingerprintStorage::Kept)
                .expect("answered");
        }
        enrolment_support::sign_at_review(&mut session);
        let payload = session
            .confirm(
                "8d3c1f0e-8b1a-4c55-9f39-0a4f1c7f3b21",
                "2026-11-27T09:00:00Z",
                99,
            )
            .expect("confirm");
        let m = &payload.manifest;
        assert!(m.fingers.len() <= 2, "case {case}: {:?}", m.fingers);
        let mut positions: Vec<u8> = m
            .fingers
            .iter()
            .map(|f| f.position)
            .chain(m.finger_exceptions.iter().map(|e| e.position))
            .collect();
        let asked = positions.len();
        positions.sort_unstable();
        positions.dedup();
        assert_eq!(positions.len(), asked, "case {case}: a finger asked twice");
        for f in &m.fingers {
            assert!(f.attempts >= 1 && f.attempts <= MAX_ATTEMPTS, "case {case}");
            assert_eq!(
                f.below_threshold,
                f.quality.score < THRESHOLD,
                "case {case}"
            );
        }
        if m.exemption.is_some() {
            assert!(m.fingers.is_empty() && m.finger_exceptions.is_empty());
        } else {
            assert!(
                m.fingers.len() == 2 || asked == 6,
                "case {case}: stopped early"
            );
        }
        let tar = payload.to_tar(1_795_770_000).expect("tar");
        let entries = PayloadEntries::parse(&tar).expect("parse");
        assert_eq!(entries.fingers.is_some(), !m.fingers.is_empty());
        assert_eq!(session.step(), &Step::Sealed);
    }
    assert!(
        reviewed > 100,
        "only {reviewed} sessions reached the review"
    );
}
