//! Bad input on both sides: forged or mismatched receipts and malformed, oversized or slow answers
//! from a scripted server; tampered records, a wrong station key and a wrong central key against the
//! real central. Every case is refused with a clear error, and nothing is lost.

#![allow(clippy::unwrap_used)]

use crate::upload_support;

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, mpsc},
    time::Duration,
};

use rand::{Rng, SeedableRng};
use ring::signature::{Ed25519KeyPair, KeyPair};
use station::{
    outbox::RecordState,
    seal::{CentralKeys, ParsedRecord, SealError, Sealer, sha256_hex},
    uplink::{PreRequestNumber, UplinkError, UploadEvent, Uploader, prerequest::clerk_message},
};
use upload_support::*;

fn key_pair() -> Ed25519KeyPair {
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new()).unwrap();
    Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap()
}

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Answer {
    Good,
    ForgedSignature,
    WrongHash,
    WrongRecord,
    NotJson,
    MissingField,
    Oversized,
    Conflict,
    Invalid,
}

#[test]
fn forged_or_mismatched_receipts_are_refused_and_the_record_stays_queued() {
    let dir = tempfile::tempdir().unwrap();
    // A real central only to provision the station; the uploads go to a scripted fake that signs
    // receipts with its own key, which the station is told to trust.
    let central = start_central(&dir.path().join("central"), "BR", 20);
    let fake_key = Arc::new(key_pair());
    let cases: Arc<Mutex<HashMap<String, Answer>>> = Arc::default();
    let (k, c) = (fake_key.clone(), cases.clone());
    let server = ScriptedServer::start(central.data_dir(), move |request| {
        let id = record_id_of(request);
        let body_at = request.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
        let sha = sha256_hex(&request[body_at..]);
        let other = key_pair();
        match c
            .lock()
            .unwrap()
            .get(&id)
            .copied()
            .unwrap_or(Answer::Invalid)
        {
            Answer::Good => (200, receipt_json(&k, &id, &sha)),
            Answer::ForgedSignature => (200, receipt_json(&other, &id, &sha)),
            Answer::WrongHash => (200, receipt_json(&k, &id, &sha256_hex(b"other bytes"))),
            Answer::WrongRecord => (
                200,
                receipt_json(&k, &uuid::Uuid::new_v4().to_string(), &sha),
            ),
            Answer::NotJson => (200, b"<html>proxy error</html>".to_vec()),
            Answer::MissingField => (
                200,
                format!(r#"{{"record_id":"{id}","sha256":"{sha}"}}"#).into_bytes(),
            ),
            Answer::Oversized => (
                200,
                format!(r#"{{"record_id":"{id}","pad":"{}"}}"#, "x".repeat(200_000)).into_bytes(),
            ),
            Answer::Conflict => (
                409,
                br#"{"error":"conflict","detail":"different bytes under this id"}"#.to_vec(),
            ),
            Answer::Invalid => (
                422,
                br#"{"error":"invalid-payload","detail":"no manifest"}"#.to_vec(),
            ),
        }
    });
    let mut station = Station::provision(&dir.path().join("station"), &server.url(), &central);
    station.config.central.receipt_public_key = hex::encode(fake_key.public_key().as_ref());
    let outbox = station.outbox();
    let answers = [
        Answer::Good,
        Answer::ForgedSignature,
        Answer::WrongHash,
        Answer::WrongRecord,
        Answer::NotJson,
        Answer::MissingField,
        Answer::Oversized,
        Answer::Conflict,
        Answer::Invalid,
    ];
    let mut by_id = HashMap::new();
    for (i, answer) in answers.iter().enumerate() {
        let record = station.seal_sample("BR", i as u64);
        cases
            .lock()
            .unwrap()
            .insert(record.record_id.to_string(), *answer);
        by_id.insert(record.record_id.to_string(), *answer);
        outbox.enqueue(&record, None).unwrap();
    }
    let (tx, rx) = mpsc::sync_channel(4096);
    let uploader = Uploader::start(
        outbox.clone(),
        station.config.central_client(),
        station.config.central_keys().unwrap().receipt_public_key,
        station.config.uploader,
        Some(tx),
    );
    let mut seen: HashMap<String, UploadEvent> = HashMap::new();
    while seen.len() < answers.len() {
        let event = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("an event per record");
        let id = match &event {
            UploadEvent::Acknowledged { record_id, .. }
            | UploadEvent::RetryLater { record_id, .. }
            | UploadEvent::Refused { record_id, .. }
            | UploadEvent::CheckpointRefused { record_id, .. }
            | UploadEvent::ReceiptAlarm { record_id, .. } => record_id.clone(),
        };
        seen.entry(id).or_insert(event);
    }
    uploader.stop();
    for (id, answer) in &by_id {
        let summary = outbox.record(id).unwrap().unwrap();
        let event = &seen[id];
        if *answer == Answer::Good {
            assert!(
                matches!(event, UploadEvent::Acknowledged { .. }),
                "{answer:?}: {event:?}"
            );
            assert_eq!(summary.state, RecordState::Purged);
            continue;
        }
        assert!(
            !matches!(event, UploadEvent::Acknowledged { .. }),
            "{answer:?} was accepted"
        );
        assert_eq!(
            summary.state,
            RecordState::Queued,
            "{answer:?}: the record must stay queued"
        );
        assert!(summary.receipt.is_none());
        let error = summary.last_error.unwrap_or_default();
        let expected = match answer {
            Answer::ForgedSignature => "signature does not verify",
            Answer::WrongHash => "differs from the sealed file",
            Answer::WrongRecord => "expected",
            Answer::NotJson | Answer::MissingField => "not a receipt",
            Answer::Oversized => "over 65536 bytes",
            Answer::Conflict => "409",
            Answer::Invalid => "422",
            Answer::Good => unreachable!(),
        };
        assert!(error.contains(expected), "{answer:?}: {error}");
    }
    let status = outbox.status().unwrap();
    assert_eq!(
        (status.queued, status.purged),
        (answers.len() as u64 - 1, 1)
    );
}

#[test]
fn malformed_or_slow_pre_request_answers_fail_closed() {
    // A real central only to provision the station; the lookups go to a scripted fake with a
    // certificate from the same CA.
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(&dir.path().join("central"), "AA", 1);
    let station = Station::provision(&dir.path().join("station"), &central.url(), &central);
    let server = ScriptedServer::start(central.data_dir(), |request| {
        let line = String::from_utf8_lossy(&request[..request.len().min(120)]).into_owned();
        let number = line
            .split(|c: char| !c.is_ascii_alphanumeric())
            .find(|w| w.len() == 10 && w.starts_with("AA"))
            .unwrap_or("");
        let content = line.contains("/v1/pre-requests/");
        let applicant = serde_json::json!({"surname": "Ngô", "given_names": "Lê", "birth_date": "2015-02-01",
            "birth_place": "Paris", "sex": "F", "address": "1 rue X", "parents": []});
        let body = match (number, content) {
            ("AA00000001", false) => b"not json".to_vec(),
            ("AA00000002", false) => b"{}".to_vec(),
            ("AA00000003", false) => br#"{"AA00000003":{"status":"maybe"}}"#.to_vec(),
            ("AA00000004", false) => format!(
                r#"{{"AA00000004":{{"status":"validated","pad":"{}"}}}}"#,
                "y".repeat(100_000)
            )
            .into_bytes(),
            ("AA00000005", false) => return (500, b"{}".to_vec()),
            ("AA00000008", false) => {
                std::thread::sleep(Duration::from_millis(2_500));
                br#"{"AA00000008":{"status":"validated"}}"#.to_vec()
            }
            (n, false) => {
                format!(r#"{{"{n}":{{"status":"validated","appointments":[]}}}}"#).into_bytes()
            }
            ("AA00000006", true) => {
                serde_json::json!({"number": "AA00000099", "status": "validated",
                "document_type": "cni", "reason": "first", "applicant": applicant})
                .to_string()
                .into_bytes()
            }
            ("AA00000007", true) => {
                serde_json::json!({"number": "AA00000007", "status": "validated",
                "document_type": "visa", "reason": "first", "applicant": applicant})
                .to_string()
                .into_bytes()
            }
            (n, true) => serde_json::json!({"number": n, "status": "validated",
                "document_type": "passport", "reason": "renewal", "applicant": applicant})
            .to_string()
            .into_bytes(),
        };
        (200, body)
    });
    let client = station::uplink::CentralClient::new(
        &server.url(),
        "",
        station::uplink::HttpSettings {
            connect_timeout_ms: 500,
            lookup_timeout_ms: 1_000,
            upload_timeout_ms: 1_000,
        },
        &station.config.trust_files(),
    );
    let ok = PreRequestNumber::parse("AA00000000").unwrap();
    assert_eq!(
        client
            .usable_pre_request(&ok)
            .unwrap()
            .document_type
            .as_str(),
        "passport"
    );
    for n in 1..=8 {
        let number = PreRequestNumber::parse(&format!("AA0000000{n}")).unwrap();
        let started = std::time::Instant::now();
        let error = client.usable_pre_request(&number).unwrap_err();
        assert!(
            started.elapsed() < Duration::from_millis(2_000),
            "{n}: not a short timeout"
        );
        match n {
            5 => assert!(
                matches!(error, UplinkError::Status { status: 500, .. }),
                "{n}: {error}"
            ),
            8 => assert!(matches!(error, UplinkError::Transport(_)), "{n}: {error}"),
            _ => assert!(matches!(error, UplinkError::Malformed(_)), "{n}: {error}"),
        }
        assert!(
            clerk_message(&error).contains("impossible"),
            "{n}: {}",
            clerk_message(&error)
        );
    }
}

#[test]
fn tampered_records_and_wrong_keys_are_refused_and_the_genuine_record_still_goes_through() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(&dir.path().join("central"), "TP", 10);
    let station = Station::provision(&dir.path().join("station"), &central.url(), &central);
    let client = station.config.central_client();
    let record = station.seal_sample("TP", 0);
    let id = record.record_id.to_string();
    let status_of = |r: Result<Vec<u8>, UplinkError>| match r {
        Err(UplinkError::Status { status, .. }) => status,
        other => panic!("expected a refusal, got {other:?}"),
    };

    // One bit flipped in the ciphertext: the station signature no longer verifies.
    let mut flipped = record.bytes.clone();
    let at = flipped.len() - 200;
    flipped[at] ^= 0x01;
    assert!(matches!(
        ParsedRecord::parse(&flipped)
            .unwrap()
            .verify_station_signature(station.identity.public_key()),
        Err(SealError::BadSignature)
    ));
    assert_eq!(status_of(client.put_record(&id, &flipped)), 401);

    // Flipped and signed again by the station: the signature holds but HPKE refuses to open it.
    let mut resigned = flipped[..flipped.len() - 64].to_vec();
    let signature = station.identity.sign(&resigned);
    resigned.extend_from_slice(&signature);
    let status = status_of(client.put_record(&id, &resigned));
    assert!(status == 400 || status == 422, "{status}");

    // Under another record id in the path.
    assert_eq!(
        status_of(client.put_record(&uuid::Uuid::new_v4().to_string(), &record.bytes)),
        400
    );

    // Sealed to a central key that is not this central's.
    let other_central = CentralKeys {
        record_public_key: *b"0123456789abcdef0123456789abcdef",
        ..station.sealer.central.clone()
    };
    let (_, pk) = {
        use hpke::{Serializable, kem::Kem as _};
        let (sk, pk) =
            hpke::kem::X25519HkdfSha256::derive_keypair(b"another central, another key!!!");
        (sk, pk.to_bytes())
    };
    let wrong_central = Sealer {
        signer: station.identity.clone(),
        central: CentralKeys {
            record_public_key: pk.as_slice().try_into().unwrap(),
            ..other_central
        },
        station_id: station.config.station_id.clone(),
    };
    let payload = station_demo::sample_record::sample_payload(
        &uuid::Uuid::new_v4().to_string(),
        &station.config.station_id,
        "TP00000001",
        &station::seal::now_rfc3339(),
        1,
        false,
    )
    .unwrap();
    let misdirected = wrong_central.seal(&payload).unwrap();
    assert_eq!(
        status_of(client.put_record(&misdirected.record_id.to_string(), &misdirected.bytes)),
        400
    );

    // The genuine record is still accepted after all of that.
    client.put_record(&id, &record.bytes).unwrap();

    // An enrolled station sealing with a key the central does not know for it: 401, and the
    // record stays queued.
    let stranger_dir = dir.path().join("stranger");
    let mut stranger = Station::provision_as(
        &stranger_dir,
        &central.url(),
        &central,
        "mairie-stranger-01",
    );
    stranger.sealer.signer = std::sync::Arc::new(
        station::seal::StationIdentity::load_or_create(&stranger_dir.join("other.p8")).unwrap(),
    );
    let outbox = stranger.outbox();
    let lost = stranger.seal_sample("TP", 2);
    outbox.enqueue(&lost, None).unwrap();
    let (tx, rx) = mpsc::sync_channel(16);
    let uploader = Uploader::start(
        outbox.clone(),
        stranger.config.central_client(),
        stranger.sealer.central.receipt_public_key,
        stranger.config.uploader,
        Some(tx),
    );
    let event = rx.recv_timeout(Duration::from_secs(10)).unwrap();
    uploader.stop();
    assert!(
        matches!(&event, UploadEvent::Refused { error, .. } if error.contains("401")),
        "{event:?}"
    );
    let summary = outbox.record(&lost.record_id.to_string()).unwrap().unwrap();
    assert_eq!(summary.state, RecordState::Queued);
}

#[test]
fn parsing_random_damage_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(&dir.path().join("central"), "RD", 2);
    let station = Station::provision(&dir.path().join("station"), &central.url(), &central);
    let record = station.seal_sample("RD", 0);
    let key = station.identity.public_key();
    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    for _ in 0..3_000 {
        let mut bytes = record.bytes.clone();
        match rng.random_range(0..3) {
            0 => bytes.truncate(rng.random_range(0..bytes.len())),
            1 => {
                for _ in 0..rng.random_range(1..8) {
                    let i = rng.random_range(0..bytes.len());
                    bytes[i] = rng.random();
                }
            }
            _ => {
                let i = rng.random_range(0..64);
                bytes[i] = rng.random();
            }
        }
        if let Ok(parsed) = ParsedRecord::parse(&bytes)
            && bytes != record.bytes
        {
            assert!(
                parsed.verify_station_signature(key).is_err(),
                "damage went unnoticed"
            );
        }
        let _ = station::record::FingerImageRecord::parse(&bytes[..bytes.len().min(5000)]);
        let _ = station::record::FaceImageRecord::parse(&bytes[..bytes.len().min(5000)]);
        let _ = station::record::PayloadEntries::parse(&bytes);
    }
}
