//! A restart keeps keys, stations, receipts and consumed pre-requests.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use crate::common;

use common::*;

#[test]
fn restart_keeps_state() {
    let dir = crate::common::private_tempdir();
    let (central, station) = start(dir.path());
    let keys = central.public_keys().clone();
    let spec = PayloadSpec::new(&station.id, "DEMO000001");
    let record = seal(&spec, &station, &keys);
    let first = receipt_of(&put_record(&central.url(), &spec.record_id, &record));
    central.stop();

    // Same data directory, new process state, new port; the station is not registered again.
    let again = central::Central::start(crate::common::config(dir.path())).unwrap();
    assert_eq!(again.public_keys(), &keys, "keys are kept");
    // The station keeps its certificate: the CA is kept too.
    use_identity(&again.url(), station.tls.as_ref().unwrap());
    let replay = put_record(&again.url(), &spec.record_id, &record);
    assert_eq!(replay.status, 200, "{}", replay.body);
    assert_eq!(receipt_of(&replay), first, "same receipt after restart");
    let status = get(
        &again.url(),
        "/api/status?application_ids=DEMO000001",
        Some("demo-token"),
    );
    assert_eq!(status.json()["DEMO000001"]["status"], "consumed");
    let content = get(
        &again.url(),
        "/v1/pre-requests/DEMO000001",
        Some("demo-token"),
    );
    assert_eq!(content.json()["status"], "consumed");

    // The station registered before the restart can still deliver.
    let other = PayloadSpec::new(&station.id, "DEMO000003");
    let answer = put_record(
        &again.url(),
        &other.record_id,
        &seal(&other, &station, &keys),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(again.receipt_count().unwrap(), 2);
}

#[test]
fn keys_are_private_files() {
    use std::os::unix::fs::PermissionsExt;
    let dir = crate::common::private_tempdir();
    let keys = central::public_keys(dir.path()).unwrap();
    central::trust::NationalCa::load_or_create(dir.path()).unwrap();
    for name in [
        "record.x25519",
        "receipt.ed25519.p8",
        "tls-ca.pem",
        "tls-ca.key.pem",
    ] {
        let meta = std::fs::metadata(dir.path().join("keys").join(name)).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600, "{name}");
    }
    assert_eq!(
        std::fs::read(dir.path().join("keys/record.x25519"))
            .unwrap()
            .len(),
        32
    );
    assert_eq!(
        keys.central_key_id,
        hex::encode(ring::digest::digest(
            &ring::digest::SHA256,
            &keys.record_public_key
        ))
    );
    // Loading again gives the same keys.
    assert_eq!(central::public_keys(dir.path()).unwrap(), keys);
}
