//! A morning at the counter with the station set to English: the same real app, simulators and
//! central as the French day, the clerk's and the applicant's windows both in English, through the
//! screens a day brings (a plain applicant with the receipt printed, a photo refused then retaken,
//! a finger that cannot be taken, an abandon, the outbox, a handover). Every text either window
//! showed is then read as an English reader would: no locale key, no code name, no Rust `Debug`
//! duration, no French left behind (a key's name, a sentence).
//!
//! Every label and sentence the walk looks for comes from the locale files, so the walk checks
//! the English texts are there, not what they say.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::app_harness::{self, SECRET, SUPERVISOR, Station, finger_step};
use crate::counter_day::{add_clerk, lp_stand_in};
use crate::local_station_env::Env;

use egui_kittest::kittest::Queryable;

use std::time::Duration;

use eframe::egui::Key;
use firmware_sim::synth::portrait::{Defect, Defects};
use station::{
    desk::{CentralStatus, CounterView, HandoverStage},
    enrolment::{FingerPosition, Step},
    language::Language,
};

/// Lays each finger asked, a new impression at each try, until the review; the fingers of one
/// applicant are `seed`, `seed + 1`… in the order asked.
fn lay_the_fingers(s: &mut Station, env: &Env, seed: u64) {
    let sensor = env.sensor();
    let mut asked: Vec<FingerPosition> = Vec::new();
    loop {
        let v = s.until("a finger or the review", |v| {
            matches!(step(v), Some(Step::Finger { .. } | Step::Review))
        });
        let Some((position, attempt)) = finger_step(&v) else {
            break;
        };
        let n = asked
            .iter()
            .position(|p| *p == position)
            .unwrap_or_else(|| {
                asked.push(position);
                asked.len() - 1
            });
        sensor.place_finger(seed + n as u64, attempt - 1);
        s.capture();
    }
}

/// The review (Enter seals), the receipt printed (F9), then Enter for the next applicant.
fn seal_and_print(s: &mut Station, number: &str) {
    assert!(s.shows(s.words.t("ui.review.title")));
    s.answer_storage(false);
    s.sign_if_asked();
    s.key(Key::Enter);
    s.until("receipt", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.receipt.is_some())
    });
    assert!(s.shows(s.words.t("receipt.title")));
    assert!(s.shows(number));
    s.key(Key::F9);
    s.until("receipt printed", |v| {
        v.enrolment
            .as_ref()
            .and_then(|e| e.receipt.as_ref())
            .is_some_and(|r| r.printed.is_some())
    });
    assert!(s.shows(s.words.t("counter.receipt.sent_to_printer")));
    s.key(Key::Enter);
    s.until("next applicant", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.receipt.is_none() && e.step == Step::PreRequest)
    });
    assert!(!s.shows(number), "{number} still on the clerk's screen");
}

fn step(v: &CounterView) -> Option<Step> {
    v.enrolment.as_ref().map(|e| e.step.clone())
}

#[test]
fn an_english_morning_at_the_counter_reads_in_english_only() {
    let mut env = Env::start(true);
    env.config.ui.language = Language::English;
    env.config.uploader.max_backoff_ms = 1_000;
    let printed = tempfile::tempdir().unwrap();
    env.config.printer = lp_stand_in(printed.path());
    add_clerk(&env);
    let mut s = app_harness::station(&env.config, Duration::from_secs(600));
    assert!(!s.words.french());
    s.until("sign-in screen", |v| v.generation > 0);
    s.sign_in(SUPERVISOR, SECRET);
    s.until("signed in", |v| v.operator.is_some());
    s.until("fingerprint module", |v| v.devices.fingerprint.ready);
    s.until("the national service answers", |v| {
        v.devices.central == CentralStatus::Reachable
    });
    assert!(s.shows(s.words.t("ui.home.central_ok")));

    // A plain applicant, the receipt printed.
    let first = "TEST000101";
    s.pre_request(first);
    assert!(
        s.applicant_sees(s.words.start_of("ui.applicant.welcome")),
        "{:?}",
        crate::screen_texts::visible_texts(&s.applicant)
    );
    s.confirm_and_photo();
    lay_the_fingers(&mut s, &env, 30_000);
    assert!(s.applicant_sees(s.words.t("ui.applicant.review")));
    seal_and_print(&mut s, first);

    // A photo refused (the applicant stands too far), retaken with Enter; the first finger
    // cannot be taken (F8, a reason, Enter).
    let camera = env.camera();
    let pose = camera.applicant();
    camera.set_applicant(pose.seed, Defects::only(Defect::HeadTooSmall));
    s.pre_request("TEST000102");
    s.confirm();
    s.preview();
    assert!(!s.shoot(), "a head too small is refused");
    assert!(s.shows(s.words.t("ui.photo.retake")));
    camera.set_applicant(pose.seed, Defects::none());
    s.key(Key::Enter);
    s.until("second attempt's preview", |v| {
        step(v) == Some(Step::Photo { attempt: 2 })
            && v.enrolment.as_ref().is_some_and(|e| e.photo.is_none())
    });
    s.preview();
    assert!(s.shoot());
    s.key(Key::Enter);
    s.after_the_photo();
    s.key(Key::F8);
    assert!(s.shows(s.words.start_of("ui.fingers.exception_question")));
    s.key(Key::Num2);
    s.key(Key::Enter);
    s.until("left middle asked", |v| {
        finger_step(v).is_some_and(|(p, _)| p == FingerPosition::LeftMiddle)
    });
    lay_the_fingers(&mut s, &env, 30_100);
    seal_and_print(&mut s, "TEST000102");

    // An abandon at the fingers step: Escape twice.
    s.pre_request("TEST000103");
    s.confirm_and_photo();
    assert!(s.shows(s.words.t("ui.wizard.cancel")));
    s.key(Key::Escape);
    s.key(Key::Escape);
    s.until("a blank enrolment", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.pre_request.is_none() && e.step == Step::PreRequest)
    });
    assert!(s.shows(s.words.start_of("counter.cancelled")));

    // The outbox, then the handover of the first applicant's document.
    s.key(Key::Escape);
    s.key(Key::F3);
    // The outbox's title, not the button of the same words.
    assert!(s.h.query_by_label(s.words.t("ui.queue.title")).is_some());
    s.until("every record acknowledged", |v| {
        v.outbox.queued == 0 && v.outbox.sending == 0
    });
    s.frames(3);
    s.key(Key::F1);
    s.key(Key::F7);
    assert!(s.shows(s.words.t("handover.ui.title")));
    let number_label = s.words.t("handover.ui.number").to_owned();
    s.clear(&number_label);
    s.type_in(&number_label, first);
    env.sensor().place_finger(30_000, 4);
    s.key(Key::Enter);
    let v = s.until("handover decided", |v| {
        v.handover.as_ref().is_some_and(|h| !h.stage.in_progress())
    });
    let handover = v.handover.unwrap();
    assert!(
        matches!(handover.stage, HandoverStage::Done { matched: true, .. }),
        "{handover:?}"
    );
    s.key(Key::Escape);
    s.until("handover closed", |v| v.handover.is_none());
    s.key(Key::F1);

    assert!(s.seen.len() > 80, "{} texts read", s.seen.len());
    assert!(
        s.seen.iter().all(|(_, french, _)| !french),
        "both windows were in English all morning"
    );
    let misread = s.misread();
    assert!(misread.is_empty(), "{misread:#?}");
}
