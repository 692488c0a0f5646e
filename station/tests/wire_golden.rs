//! The station against the wire crate's golden files: its writers produce exactly the golden bytes
//! from the golden values, and its readers (over HTTP, as in service) read the golden bytes the
//! central sends as the golden values.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;

use station::record::Payload;
use station::seal::{
    CentralKeys, ParsedRecord, SealError, SignatureAlgorithm, Signer, StationIdentity,
    record_header, seal_record, sealed_record::INFO,
};
use station::uplink::{
    CentralClient, HttpSettings, PreRequestNumber, Receipt, ReceiptCheck, UplinkError,
};
use wire::case_reference::case_reference;
use wire::golden;

use crate::token_support::SoftP256;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_station_writes_the_golden_manifest_into_the_payload() {
    let manifest = golden::manifest();
    // The golden case reference is the one the station derives from the record id.
    assert_eq!(case_reference(golden::RECORD_ID), manifest.case_reference);
    let payload = Payload {
        manifest,
        fingers: None,
        face: None,
        minutiae: None,
        signature: None,
    };
    let tar = payload.to_tar(1_795_770_845).unwrap();
    let mut archive = tar::Archive::new(&tar[..]);
    let mut entries = archive.entries().unwrap();
    let mut first = entries.next().unwrap().unwrap();
    assert_eq!(
        first.path().unwrap().to_str(),
        Some(station::record::payload::MANIFEST_ENTRY)
    );
    let mut written = Vec::new();
    first.read_to_end(&mut written).unwrap();
    assert_eq!(text(&written), text(golden::MANIFEST_JSON));
    assert_eq!(written, golden::MANIFEST_JSON);
}

#[test]
fn the_station_seals_under_the_golden_header() {
    let keys = CentralKeys::from_hex(
        golden::CENTRAL_RECORD_PUBLIC_KEY,
        golden::RECEIPT_PUBLIC_KEY,
    )
    .unwrap();
    assert_eq!(keys.key_id(), golden::CENTRAL_KEY_ID);
    // A local time with a fraction of a second: the header keeps UTC to the second.
    let created = time::macros::datetime!(2026-11-27 10:14:05.734 +01:00);
    let header = record_header(
        uuid::Uuid::parse_str(golden::RECORD_ID).unwrap(),
        golden::STATION_ID,
        created,
        &keys.key_id(),
        SignatureAlgorithm::EcdsaP256Sha256,
    );
    assert_eq!(header, golden::record_header());

    // The token's algorithm, with a key in memory (the token itself: token_station.rs).
    let identity = SoftP256::generate();
    let payload = zeroize::Zeroizing::new(vec![0x5a; 1000]);
    let sealed = seal_record(&header, payload, &keys.record_public_key, &identity).unwrap();
    let bytes = &sealed.bytes;
    assert_eq!(
        text(&bytes[..golden::SEALED_HEADER.len()]),
        text(golden::SEALED_HEADER)
    );
    assert_eq!(&bytes[..golden::SEALED_HEADER.len()], golden::SEALED_HEADER);
    // Then enc, the ciphertext length (payload + tag), the ciphertext, the signature: nothing else.
    let at = golden::SEALED_HEADER.len() + 32;
    assert_eq!(&bytes[at..at + 4], &(1000u32 + 16).to_be_bytes());
    assert_eq!(
        bytes.len(),
        golden::SEALED_HEADER.len() + 32 + 4 + 1016 + 64
    );
    let parsed = ParsedRecord::parse(bytes).unwrap();
    assert_eq!(parsed.aad, golden::SEALED_HEADER);
    assert_eq!(parsed.header, golden::record_header());
    parsed
        .verify_station_signature(identity.station_key())
        .unwrap();
    // The same bytes do not verify as Ed25519, whatever key: the header chose P-256.
    assert!(parsed.verify_station_signature([0u8; 32]).is_err());

    // A file key (development) signs Ed25519 and its header says so; a header that names another
    // algorithm than the key's is refused before anything is signed.
    let dir = tempfile::tempdir().unwrap();
    let file_key = StationIdentity::load_or_create(&dir.path().join("station.p8")).unwrap();
    let payload = zeroize::Zeroizing::new(vec![0x5a; 1000]);
    assert!(matches!(
        seal_record(&header, payload, &keys.record_public_key, &file_key),
        Err(SealError::AlgorithmMismatch { .. })
    ));
    let ed_header = record_header(
        uuid::Uuid::parse_str(golden::RECORD_ID).unwrap(),
        golden::STATION_ID,
        created,
        &keys.key_id(),
        SignatureAlgorithm::Ed25519,
    );
    let payload = zeroize::Zeroizing::new(vec![0x5a; 1000]);
    let sealed = seal_record(&ed_header, payload, &keys.record_public_key, &file_key).unwrap();
    let parsed = ParsedRecord::parse(&sealed.bytes).unwrap();
    parsed
        .verify_station_signature(file_key.public_key())
        .unwrap();
    assert_eq!(INFO, b"dr-station record v1");
}

#[test]
fn the_station_accepts_the_golden_receipt() {
    let receipt = Receipt::parse(golden::RECEIPT_JSON).unwrap();
    assert_eq!(receipt.record_id, "0b7f3c52-8a51-4c1e-9d0a-3f6b2e1c4d5a");
    assert_eq!(receipt.received_at, "2026-11-27T09:20:41Z");
    assert_eq!(receipt, golden::receipt());
    assert_eq!(
        text(receipt.canonical_string().as_bytes()),
        text(golden::RECEIPT_CANONICAL)
    );
    let keys = CentralKeys::from_hex(
        golden::CENTRAL_RECORD_PUBLIC_KEY,
        golden::RECEIPT_PUBLIC_KEY,
    )
    .unwrap();
    receipt
        .verify(&keys.receipt_public_key, golden::RECORD_ID, &receipt.sha256)
        .unwrap();
    // What the outbox keeps is the golden answer again.
    assert_eq!(receipt.to_json().as_bytes(), golden::RECEIPT_JSON);
    // One character changed in a signed field: refused.
    let mut forged = receipt.clone();
    forged.received_at = "2026-11-27T09:20:42Z".into();
    assert!(
        forged
            .verify(&keys.receipt_public_key, golden::RECORD_ID, &forged.sha256)
            .is_err()
    );
}

/// One HTTP request as received: the request line and the lower-cased headers.
struct Request {
    line: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// A server that answers each request with the golden bytes for its path, and hands back what
/// it received.
fn golden_server(
    requests: usize,
    tls: std::sync::Arc<rustls::ServerConfig>,
) -> (String, std::thread::JoinHandle<Vec<Request>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for _ in 0..requests {
            let (stream, _) = listener.accept().unwrap();
            let mut stream = crate::tls_support::accept(stream, &tls);
            let mut reader = BufReader::new(&mut stream);
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let mut headers = Vec::new();
            loop {
                let mut h = String::new();
                reader.read_line(&mut h).unwrap();
                let h = h.trim_end();
                if h.is_empty() {
                    break;
                }
                let (n, v) = h.split_once(':').unwrap();
                headers.push((n.trim().to_ascii_lowercase(), v.trim().to_owned()));
            }
            let mut request = Request {
                line,
                headers,
                body: Vec::new(),
            };
            let length: usize = request.header("content-length").parse().unwrap_or(0);
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            request.body = body;
            drop(reader);
            let path = request.line.split(' ').nth(1).unwrap_or("").to_owned();
            let (status, answer) = if path.starts_with(wire::paths::STATUS_ROUTE) {
                ("200 OK", golden::STATUS_JSON)
            } else if path.starts_with("/v1/pre-requests/") {
                ("200 OK", golden::PRE_REQUEST_JSON)
            } else if path.starts_with("/v1/records/") {
                ("401 Unauthorized", golden::ERROR_JSON)
            } else if path == wire::paths::HANDOVER_ROUTE {
                ("200 OK", golden::HANDOVER_DECISION_JSON)
            } else {
                ("404 Not Found", &b"{}"[..])
            };
            write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                answer.len()
            )
            .unwrap();
            stream.write_all(answer).unwrap();
            stream.conn.send_close_notify();
            stream.flush().unwrap();
            seen.push(request);
        }
        seen
    });
    (url, handle)
}

#[test]
fn the_station_reads_the_golden_answers_of_the_central() {
    let trust_dir = tempfile::tempdir().unwrap();
    let (trust, tls) = crate::tls_support::test_trust(trust_dir.path());
    let (url, server) = golden_server(5, tls);
    let client = CentralClient::new(&url, "demo-token", HttpSettings::default(), &trust);
    let number = PreRequestNumber::parse(golden::PRE_REQUEST).unwrap();

    let pre = client.usable_pre_request(&number).unwrap();
    assert_eq!(pre, golden::pre_request());
    assert_eq!(pre.applicant.given_names, "Gaëlle Renée");
    assert_eq!(pre.document_type.as_str(), "cni+passport");
    assert_eq!(pre.reason.as_str(), "civil-status-change");
    assert_eq!(pre.applicant.parents.len(), 2);

    let unknown = PreRequestNumber::parse("QQQQQQQQQQ").unwrap();
    assert_eq!(
        client.pre_request_status(&unknown).unwrap(),
        station::uplink::PreRequestStatus::Unknown
    );

    match client.put_record(golden::RECORD_ID, b"not a record") {
        Err(UplinkError::Status {
            status: 401,
            code,
            detail,
        }) => {
            assert_eq!(code, "bad-signature");
            assert_eq!(detail, "the station signature does not verify");
        }
        other => panic!("expected the golden error, got {other:?}"),
    }

    // The golden decision is the central's signature, but for another request: refused, never a
    // pass.
    let dir = tempfile::tempdir().unwrap();
    let identity = StationIdentity::load_or_create(&dir.path().join("station.p8")).unwrap();
    let keys = CentralKeys::from_hex(
        golden::CENTRAL_RECORD_PUBLIC_KEY,
        golden::RECEIPT_PUBLIC_KEY,
    )
    .unwrap();
    let handover = station::uplink::handover::HandoverClient {
        central: &client,
        station_id: golden::STATION_ID,
        identity: &identity,
        central_keys: &keys,
    };
    let live = golden_live_template();
    match station::uplink::handover::verify(&handover, &number, 7, &live) {
        Err(station::uplink::handover::HandoverError::Decision(
            station::uplink::handover::DecisionError::NotAsked { field, .. },
        )) => assert_eq!(field, "nonce"),
        other => panic!("expected the decision refused, got {other:?}"),
    }

    let seen = server.join().unwrap();
    let paths: Vec<&str> = seen
        .iter()
        .map(|r| r.line.split(' ').nth(1).unwrap_or(""))
        .collect();
    assert_eq!(
        paths,
        [
            "/api/status?application_ids=AB12CD34EF",
            "/v1/pre-requests/AB12CD34EF",
            "/api/status?application_ids=QQQQQQQQQQ",
            "/v1/records/0b7f3c52-8a51-4c1e-9d0a-3f6b2e1c4d5a",
            "/v1/handover",
        ]
    );
    // The handover request is signed over the wire's string, as the central checks it.
    let request: wire::handover::HandoverRequest = serde_json::from_slice(&seen[4].body).unwrap();
    assert_eq!(request.station_id, golden::STATION_ID);
    assert_eq!(request.enc.len(), 64);
    let signature = hex::decode(&request.signature).unwrap();
    ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, identity.public_key())
        .verify(request.signed_string().as_bytes(), &signature)
        .unwrap();
    assert!(
        seen[..3]
            .iter()
            .all(|r| r.header(wire::headers::TOKEN) == "demo-token")
    );
}

/// The live finger of the golden claim (`wire::golden::HANDOVER_TEMPLATE_HEX`).
fn golden_live_template() -> station::checks::matching::Template {
    use station::checks::matching::{Minutia, MinutiaKind, RESOLUTION_500_PPI, Template};
    let minutia = |kind, x, y, angle, quality| Minutia {
        x,
        y,
        angle,
        kind,
        quality,
    };
    Template {
        width: 256,
        height: 288,
        resolution_ppcm: RESOLUTION_500_PPI,
        minutiae: vec![
            minutia(MinutiaKind::RidgeEnding, 100, 120, 64, 80),
            minutia(MinutiaKind::Bifurcation, 150, 200, 200, 60),
            minutia(MinutiaKind::RidgeEnding, 60, 240, 10, 45),
        ],
    }
}

#[test]
fn the_station_writes_the_golden_handover_template_and_signature() {
    use station::checks::matching::{FingerMinutiaeRecord, FingerMinutiaeView};
    let live = golden_live_template();
    let record = FingerMinutiaeRecord::encode(&[FingerMinutiaeView {
        position: 7,
        quality: 72,
        template: &live,
    }])
    .unwrap();
    assert_eq!(hex::encode(record), golden::HANDOVER_TEMPLATE_HEX);

    // The golden station key as a PKCS#8 v2 file, as the station keeps its own.
    let seed = golden::STATION_KEY_SEED;
    let pair = ring::signature::Ed25519KeyPair::from_seed_unchecked(&seed).unwrap();
    let mut doc = hex::decode("3053020101300506032b657004220420").unwrap();
    doc.extend_from_slice(&seed);
    doc.extend_from_slice(&hex::decode("a123032100").unwrap());
    doc.extend_from_slice(ring::signature::KeyPair::public_key(&pair).as_ref());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("station.p8");
    // Private, as the station refuses a key file others can read.
    {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .unwrap();
        file.write_all(&doc).unwrap();
    }
    let identity = StationIdentity::load_or_create(&path).unwrap();
    let request = golden::handover_request();
    assert_eq!(
        request.signed_string().as_bytes(),
        golden::HANDOVER_REQUEST_SIGNED
    );
    assert_eq!(
        hex::encode(identity.sign(golden::HANDOVER_REQUEST_SIGNED)),
        request.signature
    );
}
