//! Records stored through the central's S3 client in a real S3-compatible server on loopback
//! (`common::s3_server`): read back from the bucket, refused with wrong credentials, and refused
//! then taken again when the bucket goes away and comes back mid-run.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;

use crate::common::s3_server::{BUCKET, S3Server};
use crate::common::*;

/// A central on `dir` storing its records in `bucket`.
fn start_on_bucket(
    dir: &Path,
    bucket: central::S3Config,
) -> (central::RunningCentral, TestStation) {
    let mut config = config(dir);
    config.object_store = Some(central::ObjectStoreConfig::S3(bucket));
    start_with(config)
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(ring::digest::digest(&ring::digest::SHA256, bytes))
}

fn object_name(record_id: &str) -> String {
    format!("records/{record_id}.drrec")
}

fn status_of(central: &central::RunningCentral, number: &str) -> String {
    let answer = get(
        &central.url(),
        &format!("/api/status?application_ids={number}"),
        Some("demo-token"),
    );
    answer.json()[number]["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn a_record_sent_to_the_central_is_read_back_from_the_bucket() {
    let s3 = S3Server::start();
    let dir = private_tempdir();
    let (central, station) = start_on_bucket(dir.path(), s3.config());

    let spec = PayloadSpec::new(&station.id, "TESTSA0001");
    let record = seal(&spec, &station, central.public_keys());
    let answer = put_record(&central.url(), &spec.record_id, &record);
    assert_eq!(answer.status, 200, "{}", answer.body);

    // Exactly the bytes received, under the record's name, and the receipt is for those bytes.
    assert_eq!(
        s3.objects(),
        vec![(object_name(&spec.record_id), record.clone())]
    );
    assert_eq!(receipt_of(&answer).sha256, sha256_hex(&record));
    assert!(
        !dir.path().join("records").exists(),
        "nothing written locally"
    );
}

#[test]
fn wrong_credentials_are_refused_and_lose_nothing() {
    let s3 = S3Server::start();
    let dir = private_tempdir();
    let mut wrong = s3.config();
    wrong.secret_access_key = Some("not-the-secret".into());
    let (central, station) = start_on_bucket(dir.path(), wrong);

    let spec = PayloadSpec::new(&station.id, "TESTSB0001");
    let record = seal(&spec, &station, central.public_keys());
    let answer = put_record(&central.url(), &spec.record_id, &record);
    // Unavailable, so that the station keeps the record in its outbox and sends it again.
    assert_eq!(answer.status, 503, "{}", answer.body);
    assert_eq!(answer.error_code(), "storage-unavailable");
    // The storage's own error (its address, its bucket, its answer) stays in the central's log:
    // a station is told the storage is unavailable, not how the national side is built.
    let detail = answer.json()["detail"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    for inside in [s3.endpoint(), "403".to_owned(), BUCKET.to_owned()] {
        assert!(
            !detail.contains(&inside),
            "the answer gives away {inside:?}: {detail}"
        );
    }
    assert!(!detail.is_empty(), "the answer still says what happened");
    assert_eq!(central.receipt_count().unwrap(), 0);
    assert_eq!(
        status_of(&central, "TESTSB0001"),
        "validated",
        "not consumed"
    );
    assert_eq!(s3.objects(), vec![], "nothing stored");

    // Once the operator gives the right key, the station's next attempt is received.
    central.stop();
    let central = central::Central::start(s3.central_config(dir.path())).unwrap();
    use_identity(&central.url(), station.tls.as_ref().unwrap());
    let answer = put_record(&central.url(), &spec.record_id, &record);
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(s3.objects(), vec![(object_name(&spec.record_id), record)]);
    assert_eq!(central.receipt_count().unwrap(), 1);
}

#[test]
fn the_bucket_gone_mid_run_refuses_the_record_cleanly_and_takes_it_again() {
    let mut s3 = S3Server::start();
    let dir = private_tempdir();
    let (central, station) = start_on_bucket(dir.path(), s3.config());
    let keys = central.public_keys().clone();

    let before = PayloadSpec::new(&station.id, "TESTSC0001");
    let before_record = seal(&before, &station, &keys);
    let answer = put_record(&central.url(), &before.record_id, &before_record);
    assert_eq!(answer.status, 200, "{}", answer.body);

    // The server goes away, its open connections with it.
    s3.stop();
    let during = PayloadSpec::new(&station.id, "TESTSC0002");
    let during_record = seal(&during, &station, &keys);
    let started = std::time::Instant::now();
    let answer = put_record(&central.url(), &during.record_id, &during_record);
    assert_eq!(answer.status, 503, "{}", answer.body);
    assert_eq!(answer.error_code(), "storage-unavailable");
    // Within the station's upload timeout (30 s): an answer it never reads is no answer.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "answered after {:?}",
        started.elapsed()
    );
    assert_eq!(central.receipt_count().unwrap(), 1);
    assert_eq!(
        status_of(&central, "TESTSC0002"),
        "validated",
        "not consumed"
    );

    // Back on the same address: the station's retry is received, and the earlier record is intact.
    s3.restart();
    let answer = put_record(&central.url(), &during.record_id, &during_record);
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(central.receipt_count().unwrap(), 2);
    let mut expected = vec![
        (object_name(&before.record_id), before_record),
        (object_name(&during.record_id), during_record),
    ];
    expected.sort();
    assert_eq!(s3.objects(), expected);
}
