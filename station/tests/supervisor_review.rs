//! Supervisor review end to end: the counter core with both simulators on pseudo-terminals, the
//! real uploader and a real central on loopback. A record sealed with an exception (here a paper
//! photo) waits in the outbox, is neither announced nor sent; a clerk's PIN or a wrong supervisor
//! PIN decides nothing; the supervisor's approval lets it reach the central (receipt kept), a
//! rejection deletes it and it never arrives. Every decision is audited.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::counter_steps;
use crate::local_station_env;

use std::{sync::Arc, time::Duration};

use station::{
    config::StationConfig,
    desk::{Command, Counter, CounterView},
    enrolment::Step,
    operators::{LockoutPolicy, Operators, Role},
    outbox::{Outbox, RecordState, review::Decision},
};

use counter_steps::{audit_events, captures, step, wait};
use local_station_env::Env;

const SUPERVISOR: &str = "chef";
const SECRET: &str = "1234-abcd";
const CLERK: &str = "agent";
const CLERK_PIN: &str = "482915";

fn add_clerk(config: &StationConfig) {
    let operators = Operators::open_station(config, LockoutPolicy::default()).unwrap();
    let chief = operators.sign_in(SUPERVISOR, SECRET, 0).unwrap();
    operators
        .create(&chief, CLERK, Role::Clerk, CLERK_PIN, 0)
        .unwrap();
}

/// From the pre-request to the receipt with a paper photo and two good fingers; returns the
/// record id.
fn enrol_with_paper_photo(counter: &Counter, number: &str) -> String {
    counter.send(Command::LoadPreRequest {
        number: number.into(),
    });
    wait(counter, "pre-request", |v| {
        v.busy.is_none()
            && v.enrolment
                .as_ref()
                .is_some_and(|e| e.pre_request.is_some())
    });
    // A passport is paid first (one of the demo's 86 € stamps).
    if counter
        .view()
        .enrolment
        .is_some_and(|e| e.tax_stamp.due_cents > 0)
    {
        counter.send(Command::CheckTaxStamp {
            entry: "0860000000000001".into(),
        });
        wait(counter, "the stamp checked", |v| {
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
    loop {
        let v = wait(counter, "a finger or the review", |v| {
            matches!(step(v), Some(Step::Finger { .. } | Step::Review))
        });
        if step(&v) == Some(Step::Review) {
            break;
        }
        let before = captures(&v);
        counter.send(Command::CaptureFinger);
        wait(counter, "finger captured", |v| captures(v) > before);
    }
    counter_steps::answer_storage_if_asked(counter);
    counter_steps::sign_if_asked(counter);
    counter.send(Command::ConfirmReview);
    let v = wait(counter, "receipt", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.receipt.is_some())
    });
    let notice = v.notice.expect("notice").text;
    assert!(
        notice.contains("attend l'approbation d'un superviseur"),
        "{notice}"
    );
    v.enrolment.unwrap().receipt.unwrap().record_id
}

fn decide(
    counter: &Counter,
    record_id: &str,
    decision: Decision,
    who: &str,
    pin: &str,
    reason: &str,
) -> CounterView {
    let before = counter.view().notice.map(|n| n.serial);
    counter.send(Command::DecideReview {
        record_id: record_id.to_owned(),
        decision,
        supervisor: who.to_owned(),
        secret: pin.into(),
        reason: reason.to_owned(),
    });
    wait(counter, "the decision's answer", |v| {
        v.notice.as_ref().map(|n| n.serial) != before && v.notice.is_some()
    })
}

/// Whether the central holds a receipt for `record_id` (read from its database file).
fn central_received(env: &Env, record_id: &str) -> bool {
    let conn = rusqlite::Connection::open_with_flags(
        env.central().data_dir().join("central.sqlite"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    conn.query_row(
        "SELECT count(*) FROM receipts WHERE record_id = ?1",
        [record_id],
        |r| r.get::<_, i64>(0),
    )
    .unwrap()
        > 0
}

fn state(config: &StationConfig, record_id: &str) -> RecordState {
    Outbox::open_read_only(&config.outbox_path())
        .unwrap()
        .record(record_id)
        .unwrap()
        .unwrap()
        .state
}

#[test]
fn a_record_with_an_exception_waits_then_an_approval_sends_it_and_a_rejection_deletes_it() {
    let env = Env::start(false);
    let counter = Counter::start(env.config.clone(), Arc::new(|| {})).unwrap();
    wait(&counter, "setup screen", |v| v.generation > 0);
    counter.send(Command::CreateFirstSupervisor {
        name: SUPERVISOR.into(),
        secret: SECRET.into(),
    });
    wait(&counter, "signed in", |v| v.operator.is_some());
    add_clerk(&env.config);
    // The clerk runs the counter; the supervisor comes to it for the decision.
    counter.send(Command::SignIn {
        name: CLERK.into(),
        secret: CLERK_PIN.into(),
    });
    wait(&counter, "the clerk", |v| {
        v.operator.as_ref().is_some_and(|o| o.name == CLERK)
    });
    wait(&counter, "fingerprint module", |v| {
        v.devices.fingerprint.ready
    });
    let approved = enrol_with_paper_photo(&counter, "DEMO000001");
    let v = wait(&counter, "the waiting row", |v| {
        v.outbox.awaiting.len() == 1
    });
    let row = &v.outbox.awaiting[0];
    assert_eq!(row.record_id, approved);
    assert_eq!(row.exceptions, "photo papier");
    assert_eq!(row.waited, "0 min");
    // The uploader runs and the central answers: the record still does not leave.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(state(&env.config, &approved), RecordState::AwaitingApproval);
    assert!(!central_received(&env, &approved));

    // The clerk's own PIN decides nothing, nor a wrong supervisor PIN.
    let v = decide(&counter, &approved, Decision::Approve, CLERK, CLERK_PIN, "");
    assert!(
        v.notice
            .as_ref()
            .unwrap()
            .text
            .contains("Seul un superviseur"),
        "{:?}",
        v.notice
    );
    let v = decide(
        &counter,
        &approved,
        Decision::Approve,
        SUPERVISOR,
        "0000-wrong",
        "",
    );
    assert!(
        v.notice.as_ref().unwrap().text.contains("incorrect"),
        "{:?}",
        v.notice
    );
    assert_eq!(state(&env.config, &approved), RecordState::AwaitingApproval);
    assert_eq!(
        v.operator.unwrap().name,
        CLERK,
        "the clerk's session goes on"
    );

    // The supervisor's PIN: approved, sent, received with a receipt, purged.
    let v = decide(
        &counter,
        &approved,
        Decision::Approve,
        SUPERVISOR,
        SECRET,
        "photo conforme",
    );
    assert!(v.notice.unwrap().text.contains("approuvé par chef"));
    wait(&counter, "the central's receipt", |v| {
        v.outbox
            .recent
            .iter()
            .any(|r| r.record_id == approved && r.receipt_at.is_some())
    });
    assert!(central_received(&env, &approved));

    // The next applicant's record is rejected: a reason is required, then it is deleted.
    counter.send(Command::NextApplicant);
    wait(&counter, "next applicant", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.receipt.is_none())
    });
    let rejected = enrol_with_paper_photo(&counter, "DEMO000002");
    let v = decide(
        &counter,
        &rejected,
        Decision::Reject,
        SUPERVISOR,
        SECRET,
        "  ",
    );
    assert!(v.notice.unwrap().text.contains("motif"));
    let v = decide(
        &counter,
        &rejected,
        Decision::Reject,
        SUPERVISOR,
        SECRET,
        "photo floue",
    );
    let text = v.notice.unwrap().text;
    assert!(
        text.contains("refusé par chef") && text.contains("doit revenir"),
        "{text}"
    );
    assert!(v.outbox.awaiting.is_empty());
    assert_eq!(state(&env.config, &rejected), RecordState::Rejected);
    let outbox = Outbox::open_read_only(&env.config.outbox_path()).unwrap();
    assert!(!station::outbox::review::holds_sealed(&outbox, &rejected).unwrap());
    // "Has my file been sent?" tells the clerk the applicant must come back.
    counter.send(Command::Search {
        number: "DEMO000002".into(),
    });
    let v = wait(&counter, "search answer", |v| v.search.is_some());
    assert!(v.search.unwrap().answer.contains("doit revenir"));
    std::thread::sleep(Duration::from_secs(2));
    assert!(!central_received(&env, &rejected));
    counter.stop();

    // Audited: the refusals, then each decision with the supervisor, the reason and the record.
    let events = audit_events(&env.config);
    assert!(events.iter().any(|e| e["event"] == "command-refused"
        && e["operator"] == CLERK
        && e["command"] == "outbox approve"));
    assert!(events.iter().any(|e| e["event"] == "review-approved"
        && e["record_id"] == approved.as_str()
        && e["supervisor"] == SUPERVISOR
        && e["reason"] == "photo conforme"));
    assert!(events.iter().any(|e| e["event"] == "review-rejected"
        && e["record_id"] == rejected.as_str()
        && e["supervisor"] == SUPERVISOR
        && e["reason"] == "photo floue"));
}
