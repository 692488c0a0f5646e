//! A mobile kit's day end to end: the tour prepared online (the day's appointments fetched from a
//! real central on loopback and kept encrypted), the central gone (its port closed) while three
//! residents of a care home are enrolled from the kept list, then the central back and every record
//! received with its receipt; the list is never readable in clear on disk and empties as records
//! are sealed.

use std::sync::Arc;

use station::{
    desk::{Command, Counter, CounterView},
    enrolment::Step,
    mobile::DayList,
};

use crate::counter_steps::{self, step, wait};
use crate::local_station_env::Env;

/// The demo's tour day and its three visits (central/demo/generate.py).
const TOUR_DAY: &str = "2026-12-14";
const VISITS: [(&str, &str); 3] = [
    ("TOURNEE001", "Vasseur"),
    ("TOURNEE002", "Giraud"),
    ("TOURNEE003", "Benhamou"),
];

fn sign_in(counter: &Counter) {
    wait(counter, "setup screen", |v| v.generation > 0);
    counter.send(Command::CreateFirstSupervisor {
        name: "chef".into(),
        secret: "1234-abcd".into(),
    });
    wait(counter, "signed in", |v| v.operator.is_some());
    wait(counter, "fingerprint module", |v| {
        v.devices.fingerprint.ready
    });
}

fn notice_after(counter: &Counter, serial: u64) -> CounterView {
    wait(counter, "a notice", |v| {
        v.busy.is_none() && v.notice.as_ref().is_some_and(|n| n.serial > serial)
    })
}

fn serial(counter: &Counter) -> u64 {
    counter.view().notice.map_or(0, |n| n.serial)
}

/// Enrols `number` from loading to the receipt (photo on paper, every finger taken); the record id.
fn enrol(counter: &Counter, number: &str, surname: &str) -> String {
    counter.send(Command::LoadPreRequest {
        number: number.into(),
    });
    let v = wait(counter, "pre-request answer", |v| {
        v.busy.is_none()
            && v.enrolment
                .as_ref()
                .is_some_and(|e| e.pre_request.is_some() || e.pre_request_refusal.is_some())
    });
    let e = v.enrolment.expect("enrolment");
    assert_eq!(
        e.pre_request.as_ref().map(|p| p.applicant.surname.as_str()),
        Some(surname),
        "{number} found offline: {:?}",
        e.pre_request_refusal
    );
    if e.tax_stamp.due_cents > 0 {
        // A passport (86 €) and an identity card after a loss (25 €) on the tour, each paid with
        // a demo stamp of its own value: away from the network the stamp cannot be checked, and
        // the clerk goes on with it unchecked; the central checks it on return.
        let stamp = match e.tax_stamp.due_cents {
            8600 => "0860000000000001",
            2500 => "0250000000000001",
            other => panic!("no demo stamp for a fee of {other} cents"),
        };
        counter.send(Command::CheckTaxStamp {
            entry: stamp.into(),
        });
        wait(counter, "the stamp offered unchecked", |v| {
            v.enrolment.as_ref().is_some_and(|e| {
                e.tax_stamp.unchecked_offer.is_some() || e.tax_stamp.accepted.is_some()
            })
        });
        counter.send(Command::KeepTaxStampUnchecked);
        wait(counter, "the stamp accepted", |v| {
            v.enrolment
                .as_ref()
                .is_some_and(|e| e.tax_stamp.accepted.is_some())
        });
    }
    counter.send(Command::ConfirmApplicant);
    wait(counter, "photo step", |v| {
        matches!(step(v), Some(Step::Photo { .. }))
    });
    counter.send(Command::PhotoOnPaper);
    wait(counter, "fingers step", |v| {
        matches!(step(v), Some(Step::Finger { .. } | Step::Review))
    });
    while matches!(step(&counter.view()), Some(Step::Finger { .. })) {
        let before = counter_steps::captures(&counter.view());
        counter.send(Command::CaptureFinger);
        wait(counter, "finger captured", |v| {
            counter_steps::captures(v) > before || matches!(step(v), Some(Step::Review))
        });
    }
    counter_steps::answer_storage_if_asked(counter);
    counter_steps::sign_if_asked(counter);
    counter.send(Command::ConfirmReview);
    let v = wait(counter, "receipt", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.receipt.is_some())
    });
    let receipt = v.enrolment.and_then(|e| e.receipt).expect("receipt");
    assert_eq!(receipt.pre_request, number);
    counter.send(Command::NextApplicant);
    wait(counter, "next applicant", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.receipt.is_none())
    });
    receipt.record_id
}

/// Enrols, away from the network, the child of the paper-form tests (no fingers, photo on paper)
/// from the form typed by the agent; the record id.
fn enrol_from_the_paper_form(counter: &Counter) -> String {
    counter.send(Command::OpenPaperForm);
    wait(counter, "the form", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.paper_form.is_some())
    });
    counter.send(Command::SubmitPaperForm(Box::new(
        crate::paper_form_flow::child_form(),
    )));
    wait(counter, "photo step", |v| {
        matches!(step(v), Some(Step::Photo { .. }))
    });
    counter.send(Command::PhotoOnPaper);
    wait(counter, "review", |v| step(v) == Some(Step::Review));
    counter.send(Command::ConfirmReview);
    let v = wait(counter, "receipt", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.receipt.is_some())
    });
    let receipt = v.enrolment.and_then(|e| e.receipt).expect("receipt");
    counter.send(Command::NextApplicant);
    wait(counter, "next applicant", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.receipt.is_none())
    });
    receipt.record_id
}

fn in_clear(path: &std::path::Path, words: &[&str]) -> Vec<String> {
    let bytes = std::fs::read(path).expect("the day list on disk");
    words
        .iter()
        .filter(|w| bytes.windows(w.len()).any(|b| b == w.as_bytes()))
        .map(|w| (*w).to_owned())
        .collect()
}

#[test]
fn a_kit_prepares_its_tour_enrols_offline_and_uploads_on_return() {
    let mut env = Env::start(false);
    env.config.mode.mobile = true;
    let counter = Counter::start(env.config.clone(), Arc::new(|| {})).expect("counter");
    sign_in(&counter);
    let v = counter.view();
    let tour = v.tour.expect("a kit shows its tour panel");
    assert_eq!((tour.day, tour.waiting), (None, 0), "nothing kept yet");

    // Before leaving, online.
    let before = serial(&counter);
    counter.send(Command::PrepareTour {
        date: TOUR_DAY.into(),
    });
    let v = notice_after(&counter, before);
    let notice = v.notice.expect("notice");
    assert!(
        !notice.error
            && notice.text.contains("sur la station : 3.")
            && notice.text.contains("14/12/2026"),
        "{notice:?}"
    );
    let tour = v.tour.expect("tour");
    assert_eq!(
        (tour.day.as_deref(), tour.appointments),
        (Some("14/12/2026"), 3)
    );
    let list = DayList::default_path(&env.config.data_dir);
    let names = [
        "Vasseur",
        "Giraud",
        "Benhamou",
        "TOURNEE00",
        "EHPAD",
        "1931-02-11",
    ];
    assert_eq!(in_clear(&list, &names), Vec::<String>::new());

    // Away: the central's port is closed for the whole visit.
    env.stop_central();
    let mut sealed = Vec::new();
    for (left, (number, surname)) in VISITS.iter().enumerate() {
        sealed.push(enrol(&counter, number, surname));
        let v = wait(&counter, "the list and the waiting count follow", |v| {
            v.tour
                .as_ref()
                .is_some_and(|t| t.appointments == 2 - left && t.waiting == left as u64 + 1)
        });
        let tour = v.tour.expect("tour");
        assert!(tour.waiting_since.is_some(), "{tour:?}");
    }
    // Someone not on the list cannot be looked up away from the network.
    counter.send(Command::LoadPreRequest {
        number: "DEMO000001".into(),
    });
    let v = wait(&counter, "refusal", |v| {
        v.busy.is_none()
            && v.enrolment
                .as_ref()
                .is_some_and(|e| e.pre_request_refusal.is_some())
    });
    let refusal = v
        .enrolment
        .and_then(|e| e.pre_request_refusal)
        .expect("refusal");
    // The sentence says what the agent can do there and then: the paper form, typed offline.
    assert!(
        refusal.contains("pas sur la liste") && refusal.contains("formulaire papier (F8)"),
        "{refusal}"
    );
    sealed.push(enrol_from_the_paper_form(&counter));
    assert_eq!(in_clear(&list, &names), Vec::<String>::new());

    // Back at the town hall: the supervisor approves the paper photos taken on the visits, and the
    // uploader sends everything, each with its receipt.
    env.restart_central();
    counter_steps::approve_waiting(&counter);
    counter.send(Command::Refresh);
    let v = wait(&counter, "every record received", |v| {
        sealed.iter().all(|id| {
            v.outbox
                .recent
                .iter()
                .any(|r| &r.record_id == id && r.receipt_at.is_some())
        })
    });
    assert_eq!(v.outbox.queued + v.outbox.sending, 0);
    wait(&counter, "nothing waits", |v| {
        v.tour.as_ref().is_some_and(|t| t.waiting == 0)
    });
    assert_eq!(env.central().receipt_count().expect("count"), 4);
    counter.stop();
    let events = counter_steps::audit_events(&env.config);
    assert!(
        events.iter().any(|e| e["event"] == "tour-prepared"
            && e["appointments"] == 3
            && e["date"] == TOUR_DAY),
        "{events:?}"
    );
}

#[test]
fn a_counter_station_prepares_no_tour() {
    let env = Env::start(false);
    let counter = Counter::start(env.config.clone(), Arc::new(|| {})).expect("counter");
    sign_in(&counter);
    assert!(counter.view().tour.is_none());
    let before = serial(&counter);
    counter.send(Command::PrepareTour {
        date: TOUR_DAY.into(),
    });
    let notice = notice_after(&counter, before).notice.expect("notice");
    assert!(
        notice.error && notice.text.contains("pas un kit mobile"),
        "{notice:?}"
    );
    assert!(!DayList::default_path(&env.config.data_dir).exists());
    counter.stop();
}

#[test]
fn back_online_the_records_leave_as_soon_as_the_central_answers() {
    let mut env = Env::start(false);
    env.config.mode.mobile = true;
    // A long day offline: the uploader's wait between tries has grown to minutes.
    env.config.uploader.initial_backoff_ms = 240_000;
    env.config.uploader.max_backoff_ms = 300_000;
    let counter = Counter::start(env.config.clone(), Arc::new(|| {})).expect("counter");
    sign_in(&counter);
    let before = serial(&counter);
    counter.send(Command::PrepareTour {
        date: TOUR_DAY.into(),
    });
    notice_after(&counter, before);
    env.stop_central();
    let (number, surname) = VISITS[0];
    let id = enrol(&counter, number, surname);
    counter_steps::approve_waiting(&counter);
    wait(&counter, "the upload failed", |v| {
        v.devices.central == station::desk::CentralStatus::Unreachable
    });
    env.restart_central();
    let back = std::time::Instant::now();
    counter.send(Command::Refresh);
    let received = counter.wait_for(
        |v| {
            v.outbox
                .recent
                .iter()
                .any(|r| r.record_id == id && r.receipt_at.is_some())
        },
        std::time::Duration::from_secs(30),
    );
    assert!(
        received.is_some(),
        "the record still waits {} s after the central answered again: {:?}",
        back.elapsed().as_secs(),
        counter.view().outbox
    );
    counter.stop();
}
