//! The station's side of the trust with the central, over real loopback HTTPS: it refuses a server
//! that does not prove itself with the provisioned CA (a man in the middle), refuses an `http://`
//! central, and a revoked station's records stay queued with the central's reason.
#![allow(clippy::unwrap_used)]

use crate::upload_support;

use std::{sync::mpsc, time::Duration};

use station::outbox::RecordState;
use station::uplink::{PreRequestNumber, UplinkError, UploadEvent, Uploader};
use upload_support::*;

#[test]
fn a_man_in_the_middle_with_its_own_ca_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(&dir.path().join("central"), "MM", 2);
    let station = Station::provision(&dir.path().join("station"), &central.url(), &central);
    // An intercepting server whose certificate comes from a CA of its own (another central's).
    let answered = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let seen = answered.clone();
    let mitm = ScriptedServer::start(&dir.path().join("intruder"), move |_| {
        seen.store(true, std::sync::atomic::Ordering::SeqCst);
        (200, b"{}".to_vec())
    });
    let mut config = station.config.clone();
    config.central.url = mitm.url();
    let client = config.central_client();
    let number = PreRequestNumber::parse("MM00000000").unwrap();
    match client.pre_request_status(&number) {
        Err(UplinkError::UntrustedCentral(detail)) => {
            assert!(detail.contains("did not prove itself"), "{detail}");
        }
        other => panic!("expected an untrusted central, got {other:?}"),
    }
    let record = station.seal_sample("MM", 0);
    let refused = client.put_record(&record.record_id.to_string(), &record.bytes);
    assert!(
        matches!(refused, Err(UplinkError::UntrustedCentral(_))),
        "{refused:?}"
    );
    assert!(
        !answered.load(std::sync::atomic::Ordering::SeqCst),
        "no request reached the intruder"
    );
}

#[test]
fn an_http_central_url_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(&dir.path().join("central"), "HT", 1);
    let station = Station::provision(&dir.path().join("station"), &central.url(), &central);
    let mut config = station.config.clone();
    config.central.url = central.url().replacen("https://", "http://", 1);
    let number = PreRequestNumber::parse("HT00000000").unwrap();
    match config.central_client().pre_request_status(&number) {
        Err(UplinkError::Trust(detail)) => assert!(detail.contains("not https://"), "{detail}"),
        other => panic!("expected a refusal of http://, got {other:?}"),
    }
    // Provisioning over http:// is refused before anything is sent.
    let code = central.enrol_station("mairie-http-01", "69382-02").unwrap();
    let refused = station::trust::provision(
        &config.central.url,
        &central.ca_file(),
        &code.code,
        &station::trust::TrustFiles::under(&dir.path().join("other")),
        &[7u8; 32].into(),
    );
    assert!(
        matches!(refused, Err(station::trust::TrustError::NotHttps(_))),
        "{refused:?}"
    );
}

#[test]
fn a_revoked_station_keeps_its_record_queued_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(&dir.path().join("central"), "RV", 2);
    let station = Station::provision(&dir.path().join("station"), &central.url(), &central);
    let client = station.config.central_client();
    let first = station.seal_sample("RV", 0);
    client
        .put_record(&first.record_id.to_string(), &first.bytes)
        .unwrap();
    central.revoke_station(&station.config.station_id).unwrap();

    let number = PreRequestNumber::parse("RV00000001").unwrap();
    match client.pre_request_status(&number) {
        Err(UplinkError::Status { status, code, .. }) => {
            assert_eq!((status, code.as_str()), (403, "station-revoked"));
        }
        other => panic!("expected station-revoked, got {other:?}"),
    }
    let outbox = station.outbox();
    let second = station.seal_sample("RV", 1);
    outbox.enqueue(&second, None).unwrap();
    let (tx, rx) = mpsc::sync_channel(16);
    let uploader = Uploader::start(
        outbox.clone(),
        client,
        station.sealer.central.receipt_public_key,
        station.config.uploader,
        Some(tx),
    );
    let event = rx.recv_timeout(Duration::from_secs(10)).unwrap();
    uploader.stop();
    assert!(
        matches!(&event, UploadEvent::Refused { error, .. } if error.contains("station-revoked")),
        "{event:?}"
    );
    let summary = outbox
        .record(&second.record_id.to_string())
        .unwrap()
        .unwrap();
    assert_eq!(summary.state, RecordState::Queued);
    assert_eq!(
        central.receipt_count().unwrap(),
        1,
        "the first record stays"
    );
}
