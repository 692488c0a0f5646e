//! The under-12 exemption at its boundaries, and in a whole session.

use station::enrolment::{
    EnrolmentError, Event, Session, Step,
    exemption::{age_on, is_under_12},
    parse_date,
};

use crate::enrolment_support;
use enrolment_support::{loaded, settings};

macro_rules! d {
    ($text:expr) => {
        parse_date($text).expect($text)
    };
}

#[test]
fn under_12_boundary_dates() {
    // (birth date, enrolment date, exempt)
    let table = [
        ("2014-11-27", "2026-11-26", true), // the day before the 12th birthday
        ("2014-11-27", "2026-11-27", false), // the 12th birthday itself
        ("2014-11-27", "2026-11-28", false),
        ("2014-12-31", "2026-12-30", true),
        ("2014-12-31", "2027-01-01", false),
        ("2015-01-01", "2026-12-31", true), // year difference 11
        ("2026-11-27", "2026-11-27", true), // born today
        ("1950-06-15", "2026-11-27", false),
        // Born on 29 February: in a common year the 12th birthday falls on 1 March.
        ("2088-02-29", "2100-02-28", true),
        ("2088-02-29", "2100-03-01", false),
        ("2012-02-29", "2024-02-28", true),
        ("2012-02-29", "2024-02-29", false),
    ];
    for (birth, on, exempt) in table {
        assert_eq!(
            is_under_12(d!(birth), d!(on)),
            exempt,
            "born {birth}, enrolled {on}"
        );
    }
    assert_eq!(age_on(d!("2000-02-29"), d!("2001-02-28")), 0);
    assert_eq!(age_on(d!("2000-02-29"), d!("2001-03-01")), 1);
    assert_eq!(age_on(d!("2000-01-01"), d!("2000-12-31")), 0);
}

#[test]
fn malformed_dates_are_not_dates() {
    for text in [
        "",
        "2014-13-01",
        "2014-02-30",
        "27/11/2014",
        "2014-1-1",
        "abcd-ef-gh",
    ] {
        assert!(parse_date(text).is_none(), "{text:?}");
    }
}

#[test]
fn a_child_goes_from_photo_straight_to_review() {
    let mut session = Session::new(settings("2026-11-27"), 0);
    assert_eq!(
        session.handle(loaded("2014-11-28"), 10).expect("loaded"),
        Step::Photo { attempt: 1 }
    );
    assert!(session.is_exempt());
    assert_eq!(
        session.handle(Event::PhotoOnPaper, 20).expect("paper"),
        Step::Review
    );
    enrolment_support::sign_at_review(&mut session);
    let payload = session
        .confirm(
            "8d3c1f0e-8b1a-4c55-9f39-0a4f1c7f3b21",
            "2026-11-27T09:00:00Z",
            30,
        )
        .expect("confirm");
    assert_eq!(payload.manifest.exemption.as_deref(), Some("under-12"));
    assert!(payload.manifest.fingers.is_empty());
    assert!(payload.manifest.finger_exceptions.is_empty());
    assert!(payload.fingers.is_none());
}

#[test]
fn a_twelve_year_old_gives_fingers() {
    let mut session = Session::new(settings("2026-11-27"), 0);
    session.handle(loaded("2014-11-27"), 10).expect("loaded");
    assert!(!session.is_exempt());
    let next = session.handle(Event::PhotoOnPaper, 20).expect("paper");
    assert!(matches!(next, Step::Finger { .. }), "{next:?}");
}

#[test]
fn birth_dates_in_the_future_or_malformed_are_refused() {
    for birth in ["2026-11-28", "2030-01-01", "not a date", ""] {
        let mut session = Session::new(settings("2026-11-27"), 0);
        let refused = session.handle(loaded(birth), 10);
        assert!(
            matches!(refused, Err(EnrolmentError::BadBirthDate)),
            "{birth:?}: {refused:?}"
        );
        assert_eq!(session.step(), &Step::PreRequest);
    }
}
