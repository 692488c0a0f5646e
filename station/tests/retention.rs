//! The retention on a real outbox and a real audit log, with the clock moved by the test: past
//! it, an acknowledged record's row and its announcement leave the outbox and the audit entries
//! forget their pre-request numbers, while records still waiting stay whole and the audit chain
//! (and its signed checkpoints) still verifies, and still catches an edit.

use std::sync::Arc;

use ring::{
    rand::SystemRandom,
    signature::{Ed25519KeyPair, KeyPair},
};
use station::{
    audit::{AuditEvent, AuditLog, verify_file},
    outbox::{Outbox, RecordState},
    retention::{RetentionSettings, apply},
    seal::{SealedRecord, identity::StationIdentity},
    uplink::receipt::Receipt,
};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;
const SENT: &str = "QX7Y2Z9W1K";
const WAITING: &str = "ZZ99YY88XX";

fn count(db: &std::path::Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db)
        .expect("db")
        .query_row(sql, [], |r| r.get(0))
        .expect("count")
}

#[test]
fn past_the_retention_sent_files_are_forgotten_and_the_audit_chain_still_verifies() {
    let dir = tempfile::tempdir().expect("tempdir");
    let identity = Arc::new(
        StationIdentity::load_or_create(&StationIdentity::default_path(dir.path()))
            .expect("identity"),
    );
    let public = identity.public_key();
    let audit_path = AuditLog::default_path(dir.path());
    let audit = AuditLog::open(&audit_path, identity, 4).expect("audit");
    let outbox_path = dir.path().join("outbox.sqlite");
    let outbox = Outbox::open(&outbox_path).expect("outbox");
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).expect("key");
    let receipt_key = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).expect("key");
    let receipt_public: [u8; 32] = receipt_key.public_key().as_ref().try_into().expect("32");

    // One record sent and purged on its receipt, one still waiting; both audited now.
    let now = station::outbox::now_ms();
    let sent = SealedRecord {
        record_id: uuid::Uuid::new_v4(),
        bytes: vec![0x5a; 128],
    };
    let waiting = SealedRecord {
        record_id: uuid::Uuid::new_v4(),
        bytes: vec![0xa5; 128],
    };
    outbox.enqueue(&sent, Some(SENT)).expect("queued");
    outbox.enqueue(&waiting, Some(WAITING)).expect("queued");
    for number in [SENT, WAITING] {
        audit
            .append(
                "agent.martin",
                &AuditEvent::EnrolmentStarted {
                    pre_request: number.into(),
                },
                now,
            )
            .expect("audited");
    }
    audit
        .append(
            "agent.martin",
            &AuditEvent::SignIn {
                operator: "agent.martin".into(),
            },
            now,
        )
        .expect("audited");
    assert_eq!(outbox.claim_due(10).expect("claim").len(), 2);
    outbox
        .release_failed(&waiting.record_id.to_string(), "test", 0)
        .expect("released");
    let mut receipt = Receipt {
        record_id: sent.record_id.to_string(),
        sha256: sent.sha256_hex(),
        received_at: "2026-11-27T10:45:00Z".into(),
        signature: String::new(),
    };
    receipt.signature = hex::encode(receipt_key.sign(receipt.canonical_string().as_bytes()));
    outbox
        .acknowledge(&sent.record_id.to_string(), &receipt.to_json())
        .expect("acknowledged");
    outbox
        .purge(&sent.record_id.to_string(), &receipt_public)
        .expect("purged");
    // An entry written later, inside the retention whenever it is applied below.
    audit
        .append(
            "agent.martin",
            &AuditEvent::EnrolmentStarted {
                pre_request: "AB12CD34EF".into(),
            },
            now + 80 * DAY_MS,
        )
        .expect("audited");
    audit.checkpoint().expect("checkpoint");
    let before = verify_file(&audit_path, public).expect("verifies");

    let settings = RetentionSettings::default();
    assert_eq!(settings.days, 90);
    // 89 days on: nothing is past the retention yet.
    let early = apply(&settings, &outbox, &audit, now + 89 * DAY_MS).expect("applied");
    assert_eq!(early.outbox_rows, 0);
    assert_eq!(early.audit.entries, 0);
    assert_eq!(
        count(
            &audit_path,
            &format!("SELECT count(*) FROM audit WHERE event LIKE '%{SENT}%'")
        ),
        1
    );

    // 91 days on: the sent record's row goes, the waiting one stays whole.
    let applied = apply(&settings, &outbox, &audit, now + 91 * DAY_MS).expect("applied");
    assert_eq!(applied.outbox_rows, 1);
    assert_eq!(
        outbox.record(&sent.record_id.to_string()).expect("read"),
        None
    );
    let kept = outbox
        .record(&waiting.record_id.to_string())
        .expect("read")
        .expect("the waiting record stays");
    assert_eq!(kept.state, RecordState::Queued);
    assert_eq!(
        count(
            &outbox_path,
            &format!("SELECT count(*) FROM records WHERE pre_request = '{WAITING}'")
        ),
        1
    );

    // The audit entries of that day forgot their numbers, the later one did not...
    assert_eq!(applied.audit.entries, 2);
    assert_eq!(applied.audit.kept_from_before_salts, 0);
    for number in [SENT, WAITING] {
        assert_eq!(
            count(
                &audit_path,
                &format!("SELECT count(*) FROM audit WHERE event LIKE '%{number}%'")
            ),
            0,
            "{number} is still in the audit log"
        );
    }
    assert_eq!(
        count(
            &audit_path,
            "SELECT count(*) FROM audit WHERE event LIKE '%AB12CD34EF%'"
        ),
        1
    );
    assert_eq!(
        count(
            &audit_path,
            "SELECT count(*) FROM audit WHERE salt IS NOT NULL"
        ),
        1
    );
    // ...and the chain, with its signed checkpoints, verifies as before.
    assert_eq!(
        verify_file(&audit_path, public).expect("still verifies"),
        before
    );

    // A forgotten entry is still covered: edited, it breaks the chain.
    rusqlite::Connection::open(&audit_path)
        .expect("db")
        .execute(
            "UPDATE audit SET event = replace(event, 'sha256:', 'sha256:0') WHERE seq = 1",
            [],
        )
        .expect("edit");
    assert!(
        verify_file(&audit_path, public).is_err(),
        "an edit went unseen"
    );
}

#[test]
fn the_retention_is_a_setting_with_bounds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = |extra: &str| {
        let path = dir.path().join("station.toml");
        std::fs::write(
            &path,
            format!(
                "data_dir = {:?}\nstation_id = \"mairie-cli-02\"\n\n[central]\nurl = \"https://127.0.0.1:9\"\n\
                 token = \"t\"\nrecord_public_key = {:?}\nreceipt_public_key = {:?}\n{extra}",
                dir.path().join("station").display().to_string(),
                hex::encode([9u8; 32]),
                hex::encode([7u8; 32])
            ),
        )
        .expect("write");
        station::config::StationConfig::load_in(&path, station::config::Mode::Development)
    };
    assert_eq!(config("").expect("default").retention.days, 90);
    assert_eq!(
        config("\n[retention]\ndays = 30\n")
            .expect("30 days")
            .retention
            .days,
        30
    );
    for refused in ["days = 0", "days = 3", "days = 5000"] {
        let error = config(&format!("\n[retention]\n{refused}\n"))
            .expect_err(refused)
            .to_string();
        assert!(error.contains("retention.days"), "{refused}: {error}");
    }
    assert!(config("\n[retention]\nweeks = 3\n").is_err());
}
