//! Network faults between the station and the central, injected by a loopback TCP proxy: central
//! down, 5xx, slow answers past the timeout, connections cut mid-body, answers lost after the
//! central stored the record (so it is delivered again). In the end: 0 lost, 0 duplicated.

#![allow(clippy::unwrap_used)]

use crate::upload_support;

use std::{
    sync::{Arc, mpsc},
    time::Duration,
};

use rand::{Rng, SeedableRng};
use station::{
    outbox::RecordState,
    seal::SealedRecord,
    uplink::{Receipt, ReceiptCheck, UploadEvent, Uploader},
};
use upload_support::*;

fn check_all_delivered_once(
    central: &central::RunningCentral,
    station: &Station,
    outbox: &station::outbox::Outbox,
    sent: &[SealedRecord],
) {
    for record in sent {
        let id = record.record_id.to_string();
        let summary = outbox.record(&id).unwrap().unwrap();
        assert_eq!(summary.state, RecordState::Purged, "{id}");
        let receipt = Receipt::parse(summary.receipt.unwrap().as_bytes()).unwrap();
        receipt
            .verify(
                &station.sealer.central.receipt_public_key,
                &id,
                &record.sha256_hex(),
            )
            .unwrap();
        assert_eq!(
            stored_record(central.data_dir(), &id).as_deref(),
            Some(&record.bytes[..]),
            "{id}"
        );
    }
    assert_eq!(
        central.receipt_count().unwrap(),
        sent.len() as u64,
        "duplicates or strays at the central"
    );
    assert_eq!(outbox.integrity_check().unwrap(), "ok");
}

#[test]
fn central_down_then_back_nothing_lost() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(&dir.path().join("central"), "DN", 20);
    let proxy = Proxy::start(&central, &dir.path().join("station"), || Fault::Close);
    let station = Station::provision(&dir.path().join("station"), &proxy.url(), &central);
    let outbox = station.outbox();
    let sent: Vec<_> = (0..12).map(|i| station.seal_sample("DN", i)).collect();
    for r in &sent {
        outbox.enqueue(r, None).unwrap();
    }
    let (tx, rx) = mpsc::sync_channel(1024);
    let uploader = Uploader::start(
        Arc::clone(&outbox),
        station.config.central_client(),
        station.sealer.central.receipt_public_key,
        station.config.uploader,
        Some(tx),
    );
    // While the central is unreachable, attempts fail and everything stays queued.
    assert!(wait_until(Duration::from_secs(10), || proxy
        .connections
        .load(std::sync::atomic::Ordering::SeqCst)
        >= 4));
    let status = outbox.status().unwrap();
    assert_eq!(status.backlog(), 12);
    assert_eq!(status.purged, 0);
    assert!(
        rx.try_iter()
            .any(|e| matches!(e, UploadEvent::RetryLater { .. }))
    );
    // The central comes back: the uploader drains by itself.
    proxy.set_chooser(|| Fault::Forward);
    assert!(
        wait_until(Duration::from_secs(30), || outbox.status().unwrap().purged
            == 12),
        "not drained"
    );
    uploader.stop();
    check_all_delivered_once(&central, &station, &outbox, &sent);
}

#[test]
fn random_faults_zero_lost_zero_duplicated() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(&dir.path().join("central"), "NF", 60);
    let mut rng = rand::rngs::StdRng::seed_from_u64(0xfa017);
    let proxy = Proxy::start(&central, &dir.path().join("station"), move || {
        match rng.random_range(0..100) {
            0..40 => Fault::Forward,
            40..50 => Fault::Close,
            50..62 => Fault::ResetMidBody,
            62..72 => Fault::ServerError,
            72..80 => Fault::Slow(Duration::from_millis(1_500)), // past the 1 s upload timeout
            80..88 => Fault::Slow(Duration::from_millis(50)),
            _ => Fault::DropAnswer,
        }
    });
    let mut station = Station::provision(&dir.path().join("station"), &proxy.url(), &central);
    station.config.http.upload_timeout_ms = 1_000;
    station.config.uploader.concurrency = 4;
    let outbox = station.outbox();
    let sent: Vec<_> = (0..40).map(|i| station.seal_sample("NF", i)).collect();
    let (tx, rx) = mpsc::sync_channel(4096);
    let uploader = Uploader::start(
        Arc::clone(&outbox),
        station.config.central_client(),
        station.sealer.central.receipt_public_key,
        station.config.uploader,
        Some(tx),
    );
    for r in &sent {
        outbox.enqueue(r, None).unwrap();
        uploader.wake();
    }
    assert!(
        wait_until(Duration::from_secs(90), || outbox.status().unwrap().purged
            == 40),
        "not drained: {:?}",
        outbox.status()
    );
    uploader.stop();
    let events: Vec<_> = rx.try_iter().collect();
    let retries = events
        .iter()
        .filter(|e| matches!(e, UploadEvent::RetryLater { .. }))
        .count();
    let refused = events
        .iter()
        .filter(|e| matches!(e, UploadEvent::Refused { .. }))
        .count();
    eprintln!(
        "faults: {} connections, {retries} retries",
        proxy.connections.load(std::sync::atomic::Ordering::SeqCst)
    );
    assert!(
        retries >= 10,
        "the proxy injected too few faults ({retries})"
    );
    assert_eq!(refused, 0, "a passing fault was taken for a refusal");
    check_all_delivered_once(&central, &station, &outbox, &sent);
}
