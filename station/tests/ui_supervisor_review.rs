//! The supervisor's review on the real app, as it goes at a counter: the clerk is signed in, the
//! home screen says a record waits, F3 opens the queue where it is listed (reference, exception,
//! age; no image), the supervisor comes to the counter and types their name and PIN: the clerk's
//! own PIN and a wrong one decide nothing, theirs approves it (F8).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::app_harness;
use crate::local_station_env;

use std::time::Duration;

use eframe::egui::Key;
use station::{
    operators::{LockoutPolicy, Operators, Role},
    outbox::{
        Outbox, RecordState,
        review::{ExceptionKind, Exceptions},
    },
    seal::SealedRecord,
};

use app_harness::{SECRET, SUPERVISOR, station};
use local_station_env::Env;

const CLERK: &str = "agent";
const CLERK_PIN: &str = "482915";

/// A record sealed with a finger not taken, left waiting before the station starts.
fn waiting_record(env: &Env) -> String {
    let outbox = Outbox::open(&env.config.outbox_path()).unwrap();
    let record = SealedRecord {
        record_id: uuid::Uuid::new_v4(),
        bytes: vec![7; 100],
    };
    let announcement = wire::announcement::RecordAnnouncement {
        record_id: record.record_id.to_string(),
        station_id: env.config.station_id.clone(),
        sha256: record.sha256_hex(),
        pre_request: "DEMO000001".into(),
        sealed_at: "2026-12-07T09:00:00Z".into(),
        signature: String::new(),
    };
    let mut exceptions = Exceptions::default();
    exceptions.add(ExceptionKind::FingerMissing);
    outbox
        .enqueue_for_review(&record, &announcement, &exceptions)
        .unwrap();
    record.record_id.to_string()
}

/// Every text drawn in the last frame, with whether its wrapped lines are stretched to the full
/// width (justified).
fn drawn_texts(shapes: &[eframe::egui::epaint::ClippedShape]) -> Vec<(String, bool)> {
    fn walk(shape: &eframe::egui::Shape, out: &mut Vec<(String, bool)>) {
        match shape {
            eframe::egui::Shape::Text(text) => {
                out.push((text.galley.text().to_owned(), text.galley.job.justify));
            }
            eframe::egui::Shape::Vec(shapes) => shapes.iter().for_each(|s| walk(s, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for clipped in shapes {
        walk(&clipped.shape, &mut out);
    }
    out
}

fn state(env: &Env, record_id: &str) -> RecordState {
    Outbox::open_read_only(&env.config.outbox_path())
        .unwrap()
        .record(record_id)
        .unwrap()
        .unwrap()
        .state
}

#[test]
fn the_queue_lists_a_waiting_record_and_only_the_supervisors_pin_approves_it() {
    let env = Env::start(false);
    let operators = Operators::open_station(&env.config, LockoutPolicy::default()).unwrap();
    let chief = operators
        .create_first_supervisor(SUPERVISOR, SECRET, 0)
        .unwrap();
    operators
        .create(&chief, CLERK, Role::Clerk, CLERK_PIN, 0)
        .unwrap();
    drop(operators);
    let record_id = waiting_record(&env);
    let reference = wire::case_reference::case_reference(&record_id);

    let mut s = station(&env.config, Duration::from_secs(600));
    s.until("sign-in screen", |v| v.generation > 0);
    s.sign_in(CLERK, CLERK_PIN);
    s.until("the clerk", |v| v.operator.is_some());
    s.until("the waiting record", |v| v.outbox.awaiting.len() == 1);
    assert!(s.shows("1 dossier attend l'approbation d'un superviseur"));
    // A sentence, wrapped in its column like any other: not stretched word by word to the width.
    let line = drawn_texts(&s.h.output().shapes)
        .into_iter()
        .find(|(text, _)| text.contains("attend l'approbation"))
        .expect("the waiting count is drawn");
    assert!(!line.1, "stretched to its column's width: {:?}", line.0);

    s.key(Key::F3);
    assert!(s.shows("Dossiers à approuver par un superviseur : 1"));
    assert!(s.shows(&reference));
    assert!(s.shows("doigt non relevé"));
    assert!(s.shows("0 min"));
    assert!(s.shows("Approuver  [F8]"));
    assert!(s.shows("Refuser  [F9]"));
    // Rejecting needs a reason: without one F9 does nothing.
    s.type_in("Superviseur", SUPERVISOR);
    s.type_in("Code du superviseur", SECRET);
    s.key(Key::F9);
    assert_eq!(state(&env, &record_id), RecordState::AwaitingApproval);

    // The clerk's own account decides nothing.
    s.clear("Superviseur");
    s.type_in("Superviseur", CLERK);
    s.clear("Code du superviseur");
    s.type_in("Code du superviseur", CLERK_PIN);
    s.key(Key::F8);
    s.until("refused", |v| {
        v.notice
            .as_ref()
            .is_some_and(|n| n.error && n.text.contains("Seul un superviseur"))
    });
    assert_eq!(state(&env, &record_id), RecordState::AwaitingApproval);

    // A wrong supervisor PIN neither.
    s.clear("Superviseur");
    s.type_in("Superviseur", SUPERVISOR);
    s.type_in("Code du superviseur", "9999-zzzz");
    s.key(Key::F8);
    s.until("wrong PIN", |v| {
        v.notice
            .as_ref()
            .is_some_and(|n| n.error && n.text.contains("incorrect"))
    });
    assert_eq!(state(&env, &record_id), RecordState::AwaitingApproval);
    assert!(s.shows(&reference), "still listed");

    // The supervisor's PIN approves it; the clerk stays signed in.
    s.type_in("Code du superviseur", SECRET);
    s.type_in("Motif", "doigt amputé, vu avec le demandeur");
    s.key(Key::F8);
    let v = s.until("approved", |v| v.outbox.awaiting.is_empty());
    assert!(s.shows("approuvé par chef"), "{:?}", v.notice);
    assert_eq!(v.operator.unwrap().name, CLERK);
    assert_ne!(state(&env, &record_id), RecordState::AwaitingApproval);
    assert!(s.shows("Aucun dossier n'attend de superviseur."));
}
