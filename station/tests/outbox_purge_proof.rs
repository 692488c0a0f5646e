//! A record's sealed bytes are deleted only on the central's proof. Writing `acknowledged` into a
//! row of a real on-disk outbox (anyone with write access to the file can) must not make a queued
//! record vanish at the next start: the row stays, the audit log and the home screen say so.

use std::{sync::Arc, time::Duration};

use ring::{
    rand::SystemRandom,
    signature::{Ed25519KeyPair, KeyPair},
};
use station::{
    config::{CentralSettings, DeviceSettings, StationConfig},
    desk::Counter,
    outbox::{Outbox, OutboxError, RecordState},
    seal::SealedRecord,
    uplink::receipt::Receipt,
};

struct Station {
    _dir: tempfile::TempDir,
    config: StationConfig,
    receipt_key: Ed25519KeyPair,
}

/// A station with no device and a central that is never reached: only the keys matter here.
fn station() -> Station {
    let dir = tempfile::tempdir().expect("temp dir");
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).expect("key");
    let receipt_key = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).expect("key");
    let config = StationConfig {
        data_dir: dir.path().join("station"),
        station_id: "mairie-test-01-p1".into(),
        identity: Default::default(),
        central: CentralSettings {
            url: "https://127.0.0.1:9".into(),
            token: "t".into(),
            record_public_key: hex::encode([9u8; 32]),
            receipt_public_key: hex::encode(receipt_key.public_key().as_ref()),
        },
        freeze: Default::default(),
        uploader: Default::default(),
        http: Default::default(),
        devices: DeviceSettings {
            fingerprint: None,
            camera: None,
            auto_discover: false,
        },
        counter: Default::default(),
        ui: Default::default(),
        technician: Default::default(),
        printer: Default::default(),
        retention: Default::default(),
        mode: Default::default(),
        file: None,
        development: true,
    };
    station::files::create_private_dir(&config.data_dir).expect("data dir");
    Station {
        _dir: dir,
        config,
        receipt_key,
    }
}

fn queue(outbox: &Outbox) -> SealedRecord {
    let record = SealedRecord {
        record_id: uuid::Uuid::new_v4(),
        bytes: vec![0x5a; 256],
    };
    outbox.enqueue(&record, Some("QX7Y2Z9W1K")).expect("queued");
    record
}

fn receipt(key: &Ed25519KeyPair, record: &SealedRecord) -> Receipt {
    let mut receipt = Receipt {
        record_id: record.record_id.to_string(),
        sha256: record.sha256_hex(),
        received_at: "2026-11-27T10:45:00Z".into(),
        signature: String::new(),
    };
    receipt.signature = hex::encode(key.sign(receipt.canonical_string().as_bytes()));
    receipt
}

fn sealed_bytes_kept(config: &StationConfig, record: &SealedRecord) -> bool {
    let db = rusqlite::Connection::open(config.outbox_path()).expect("outbox file");
    db.query_row(
        "SELECT COUNT(*) FROM sealed_records s JOIN records r ON r.seq = s.seq WHERE r.record_id = ?1",
        [record.record_id.to_string()],
        |r| r.get::<_, i64>(0),
    )
    .expect("count")
        == 1
}

#[test]
fn a_forged_acknowledgement_is_not_purged_at_start_and_raises_an_alarm() {
    let s = station();
    let (forged, genuine) = {
        let outbox = Outbox::open(&s.config.outbox_path()).expect("outbox");
        let forged = queue(&outbox);
        let genuine = queue(&outbox);
        // The genuine one went through the uploader's path up to the crash before its purge.
        outbox.claim_due(10).expect("claim");
        outbox
            .release_failed(&forged.record_id.to_string(), "test", 0)
            .expect("release");
        outbox
            .acknowledge(
                &genuine.record_id.to_string(),
                &receipt(&s.receipt_key, &genuine).to_json(),
            )
            .expect("acknowledged");
        (forged, genuine)
    };
    // The forgery: the row edited in the file, with a receipt that looks right but that no central
    // signed.
    let fake = Receipt {
        signature: "ab".repeat(64),
        ..receipt(&s.receipt_key, &forged)
    };
    let db = rusqlite::Connection::open(s.config.outbox_path()).expect("outbox file");
    db.execute(
        "UPDATE records SET state = 'acknowledged', receipt = ?2 WHERE record_id = ?1",
        [forged.record_id.to_string(), fake.to_json()],
    )
    .expect("forged");
    drop(db);

    let counter = Counter::start(s.config.clone(), Arc::new(|| {})).expect("counter");
    let view = counter
        .wait_for(|v| v.generation > 0, Duration::from_secs(30))
        .expect("first view");
    counter.stop();

    assert!(
        sealed_bytes_kept(&s.config, &forged),
        "the forged row kept its sealed bytes"
    );
    assert!(
        !sealed_bytes_kept(&s.config, &genuine),
        "the proven row was purged"
    );
    let outbox = Outbox::open(&s.config.outbox_path()).expect("outbox");
    assert_eq!(
        outbox
            .record(&forged.record_id.to_string())
            .expect("read")
            .expect("row")
            .state,
        RecordState::Acknowledged
    );
    let id = forged.record_id.to_string();
    assert!(
        view.alarms
            .iter()
            .any(|a| a.contains(&id) && a.contains("Alerte sécurité")),
        "the home screen shows the alarm in French: {:?}",
        view.alarms
    );
    let audit = rusqlite::Connection::open(s.config.data_dir.join("audit.sqlite")).expect("audit");
    let alarms: i64 = audit
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE event LIKE '%unproven-acknowledgement%' AND event LIKE ?1",
            [format!("%{id}%")],
            |r| r.get(0),
        )
        .expect("audit read");
    assert_eq!(alarms, 1, "the alarm is in the audit log");

    // Asking for the purge directly is refused the same way.
    assert!(matches!(
        outbox.purge(
            &id,
            &s.config.central_keys().expect("keys").receipt_public_key
        ),
        Err(OutboxError::Unproven { .. })
    ));
    assert!(sealed_bytes_kept(&s.config, &forged));
}
