//! The fee and its electronic tax stamp through the counter core, with a real central over HTTPS
//! on loopback: the fee follows the document, the reason and the age; each refusal has its
//! sentence; a scanned code gives its number; the content is not confirmed without a good stamp;
//! the stamp is used once the record arrives; offline, the clerk may go on with it unchecked and
//! the central checks it at intake.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::counter_steps;
use crate::local_station_env;

use std::sync::Arc;

use station::{
    config::StationConfig,
    desk::{Command, Counter, CounterView},
    enrolment::Step,
    uplink::tax_stamp::StampAnswer,
};
use wire::{prerequest::Reason, tax_stamp::StampNumber};

use counter_steps::{audit_events, step, wait};
use local_station_env::Env;

/// Demo stamps (central/demo/tax_stamps.json): their digits say their value.
const PASSPORT_ADULT: &str = "0860000000000001";
const PASSPORT_UNDER_15: &str = "0170000000000001";
const PASSPORT_UNDER_15_2: &str = "0170000000000002";
const CNI_LOST: &str = "0250000000000001";
const USED_ELSEWHERE: &str = "9999000000000001";
/// An adult's passport: 86 €.
const ADULT_PASSPORT: &str = "DEMO000002";
/// A child of five: identity card and passport, first request: the passport's 17 €.
const CHILD_BOTH: &str = "6M4GPZMZZJ";
/// An identity card after theft: 25 €.
const CNI_THEFT: &str = "C0GKUKXJ32";

fn start(config: &StationConfig) -> Counter {
    let counter = Counter::start(config.clone(), Arc::new(|| {})).expect("counter");
    wait(&counter, "setup screen", |v| v.generation > 0);
    counter.send(Command::CreateFirstSupervisor {
        name: "chef".into(),
        secret: "1234-abcd".into(),
    });
    wait(&counter, "signed in", |v| v.operator.is_some());
    counter
}

fn load(counter: &Counter, number: &str) -> CounterView {
    if counter
        .view()
        .enrolment
        .is_some_and(|e| e.pre_request.is_some())
    {
        counter.send(Command::CancelEnrolment);
        wait(counter, "a blank enrolment", |v| {
            v.enrolment
                .as_ref()
                .is_some_and(|e| e.pre_request.is_none())
        });
    }
    counter.send(Command::LoadPreRequest {
        number: number.into(),
    });
    wait(counter, "pre-request", |v| {
        v.busy.is_none()
            && v.enrolment
                .as_ref()
                .is_some_and(|e| e.pre_request.is_some() || e.pre_request_refusal.is_some())
    })
}

fn due(v: &CounterView) -> u32 {
    v.enrolment.as_ref().map_or(0, |e| e.tax_stamp.due_cents)
}

/// Checks `entry` and waits for the answer: the refusal sentence, or `None` when accepted.
fn check(counter: &Counter, entry: &str) -> Option<String> {
    let before = counter.view();
    let serial = before.notice.map_or(0, |n| n.serial);
    let previous = before.enrolment.and_then(|e| e.tax_stamp.refusal);
    counter.send(Command::CheckTaxStamp {
        entry: entry.into(),
    });
    // Each refusal of the sequence differs from the one before it.
    let v = wait(counter, "stamp answer", |v| {
        v.busy.is_none()
            && v.enrolment.as_ref().is_some_and(|e| {
                !e.tax_stamp.checking
                    && (e.tax_stamp.refusal.is_some() && e.tax_stamp.refusal != previous
                        || e.tax_stamp.accepted.is_some()
                        || v.notice.as_ref().is_some_and(|n| n.serial > serial))
            })
    });
    v.enrolment.and_then(|e| e.tax_stamp.refusal)
}

/// Confirms and returns the notice when the confirmation was refused.
fn confirm(counter: &Counter) -> Result<(), String> {
    let serial = counter.view().notice.map_or(0, |n| n.serial);
    counter.send(Command::ConfirmApplicant);
    let v = wait(counter, "confirmation answered", |v| {
        matches!(step(v), Some(Step::Photo { .. }))
            || v.notice
                .as_ref()
                .is_some_and(|n| n.serial > serial && n.error)
    });
    match step(&v) {
        Some(Step::Photo { .. }) => Ok(()),
        _ => Err(v.notice.map(|n| n.text).unwrap_or_default()),
    }
}

/// A child, confirmed: paper photo, review, signed from 12, sealed and queued.
fn seal_child(counter: &Counter) {
    counter.send(Command::PhotoOnPaper);
    wait(counter, "review", |v| step(v) == Some(Step::Review));
    counter_steps::sign_if_asked(counter);
    counter.send(Command::ConfirmReview);
    wait(counter, "sealed", |v| step(v) == Some(Step::Sealed));
    // A paper photo: the record leaves once the supervisor approves it.
    counter_steps::approve_waiting(counter);
}

fn standing(config: &StationConfig, number: &str) -> StampAnswer {
    let number = StampNumber::read(number).expect("a stamp number");
    config
        .central_client()
        .tax_stamp(&number)
        .expect("the central answers")
}

fn used(config: &StationConfig, number: &str) -> bool {
    matches!(standing(config, number), StampAnswer::Known(s) if s.used)
}

#[test]
fn a_passport_is_not_confirmed_without_a_good_stamp_and_each_refusal_says_why() {
    let env = Env::start(false);
    let counter = start(&env.config);
    let v = load(&counter, ADULT_PASSPORT);
    assert_eq!(due(&v), 8_600, "an adult's passport");
    let refused = confirm(&counter).expect_err("no stamp yet");
    assert!(refused.contains("86 €"), "{refused}");

    for (entry, expected) in [
        ("1234 5678", "16 chiffres ; celui-ci en a 8"),
        ("TFE;ABC;86", "ne contient pas de numéro de timbre"),
        ("1234567890123456", "inconnu du service national"),
        (USED_ELSEWHERE, "a déjà servi pour une autre demande"),
        (PASSPORT_UNDER_15, "vaut 17 €, mais 86 € sont dus"),
    ] {
        let refusal = check(&counter, entry).unwrap_or_else(|| panic!("{entry} accepted"));
        assert!(refusal.contains(expected), "{entry}: {refusal}");
        assert!(
            confirm(&counter).is_err(),
            "{entry} let the content through"
        );
    }
    // Scanned: the code's content holds the number among other things.
    assert_eq!(
        check(&counter, &format!("TFE;{PASSPORT_ADULT};8600;EUR")),
        None
    );
    let v = counter.view();
    let accepted = v.enrolment.unwrap().tax_stamp.accepted.expect("accepted");
    assert_eq!(
        (
            accepted.number.grouped().as_str(),
            accepted.amount_cents,
            accepted.checked
        ),
        ("0860 0000 0000 0001", 8_600, true)
    );
    assert!(
        v.notice
            .is_some_and(|n| n.text.contains("Timbre fiscal vérifié : 86 €"))
    );
    confirm(&counter).expect("a good stamp");

    let events = audit_events(&env.config);
    let kinds: Vec<&str> = events
        .iter()
        .filter_map(|e| e["event"].as_str())
        .filter(|k| k.starts_with("tax-stamp"))
        .collect();
    assert_eq!(
        kinds,
        [
            "tax-stamp-refused",
            "tax-stamp-refused",
            "tax-stamp-refused",
            "tax-stamp-checked"
        ],
        "unknown, used, too low, then checked; typing mistakes are not audited"
    );
    let checked = events
        .iter()
        .find(|e| e["event"] == "tax-stamp-checked")
        .unwrap();
    assert_eq!(checked["number"], PASSPORT_ADULT);
    assert_eq!(checked["amount_cents"], 8_600);
    assert_eq!(checked["pre_request"], ADULT_PASSPORT);
    counter.stop();
}

#[test]
fn the_reason_sets_the_identity_cards_fee_and_nothing_due_asks_no_stamp() {
    let env = Env::start(false);
    let counter = start(&env.config);
    let v = load(&counter, CNI_THEFT);
    assert_eq!(due(&v), 2_500, "an identity card after theft");
    assert_eq!(check(&counter, CNI_LOST), None);
    // The documents say it is a renewal: free, and the stamp is put away.
    counter.send(Command::CorrectReason(Reason::Renewal));
    let v = wait(&counter, "free", |v| due(v) == 0);
    let stamp = v.enrolment.unwrap().tax_stamp;
    assert_eq!(
        (stamp.reason, stamp.accepted),
        (Some(Reason::Renewal), None)
    );
    // Back to loss: 25 € again, a stamp is asked.
    counter.send(Command::CorrectReason(Reason::Loss));
    wait(&counter, "25 € again", |v| due(v) == 2_500);
    assert!(confirm(&counter).is_err());
    counter.send(Command::CorrectReason(Reason::Renewal));
    wait(&counter, "free again", |v| due(v) == 0);
    confirm(&counter).expect("nothing due");
    counter.send(Command::CancelEnrolment);

    // A first identity card: free, nothing to check.
    let v = load(&counter, "DEMO000001");
    assert_eq!(due(&v), 0);
    let serial = counter.view().notice.map_or(0, |n| n.serial);
    counter.send(Command::CheckTaxStamp {
        entry: PASSPORT_ADULT.into(),
    });
    let v = wait(&counter, "not due", |v| {
        v.notice.as_ref().is_some_and(|n| n.serial > serial)
    });
    assert!(
        v.notice
            .unwrap()
            .text
            .contains("Aucun timbre fiscal n'est dû")
    );
    counter.stop();
    assert!(!used(&env.config, CNI_LOST), "never sealed: still unused");
}

#[test]
fn a_stamp_is_used_with_its_record_and_refused_to_the_next_applicant() {
    let env = Env::start(false);
    let counter = start(&env.config);
    let v = load(&counter, CHILD_BOTH);
    assert_eq!(due(&v), 1_700, "a child's passport, the identity card free");
    assert_eq!(check(&counter, PASSPORT_UNDER_15), None);
    confirm(&counter).expect("a good stamp");
    seal_child(&counter);
    wait(&counter, "received", |v| v.outbox.acknowledged >= 1);
    assert!(used(&env.config, PASSPORT_UNDER_15));
    // The next applicant's view starts without it.
    counter.send(Command::NextApplicant);
    let v = load(&counter, ADULT_PASSPORT);
    let stamp = v.enrolment.unwrap().tax_stamp;
    assert_eq!((stamp.accepted, stamp.refusal), (None, None));
    // The stamp already paid for the child's record.
    let refusal = check(&counter, PASSPORT_UNDER_15).expect("refused");
    assert!(refusal.contains("a déjà servi"), "{refusal}");
    counter.stop();
}

#[test]
fn offline_the_clerk_may_go_on_unchecked_and_the_central_checks_the_stamp_at_intake() {
    let mut env = Env::start(false);
    let counter = start(&env.config);
    load(&counter, CHILD_BOTH);
    env.stop_central();
    let refusal = check(&counter, PASSPORT_UNDER_15_2).expect("not checked");
    assert!(refusal.contains("ne répond pas"), "{refusal}");
    assert!(
        refusal.contains("poursuivez sans vérification"),
        "{refusal}"
    );
    let v = counter.view();
    assert!(v.enrolment.unwrap().tax_stamp.unchecked_offer.is_some());
    counter.send(Command::KeepTaxStampUnchecked);
    let v = wait(&counter, "kept unchecked", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.tax_stamp.accepted.is_some())
    });
    let accepted = v.enrolment.unwrap().tax_stamp.accepted.unwrap();
    assert_eq!((accepted.checked, accepted.amount_cents), (false, 1_700));
    confirm(&counter).expect("kept unchecked");
    seal_child(&counter);
    env.restart_central();
    wait(&counter, "received", |v| v.outbox.acknowledged >= 1);
    assert!(used(&env.config, PASSPORT_UNDER_15_2), "used at intake");
    counter.stop();
    let events = audit_events(&env.config);
    let unchecked = events
        .iter()
        .find(|e| e["event"] == "tax-stamp-unchecked")
        .expect("audited");
    assert_eq!(unchecked["number"], PASSPORT_UNDER_15_2);
}

/// The session keeps the reason and the stamp confirmed for the manifest, and forgets them with
/// the applicant.
#[test]
fn the_confirmed_reason_and_stamp_are_in_the_manifest_and_forgotten_after_sealing() {
    use station::enrolment::{Event, Fee, Session, SessionSettings};
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
    let mut s = Session::new(settings, 0);
    let stamp = wire::tax_stamp::TaxStamp {
        number: StampNumber::read(PASSPORT_UNDER_15).unwrap(),
        amount_cents: 1_700,
        checked_at_counter: false,
    };
    s.confirm_fee(Fee {
        reason: Reason::Loss,
        tax_stamp: Some(stamp.clone()),
    })
    .unwrap();
    s.handle(
        Event::PreRequestLoaded {
            number: CHILD_BOTH.into(),
            document_type: "cni+passport".into(),
            birth_date: "2021-06-02".into(),
        },
        1,
    )
    .unwrap();
    assert_eq!(s.handle(Event::PhotoOnPaper, 2).unwrap(), Step::Review);
    let payload = s
        .review_payload(
            "0b7f3c52-8a51-4c1e-9d0a-3f6b2e1c4d5a",
            "2026-12-07T09:00:00Z",
            3,
        )
        .unwrap();
    assert_eq!(payload.manifest.reason, Some(Reason::Loss));
    assert_eq!(payload.manifest.tax_stamp, Some(stamp));
    let json = String::from_utf8(payload.manifest.to_json_bytes().unwrap()).unwrap();
    assert!(
        json.contains("\"number\": \"0170000000000001\"") && json.contains("\"reason\": \"loss\""),
        "{json}"
    );
    s.sealed(4);
    assert_eq!(s.fee(), None, "forgotten with the applicant");
}
