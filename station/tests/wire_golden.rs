//! The station against the wire crate's golden files: its writers produce exactly the golden bytes
//! from the golden values, and its readers (over HTTP, as in service) read the golden bytes the
//! central sends as the golden values.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;

use station::record::{Payload, case_reference::case_reference};
use station::seal::{
    CentralKeys, ParsedRecord, StationIdentity, record_header, seal_record, sealed_record::INFO,
};
use station::uplink::{
    CentralClient, HttpSettings, PreRequestNumber, Receipt, ReceiptCheck, UplinkError,
};
use wire::golden;

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
    );
    assert_eq!(header, golden::record_header());

    let dir = tempfile::tempdir().unwrap();
    let identity = StationIdentity::load_or_create(&dir.path().join("station.p8")).unwrap();
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
        .verify_station_signature(&identity.public_key())
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
            let request = Request { line, headers };
            let length: usize = request.header("content-length").parse().unwrap_or(0);
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            drop(reader);
            let path = request.line.split(' ').nth(1).unwrap_or("").to_owned();
            let (status, answer) = if path.starts_with(wire::paths::STATUS_ROUTE) {
                ("200 OK", golden::STATUS_JSON)
            } else if path.starts_with("/v1/pre-requests/") {
                ("200 OK", golden::PRE_REQUEST_JSON)
            } else if path.starts_with("/v1/records/") {
                ("401 Unauthorized", golden::ERROR_JSON)
            } else if path.starts_with("/v1/handover/") {
                (
                    "404 Not Found",
                    &br#"{"error":"no-templates","detail":"none"}"#[..],
                )
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

    let dir = tempfile::tempdir().unwrap();
    let identity = StationIdentity::load_or_create(&dir.path().join("station.p8")).unwrap();
    let handover = station::uplink::handover::HandoverClient {
        central: &client,
        station_id: golden::STATION_ID,
        identity: &identity,
    };
    assert!(matches!(
        station::uplink::handover::fetch_templates(&handover, &number),
        Err(station::uplink::handover::HandoverError::NoReference)
    ));

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
            "/v1/handover/AB12CD34EF/templates",
        ]
    );
    // The handover request is signed over the wire's message, as the central checks it.
    let request = &seen[4];
    assert_eq!(
        request.header(wire::headers::STATION_ID),
        golden::STATION_ID
    );
    let time = request.header(wire::headers::STATION_TIME);
    let message = wire::handover::signed_message(golden::PRE_REQUEST, golden::STATION_ID, time);
    let signature = hex::decode(request.header(wire::headers::STATION_SIGNATURE)).unwrap();
    ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, identity.public_key())
        .verify(&message, &signature)
        .unwrap();
    assert!(
        seen[..3]
            .iter()
            .all(|r| r.header(wire::headers::TOKEN) == "demo-token")
    );
}
