//! The enrolment session: steps, retries keeping the best, "accepted below threshold", exceptions,
//! retry, refused events, per-step timings and the manifest and payload it produces.

use station::enrolment::{EnrolmentError, Event, ExceptionReason, FingerPosition, Session, Step};
use station::record::{FaceImageRecord, FingerImageRecord, PayloadEntries};
use wire::fingerprint_storage::FingerprintStorage;

use crate::enrolment_support;
use enrolment_support::{MAX_ATTEMPTS, captured, finger, loaded, photo, settings};

const RECORD_ID: &str = "8d3c1f0e-8b1a-4c55-9f39-0a4f1c7f3b21";
const CREATED_AT: &str = "2026-11-27T09:00:00Z";
const ADULT: &str = "1980-05-17";

fn finger_step(position: FingerPosition, attempt: u32, best_quality: Option<u8>) -> Step {
    Step::Finger {
        position,
        attempt,
        max_attempts: MAX_ATTEMPTS,
        best_quality,
    }
}

/// A session that reached the first finger, photo taken with the camera.
fn at_first_finger() -> Session {
    let mut session = Session::new(settings("2026-11-27"), 0);
    session.handle(loaded(ADULT), 1_000).expect("loaded");
    assert_eq!(
        session.handle(photo(true), 3_000).expect("photo"),
        finger_step(FingerPosition::LeftIndex, 1, None)
    );
    session
}

#[test]
fn a_whole_enrolment_gives_the_manifest_and_payload() {
    let mut session = at_first_finger();
    assert_eq!(
        session.handle(captured(70, 1), 5_000).expect("left"),
        finger_step(FingerPosition::RightIndex, 1, None)
    );
    assert_eq!(
        session.handle(captured(55, 2), 8_000).expect("right"),
        Step::Review
    );
    // The storage question (identity card with prints) is answered before the review is confirmed.
    if session.storage_question_asked() {
        session
            .answer_storage(FingerprintStorage::Kept)
            .expect("answered");
    }
    enrolment_support::sign_at_review(&mut session);
    let payload = session
        .confirm(RECORD_ID, CREATED_AT, 9_500)
        .expect("confirm");
    assert_eq!(session.step(), &Step::Sealed);
    assert!(
        session.fingers().is_empty() && session.photo().is_none(),
        "wiped"
    );

    let m = &payload.manifest;
    assert_eq!(m.format, "dr-station manifest v1");
    assert_eq!(m.record_id, RECORD_ID);
    assert_eq!(m.created_at, CREATED_AT);
    assert_eq!(m.station_id, "ST-TEST-01");
    assert_eq!(m.operator, "agent.martin");
    assert_eq!(m.pre_request, "AB12CD34EF");
    assert_eq!(m.document_type, "cni");
    assert_eq!(m.devices.len(), 1);
    assert_eq!(m.exemption, None);
    let photo = m.photo.as_ref().expect("photo");
    assert_eq!(photo.source, "camera");
    assert_eq!(photo.checks.len(), 1);
    let fingers: Vec<_> = m
        .fingers
        .iter()
        .map(|f| {
            (
                f.position,
                f.name.as_str(),
                f.quality.score,
                f.attempts,
                f.below_threshold,
            )
        })
        .collect();
    assert_eq!(
        fingers,
        [
            (7, "left-index", 70, 1, false),
            (2, "right-index", 55, 1, false)
        ]
    );
    assert_eq!(m.fingers[0].quality.algorithm, "dr-quality");
    assert_eq!(m.fingers[0].quality.version, "1.0");
    assert!(m.finger_exceptions.is_empty());
    let timings: Vec<_> = m.timings_ms.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(
        timings,
        [
            ("fingers", 5_000),
            ("photo", 2_000),
            ("pre_request", 1_000),
            ("review", 1_500)
        ]
    );

    // The payload's records read back with the same fingers, in order, and the portrait.
    let tar = payload.to_tar(1_795_770_000).expect("tar");
    let entries = PayloadEntries::parse(&tar).expect("parse");
    assert_eq!(entries.manifest.as_ref(), Some(m));
    let record = FingerImageRecord::parse(entries.fingers.as_ref().expect("fingers")).expect("fir");
    let views: Vec<_> = record
        .views
        .iter()
        .map(|v| (v.position, v.quality, v.width, v.height))
        .collect();
    assert_eq!(views, [(7, 70, 64, 72), (2, 55, 64, 72)]);
    let face = FaceImageRecord::parse(entries.face.as_ref().expect("face")).expect("fac");
    assert_eq!(face.source_type, 2);
}

#[test]
fn retries_keep_the_best_and_flag_below_threshold_after_the_last() {
    let mut session = at_first_finger();
    let left = FingerPosition::LeftIndex;
    assert_eq!(
        session.handle(captured(30, 10), 1).expect("1"),
        finger_step(left, 2, Some(30))
    );
    assert_eq!(
        session.handle(captured(35, 11), 2).expect("2"),
        finger_step(left, 3, Some(35))
    );
    // The last attempt is worse: the 35 is kept, accepted below the threshold.
    assert_eq!(
        session.handle(captured(20, 12), 3).expect("3"),
        finger_step(FingerPosition::RightIndex, 1, None)
    );
    let kept = &session.fingers()[0];
    assert_eq!((kept.attempts, kept.below_threshold), (3, true));
    let best = kept.best.as_ref().expect("best");
    assert_eq!(best.quality, 35);
    assert_eq!(
        *best.image.pixels,
        *finger(11).pixels,
        "the image of the best capture"
    );

    // A retry that reaches the threshold settles the finger without the flag.
    session.handle(captured(25, 20), 4).expect("r1");
    assert_eq!(
        session.handle(captured(60, 21), 5).expect("r2"),
        Step::Review
    );
    let right = &session.fingers()[1];
    assert_eq!((right.attempts, right.below_threshold), (2, false));
    assert_eq!(right.best.as_ref().map(|b| b.quality), Some(60));

    // The storage question (identity card with prints) is answered before the review is confirmed.
    if session.storage_question_asked() {
        session
            .answer_storage(FingerprintStorage::Kept)
            .expect("answered");
    }
    enrolment_support::sign_at_review(&mut session);
    let payload = session.confirm(RECORD_ID, CREATED_AT, 6).expect("confirm");
    let flags: Vec<_> = payload
        .manifest
        .fingers
        .iter()
        .map(|f| (f.quality.score, f.attempts, f.below_threshold))
        .collect();
    assert_eq!(flags, [(35, 3, true), (60, 2, false)]);
}

#[test]
fn one_attempt_allowed_accepts_below_threshold_at_once() {
    let mut config = settings("2026-11-27");
    config.max_attempts = 1;
    let mut session = Session::new(config, 0);
    session.handle(loaded(ADULT), 1).expect("loaded");
    session.handle(Event::PhotoOnPaper, 2).expect("paper");
    let next = session.handle(captured(10, 1), 3).expect("left");
    assert!(matches!(
        next,
        Step::Finger {
            position: FingerPosition::RightIndex,
            ..
        }
    ));
    assert!(session.fingers()[0].below_threshold);
}

#[test]
fn exceptions_move_to_the_next_finger_and_reach_the_manifest() {
    let mut session = at_first_finger();
    // A capture was taken, then the clerk sees the finger is bandaged: the capture is dropped.
    session.handle(captured(15, 1), 1).expect("poor");
    let next = session
        .handle(Event::FingerException(ExceptionReason::Bandaged), 2)
        .expect("exception");
    assert_eq!(next, finger_step(FingerPosition::LeftMiddle, 1, None));
    assert!(session.fingers()[0].best.is_none());
    session.handle(captured(80, 2), 3).expect("left middle");
    session
        .handle(Event::FingerException(ExceptionReason::Amputated), 4)
        .expect("right index");
    session
        .handle(Event::FingerException(ExceptionReason::Damaged), 5)
        .expect("right middle");
    assert_eq!(
        session.step(),
        &finger_step(FingerPosition::RightRing, 1, None)
    );
    session
        .handle(Event::FingerException(ExceptionReason::Other), 6)
        .expect("right ring");
    // The right hand gave nothing: the left hand's ring finger makes up for it.
    assert_eq!(
        session.step(),
        &finger_step(FingerPosition::LeftRing, 1, None)
    );
    assert_eq!(
        session.handle(captured(50, 3), 7).expect("left ring"),
        Step::Review
    );

    // The storage question (identity card with prints) is answered before the review is confirmed.
    if session.storage_question_asked() {
        session
            .answer_storage(FingerprintStorage::Kept)
            .expect("answered");
    }
    enrolment_support::sign_at_review(&mut session);
    let payload = session.confirm(RECORD_ID, CREATED_AT, 8).expect("confirm");
    let exceptions: Vec<_> = payload
        .manifest
        .finger_exceptions
        .iter()
        .map(|e| (e.position, e.reason.as_str()))
        .collect();
    assert_eq!(
        exceptions,
        [
            (7, "bandaged"),
            (2, "amputated"),
            (3, "damaged"),
            (4, "other")
        ]
    );
    let positions: Vec<_> = payload
        .manifest
        .fingers
        .iter()
        .map(|f| f.position)
        .collect();
    assert_eq!(positions, [8, 9]);
}

#[test]
fn no_finger_at_all_gives_a_record_without_finger_images() {
    let mut session = at_first_finger();
    for at in 0..6 {
        session
            .handle(Event::FingerException(ExceptionReason::Amputated), at)
            .expect("exception");
    }
    assert_eq!(session.step(), &Step::Review);
    // The storage question (identity card with prints) is answered before the review is confirmed.
    if session.storage_question_asked() {
        session
            .answer_storage(FingerprintStorage::Kept)
            .expect("answered");
    }
    enrolment_support::sign_at_review(&mut session);
    let payload = session.confirm(RECORD_ID, CREATED_AT, 9).expect("confirm");
    assert_eq!(payload.manifest.finger_exceptions.len(), 6);
    assert!(payload.fingers.is_none());
}

#[test]
fn retry_reopens_the_finger_just_accepted_and_keeps_its_best() {
    let mut session = at_first_finger();
    session.handle(captured(50, 1), 1).expect("left");
    assert_eq!(
        session.handle(Event::Retry, 2).expect("retry"),
        finger_step(FingerPosition::LeftIndex, 2, Some(50))
    );
    // Worse this time: the first capture stays.
    session.handle(captured(45, 2), 3).expect("left again");
    assert_eq!(
        session.fingers()[0].best.as_ref().map(|b| b.quality),
        Some(50)
    );
    assert_eq!(session.fingers()[0].attempts, 2);
    // A capture of the right index was taken: no retry of the left any more.
    session.handle(captured(20, 3), 4).expect("right poor");
    assert!(matches!(
        session.handle(Event::Retry, 5),
        Err(EnrolmentError::NothingToRetry)
    ));
    session.handle(captured(90, 4), 6).expect("right");
    assert_eq!(session.step(), &Step::Review);
    // From the review, the right index (2 of 3 attempts used) can be taken again.
    assert_eq!(
        session.handle(Event::Retry, 7).expect("retry from review"),
        finger_step(FingerPosition::RightIndex, 3, Some(90))
    );
    assert_eq!(
        session.handle(captured(95, 5), 8).expect("right"),
        Step::Review
    );
    // All three attempts used now.
    assert!(matches!(
        session.handle(Event::Retry, 9),
        Err(EnrolmentError::NothingToRetry)
    ));
}

#[test]
fn photo_retake_paper_and_no_camera() {
    let mut session = Session::new(settings("2026-11-27"), 0);
    session.handle(loaded(ADULT), 1).expect("loaded");
    assert_eq!(
        session.handle(photo(false), 2).expect("refused"),
        Step::Photo { attempt: 2 }
    );
    assert!(session.photo().is_none());
    let next = session.handle(Event::PhotoOnPaper, 3).expect("paper");
    assert!(matches!(next, Step::Finger { .. }));
    session.handle(captured(70, 1), 4).expect("l");
    session.handle(captured(70, 2), 5).expect("r");
    // The storage question (identity card with prints) is answered before the review is confirmed.
    if session.storage_question_asked() {
        session
            .answer_storage(FingerprintStorage::Kept)
            .expect("answered");
    }
    enrolment_support::sign_at_review(&mut session);
    let payload = session.confirm(RECORD_ID, CREATED_AT, 6).expect("confirm");
    assert_eq!(
        payload.manifest.photo.as_ref().map(|p| p.source.as_str()),
        Some("paper")
    );
    assert!(payload.face.is_none());

    let mut config = settings("2026-11-27");
    config.has_camera = false;
    let mut session = Session::new(config, 0);
    session.handle(loaded(ADULT), 1).expect("loaded");
    assert!(matches!(
        session.handle(photo(true), 2),
        Err(EnrolmentError::NoCamera)
    ));
    assert_eq!(session.step(), &Step::Photo { attempt: 1 });
}

#[test]
fn events_out_of_place_or_malformed_change_nothing() {
    let mut session = Session::new(settings("2026-11-27"), 0);
    for event in [captured(50, 1), Event::PhotoOnPaper, Event::Retry] {
        assert!(matches!(
            session.handle(event, 1),
            Err(EnrolmentError::Unexpected {
                step: "pre-request",
                ..
            })
        ));
    }
    assert!(matches!(
        session.confirm(RECORD_ID, CREATED_AT, 1),
        Err(EnrolmentError::Unexpected { .. })
    ));
    let bad_number = Event::PreRequestLoaded {
        number: "AB12".into(),
        document_type: "cni".into(),
        birth_date: ADULT.into(),
    };
    assert!(matches!(
        session.handle(bad_number, 1),
        Err(EnrolmentError::BadPreRequest(_))
    ));
    assert_eq!(session.step(), &Step::PreRequest);

    let mut session = at_first_finger();
    assert!(matches!(
        session.handle(captured(101, 1), 1),
        Err(EnrolmentError::BadQuality(101))
    ));
    let mut short = finger(1);
    short.pixels.truncate(100);
    assert!(matches!(
        session.handle(
            Event::FingerCaptured {
                quality: 50,
                minutiae: 0,
                image: short
            },
            1
        ),
        Err(EnrolmentError::BadImage { .. })
    ));
    assert_eq!(
        session.step(),
        &finger_step(FingerPosition::LeftIndex, 1, None)
    );
    assert!(matches!(
        session.handle(loaded(ADULT), 1),
        Err(EnrolmentError::Unexpected { step: "finger", .. })
    ));
}

#[test]
fn debug_output_never_shows_the_applicant() {
    let mut session = at_first_finger();
    session.handle(captured(70, 1), 1).expect("left");
    let shown = format!("{session:?} {:?} {:?}", session.fingers(), finger(1));
    assert!(!shown.contains("AB12CD34EF"), "{shown}");
    let pixels = finger(1).pixels;
    let sample = format!("{:?}", &pixels[..8]);
    assert!(!shown.contains(&sample[1..sample.len() - 1]), "{shown}");
}

/// The storage question: asked at the review of an identity card with prints, with no default (the
/// record is not built unanswered), written in the manifest; not asked for a passport alone or
/// when every finger was excepted, and then absent from the manifest.
#[test]
fn the_storage_answer_is_required_for_an_identity_card_with_prints_only() {
    let mut session = at_first_finger();
    assert!(matches!(
        session.answer_storage(FingerprintStorage::Refused),
        Err(EnrolmentError::StorageNotAsked)
    ));
    session.handle(captured(70, 1), 5_000).expect("left");
    session.handle(captured(70, 2), 6_000).expect("right");
    assert!(session.storage_question_asked());
    assert!(matches!(
        session.confirm(RECORD_ID, CREATED_AT, 7_000),
        Err(EnrolmentError::StorageUnanswered)
    ));
    assert_eq!(session.step(), &Step::Review, "nothing sealed");
    session
        .answer_storage(FingerprintStorage::Refused)
        .expect("answered");
    enrolment_support::sign_at_review(&mut session);
    let payload = session
        .confirm(RECORD_ID, CREATED_AT, 8_000)
        .expect("confirm");
    assert_eq!(
        payload.manifest.fingerprint_storage,
        Some(FingerprintStorage::Refused)
    );
    assert_eq!(
        session.fingerprint_storage(),
        None,
        "forgotten with the applicant"
    );

    // A passport alone.
    let mut passport = Session::new(settings("2026-11-27"), 0);
    passport
        .handle(
            Event::PreRequestLoaded {
                number: "AB12CD34EF".into(),
                document_type: "passport".into(),
                birth_date: ADULT.into(),
            },
            1,
        )
        .expect("loaded");
    passport.handle(Event::PhotoOnPaper, 2).expect("paper");
    passport.handle(captured(70, 1), 3).expect("left");
    passport.handle(captured(70, 2), 4).expect("right");
    assert!(!passport.storage_question_asked());
    assert!(matches!(
        passport.answer_storage(FingerprintStorage::Kept),
        Err(EnrolmentError::StorageNotAsked)
    ));
    enrolment_support::sign_at_review(&mut passport);
    let payload = passport.confirm(RECORD_ID, CREATED_AT, 5).expect("confirm");
    assert_eq!(payload.manifest.fingerprint_storage, None);

    // An identity card with every finger excepted: no prints, nothing to keep or delete.
    let mut none = at_first_finger();
    while matches!(none.step(), Step::Finger { .. }) {
        none.handle(Event::FingerException(ExceptionReason::Amputated), 4_000)
            .expect("exception");
    }
    assert!(!none.storage_question_asked());
    enrolment_support::sign_at_review(&mut none);
    let payload = none.confirm(RECORD_ID, CREATED_AT, 5_000).expect("confirm");
    assert_eq!(payload.manifest.fingerprint_storage, None);
}
