//! The signature in the enrolment's state machine: the ink kept on "valider" goes into the
//! payload as its ISO/IEC 19794-7 record and its PNG with the manifest's entry; a dot is refused;
//! "cannot sign" needs a reason; a child under 12 is exempt; ink left pending holds the review
//! back, and so does an empty pad with nothing decided; everything is forgotten with the applicant.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use station::enrolment::{
    EnrolmentError, Event, ExceptionReason, Session, SessionSettings, SignatureProblem, Step,
};
use station::record::PayloadEntries;
use wire::signature::{PenSample, Refusal};

const RECORD_ID: &str = "0b7f3c52-8a51-4c1e-9d0a-3f6b2e1c4d5a";

fn session() -> Session {
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

/// To the review: a paper photo, and every finger asked recorded as bandaged (no sensor here).
fn at_the_review(birth_date: &str) -> Session {
    let mut s = session();
    s.handle(
        Event::PreRequestLoaded {
            number: "TEST000001".into(),
            document_type: "cni".into(),
            birth_date: birth_date.into(),
        },
        1,
    )
    .unwrap();
    let mut step = s.handle(Event::PhotoOnPaper, 2).unwrap();
    while matches!(step, Step::Finger { .. }) {
        step = s
            .handle(Event::FingerException(ExceptionReason::Bandaged), 3)
            .unwrap();
    }
    assert_eq!(step, Step::Review);
    s
}

fn samples(points: &[(u16, u16)], t0: u32, pressure: Option<u16>) -> Vec<PenSample> {
    points
        .iter()
        .enumerate()
        .map(|(i, (x, y))| PenSample {
            x: *x,
            y: *y,
            t_ms: t0 + 16 * i as u32,
            pressure,
        })
        .collect()
}

fn zigzag() -> Vec<(u16, u16)> {
    (0..30u16)
        .map(|i| (100 + i * 25, if i % 2 == 0 { 100 } else { 300 }))
        .collect()
}

#[test]
fn a_validated_signature_is_in_the_payload_as_its_iso_record_and_its_picture() {
    let mut s = at_the_review("1984-03-12");
    // Drawn in two batches of the same stroke, then a second stroke.
    let points = zigzag();
    s.signature_ink(&samples(&points[..10], 1_000, Some(30_000)), false)
        .unwrap();
    s.signature_ink(&samples(&points[10..], 1_160, Some(30_000)), true)
        .unwrap();
    s.signature_ink(
        &samples(&[(200, 350), (400, 355), (600, 360)], 2_000, Some(20_000)),
        true,
    )
    .unwrap();
    assert_eq!(s.signature().ink().strokes.len(), 2);
    s.validate_signature().unwrap();
    let payload = s
        .review_payload(RECORD_ID, "2026-12-07T09:00:00Z", 5)
        .unwrap();
    let entry = payload.manifest.signature.clone().unwrap();
    assert_eq!(entry.format.as_deref(), Some("ISO/IEC 19794-7:2007"));
    assert_eq!((entry.points, entry.strokes), (Some(35), Some(2)));
    assert_eq!(entry.pressure, Some(true));
    let tar = payload.to_tar(1_795_000_000).unwrap();
    let entries = PayloadEntries::parse(&tar).unwrap();
    assert_eq!(
        entries.names,
        ["manifest.json", "signature.iso19794-7", "signature.png"]
    );
    let parsed = wire::signature::parse(entries.signature.as_ref().unwrap()).unwrap();
    assert_eq!(parsed.signature.strokes.len(), 2);
    assert_eq!(parsed.signature.strokes[0].len(), 30);
    let png = image::load_from_memory(entries.signature_image.as_ref().unwrap()).unwrap();
    assert_eq!((png.width(), png.height()), (500, 200));
    assert_eq!(png.color(), image::ColorType::L8);
    let dark = png.to_luma8().pixels().filter(|p| p.0[0] < 128).count();
    assert!(dark > 500, "{dark} inked pixels");

    s.sealed(6);
    assert!(s.signature().ink().strokes.is_empty(), "forgotten");
    assert!(s.signature().decision().is_none());
}

#[test]
fn a_dot_is_refused_pending_ink_holds_the_review_and_clearing_starts_again() {
    let mut s = at_the_review("1984-03-12");
    s.signature_ink(&samples(&[(500, 200); 20], 0, None), true)
        .unwrap();
    assert_eq!(
        s.validate_signature(),
        Err(SignatureProblem::Refused(Refusal::Dot))
    );
    assert!(matches!(
        s.review_payload(RECORD_ID, "2026-12-07T09:00:00Z", 5),
        Err(EnrolmentError::SignaturePending)
    ));
    s.clear_signature().unwrap();
    assert!(s.signature().ink().strokes.is_empty());
    // Nothing on the pad and nothing decided: the applicant has not signed, nor been recorded
    // as unable to; the record would be refused by the central, so it is not built.
    assert!(matches!(
        s.review_payload(RECORD_ID, "2026-12-07T09:00:00Z", 5),
        Err(EnrolmentError::SignatureMissing)
    ));
}

#[test]
fn cannot_sign_needs_a_reason_and_a_child_under_12_is_exempt() {
    let mut s = at_the_review("1984-03-12");
    assert_eq!(s.cannot_sign("   "), Err(SignatureProblem::NoReason));
    s.cannot_sign("bras dans le plâtre").unwrap();
    let payload = s
        .review_payload(RECORD_ID, "2026-12-07T09:00:00Z", 5)
        .unwrap();
    let entry = payload.manifest.signature.clone().unwrap();
    assert_eq!(entry.exemption.as_deref(), Some("cannot-sign"));
    assert_eq!(entry.reason.as_deref(), Some("bras dans le plâtre"));
    assert!(payload.signature.is_none());

    let mut child = at_the_review("2019-02-21");
    assert_eq!(child.validate_signature(), Err(SignatureProblem::Exempt));
    assert!(
        child
            .signature_ink(&samples(&zigzag(), 0, None), true)
            .is_err()
    );
    let payload = child
        .review_payload(RECORD_ID, "2026-12-07T09:00:00Z", 5)
        .unwrap();
    let entry = payload.manifest.signature.clone().unwrap();
    assert_eq!(entry.exemption.as_deref(), Some("under-12"));
    assert_eq!(entry.check(), Ok(()));
}
