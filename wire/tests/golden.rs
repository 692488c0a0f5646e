//! The golden files are the fixed values of `wire::golden` written by this crate's serialisers.
//!
//! Run with `WIRE_WRITE_GOLDEN=1` to rewrite them after a deliberate format change; then the
//! station's and the central's golden tests say what else must change.

use std::path::PathBuf;

use wire::golden;

fn check(name: &str, expected_by_file: &[u8], produced: &[u8]) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("golden")
        .join(name);
    if std::env::var_os("WIRE_WRITE_GOLDEN").is_some() {
        std::fs::write(&path, produced).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    assert!(
        expected_by_file == produced,
        "{name} differs from what the code writes:\n--- golden\n{}\n--- written\n{}",
        String::from_utf8_lossy(expected_by_file),
        String::from_utf8_lossy(produced)
    );
}

#[test]
fn manifest_is_written_as_the_golden_file() {
    let bytes = golden::manifest().to_json_bytes().expect("serialises");
    check("manifest.json", golden::MANIFEST_JSON, &bytes);
}

#[test]
fn record_header_and_its_framing_are_the_golden_files() {
    let header = golden::record_header();
    let json = header.to_json_bytes().expect("serialises");
    check("record_header.json", golden::RECORD_HEADER_JSON, &json);
    check(
        "sealed_header.bin",
        golden::SEALED_HEADER,
        &header.aad().expect("short header"),
    );
}

#[test]
fn sealed_header_layout_is_magic_length_header() {
    let bytes = golden::SEALED_HEADER;
    assert_eq!(&bytes[..8], wire::sealed::MAGIC);
    let length = u32::from_be_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize;
    assert_eq!(wire::sealed::HEADER_OFFSET, 12);
    assert_eq!(&bytes[12..], golden::RECORD_HEADER_JSON);
    assert_eq!(length, golden::RECORD_HEADER_JSON.len());
}

#[test]
fn receipt_and_its_canonical_string_are_the_golden_files() {
    let receipt = golden::receipt();
    check(
        "receipt.json",
        golden::RECEIPT_JSON,
        receipt.to_json().as_bytes(),
    );
    check(
        "receipt_canonical.txt",
        golden::RECEIPT_CANONICAL,
        receipt.canonical_string().as_bytes(),
    );
}

#[test]
fn pre_request_and_status_answers_are_the_golden_files() {
    let pre = serde_json::to_vec(&golden::pre_request()).expect("serialises");
    check("prerequest.json", golden::PRE_REQUEST_JSON, &pre);
    let status = serde_json::to_vec(&golden::status_answer()).expect("serialises");
    check("status.json", golden::STATUS_JSON, &status);
}

#[test]
fn handover_message_is_the_golden_file() {
    let (number, station, time) = golden::HANDOVER_REQUEST;
    check(
        "handover_message.txt",
        golden::HANDOVER_MESSAGE,
        &wire::handover::signed_message(number, station, time),
    );
}

#[test]
fn error_body_is_the_golden_file() {
    let body = serde_json::to_vec(&golden::error_body()).expect("serialises");
    check("error.json", golden::ERROR_JSON, &body);
}

#[test]
fn enrol_request_is_the_golden_file() {
    let body = serde_json::to_vec(&golden::enrol_request()).expect("serialises");
    check("enrol_request.json", golden::ENROL_REQUEST_JSON, &body);
    let read: wire::provisioning::EnrolRequest =
        serde_json::from_slice(golden::ENROL_REQUEST_JSON).expect("reads");
    assert_eq!(read, golden::enrol_request());
}

#[test]
fn golden_files_read_back_as_the_fixed_values() {
    let manifest: wire::Manifest = serde_json::from_slice(golden::MANIFEST_JSON).expect("reads");
    assert_eq!(manifest, golden::manifest());
    let receipt: wire::Receipt = serde_json::from_slice(golden::RECEIPT_JSON).expect("reads");
    assert_eq!(receipt, golden::receipt());
    let pre: wire::PreRequest = serde_json::from_slice(golden::PRE_REQUEST_JSON).expect("reads");
    assert_eq!(pre, golden::pre_request());
}
