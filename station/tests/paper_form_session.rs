//! The paper form in the enrolment's state machine: the record names no pre-request and carries
//! the form; "none" is refused without a form; the form is forgotten with the applicant.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use station::enrolment::{EnrolmentError, Event, Session, SessionSettings, Step};
use wire::paper_form::{NO_PRE_REQUEST, PaperForm};

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

fn loaded_without_number() -> Event {
    Event::PreRequestLoaded {
        number: NO_PRE_REQUEST.into(),
        document_type: "passport".into(),
        birth_date: "2019-02-21".into(),
    }
}

fn form() -> PaperForm {
    wire::golden::manifest_paper_form()
        .paper_form
        .expect("the golden form")
}

#[test]
fn no_number_is_refused_unless_the_paper_form_is_attached() {
    let mut s = at_the_pre_request();
    assert!(matches!(
        s.handle(loaded_without_number(), 1),
        Err(EnrolmentError::BadPreRequest(_))
    ));
    assert_eq!(s.step(), &Step::PreRequest);
}

#[test]
fn the_record_names_no_pre_request_carries_the_form_and_forgets_it_once_sealed() {
    let mut s = at_the_pre_request();
    s.attach_paper_form(form()).unwrap();
    assert!(s.is_paper_form());
    s.handle(loaded_without_number(), 1).unwrap();
    assert_eq!(s.handle(Event::PhotoOnPaper, 2).unwrap(), Step::Review);
    let payload = s
        .review_payload(
            "0b7f3c52-8a51-4c1e-9d0a-3f6b2e1c4d5a",
            "2026-12-07T09:00:00Z",
            3,
        )
        .unwrap();
    assert_eq!(payload.manifest.pre_request, NO_PRE_REQUEST);
    assert_eq!(payload.manifest.paper_form, Some(form()));
    // Too late to attach another applicant's form.
    assert!(s.attach_paper_form(form()).is_err());
    s.sealed(4);
    assert!(!s.is_paper_form(), "forgotten with the applicant");
}
