//! Steps the counter tests share: waiting for the core's view, reading where the enrolment is, going
//! to the fingers step of a demo pre-request, and reading the audit log's events back.

use std::time::Duration;

use station::{
    audit::AuditLog,
    config::StationConfig,
    desk::{Command, Counter, CounterView},
    enrolment::{FingerPosition, Step},
};

/// How long any one step may take (simulators unpaced, central on loopback).
pub const WAIT: Duration = Duration::from_secs(60);

/// Waits until `ready` holds for the core's view; panics with `what` and the notice otherwise.
pub fn wait(counter: &Counter, what: &str, ready: impl Fn(&CounterView) -> bool) -> CounterView {
    counter
        .wait_for(ready, WAIT)
        .unwrap_or_else(|| panic!("timed out waiting for {what}: {:#?}", counter.view().notice))
}

/// At the review of an identity card with prints, the applicant keeps storage (the review is not
/// sealed unanswered); nothing when the question is not asked.
pub fn answer_storage_if_asked(counter: &Counter) {
    let asked = counter
        .view()
        .enrolment
        .is_some_and(|e| e.step == Step::Review && e.storage_question_asked());
    if asked {
        counter.send(Command::AnswerFingerprintStorage(
            wire::fingerprint_storage::FingerprintStorage::Kept,
        ));
        wait(counter, "the storage answer", |v| {
            v.enrolment
                .as_ref()
                .is_some_and(|e| e.fingerprint_storage.is_some())
        });
    }
}

/// At the review of an applicant of 12 or more: the applicant signs (the golden signature, sent
/// as the pad sends ink) and the clerk validates it. Nothing when the signature is not asked
/// (under 12) or already settled. Every counter flow that seals goes through here.
pub fn sign_if_asked(counter: &Counter) {
    let asked = counter.view().enrolment.is_some_and(|e| {
        e.step == Step::Review
            && e.signature.asked
            && !e.signature.validated
            && e.signature.cannot_sign.is_none()
    });
    if !asked {
        return;
    }
    for stroke in wire::golden::signature().strokes {
        counter.send(Command::SignatureInk {
            samples: stroke,
            pen_up: true,
        });
    }
    counter.send(Command::ValidateSignature);
    wait(counter, "the signature validated", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.signature.validated)
    });
}

/// The enrolment's step, if an enrolment is open.
pub fn step(v: &CounterView) -> Option<Step> {
    v.enrolment.as_ref().map(|e| e.step.clone())
}

/// Captures taken so far in the enrolment, all fingers together.
pub fn captures(v: &CounterView) -> u32 {
    v.enrolment
        .as_ref()
        .map_or(0, |e| e.fingers.iter().map(|f| f.attempts).sum())
}

/// The finger asked for and the try number, on the fingers step.
pub fn position(v: &CounterView) -> Option<(FingerPosition, u32)> {
    match step(v) {
        Some(Step::Finger {
            position, attempt, ..
        }) => Some((position, attempt)),
        _ => None,
    }
}

/// Signs in, loads and confirms a demo pre-request, gives the photo on paper: the fingers step.
pub fn to_the_fingers(counter: &Counter, number: &str) {
    wait(counter, "setup screen", |v| v.generation > 0);
    counter.send(Command::CreateFirstSupervisor {
        name: "chef".into(),
        secret: "1234-abcd".into(),
    });
    wait(counter, "signed in", |v| v.operator.is_some());
    wait(counter, "fingerprint module", |v| {
        v.devices.fingerprint.ready
    });
    counter.send(Command::LoadPreRequest {
        number: number.into(),
    });
    wait(counter, "pre-request", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.pre_request.is_some())
    });
    counter.send(Command::ConfirmApplicant);
    wait(counter, "photo step", |v| {
        matches!(step(v), Some(Step::Photo { .. }))
    });
    counter.send(Command::PhotoOnPaper);
    wait(counter, "fingers step", |v| {
        matches!(step(v), Some(Step::Finger { .. }))
    });
}

/// The tests' supervisor (`chef`, as [`to_the_fingers`] creates it) approves every record waiting
/// for one: a record sealed with a paper photo or a finger not taken leaves only then.
pub fn approve_waiting(counter: &Counter) {
    for row in counter.view().outbox.awaiting {
        counter.send(Command::DecideReview {
            record_id: row.record_id,
            decision: station::outbox::review::Decision::Approve,
            supervisor: "chef".into(),
            secret: "1234-abcd".into(),
            reason: String::new(),
        });
    }
    wait(counter, "every waiting record approved", |v| {
        v.outbox.awaiting.is_empty()
    });
}

/// The `event` JSON of every audit entry, in order.
pub fn audit_events(config: &StationConfig) -> Vec<serde_json::Value> {
    let conn = rusqlite::Connection::open(AuditLog::default_path(&config.data_dir)).expect("audit");
    let mut statement = conn
        .prepare("SELECT event FROM audit ORDER BY seq")
        .expect("select");
    statement
        .query_map([], |row| row.get::<_, String>(0))
        .expect("rows")
        .map(|e| serde_json::from_str(&e.expect("row")).expect("json"))
        .collect()
}
