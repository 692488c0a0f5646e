//! "Garder et continuer" in the enrolment's state machine: a finger the clerk went back to keeps
//! the capture it had, and nothing else can be settled that way (a finger never asked again, a
//! poor print still below the threshold).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use station::enrolment::{
    EnrolmentError, Event, FingerImage, FingerPosition, Session, SessionSettings, Step,
};
use zeroize::Zeroizing;

const THRESHOLD: u8 = 40;

fn session() -> Session {
    let settings = SessionSettings {
        station_id: "ST-TEST".into(),
        operator: "agent".into(),
        devices: Vec::new(),
        has_camera: false,
        quality_threshold: THRESHOLD,
        max_attempts: 3,
        quality_algorithm: "test".into(),
        quality_version: "1".into(),
        enrolment_date: time::Date::from_calendar_date(2026, time::Month::December, 7).unwrap(),
    };
    let mut s = Session::new(settings, 0);
    s.handle(
        Event::PreRequestLoaded {
            number: "TEST000001".into(),
            document_type: "cni".into(),
            birth_date: "1984-03-12".into(),
        },
        1,
    )
    .unwrap();
    s.handle(Event::PhotoOnPaper, 2).unwrap();
    s
}

/// A capture whose pixels say which one it was.
fn capture(quality: u8, mark: u8) -> Event {
    capture_with(quality, 30, mark)
}

/// A capture with its minutiae count.
fn capture_with(quality: u8, minutiae: u32, mark: u8) -> Event {
    Event::FingerCaptured {
        quality,
        minutiae,
        image: FingerImage {
            width: 2,
            height: 2,
            pixels: Zeroizing::new(vec![mark; 4]),
        },
    }
}

fn asked(s: &Session) -> Option<(FingerPosition, u32)> {
    match s.step() {
        Step::Finger {
            position, attempt, ..
        } => Some((*position, *attempt)),
        _ => None,
    }
}

#[test]
fn a_finger_gone_back_to_keeps_its_capture_and_the_next_finger_is_asked_again() {
    let mut s = session();
    assert!(!s.can_keep_best(), "nothing taken yet");
    s.handle(capture(70, 1), 3).unwrap();
    assert_eq!(asked(&s), Some((FingerPosition::RightIndex, 1)));
    assert!(!s.can_keep_best(), "the right index has no capture");

    s.handle(Event::Retry, 4).unwrap();
    assert_eq!(asked(&s), Some((FingerPosition::LeftIndex, 2)));
    assert!(s.can_keep_best());
    s.handle(Event::KeepBest, 5).unwrap();
    assert_eq!(asked(&s), Some((FingerPosition::RightIndex, 1)));
    let left = &s.fingers()[0];
    assert_eq!(left.position, FingerPosition::LeftIndex);
    assert_eq!(left.attempts, 1, "not taken again");
    let best = left.best.as_ref().unwrap();
    assert_eq!((best.quality, best.image.pixels[0]), (70, 1));

    s.handle(capture(65, 2), 6).unwrap();
    assert_eq!(s.step(), &Step::Review);
    // From the review too: back to the right index, then kept.
    s.handle(Event::Retry, 7).unwrap();
    assert_eq!(asked(&s), Some((FingerPosition::RightIndex, 2)));
    s.handle(Event::KeepBest, 8).unwrap();
    assert_eq!(s.step(), &Step::Review);
    assert_eq!(s.fingers().len(), 2);
}

#[test]
fn a_print_below_the_threshold_cannot_be_kept_to_skip_a_try() {
    let mut s = session();
    s.handle(capture(10, 1), 3).unwrap();
    assert_eq!(asked(&s), Some((FingerPosition::LeftIndex, 2)));
    assert!(!s.can_keep_best());
    let refused = s.handle(Event::KeepBest, 4);
    assert!(
        matches!(refused, Err(EnrolmentError::NothingToKeep)),
        "{refused:?}"
    );
    assert_eq!(
        asked(&s),
        Some((FingerPosition::LeftIndex, 2)),
        "nothing changed"
    );
}

#[test]
fn the_retries_keep_the_best_score_and_on_a_tie_the_most_minutiae() {
    let mut s = session();
    s.handle(capture_with(30, 20, 1), 3).unwrap();
    s.handle(capture_with(30, 35, 2), 4).unwrap();
    assert_eq!(asked(&s), Some((FingerPosition::LeftIndex, 3)));
    // A poorer score never wins, however many minutiae it has.
    s.handle(capture_with(25, 60, 3), 5).unwrap();
    let left = &s.fingers()[0];
    assert!(
        left.below_threshold,
        "three tries, none usable: the best is kept"
    );
    let best = left.best.as_ref().unwrap();
    assert_eq!(
        (best.quality, best.minutiae, best.image.pixels[0]),
        (30, 35, 2),
        "same score: the capture with more minutiae"
    );
}
