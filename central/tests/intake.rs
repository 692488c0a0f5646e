//! Sealed records over real HTTP to a real central on loopback.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::*;

#[test]
fn a_sealed_record_is_stored_exactly_and_receipted() {
    let dir = tempfile::tempdir().unwrap();
    let (central, station) = start(dir.path());
    let keys = central.public_keys().clone();
    let spec = PayloadSpec::new(&station.id, "DEMO000001");
    let record = seal(&spec, &station, &keys);

    let answer = put_record(&central.url(), &spec.record_id, &record);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let receipt = receipt_of(&answer);
    assert_eq!(receipt.record_id, spec.record_id);
    assert_eq!(
        receipt.sha256,
        hex::encode(ring::digest::digest(&ring::digest::SHA256, &record))
    );
    receipt.verify(&keys.receipt_public_key).unwrap();
    // The canonical string is exactly the contract's.
    assert_eq!(
        receipt.canonical_string(),
        format!(
            "dr-central receipt v1\nrecord_id={}\nsha256={}\nreceived_at={}\n",
            receipt.record_id, receipt.sha256, receipt.received_at
        )
    );
    let stored =
        std::fs::read(dir.path().join(format!("records/{}.drrec", spec.record_id))).unwrap();
    assert_eq!(stored, record);

    // The pre-request is now consumed.
    let status = get(
        &central.url(),
        "/api/status?application_ids=DEMO000001",
        Some("demo-token"),
    );
    assert_eq!(status.json()["DEMO000001"]["status"], "consumed");
}
