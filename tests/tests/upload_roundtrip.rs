//! Round trip against a real central on loopback: the station seals, the uploader delivers, the
//! central opens the record with the `hpke` crate, the station verifies the signed receipt, stores
//! it and purges the record; the stored record opens here too and its tar and ISO records parse.

#![allow(clippy::unwrap_used)]

use crate::upload_support;

use std::{sync::mpsc, time::Duration};

use hpke::{Deserializable, aead::AesGcm256, kdf::HkdfSha256, kem::X25519HkdfSha256};
use station::{
    outbox::RecordState,
    record::{FaceImageRecord, FingerImageRecord, PayloadEntries},
    seal::{ParsedRecord, sealed_record::INFO},
    uplink::{
        PreRequestNumber, PreRequestStatus, Receipt, ReceiptCheck, UplinkError, UploadEvent,
        Uploader, prerequest::clerk_message,
    },
};
use station_demo::sample_record::synthetic_finger;
use upload_support::*;

/// Opens a sealed file with the central's private key file, as an independent HPKE implementation.
fn open_with_hpke(central_dir: &std::path::Path, sealed: &[u8]) -> Vec<u8> {
    let sk_bytes = std::fs::read(central_dir.join("keys").join("record.x25519")).unwrap();
    let sk = <X25519HkdfSha256 as hpke::kem::Kem>::PrivateKey::from_bytes(&sk_bytes).unwrap();
    let parsed = ParsedRecord::parse(sealed).unwrap();
    let enc = <X25519HkdfSha256 as hpke::kem::Kem>::EncappedKey::from_bytes(parsed.enc).unwrap();
    hpke::single_shot_open::<AesGcm256, HkdfSha256, X25519HkdfSha256>(
        &hpke::OpModeR::Base,
        &sk,
        &enc,
        INFO,
        parsed.ciphertext,
        parsed.aad,
    )
    .unwrap()
}

#[test]
fn sealed_records_reach_the_central_and_are_purged_after_a_verified_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(&dir.path().join("central"), "RT", 10);
    let station = Station::provision(&dir.path().join("station"), &central.url(), &central);
    let outbox = station.outbox();
    let mut sent = Vec::new();
    for i in 0..3 {
        let record = station.seal_sample("RT", i);
        outbox.enqueue(&record, Some(&format!("RT{i:08}"))).unwrap();
        sent.push(record);
    }
    let (tx, rx) = mpsc::sync_channel(64);
    let uploader = Uploader::start(
        outbox.clone(),
        station.config.central_client(),
        station.sealer.central.receipt_public_key,
        station.config.uploader,
        Some(tx),
    );
    uploader.wake();
    let mut acknowledged = Vec::new();
    while acknowledged.len() < 3 {
        match rx
            .recv_timeout(Duration::from_secs(20))
            .expect("uploader progress")
        {
            UploadEvent::Acknowledged { record_id, .. } => acknowledged.push(record_id),
            other => panic!("unexpected event {other:?}"),
        }
    }
    uploader.stop();

    let status = outbox.status().unwrap();
    assert_eq!(
        (
            status.purged,
            status.backlog(),
            status.acknowledged,
            status.pending_bytes
        ),
        (3, 0, 0, 0)
    );
    for (i, record) in sent.iter().enumerate() {
        let id = record.record_id.to_string();
        let summary = outbox.record(&id).unwrap().unwrap();
        assert_eq!(summary.state, RecordState::Purged);
        let receipt = Receipt::parse(summary.receipt.unwrap().as_bytes()).unwrap();
        receipt
            .verify(
                &station.sealer.central.receipt_public_key,
                &id,
                &record.sha256_hex(),
            )
            .unwrap();

        let stored = stored_record(central.data_dir(), &id).expect("the central stored the record");
        assert_eq!(stored, record.bytes, "stored exactly as sent");
        let tar = open_with_hpke(central.data_dir(), &stored);
        let entries = PayloadEntries::parse(&tar).unwrap();
        assert_eq!(
            entries.names,
            [
                "manifest.json",
                "fingers.iso19794-4",
                "face.iso19794-5",
                "signature.iso19794-7",
                "signature.png"
            ]
        );
        let manifest = entries.manifest.unwrap();
        assert_eq!(manifest.record_id, id);
        assert_eq!(manifest.pre_request, format!("RT{i:08}"));
        let fingers = FingerImageRecord::parse(entries.fingers.as_deref().unwrap()).unwrap();
        assert_eq!(fingers.image_resolution, (500, 500));
        assert_eq!(fingers.compression, 5);
        let right = image::load_from_memory(&fingers.views[0].image_data)
            .unwrap()
            .to_luma8();
        assert_eq!(
            right,
            synthetic_finger(i as u64 * 2, 256, 288),
            "finger image survives pixel for pixel"
        );
        let face = FaceImageRecord::parse(entries.face.as_deref().unwrap()).unwrap();
        let jpeg = image::load_from_memory(&face.image_data).unwrap();
        assert_eq!(
            (jpeg.width(), jpeg.height()),
            (u32::from(face.width), u32::from(face.height))
        );
    }
    assert_eq!(central.receipt_count().unwrap(), 3);
}

#[test]
fn the_same_record_twice_gets_the_same_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(&dir.path().join("central"), "DU", 4);
    let station = Station::provision(&dir.path().join("station"), &central.url(), &central);
    let client = station.config.central_client();
    let record = station.seal_sample("DU", 0);
    let id = record.record_id.to_string();
    let first = client.put_record(&id, &record.bytes).unwrap();
    let second = client.put_record(&id, &record.bytes).unwrap();
    assert_eq!(
        Receipt::parse(&first).unwrap(),
        Receipt::parse(&second).unwrap()
    );
    assert_eq!(central.receipt_count().unwrap(), 1);
}

#[test]
fn pre_request_checks_fail_closed() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(&dir.path().join("central"), "PQ", 3);
    let station = Station::provision(&dir.path().join("station"), &central.url(), &central);
    let client = station.config.central_client();

    let number = PreRequestNumber::parse(" pq00000001 ").unwrap();
    assert_eq!(number.as_str(), "PQ00000001");
    assert_eq!(
        client.pre_request_status(&number).unwrap(),
        PreRequestStatus::Validated
    );
    let pre = client.usable_pre_request(&number).unwrap();
    assert_eq!(
        (pre.document_type.as_str(), pre.applicant.surname.as_str()),
        ("cni", "Lefèvre")
    );

    // Consumed once a record for it was filed.
    let record = station.seal_sample("PQ", 0);
    client
        .put_record(&record.record_id.to_string(), &record.bytes)
        .unwrap();
    let used = PreRequestNumber::parse("PQ00000000").unwrap();
    assert_eq!(
        client.pre_request_status(&used).unwrap(),
        PreRequestStatus::Consumed
    );
    let refused = client.usable_pre_request(&used).unwrap_err();
    assert!(
        clerk_message(&refused).contains("déjà été utilisée"),
        "{refused}"
    );

    let unknown = PreRequestNumber::parse("ZZ99999999").unwrap();
    assert_eq!(
        client.pre_request_status(&unknown).unwrap(),
        PreRequestStatus::Unknown
    );
    assert!(matches!(
        client.pre_request(&unknown),
        Err(UplinkError::NotFound)
    ));

    for bad in [
        "",
        "PQ0000000",
        "PQ000000001",
        "PQ00000-01",
        "PQ 0000001",
        "PQ0000000é",
    ] {
        let error = PreRequestNumber::parse(bad).unwrap_err();
        assert!(
            error.to_string().contains("10 caractères"),
            "{bad:?}: {error}"
        );
    }

    // The station is known by its certificate: a stray ANTS token it sends to a central that has
    // none configured is not what lets it in, nor what keeps it out.
    let mut stray = station.config.clone();
    stray.central.token = "not-the-token".into();
    assert_eq!(
        stray.central_client().pre_request_status(&number).unwrap(),
        PreRequestStatus::Validated
    );

    // Central down: fails closed, quickly.
    drop(central);
    let started = std::time::Instant::now();
    let error = client.usable_pre_request(&number).unwrap_err();
    assert!(error.is_transient(), "{error}");
    assert!(clerk_message(&error).contains("impossible"));
    assert!(started.elapsed() < Duration::from_secs(3));
}
