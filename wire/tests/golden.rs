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
fn a_manifest_from_the_paper_form_is_written_as_its_golden_file_and_reads_back() {
    let manifest = golden::manifest_paper_form();
    let bytes = manifest.to_json_bytes().expect("serialises");
    check(
        "manifest_paper_form.json",
        golden::MANIFEST_PAPER_FORM_JSON,
        &bytes,
    );
    let read: wire::Manifest =
        serde_json::from_slice(golden::MANIFEST_PAPER_FORM_JSON).expect("reads");
    assert_eq!(read, manifest);
    let form = read.paper_form.expect("the typed form");
    assert_eq!(read.pre_request, wire::paper_form::NO_PRE_REQUEST);
    assert!(wire::civil_status::check(&form.applicant, "2026-12-07").is_empty());
    // The number field is not a pre-request number: a central without the paper form refuses it.
    assert!(
        read.pre_request.len() != 10
            || !read.pre_request.bytes().all(|b| b.is_ascii_alphanumeric())
    );
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
fn a_header_from_before_the_signature_algorithm_is_the_ed25519_golden_file() {
    let header = golden::record_header_ed25519();
    let json = header.to_json_bytes().expect("serialises");
    check(
        "record_header_ed25519.json",
        golden::RECORD_HEADER_ED25519_JSON,
        &json,
    );
    check(
        "sealed_header_ed25519.bin",
        golden::SEALED_HEADER_ED25519,
        &header.aad().expect("short header"),
    );
    // Read back, the absent field means Ed25519.
    let read: wire::RecordHeader =
        serde_json::from_slice(golden::RECORD_HEADER_ED25519_JSON).expect("parses");
    assert_eq!(
        read.signature_algorithm(),
        wire::sealed::SignatureAlgorithm::Ed25519
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
fn handover_messages_are_the_golden_files() {
    let claim = serde_json::to_vec(&golden::handover_claim()).expect("serialises");
    check("handover_claim.json", golden::HANDOVER_CLAIM_JSON, &claim);
    let request = golden::handover_request();
    check(
        "handover_request.json",
        golden::HANDOVER_REQUEST_JSON,
        &serde_json::to_vec(&request).expect("serialises"),
    );
    check(
        "handover_request_signed.txt",
        golden::HANDOVER_REQUEST_SIGNED,
        request.signed_string().as_bytes(),
    );
    let decision = golden::handover_decision();
    check(
        "handover_decision.json",
        golden::HANDOVER_DECISION_JSON,
        &serde_json::to_vec(&decision).expect("serialises"),
    );
    check(
        "handover_decision_canonical.txt",
        golden::HANDOVER_DECISION_CANONICAL,
        decision.canonical_string().as_bytes(),
    );
}

#[test]
fn a_handover_nonce_is_256_bits_of_hex() {
    let nonce = golden::handover_claim().nonce;
    assert_eq!(nonce.len(), 2 * wire::handover::NONCE_BYTES);
    assert!(
        nonce
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
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
    // No algorithm named: the key is Ed25519, as every station's was before tokens.
    assert_eq!(
        read.signing_key().expect("a key").algorithm,
        wire::sealed::SignatureAlgorithm::Ed25519
    );
}

#[test]
fn a_token_station_enrol_request_names_its_algorithm() {
    let body = serde_json::to_vec(&golden::enrol_request_p256()).expect("serialises");
    check(
        "enrol_request_p256.json",
        golden::ENROL_REQUEST_P256_JSON,
        &body,
    );
    let read: wire::provisioning::EnrolRequest =
        serde_json::from_slice(golden::ENROL_REQUEST_P256_JSON).expect("reads");
    assert_eq!(read, golden::enrol_request_p256());
    let key = read.signing_key().expect("a key");
    assert_eq!(
        key.algorithm,
        wire::sealed::SignatureAlgorithm::EcdsaP256Sha256
    );
    assert_eq!(key.bytes.len(), 65);
}

#[test]
fn golden_files_read_back_as_the_fixed_values() {
    let manifest: wire::Manifest = serde_json::from_slice(golden::MANIFEST_JSON).expect("reads");
    assert_eq!(manifest, golden::manifest());
    let receipt: wire::Receipt = serde_json::from_slice(golden::RECEIPT_JSON).expect("reads");
    assert_eq!(receipt, golden::receipt());
    let pre: wire::PreRequest = serde_json::from_slice(golden::PRE_REQUEST_JSON).expect("reads");
    assert_eq!(pre, golden::pre_request());
    let claim: wire::handover::HandoverClaim =
        serde_json::from_slice(golden::HANDOVER_CLAIM_JSON).expect("reads");
    assert_eq!(claim, golden::handover_claim());
    let request: wire::handover::HandoverRequest =
        serde_json::from_slice(golden::HANDOVER_REQUEST_JSON).expect("reads");
    assert_eq!(request, golden::handover_request());
    let decision: wire::handover::HandoverDecision =
        serde_json::from_slice(golden::HANDOVER_DECISION_JSON).expect("reads");
    assert_eq!(decision, golden::handover_decision());
}

#[test]
fn an_announcement_batch_is_the_golden_file_and_its_signature_covers_the_golden_string() {
    let batch = golden::announcement_batch();
    check(
        "announcement_batch.json",
        golden::ANNOUNCEMENT_BATCH_JSON,
        &serde_json::to_vec(&batch).expect("serialises"),
    );
    let announcement = &batch.announcements[0];
    check(
        "announcement_signed.txt",
        golden::ANNOUNCEMENT_SIGNED,
        announcement.signed_string().as_bytes(),
    );
    let seed = ring::signature::Ed25519KeyPair::from_seed_unchecked(&golden::STATION_KEY_SEED)
        .expect("seed");
    assert_eq!(
        hex::encode(seed.sign(golden::ANNOUNCEMENT_SIGNED)),
        announcement.signature,
        "the golden signature is the station test key's over the golden string"
    );
    let read: wire::announcement::AnnouncementBatch =
        serde_json::from_slice(golden::ANNOUNCEMENT_BATCH_JSON).expect("reads");
    assert_eq!(read, batch);
}

#[test]
fn an_audit_checkpoint_header_is_the_golden_file_and_its_signature_verifies() {
    let checkpoint = golden::audit_checkpoint();
    check(
        "audit_checkpoint_header.txt",
        golden::AUDIT_CHECKPOINT_HEADER,
        checkpoint.to_header().as_bytes(),
    );
    let seed = ring::signature::Ed25519KeyPair::from_seed_unchecked(&golden::STATION_KEY_SEED)
        .expect("seed");
    assert_eq!(
        hex::encode(seed.sign(&checkpoint.message())),
        checkpoint.signature
    );
    let read = wire::audit_checkpoint::AuditCheckpoint::from_header(
        std::str::from_utf8(golden::AUDIT_CHECKPOINT_HEADER).expect("text"),
    )
    .expect("reads");
    assert_eq!(read, checkpoint);
}

#[test]
fn a_manifest_and_a_pre_request_without_height_and_eye_colour_still_read() {
    // Records sealed and pre-requests filed before the fields existed have neither.
    let mut manifest: serde_json::Value =
        serde_json::from_slice(golden::MANIFEST_JSON).expect("reads");
    let fields = manifest.as_object_mut().expect("an object");
    assert!(fields.remove("height_cm").is_some());
    assert!(fields.remove("eye_colour").is_some());
    let read: wire::Manifest = serde_json::from_value(manifest).expect("reads without them");
    assert_eq!(read.height_cm, None);
    assert_eq!(read.eye_colour, None);
    let mut pre: serde_json::Value =
        serde_json::from_slice(golden::PRE_REQUEST_JSON).expect("reads");
    let applicant = pre["applicant"].as_object_mut().expect("an object");
    assert!(applicant.remove("height_cm").is_some());
    assert!(applicant.remove("eye_colour").is_some());
    let read: wire::PreRequest = serde_json::from_value(pre).expect("reads without them");
    assert_eq!(read.applicant.height_cm, None);
    assert_eq!(read.applicant.eye_colour, None);
    // And a pre-request without them is written as before.
    let written = serde_json::to_string(&read).expect("serialises");
    assert!(!written.contains("height_cm") && !written.contains("eye_colour"));
}

#[test]
fn the_signature_record_is_written_as_the_golden_file_and_reads_back() {
    let signature = golden::signature();
    let bytes = wire::signature::write(&signature).expect("writes");
    check("signature.iso19794-7", golden::SIGNATURE_RECORD, &bytes);
    let read = wire::signature::parse(golden::SIGNATURE_RECORD).expect("reads");
    assert_eq!(read.signature, signature);
    assert_eq!(read.channel_names(), ["x", "y", "t", "f", "s"]);
    assert!(read.pressure);
    let entry = golden::manifest()
        .signature
        .expect("the golden manifest has one");
    assert_eq!(entry.points, u32::try_from(read.points).ok());
    assert_eq!(entry.check(), Ok(()));
    assert_eq!(wire::signature::assess(&read.signature), Ok(()));
}

#[test]
fn a_manifest_without_a_signature_still_reads() {
    let mut manifest: serde_json::Value =
        serde_json::from_slice(golden::MANIFEST_JSON).expect("reads");
    let fields = manifest.as_object_mut().expect("an object");
    assert!(fields.remove("signature").is_some());
    let read: wire::Manifest = serde_json::from_value(manifest).expect("reads without it");
    assert_eq!(read.signature, None);
    let written = String::from_utf8(read.to_json_bytes().expect("writes")).expect("utf-8");
    assert!(!written.contains("signature"));
}

#[test]
fn a_manifest_without_the_storage_answer_still_reads_and_is_written_without_it() {
    // Records sealed before the question was asked, and passport-only records, have no answer.
    assert_eq!(
        golden::manifest().fingerprint_storage,
        Some(wire::fingerprint_storage::FingerprintStorage::Refused)
    );
    let mut manifest: serde_json::Value =
        serde_json::from_slice(golden::MANIFEST_JSON).expect("reads");
    let fields = manifest.as_object_mut().expect("an object");
    assert_eq!(
        fields.remove("fingerprint_storage"),
        Some(serde_json::Value::from("refused"))
    );
    let read: wire::Manifest = serde_json::from_value(manifest).expect("reads without it");
    assert_eq!(read.fingerprint_storage, None);
    let written = String::from_utf8(read.to_json_bytes().expect("serialises")).expect("UTF-8");
    assert!(!written.contains("fingerprint_storage"));
    // A word that is neither answer is refused while parsing.
    let mut manifest: serde_json::Value =
        serde_json::from_slice(golden::MANIFEST_JSON).expect("reads");
    manifest["fingerprint_storage"] = serde_json::Value::from("maybe");
    assert!(serde_json::from_value::<wire::Manifest>(manifest).is_err());
}

#[test]
fn a_tax_stamp_standing_is_the_golden_file_and_reads_back() {
    let bytes = serde_json::to_vec(&golden::tax_stamp_standing()).expect("serialises");
    check(
        "tax_stamp_standing.json",
        golden::TAX_STAMP_STANDING_JSON,
        &bytes,
    );
    let read: wire::tax_stamp::StampStanding =
        serde_json::from_slice(golden::TAX_STAMP_STANDING_JSON).expect("reads");
    assert_eq!(read, golden::tax_stamp_standing());
}

#[test]
fn a_manifest_without_reason_and_tax_stamp_still_reads() {
    // Records sealed before the station asked for tax stamps have neither field.
    let mut manifest: serde_json::Value =
        serde_json::from_slice(golden::MANIFEST_JSON).expect("reads");
    let fields = manifest.as_object_mut().expect("an object");
    assert!(fields.remove("reason").is_some());
    assert!(fields.remove("tax_stamp").is_some());
    let read: wire::Manifest = serde_json::from_value(manifest).expect("reads without them");
    assert_eq!(read.reason, None);
    assert_eq!(read.tax_stamp, None);
}
