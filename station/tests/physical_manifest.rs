//! Height and eye colour in the enrolment's state machine: a height no person has is refused, the
//! confirmed values go into the manifest, and they are forgotten with the applicant.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use station::enrolment::{EnrolmentError, Event, Physical, Session, SessionSettings, Step};
use wire::physical::EyeColour;

/// A session of a child under 12 with a paper photo: straight to the review.
fn at_the_pre_request() -> Session {
    let settings = SessionSettings {
        station_id: "ST-TEST".into(),
        operator: "agent".into(),
        devices: Vec::new(),
        has_camera: false,
        quality_threshold: 40,
        max_attempts: 3,
        quality_algorithm: "test".into(),
        quality_version: "1".into(),
        enrolment_date: time::Date::from_calendar_date(2026, time::Month::December, 7).unwrap(),
    };
    Session::new(settings, 0)
}

fn to_the_review(s: &mut Session) {
    s.handle(
        Event::PreRequestLoaded {
            number: "TEST000001".into(),
            document_type: "cni".into(),
            birth_date: "2019-02-21".into(),
        },
        1,
    )
    .unwrap();
    assert_eq!(s.handle(Event::PhotoOnPaper, 2).unwrap(), Step::Review);
}

#[test]
fn a_height_no_person_has_is_refused_and_changes_nothing() {
    let mut s = at_the_pre_request();
    for cm in [0, 39, 261, u16::MAX] {
        let refused = s.confirm_physical(Physical {
            height_cm: cm,
            eye_colour: EyeColour::Gris,
        });
        assert!(
            matches!(refused, Err(EnrolmentError::HeightOutOfRange(h)) if h == cm),
            "{cm}: {refused:?}"
        );
    }
    assert_eq!(s.physical(), None);
}

#[test]
fn the_confirmed_values_are_in_the_manifest_and_forgotten_after_sealing() {
    let mut s = at_the_pre_request();
    let physical = Physical {
        height_cm: 116,
        eye_colour: EyeColour::BleuGris,
    };
    s.confirm_physical(physical).unwrap();
    to_the_review(&mut s);
    let payload = s
        .review_payload(
            "0b7f3c52-8a51-4c1e-9d0a-3f6b2e1c4d5a",
            "2026-12-07T09:00:00Z",
            3,
        )
        .unwrap();
    assert_eq!(payload.manifest.height_cm, Some(116));
    assert_eq!(payload.manifest.eye_colour, Some(EyeColour::BleuGris));
    let json = String::from_utf8(payload.manifest.to_json_bytes().unwrap()).unwrap();
    assert!(
        json.contains("\"height_cm\": 116") && json.contains("\"eye_colour\": \"bleu-gris\""),
        "{json}"
    );
    s.sealed(4);
    assert_eq!(s.physical(), None, "forgotten with the applicant");
    assert!(matches!(
        s.confirm_physical(physical),
        Err(EnrolmentError::AlreadySealed)
    ));
}

#[test]
fn a_session_without_them_writes_a_manifest_without_them() {
    let mut s = at_the_pre_request();
    to_the_review(&mut s);
    let payload = s
        .review_payload(
            "0b7f3c52-8a51-4c1e-9d0a-3f6b2e1c4d5a",
            "2026-12-07T09:00:00Z",
            3,
        )
        .unwrap();
    let json = String::from_utf8(payload.manifest.to_json_bytes().unwrap()).unwrap();
    assert!(
        !json.contains("height_cm") && !json.contains("eye_colour"),
        "{json}"
    );
}
