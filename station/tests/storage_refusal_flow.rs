//! The refusal of fingerprint storage through the real core, simulators and central: an identity
//! card is not sealed until the applicant has answered, the applicant may change their mind until
//! it is, each answer is audited (the answer only), the central schedules the deletion of the
//! refused prints; the next applicant starts unanswered, and a passport alone is not asked.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::counter_steps;
use crate::local_station_env;

use std::sync::Arc;

use station::{
    desk::{Command, Counter, CounterView},
    enrolment::Step,
};
use wire::fingerprint_storage::FingerprintStorage;

use counter_steps::{audit_events, captures, step, to_the_fingers, wait};
use local_station_env::Env;

/// Lays a distinct finger at each capture until the review.
fn fingers_to_the_review(env: &Env, counter: &Counter, seed: u64) {
    let sensor = env.sensor();
    let mut n = 0;
    while matches!(step(&counter.view()), Some(Step::Finger { .. })) {
        sensor.place_finger(seed + n, 0);
        n += 1;
        let before = captures(&counter.view());
        counter.send(Command::CaptureFinger);
        wait(counter, "finger captured", |v| {
            captures(v) > before || step(v) == Some(Step::Review)
        });
    }
    wait(counter, "review", |v| step(v) == Some(Step::Review));
}

fn notice_after(counter: &Counter, serial: u64) -> CounterView {
    wait(counter, "a notice", |v| {
        v.notice.as_ref().is_some_and(|n| n.serial > serial)
    })
}

fn serial(counter: &Counter) -> u64 {
    counter.view().notice.map_or(0, |n| n.serial)
}

#[test]
fn an_identity_card_waits_for_the_answer_and_a_refusal_reaches_the_central() {
    let env = Env::start(false);
    let counter = Counter::start(env.config.clone(), Arc::new(|| {})).expect("counter");
    to_the_fingers(&counter, "DEMO000001");
    fingers_to_the_review(&env, &counter, 31_000);
    let e = counter.view().enrolment.unwrap();
    assert!(e.storage_question_asked(), "an identity card with prints");
    assert_eq!(e.fingerprint_storage, None, "no answer chosen in advance");

    // Confirmed unanswered: refused with a sentence, nothing sealed.
    let before = serial(&counter);
    counter.send(Command::ConfirmReview);
    let v = notice_after(&counter, before);
    let notice = v.notice.unwrap();
    assert!(
        notice.error && notice.text.contains("refuse la conservation"),
        "{notice:?}"
    );
    let e = v.enrolment.unwrap();
    assert_eq!((e.step, e.receipt.is_none()), (Step::Review, true));
    assert_eq!(v.outbox.queued + v.outbox.sending, 0, "nothing queued");

    // Kept, then the applicant changes their mind: refused.
    for answer in [FingerprintStorage::Kept, FingerprintStorage::Refused] {
        counter.send(Command::AnswerFingerprintStorage(answer));
        wait(&counter, "the answer", |v| {
            v.enrolment
                .as_ref()
                .is_some_and(|e| e.fingerprint_storage == Some(answer))
        });
    }
    counter_steps::sign_if_asked(&counter);
    counter.send(Command::ConfirmReview);
    let v = wait(&counter, "receipt", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.receipt.is_some())
    });
    let record_id = v.enrolment.unwrap().receipt.unwrap().record_id;

    let answers: Vec<_> = audit_events(&env.config)
        .into_iter()
        .filter(|e| e["event"] == "fingerprint-storage-answered")
        .collect();
    assert_eq!(
        answers,
        vec![
            serde_json::json!({"event": "fingerprint-storage-answered", "answer": "kept"}),
            serde_json::json!({"event": "fingerprint-storage-answered", "answer": "refused"}),
        ]
    );

    // The next applicant, a passport alone: the question is not asked, nor kept from before.
    counter.send(Command::NextApplicant);
    wait(&counter, "next applicant", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.receipt.is_none() && e.step == Step::PreRequest)
    });
    assert_eq!(
        counter.view().enrolment.unwrap().fingerprint_storage,
        None,
        "the previous answer is gone"
    );
    counter.send(Command::LoadPreRequest {
        number: "DEMO000002".into(),
    });
    wait(&counter, "pre-request", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.pre_request.is_some())
    });
    // An adult's passport costs 86 €: its stamp first (one of the demo's).
    counter.send(Command::CheckTaxStamp {
        entry: "0860000000000001".into(),
    });
    wait(&counter, "the stamp checked", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.tax_stamp.accepted.is_some())
    });
    counter.send(Command::ConfirmApplicant);
    wait(&counter, "photo step", |v| {
        matches!(step(v), Some(Step::Photo { .. }))
    });
    counter.send(Command::PhotoOnPaper);
    wait(&counter, "fingers step", |v| {
        matches!(step(v), Some(Step::Finger { .. }))
    });
    fingers_to_the_review(&env, &counter, 32_000);
    let e = counter.view().enrolment.unwrap();
    assert!(
        !e.storage_question_asked(),
        "a passport's prints are kept by law"
    );
    assert_eq!(e.fingerprint_storage, None);
    let before = serial(&counter);
    counter.send(Command::AnswerFingerprintStorage(
        FingerprintStorage::Refused,
    ));
    let notice = notice_after(&counter, before).notice.unwrap();
    assert!(
        notice.error && notice.text.contains("carte d'identité"),
        "{notice:?}"
    );
    counter_steps::sign_if_asked(&counter);
    counter.send(Command::ConfirmReview);
    let v = wait(&counter, "receipt", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.receipt.is_some())
    });
    let passport_id = v.enrolment.unwrap().receipt.unwrap().record_id;

    // Both reach the central once the supervisor has approved their paper photos; only the refusal
    // is scheduled for deletion.
    counter_steps::approve_waiting(&counter);
    wait(&counter, "both acknowledged", |v| {
        v.outbox.queued == 0
            && v.outbox.sending == 0
            && v.outbox
                .recent
                .iter()
                .filter(|r| r.receipt_at.is_some())
                .count()
                >= 2
    });
    let schedule = central::prints::PrintsSchedule::open(env.central().data_dir()).unwrap();
    assert!(
        schedule.get(&record_id).unwrap().is_some(),
        "the refusal scheduled"
    );
    assert!(schedule.get(&passport_id).unwrap().is_none());
    counter.stop();
}
