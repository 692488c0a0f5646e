//! The uploader's retry policy per cause. A 200 answer that is not a receipt (a misconfigured or
//! hostile central, a proxy's page) is retried soon and, when it goes on, alarmed: it is not parked
//! at the longest backoff, where a record waited five minutes after the central was fixed.

#![allow(clippy::unwrap_used)]

use crate::upload_support;

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU32, Ordering},
        mpsc,
    },
    time::{Duration, Instant},
};

use ring::signature::{Ed25519KeyPair, KeyPair};
use station::{
    outbox::RecordState,
    uplink::{UploadEvent, Uploader, UploaderSettings},
};
use upload_support::*;

fn receipt_json(key: &Ed25519KeyPair, record_id: &str, sha256: &str) -> Vec<u8> {
    let received_at = "2026-11-27T08:00:00Z";
    let canonical = format!(
        "dr-central receipt v1\nrecord_id={record_id}\nsha256={sha256}\nreceived_at={received_at}\n"
    );
    let signature = hex::encode(key.sign(canonical.as_bytes()).as_ref());
    serde_json::json!({"record_id": record_id, "sha256": sha256, "received_at": received_at, "signature": signature})
        .to_string()
        .into_bytes()
}

#[test]
fn an_answer_that_is_not_a_receipt_is_retried_soon_then_alarmed_not_parked() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(&dir.path().join("central"), "RP", 4);
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new()).unwrap();
    let key = Arc::new(Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap());
    let fixed = Arc::new(AtomicBool::new(false));
    let puts = Arc::new(AtomicU32::new(0));
    let (k, f, p) = (key.clone(), fixed.clone(), puts.clone());
    let server = ScriptedServer::start(central.data_dir(), move |request| {
        p.fetch_add(1, Ordering::SeqCst);
        if !f.load(Ordering::SeqCst) {
            // What a misconfigured front end answers: 200, and a page.
            return (200, b"<html>maintenance</html>".to_vec());
        }
        let id = record_id_of(request);
        let body_at = request.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
        let sha = station::seal::sha256_hex(&request[body_at..]);
        (200, receipt_json(&k, &id, &sha))
    });
    let mut station = Station::provision(&dir.path().join("station"), &server.url(), &central);
    station.config.central.receipt_public_key = hex::encode(key.public_key().as_ref());
    let outbox = station.outbox();
    let record = station.seal_sample("RP", 1);
    let id = record.record_id.to_string();
    outbox.enqueue(&record, None).unwrap();
    // The longest backoff far beyond the test's patience: a parked record would never come back.
    let settings = UploaderSettings {
        concurrency: 1,
        initial_backoff_ms: 50,
        max_backoff_ms: 600_000,
        idle_poll_ms: 20,
    };
    let (tx, rx) = mpsc::sync_channel(256);
    let uploader = Uploader::start(
        outbox.clone(),
        station.config.central_client(),
        station.config.central_keys().unwrap().receipt_public_key,
        settings,
        Some(tx),
    );
    let started = Instant::now();
    let mut alarm = None;
    while alarm.is_none() && started.elapsed() < Duration::from_secs(20) {
        if let Ok(UploadEvent::ReceiptAlarm {
            record_id,
            attempts,
            error,
        }) = rx.recv_timeout(Duration::from_millis(200))
        {
            alarm = Some((record_id, attempts, error));
        }
    }
    let (alarmed, attempts, error) =
        alarm.expect("an alarm after a few answers that are not receipts");
    assert_eq!(alarmed, id);
    assert!(attempts >= 3, "{attempts}");
    assert!(error.contains("not a receipt"), "{error}");
    // The central is fixed: the record goes through within seconds, not at the longest backoff.
    fixed.store(true, Ordering::SeqCst);
    let fixed_at = Instant::now();
    assert!(
        wait_until(Duration::from_secs(40), || {
            outbox.record(&id).unwrap().map(|r| r.state) == Some(RecordState::Purged)
        }),
        "the record was parked after answers that were not receipts ({} PUTs)",
        puts.load(Ordering::SeqCst)
    );
    let drained_in = fixed_at.elapsed();
    uploader.stop();
    assert!(drained_in < Duration::from_secs(35), "{drained_in:?}");
    println!(
        "alarm after {attempts} answers; drained {:.1} s after the fix",
        drained_in.as_secs_f64()
    );
}

#[test]
fn the_home_screen_shows_the_alarm_of_a_central_that_answers_without_receipts() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(&dir.path().join("central"), "RH", 4);
    let server = ScriptedServer::start(central.data_dir(), |_| {
        (200, b"<html>maintenance</html>".to_vec())
    });
    let mut station = Station::provision(&dir.path().join("station"), &server.url(), &central);
    station.config.uploader = UploaderSettings {
        concurrency: 1,
        initial_backoff_ms: 50,
        max_backoff_ms: 600_000,
        idle_poll_ms: 20,
    };
    station.config.devices.auto_discover = false;
    // The app wants its data directory private, as provisioning on a station leaves it.
    make_private(&station.config.data_dir);
    let record = station.seal_sample("RH", 1);
    let id = record.record_id.to_string();
    station.outbox().enqueue(&record, None).unwrap();
    let counter = station::desk::Counter::start(station.config.clone(), Arc::new(|| {})).unwrap();
    let view = counter
        .wait_for(
            |v| v.alarms.iter().any(|a| a.contains(&id)),
            Duration::from_secs(30),
        )
        .expect("an alarm on the home screen");
    let alarm = view.alarms.iter().find(|a| a.contains(&id)).unwrap();
    assert!(alarm.contains("sans récépissé valable"), "{alarm}");
    // One alarm for the record, however many answers followed.
    std::thread::sleep(Duration::from_millis(500));
    let count = counter
        .view()
        .alarms
        .iter()
        .filter(|a| a.contains(&id))
        .count();
    assert_eq!(count, 1);
}

/// A station whose uploads a central refuses for their audit checkpoint (its audit log lost
/// entries, or is not this station's): the home screen says so in the clerk's words, once, in the
/// screen's language. Returns that alarm.
fn checkpoint_refusal_alarm(language: station::language::Language, code: &'static str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(&dir.path().join("central"), "RC", 4);
    let server = ScriptedServer::start(central.data_dir(), move |_| {
        let body = serde_json::json!({"error": code, "detail": "checkpoint 3 is older than checkpoint 16"});
        (409, body.to_string().into_bytes())
    });
    let mut station = Station::provision(&dir.path().join("station"), &server.url(), &central);
    station.config.uploader = UploaderSettings {
        concurrency: 1,
        initial_backoff_ms: 50,
        max_backoff_ms: 600_000,
        idle_poll_ms: 20,
    };
    station.config.devices.auto_discover = false;
    station.config.ui.language = language;
    make_private(&station.config.data_dir);
    let outbox = station.outbox();
    let first = station.seal_sample("RC", 1);
    let second = station.seal_sample("RC", 2);
    outbox.enqueue(&first, None).unwrap();
    outbox.enqueue(&second, None).unwrap();
    let counter = station::desk::Counter::start(station.config.clone(), Arc::new(|| {})).unwrap();
    let refused = |v: &station::desk::CounterView| {
        [&first, &second].iter().all(|r| {
            outbox
                .record(&r.record_id.to_string())
                .unwrap()
                .is_some_and(|r| r.attempts > 0)
        }) && !v.alarms.is_empty()
    };
    let view = counter
        .wait_for(refused, Duration::from_secs(30))
        .expect("an alarm on the home screen once the central refused the records");
    // Both records refused for the same cause: one alarm for the station, not one per record.
    std::thread::sleep(Duration::from_millis(300));
    let alarms = counter.view().alarms;
    assert_eq!(alarms.len(), 1, "{alarms:?} / {:?}", view.alarms);
    alarms[0].clone()
}

#[test]
fn the_home_screen_alarms_when_the_central_refuses_the_audit_checkpoint() {
    let alarm = checkpoint_refusal_alarm(
        station::language::Language::French,
        wire::audit_checkpoint::CHECKPOINT_REGRESSED,
    );
    assert!(alarm.starts_with("Alerte sécurité"), "{alarm}");
    assert!(alarm.contains("journal"), "{alarm}");
    assert!(alarm.contains("support technique"), "{alarm}");
    // The clerk's words: no error code, no HTTP status.
    assert!(
        !alarm.contains("409") && !alarm.contains("checkpoint"),
        "{alarm}"
    );
}

#[test]
fn the_home_screen_alarms_in_english_when_the_audit_checkpoint_is_missing() {
    let alarm = checkpoint_refusal_alarm(
        station::language::Language::English,
        wire::audit_checkpoint::CHECKPOINT_MISSING,
    );
    assert!(alarm.starts_with("Security alarm"), "{alarm}");
    assert!(alarm.contains("audit log"), "{alarm}");
    assert!(alarm.contains("technical support"), "{alarm}");
    assert!(
        !alarm.contains("428") && !alarm.contains("checkpoint"),
        "{alarm}"
    );
}

/// Directories 0700 and files 0600 under `dir`, as the station's own files are.
fn make_private(dir: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            make_private(&path);
        } else {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
    }
}
