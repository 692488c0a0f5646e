//! Handover (remise) through the counter core, end to end: an applicant is enrolled with the
//! simulated module over a real pseudo-terminal and the record uploaded to a real central on
//! loopback (which keeps its templates); then `Command::Handover` takes a live finger: another
//! impression of one of the applicant's fingers passes, a stranger's finger fails, a number the
//! central holds no fingerprints for is said so; each decision is in the audit log with its score.

use crate::counter_steps;
use crate::local_station_env;

use std::sync::Arc;

use firmware_sim::zfm_firmware::SimControl;
use station::{
    audit::{AuditLog, verify_file},
    desk::{Command, Counter, HandoverStage, HandoverView},
    seal::StationIdentity,
};

use counter_steps::{audit_events, captures, position, to_the_fingers, wait};
use local_station_env::Env;

/// The applicant's fingers are seeds `APPLICANT + n` for the n-th finger asked.
const APPLICANT: u64 = 4_100;
/// Someone else.
const STRANGER: u64 = 9_917;

fn env() -> Env {
    Env::start(true)
}

/// Enrols the applicant (one seed per finger) and waits for the central's receipt.
fn enrol(counter: &Counter, sensor: &SimControl, number: &str) {
    to_the_fingers(counter, number);
    let mut order = Vec::new();
    while let Some((finger, attempt)) = position(&counter.view()) {
        let n = order.iter().position(|f| *f == finger).unwrap_or_else(|| {
            order.push(finger);
            order.len() - 1
        });
        sensor.place_finger(APPLICANT + n as u64, attempt);
        let before = captures(&counter.view());
        counter.send(Command::CaptureFinger);
        let v = wait(counter, "finger captured", |v| captures(v) > before);
        assert!(
            v.enrolment
                .as_ref()
                .is_some_and(|e| e.same_finger_alert.is_none()),
            "the applicant's fingers differ"
        );
    }
    assert!(order.len() >= 2, "{order:?}");
    counter_steps::answer_storage_if_asked(counter);
    counter_steps::sign_if_asked(counter);
    counter.send(Command::ConfirmReview);
    let v = wait(counter, "receipt", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.receipt.is_some())
    });
    let id = v
        .enrolment
        .and_then(|e| e.receipt)
        .expect("receipt")
        .record_id;
    // Sealed with a paper photo: it leaves once the supervisor approves it.
    counter_steps::approve_waiting(counter);
    wait(counter, "central's receipt", |v| {
        v.outbox
            .recent
            .iter()
            .any(|r| r.record_id == id && r.receipt_at.is_some())
    });
    counter.send(Command::NextApplicant);
}

/// Runs a handover check with `seed`'s impression `impression` on the glass; the view when decided.
fn handover(
    counter: &Counter,
    sensor: &SimControl,
    number: &str,
    finger: Option<(u64, u32)>,
) -> HandoverView {
    match finger {
        Some((seed, impression)) => sensor.place_finger(seed, impression),
        None => sensor.lift_finger(),
    }
    counter.send(Command::CloseHandover);
    wait(counter, "handover closed", |v| v.handover.is_none());
    counter.send(Command::Handover {
        number: number.into(),
    });
    let v = wait(counter, "handover decided", |v| {
        v.handover.as_ref().is_some_and(|h| !h.stage.in_progress())
    });
    v.handover.expect("handover")
}

#[test]
fn the_holder_passes_a_stranger_fails_and_an_unknown_file_is_said_so() {
    let env = env();
    let counter = Counter::start(env.config.clone(), Arc::new(|| {})).expect("counter");
    let sensor = env.sensor();
    enrol(&counter, &sensor, "demo000001");

    // The holder, with another impression of the first finger enrolled: the one asked for.
    let started = std::time::Instant::now();
    let genuine = handover(&counter, &sensor, "demo000001", Some((APPLICANT, 5)));
    let took = started.elapsed();
    let HandoverStage::Done {
        matched,
        score,
        threshold,
    } = genuine.stage
    else {
        panic!("{genuine:?}");
    };
    assert!(matched && score >= threshold, "{genuine:?}");
    assert!(
        genuine.message.starts_with("Empreinte conforme"),
        "{}",
        genuine.message
    );
    assert_eq!(genuine.number, "DEMO000001");

    // Someone else.
    let impostor = handover(&counter, &sensor, "DEMO000001", Some((STRANGER, 0)));
    let HandoverStage::Done {
        matched: false,
        score: impostor_score,
        ..
    } = impostor.stage
    else {
        panic!("{impostor:?}");
    };
    assert!(impostor_score < threshold);
    assert!(
        impostor.message.starts_with("Empreinte non conforme"),
        "{}",
        impostor.message
    );

    // A pre-request whose file has not arrived, and a number no file has: said so, and no finger
    // is read for either.
    let images = sensor.stats().images_sent;
    let not_received = handover(&counter, &sensor, "demo000002", Some((APPLICANT, 1)));
    assert_eq!(
        not_received.stage,
        HandoverStage::Failed,
        "{not_received:?}"
    );
    assert!(
        not_received.message.contains("pas encore arrivé"),
        "{}",
        not_received.message
    );
    let unknown = handover(&counter, &sensor, "ZZZZ000000", Some((APPLICANT, 1)));
    assert!(
        unknown.message.contains("Aucun dossier ne porte ce numéro"),
        "{}",
        unknown.message
    );
    assert_eq!(sensor.stats().images_sent, images, "no finger read");

    // A malformed number is refused before any capture.
    let bad = handover(&counter, &sensor, "12", None);
    assert_eq!(bad.stage, HandoverStage::Failed);
    counter.stop();

    let checks: Vec<_> = audit_events(&env.config)
        .into_iter()
        .filter(|e| e["event"] == "handover-check")
        .collect();
    assert_eq!(checks.len(), 2, "{checks:#?}");
    assert_eq!(checks[0]["pre_request"], "DEMO000001");
    assert_eq!(checks[0]["matched"], true);
    assert_eq!(checks[0]["score"], u64::from(score));
    assert_eq!(checks[1]["matched"], false);
    assert_eq!(checks[1]["score"], u64::from(impostor_score));
    // The central compared with the enrolled finger it names in its signed decision.
    assert!(checks[0]["compared_finger"].is_u64(), "{checks:#?}");
    // No finger was read for the numbers without fingerprints: no attempt to audit.
    let not_decided: Vec<_> = audit_events(&env.config)
        .into_iter()
        .filter(|e| e["event"] == "handover-not-decided")
        .collect();
    assert!(not_decided.is_empty(), "{not_decided:#?}");
    let identity = StationIdentity::load_or_create(&env.config.identity_path()).expect("key");
    verify_file(
        &AuditLog::default_path(&env.config.data_dir),
        identity.public_key(),
    )
    .expect("audit log verifies");
    eprintln!(
        "handover scores: holder {score}, stranger {impostor_score} (threshold {threshold}); \
         holder's check, command to decision (capture over the PTY included): {} ms",
        took.as_millis()
    );
}
