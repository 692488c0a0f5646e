//! Same finger twice during enrolment, through the counter core against the simulated module over a
//! real pseudo-terminal, a loopback central and the real audit log: the same simulated finger
//! (another impression) presented for the second position stops the flow with the alert and nothing
//! is kept; a different finger then passes and clears the alert.

use crate::counter_steps;
use crate::local_station_env;

use std::sync::Arc;

use station::{
    audit::{AuditLog, verify_file},
    desk::{Command, Counter, CounterView},
    seal::StationIdentity,
};

use counter_steps::{audit_events, captures, position, to_the_fingers, wait};
use local_station_env::Env;

/// Simulated fingers whose first impressions score above the threshold (counter_flow.rs).
const APPLICANT_FINGER: u64 = 101;
const OTHER_FINGER: u64 = 102;

fn env() -> Env {
    Env::start(true)
}

fn alert(v: &CounterView) -> Option<String> {
    v.enrolment
        .as_ref()
        .and_then(|e| e.same_finger_alert.clone())
}

#[test]
fn the_same_finger_for_a_second_position_is_stopped_and_a_different_one_passes() {
    let env = env();
    let counter = Counter::start(env.config.clone(), Arc::new(|| {})).expect("counter");
    to_the_fingers(&counter, "demo000001");
    let sensor = env.sensor();

    let first = position(&counter.view()).expect("a finger asked").0;
    sensor.place_finger(APPLICANT_FINGER, 0);
    counter.send(Command::CaptureFinger);
    let v = wait(&counter, "first finger settled", |v| {
        position(v).is_some_and(|(p, _)| p != first)
    });
    assert_eq!(alert(&v), None);
    let (second, attempt) = position(&v).expect("second finger asked");
    let before = captures(&v);

    // The applicant puts the first finger down again (another impression of it).
    sensor.place_finger(APPLICANT_FINGER, 1);
    counter.send(Command::CaptureFinger);
    let v = wait(&counter, "same-finger alert", |v| alert(v).is_some());
    let text = alert(&v).expect("alert");
    assert_eq!(
        text, "Ce doigt semble être le même que l'index gauche déjà pris : vérifiez le doigt posé",
        "first finger was {first:?}"
    );
    assert_eq!(captures(&v), before, "the capture is not kept");
    assert_eq!(
        position(&v),
        Some((second, attempt)),
        "the same finger is asked again"
    );
    let e = v.enrolment.as_ref().expect("enrolment");
    assert!(e.live.is_none(), "the capture prompt is closed");
    assert!(
        e.fingers
            .iter()
            .all(|f| f.position != second || f.best.is_none()),
        "nothing kept for {second:?}"
    );

    // The right finger this time: kept, the alert cleared.
    sensor.place_finger(OTHER_FINGER, 0);
    counter.send(Command::CaptureFinger);
    let v = wait(&counter, "second finger captured", |v| captures(v) > before);
    assert_eq!(alert(&v), None, "a different finger raises no alert");
    assert!(
        v.enrolment
            .as_ref()
            .expect("enrolment")
            .fingers
            .iter()
            .any(|f| f.position == second && f.best.is_some()),
        "{second:?} kept"
    );
    counter.stop();

    let events = audit_events(&env.config);
    let alerts: Vec<_> = events
        .iter()
        .filter(|e| e["event"] == "same-finger-twice")
        .collect();
    assert_eq!(alerts.len(), 1, "{events:#?}");
    assert_eq!(alerts[0]["finger"], second.name());
    assert_eq!(alerts[0]["earlier"], first.name());
    assert!(alerts[0]["score"].as_u64().is_some_and(|s| s >= 60));
    let identity = StationIdentity::load_or_create(&env.config.identity_path()).expect("key");
    verify_file(
        &AuditLog::default_path(&env.config.data_dir),
        identity.public_key(),
    )
    .expect("audit log verifies");
}
