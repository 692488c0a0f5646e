//! Truncating the station's audit log is caught at the next upload: a real station's uploader
//! carries its latest audit checkpoint with every record to a real central (mutual TLS on
//! loopback); after the log's tail and the tail's checkpoints are deleted (which still verifies on
//! the station), the next record is refused with `audit-checkpoint-regressed`.

#![allow(clippy::unwrap_used)]

use crate::upload_support;

use std::{sync::Arc, sync::mpsc, time::Duration};

use station::{
    audit::{AuditEvent, AuditLog, CheckpointReader, verify_file},
    outbox::Outbox,
    uplink::{UploadEvent, Uploader, UploaderSettings},
};
use upload_support::*;

fn uploader(
    station: &Station,
    outbox: &Arc<Outbox>,
    events: mpsc::SyncSender<UploadEvent>,
) -> Uploader {
    Uploader::start_with_checkpoints(
        Arc::clone(outbox),
        station.config.central_client(),
        station.config.central_keys().unwrap().receipt_public_key,
        UploaderSettings {
            concurrency: 1,
            initial_backoff_ms: 20,
            max_backoff_ms: 60_000,
            idle_poll_ms: 20,
        },
        Some(events),
        Some(CheckpointReader::open(&AuditLog::default_path(&station.config.data_dir)).unwrap()),
    )
}

#[test]
fn a_truncated_audit_log_is_refused_at_the_next_upload() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(&dir.path().join("central"), "AU", 10);
    let station = Station::provision(&dir.path().join("station"), &central.url(), &central);
    let outbox = station.outbox();
    let audit_path = AuditLog::default_path(&station.config.data_dir);
    let log = AuditLog::open(&audit_path, station.sealer.signer.clone(), 4).unwrap();
    for i in 0..12 {
        let event = AuditEvent::SignOut {
            operator: format!("agent-{i}"),
        };
        log.append("station", &event, 1_795_000_000_000 + i)
            .unwrap();
    }
    drop(log);

    // The first record carries checkpoint 12 and is received.
    let (events, received) = mpsc::sync_channel(64);
    let first = station.seal_sample("AU", 0);
    outbox.enqueue(&first, Some("AU00000000")).unwrap();
    let running = uploader(&station, &outbox, events);
    match received.recv_timeout(Duration::from_secs(20)).unwrap() {
        UploadEvent::Acknowledged { record_id, .. } => {
            assert_eq!(record_id, first.record_id.to_string())
        }
        other => panic!("{other:?}"),
    }
    running.stop();

    // A clerk deletes the tail of the audit log with its checkpoints: entries 9 to 12 and
    // checkpoints 8 and 12. The station's own check still passes.
    {
        let db = rusqlite::Connection::open(&audit_path).unwrap();
        db.execute("DELETE FROM audit WHERE seq > 7", []).unwrap();
        db.execute("DELETE FROM audit_checkpoints WHERE seq > 4", [])
            .unwrap();
    }
    let report = verify_file(&audit_path, station.sealer.signer.station_key().clone());
    assert!(report.is_ok(), "{report:?}");

    // The next record is refused, and stays queued.
    let (events, received) = mpsc::sync_channel(64);
    let second = station.seal_sample("AU", 1);
    outbox.enqueue(&second, Some("AU00000001")).unwrap();
    let running = uploader(&station, &outbox, events);
    match received.recv_timeout(Duration::from_secs(20)).unwrap() {
        UploadEvent::CheckpointRefused { record_id, error } => {
            assert_eq!(record_id, second.record_id.to_string());
            assert!(
                error.contains(wire::audit_checkpoint::CHECKPOINT_REGRESSED),
                "{error}"
            );
        }
        other => panic!("{other:?}"),
    }
    running.stop();
    assert_eq!(outbox.status().unwrap().backlog(), 1);
    assert_eq!(central.receipt_count().unwrap(), 1);
}
