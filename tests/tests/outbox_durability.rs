//! The outbox on a real SQLite file: pragmas, life cycle, refusals, recovery after a crash, the
//! freeze rule, schema versions.

#![allow(clippy::unwrap_used)]

use crate::upload_support;

use station::outbox::{FreezeLimits, Frozen, Outbox, OutboxError, RecordState, database, now_ms};
use upload_support::*;

fn station(dir: &std::path::Path) -> (central::RunningCentral, Station) {
    let central = start_central(&dir.join("central"), "OB", 10);
    let station = Station::provision(&dir.join("station"), &central.url(), &central);
    (central, station)
}

#[test]
fn pragmas_are_set_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("o.sqlite");
    let conn = rusqlite::Connection::open(&path).unwrap();
    database::apply_pragmas(&conn).unwrap();
    let get = |name: &str| {
        conn.query_row(&format!("PRAGMA {name}"), [], |r| {
            r.get::<_, rusqlite::types::Value>(0)
        })
        .unwrap()
    };
    assert_eq!(
        get("journal_mode"),
        rusqlite::types::Value::Text("wal".into())
    );
    assert_eq!(get("synchronous"), rusqlite::types::Value::Integer(2));
    assert_eq!(get("secure_delete"), rusqlite::types::Value::Integer(1));
    assert_eq!(get("temp_store"), rusqlite::types::Value::Integer(2));
    // WAL is persistent: a second connection sees it on the file.
    drop(Outbox::open(&path).unwrap());
    let other = rusqlite::Connection::open(&path).unwrap();
    let mode: String = other
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn life_cycle_queued_sending_acknowledged_purged() {
    let dir = tempfile::tempdir().unwrap();
    let (_central, station) = station(dir.path());
    let outbox = station.outbox();
    let record = station.seal_sample("OB", 0);
    let id = record.record_id.to_string();
    outbox.enqueue(&record, Some("OB00000000")).unwrap();
    assert!(matches!(
        outbox.enqueue(&record, None),
        Err(OutboxError::Duplicate(_))
    ));
    assert!(
        matches!(
            outbox.acknowledge(&id, "{}"),
            Err(OutboxError::WrongState { .. })
        ),
        "not sending yet"
    );

    let claimed = outbox.claim_due(10).unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(&claimed[0].sealed[..], &record.bytes[..]);
    assert_eq!(claimed[0].sha256, record.sha256_hex());
    assert!(
        outbox.claim_due(10).unwrap().is_empty(),
        "a sending record is not claimed twice"
    );

    outbox
        .release_failed(&id, "central unreachable", now_ms() + 60_000)
        .unwrap();
    assert!(
        outbox.claim_due(10).unwrap().is_empty(),
        "not due before its retry time"
    );
    let summary = outbox.record(&id).unwrap().unwrap();
    assert_eq!((summary.state, summary.attempts), (RecordState::Queued, 1));
    assert_eq!(summary.last_error.as_deref(), Some("central unreachable"));
    outbox.release_failed(&id, "x", 0).unwrap_err(); // only a sending record can be released

    // Make it due now, claim it, acknowledge, purge.
    let conn = rusqlite::Connection::open(station.config.outbox_path()).unwrap();
    conn.execute("UPDATE records SET next_attempt_at_ms = 0", [])
        .unwrap();
    assert_eq!(outbox.claim_due(1).unwrap().len(), 1);
    let key = station.config.central_keys().unwrap().receipt_public_key;
    assert!(
        matches!(outbox.purge(&id, &key), Err(OutboxError::WrongState { .. })),
        "no purge before a receipt"
    );
    let receipt = central_receipt(&_central, &record).to_json();
    outbox.acknowledge(&id, &receipt).unwrap();
    assert_eq!(outbox.status().unwrap().acknowledged, 1);
    outbox.purge(&id, &key).unwrap();
    let receipt_json = receipt;
    let (sealed, receipt): (Option<Vec<u8>>, Option<String>) = conn
        .query_row(
            "SELECT (SELECT sealed FROM sealed_records s WHERE s.seq = r.seq), receipt FROM records r WHERE record_id = ?1",
            [&id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(sealed, None, "sealed bytes deleted");
    assert_eq!(
        receipt.as_deref(),
        Some(receipt_json.as_str()),
        "receipt kept"
    );
    let status = outbox.status().unwrap();
    assert_eq!(
        (status.purged, status.backlog(), status.pending_bytes),
        (1, 0, 0)
    );
    assert_eq!(outbox.integrity_check().unwrap(), "ok");
}

#[test]
fn a_restart_requeues_stale_claims_and_purges_acknowledged_records_on_their_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let (central, station) = station(dir.path());
    let outbox = station.outbox();
    let (a, b, c) = (
        station.seal_sample("OB", 1),
        station.seal_sample("OB", 2),
        station.seal_sample("OB", 3),
    );
    for r in [&a, &b, &c] {
        outbox.enqueue(r, None).unwrap();
    }
    assert_eq!(outbox.claim_due(2).unwrap().len(), 2); // a and b: sending
    let receipt = central_receipt(&central, &b).to_json();
    outbox
        .acknowledge(&b.record_id.to_string(), &receipt)
        .unwrap(); // b: acknowledged, not purged
    drop(outbox); // as if the process died here

    let outbox = station.outbox();
    let key = station.config.central_keys().unwrap().receipt_public_key;
    assert_eq!(outbox.purge_proven(&key).unwrap(), Vec::new());
    let state = |r: &station::seal::SealedRecord| {
        outbox
            .record(&r.record_id.to_string())
            .unwrap()
            .unwrap()
            .state
    };
    assert_eq!(state(&a), RecordState::Queued);
    assert_eq!(state(&b), RecordState::Purged);
    assert_eq!(state(&c), RecordState::Queued);
}

#[test]
fn enrolment_freezes_on_backlog_or_age_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let (_central, station) = station(dir.path());
    let outbox = station.outbox();
    let limits = FreezeLimits {
        max_unacknowledged_hours: 48,
        max_backlog: 2,
        ..FreezeLimits::default()
    };
    assert_eq!(outbox.may_enrol(&limits, now_ms()).unwrap(), Ok(()));
    for i in 0..3 {
        outbox.enqueue(&station.seal_sample("OB", i), None).unwrap();
    }
    let frozen = outbox.may_enrol(&limits, now_ms()).unwrap().unwrap_err();
    assert_eq!(
        frozen,
        Frozen::Backlog {
            backlog: 3,
            limit: 2
        }
    );
    let text = frozen.to_string();
    assert!(
        text.contains("Nouvelles demandes suspendues")
            && text.contains("3 dossiers")
            && text.contains("limite : 2"),
        "{text}"
    );

    let limits = FreezeLimits {
        max_unacknowledged_hours: 48,
        max_backlog: 100,
        ..FreezeLimits::default()
    };
    assert_eq!(outbox.may_enrol(&limits, now_ms()).unwrap(), Ok(()));
    let in_three_days = now_ms() + 72 * 3600 * 1000;
    let frozen = outbox
        .may_enrol(&limits, in_three_days)
        .unwrap()
        .unwrap_err();
    assert!(
        matches!(
            frozen,
            Frozen::TooOld {
                hours: 71 | 72,
                limit: 48
            }
        ),
        "{frozen:?}"
    );
    assert!(frozen.to_string().contains("depuis 7"), "{frozen}");
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("o.sqlite");
    drop(Outbox::open(&path).unwrap());
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 9)
        .unwrap();
    let error = Outbox::open(&path).unwrap_err();
    assert!(
        matches!(
            error,
            OutboxError::NewerSchema {
                found: 9,
                supported
            } if supported == station::outbox::database::MIGRATIONS.len() as i64
        ),
        "{error}"
    );
    assert!(error.to_string().contains("newer"));
}
