//! The audit log on a real SQLite file: a clean log verifies; an edited, removed or reordered
//! entry, a rewritten chain, a truncated tail or another station's key is detected.

use std::{path::PathBuf, sync::Arc};

use rusqlite::{Connection, params};
use station::{
    audit::{AuditError, AuditEvent, AuditLog, chain, personal, verify_file},
    seal::identity::StationIdentity,
};

const T0: i64 = 1_795_770_000_000;

struct Fixture {
    _dir: tempfile::TempDir,
    path: PathBuf,
    key: [u8; 32],
}

/// A log of 20 entries with a checkpoint every 8 (signed at 8 and 16; 17..=20 unsigned).
fn log_of_20() -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let identity = Arc::new(
        StationIdentity::load_or_create(&StationIdentity::default_path(dir.path()))
            .expect("identity"),
    );
    let key = identity.public_key();
    let path = AuditLog::default_path(dir.path());
    let log = AuditLog::open(&path, identity, 8).expect("open");
    let events = [
        AuditEvent::SignIn {
            operator: "agent.martin".into(),
        },
        AuditEvent::EnrolmentStarted {
            pre_request: "AB12CD34EF".into(),
        },
        AuditEvent::FingerCaptured {
            finger: "left-index".into(),
            quality: 35,
            attempt: 1,
        },
        AuditEvent::FingerException {
            finger: "right-index".into(),
            reason: "bandaged".into(),
        },
        AuditEvent::Sealed {
            record_id: "8d3c1f0e-8b1a-4c55-9f39-0a4f1c7f3b21".into(),
        },
    ];
    for i in 0..20u64 {
        let seq = log
            .append("agent.martin", &events[(i % 5) as usize], T0 + i as i64)
            .expect("append");
        assert_eq!(seq, i + 1);
    }
    Fixture {
        _dir: dir,
        path,
        key,
    }
}

fn broken_at(fixture: &Fixture) -> u64 {
    match verify_file(&fixture.path, fixture.key) {
        Err(AuditError::Broken { seq, .. }) => seq,
        other => panic!("expected a broken chain, got {other:?}"),
    }
}

fn raw(fixture: &Fixture) -> Connection {
    Connection::open(&fixture.path).expect("raw open")
}

#[test]
fn a_clean_log_verifies_and_checkpoints_sign_the_tail() {
    let fixture = log_of_20();
    let report = verify_file(&fixture.path, fixture.key).expect("verify");
    assert_eq!(
        (report.entries, report.checkpoints, report.unsigned_tail),
        (20, 2, 4)
    );
    let identity = Arc::new(
        StationIdentity::load_or_create(&StationIdentity::default_path(
            fixture.path.parent().expect("dir"),
        ))
        .expect("identity"),
    );
    let log = AuditLog::open(&fixture.path, identity, 8).expect("reopen");
    log.checkpoint().expect("checkpoint");
    log.checkpoint().expect("idempotent");
    let report = verify_file(&fixture.path, fixture.key).expect("verify");
    assert_eq!(
        (report.entries, report.checkpoints, report.unsigned_tail),
        (20, 3, 0)
    );
    // Appending after a restart continues the same chain.
    log.append("station", &AuditEvent::SelfTest { passed: true }, T0 + 100)
        .expect("append");
    assert_eq!(
        verify_file(&fixture.path, fixture.key)
            .expect("verify")
            .entries,
        21
    );
}

#[test]
fn an_edited_entry_is_detected() {
    let fixture = log_of_20();
    raw(&fixture)
        .execute("UPDATE audit SET actor = 'chef' WHERE seq = 5", [])
        .expect("edit");
    assert_eq!(broken_at(&fixture), 5);
}

#[test]
fn an_edited_entry_with_its_hash_recomputed_is_detected_by_the_next() {
    let fixture = log_of_20();
    let conn = raw(&fixture);
    let (at, event, prev, salt): (i64, String, String, Option<Vec<u8>>) = conn
        .query_row(
            "SELECT at_ms, event, prev_sha256, salt FROM audit WHERE seq = 5",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect("row");
    let chained = personal::chained_form(&event, salt.as_deref());
    let hash = chain::entry_hash(5, at, "chef", &chained, &prev);
    conn.execute(
        "UPDATE audit SET actor = 'chef', sha256 = ?1 WHERE seq = 5",
        [hash],
    )
    .expect("edit");
    assert_eq!(broken_at(&fixture), 6);
}

#[test]
fn a_removed_entry_is_detected() {
    let fixture = log_of_20();
    raw(&fixture)
        .execute("DELETE FROM audit WHERE seq = 7", [])
        .expect("delete");
    assert_eq!(broken_at(&fixture), 7);
}

#[test]
fn reordered_entries_are_detected() {
    let fixture = log_of_20();
    let conn = raw(&fixture);
    // Swap entries 3 and 4 whole (moving them through a free sequence number).
    conn.execute_batch(
        "UPDATE audit SET seq = 1000 WHERE seq = 3;
         UPDATE audit SET seq = 3 WHERE seq = 4;
         UPDATE audit SET seq = 4 WHERE seq = 1000;",
    )
    .expect("swap");
    assert_eq!(broken_at(&fixture), 3);
}

#[test]
fn a_truncated_tail_after_a_checkpoint_is_detected() {
    let fixture = log_of_20();
    raw(&fixture)
        .execute("DELETE FROM audit WHERE seq >= 16", [])
        .expect("truncate");
    assert_eq!(broken_at(&fixture), 16);
}

#[test]
fn a_rewritten_chain_is_caught_by_the_signed_checkpoint() {
    let fixture = log_of_20();
    let conn = raw(&fixture);
    // Rewrite entry 3 and recompute every hash after it, as someone with database access could.
    conn.execute("UPDATE audit SET actor = 'chef' WHERE seq = 3", [])
        .expect("edit");
    let mut prev: String = conn
        .query_row("SELECT sha256 FROM audit WHERE seq = 2", [], |r| r.get(0))
        .expect("prev");
    for seq in 3..=20i64 {
        let (at, actor, event, salt): (i64, String, String, Option<Vec<u8>>) = conn
            .query_row(
                "SELECT at_ms, actor, event, salt FROM audit WHERE seq = ?1",
                [seq],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .expect("row");
        let chained = personal::chained_form(&event, salt.as_deref());
        let hash = chain::entry_hash(seq as u64, at, &actor, &chained, &prev);
        conn.execute(
            "UPDATE audit SET prev_sha256 = ?2, sha256 = ?3 WHERE seq = ?1",
            params![seq, prev, hash],
        )
        .expect("rechain");
        prev = hash;
    }
    assert_eq!(broken_at(&fixture), 8);
}

#[test]
fn another_key_or_a_forged_checkpoint_is_refused() {
    let fixture = log_of_20();
    let other = tempfile::tempdir().expect("tempdir");
    let stranger = StationIdentity::load_or_create(&StationIdentity::default_path(other.path()))
        .expect("other identity");
    assert!(matches!(
        verify_file(&fixture.path, stranger.public_key()),
        Err(AuditError::Broken { seq: 8, .. })
    ));
    raw(&fixture)
        .execute(
            "UPDATE audit_checkpoints SET signature = ?1 WHERE seq = 16",
            [hex::encode(stranger.sign(b"anything"))],
        )
        .expect("forge");
    assert_eq!(broken_at(&fixture), 16);
}

#[test]
fn entries_hold_only_short_typed_fields() {
    let dir = tempfile::tempdir().expect("tempdir");
    let identity = Arc::new(
        StationIdentity::load_or_create(&StationIdentity::default_path(dir.path()))
            .expect("identity"),
    );
    let log = AuditLog::open(&AuditLog::default_path(dir.path()), identity, 8).expect("open");
    // Anything the size of an image is refused.
    let huge = "x".repeat(4096);
    assert!(matches!(
        log.append(&huge, &AuditEvent::PhotoOnPaper, T0),
        Err(AuditError::TooLarge(_))
    ));
    let json = serde_json::to_string(&AuditEvent::FingerCaptured {
        finger: "left-index".into(),
        quality: 61,
        attempt: 2,
    })
    .expect("json");
    assert_eq!(
        json,
        r#"{"event":"finger-captured","finger":"left-index","quality":61,"attempt":2}"#
    );
}
