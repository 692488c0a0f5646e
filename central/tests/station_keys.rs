//! Station keys with their algorithm: a station whose key is in a token (ECDSA P-256) delivers
//! records; a record is checked with the algorithm registered for its station, never one its header
//! picks; stations registered before keys had algorithms keep working as Ed25519.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use crate::common;

use common::*;
use ring::{
    rand::SystemRandom,
    signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair},
};
use serde_json::json;
use wire::sealed::{SignatureAlgorithm, StationPublicKey};

fn p256() -> EcdsaKeyPair {
    let rng = SystemRandom::new();
    let doc = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
    EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, doc.as_ref(), &rng).unwrap()
}

/// A record for `spec` whose header names `algorithm` (or nothing), signed by `key` in P-256.
fn sealed_p256(
    spec: &PayloadSpec,
    keys: &central::PublicKeys,
    algorithm: Option<&str>,
    key: &EcdsaKeyPair,
) -> Vec<u8> {
    let mut header = json!({
        "record_id": spec.record_id,
        "station_id": spec.station_id,
        "created_at": "2026-11-27T07:00:00Z",
        "suite": SUITE,
        "central_key_id": keys.central_key_id,
    });
    if let Some(algorithm) = algorithm {
        header["signature_algorithm"] = json!(algorithm);
    }
    let unused = TestStation::new("unused");
    let mut record = seal_with_header(
        &serde_json::to_vec(&header).unwrap(),
        &keys.record_public_key,
        &unused.key,
        &spec.tar(),
    );
    let n = record.len() - 64;
    let signature = key.sign(&SystemRandom::new(), &record[..n]).unwrap();
    record[n..].copy_from_slice(signature.as_ref());
    record
}

#[test]
fn a_token_station_delivers_and_its_algorithm_is_the_registered_one() {
    let dir = crate::common::private_tempdir();
    let (central, ed_station) = start(dir.path());
    let keys = central.public_keys().clone();
    let key = p256();
    let token_station = "mairie-token-01-p1";
    // Enrolled with its P-256 key; its records come over the TLS identity `start` set up, since
    // a record is checked by its own signature, not by the connection.
    enrol(
        &central,
        token_station,
        StationPublicKey::new(
            SignatureAlgorithm::EcdsaP256Sha256,
            key.public_key().as_ref().to_vec(),
        )
        .unwrap(),
    );

    let spec = PayloadSpec::new(token_station, "DEMO000001");
    let record = sealed_p256(&spec, &keys, Some("ECDSA-P256-SHA256"), &key);
    let answer = put_record(&central.url(), &spec.record_id, &record);
    assert_eq!(answer.status, 200, "{}", answer.body);

    // The same station's header claiming Ed25519 (or saying nothing, which means Ed25519): refused.
    for claim in [Some("Ed25519"), None] {
        let spec = PayloadSpec::new(token_station, "DEMO000002");
        let record = sealed_p256(&spec, &keys, claim, &key);
        let answer = put_record(&central.url(), &spec.record_id, &record);
        assert_eq!(answer.status, 401, "{claim:?}: {}", answer.body);
        assert_eq!(answer.error_code(), "bad-signature");
    }

    // An Ed25519 station (registered before) whose header claims P-256: refused too; its records
    // as stations sealed them before the header named an algorithm still go through.
    let spec = PayloadSpec::new(&ed_station.id, "DEMO000003");
    let record = sealed_p256(&spec, &keys, Some("ECDSA-P256-SHA256"), &key);
    assert_eq!(
        put_record(&central.url(), &spec.record_id, &record).status,
        401
    );
    let record = seal(&spec, &ed_station, &keys);
    let answer = put_record(&central.url(), &spec.record_id, &record);
    assert_eq!(answer.status, 200, "{}", answer.body);
}

#[test]
fn a_database_from_before_key_algorithms_keeps_its_stations_as_ed25519() {
    let dir = crate::common::private_tempdir();
    let key = [0x33u8; 32];
    {
        // The schema as version 1 wrote it.
        let conn = rusqlite::Connection::open(dir.path().join("central.sqlite")).unwrap();
        conn.execute_batch(
            "CREATE TABLE stations (
                 station_id TEXT PRIMARY KEY NOT NULL,
                 public_key BLOB NOT NULL CHECK (length(public_key) = 32),
                 added_at   TEXT NOT NULL);
             CREATE TABLE receipts (record_id TEXT PRIMARY KEY NOT NULL, sha256 TEXT NOT NULL,
                 received_at TEXT NOT NULL, signature TEXT NOT NULL, station_id TEXT NOT NULL,
                 pre_request TEXT NOT NULL);
             CREATE TABLE consumed (number TEXT PRIMARY KEY NOT NULL, record_id TEXT NOT NULL,
                 consumed_at TEXT NOT NULL);
             PRAGMA user_version = 1;",
        )
        .unwrap();
        conn.execute(
            "INSERT INTO stations VALUES ('mairie-old-01-p1', ?1, '2026-01-01T00:00:00Z')",
            [key.as_slice()],
        )
        .unwrap();
    }
    let db = central::storage::Database::open(dir.path()).unwrap();
    assert_eq!(
        db.station_key("mairie-old-01-p1").unwrap(),
        Some(StationPublicKey::from(&key))
    );
    drop(db);
    make_private(dir.path());
    // A P-256 key fits the upgraded table (enrolled as every station now is); a key of the wrong
    // length for its algorithm is refused at enrolment.
    let central = central::Central::start(central::CentralConfig::new(dir.path())).unwrap();
    let p256_key = StationPublicKey::new(
        SignatureAlgorithm::EcdsaP256Sha256,
        p256().public_key().as_ref().to_vec(),
    )
    .unwrap();
    enrol(&central, "mairie-new-01-p1", &p256_key);
    let db = central::storage::Database::open(dir.path()).unwrap();
    assert_eq!(db.station_key("mairie-new-01-p1").unwrap(), Some(p256_key));
    let code = central
        .enrol_station("mairie-bad-01-p1", TOWN_HALL)
        .unwrap()
        .code;
    let body = serde_json::to_vec(&wire::provisioning::EnrolRequest {
        code,
        csr_pem: key_and_csr().1,
        signing_public_key: hex::encode([4u8; 32]),
        signing_algorithm: Some(SignatureAlgorithm::EcdsaP256Sha256),
    })
    .unwrap();
    let answer = post_enrolment_body(&central.url(), central.ca_pem(), &body);
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(db.station_key("mairie-bad-01-p1").unwrap(), None);
    central.stop();
}

#[test]
fn a_database_with_key_algorithms_but_no_enrolment_is_upgraded_and_keeps_its_keys() {
    let dir = crate::common::private_tempdir();
    let key = p256().public_key().as_ref().to_vec();
    {
        // The schema as main's version 2 wrote it: keys with algorithms, no town halls,
        // certificates or codes (those are version 3).
        let conn = rusqlite::Connection::open(dir.path().join("central.sqlite")).unwrap();
        conn.execute_batch(
            "CREATE TABLE stations (
                 station_id TEXT PRIMARY KEY NOT NULL,
                 algorithm  TEXT NOT NULL CHECK (algorithm IN ('Ed25519', 'ECDSA-P256-SHA256')),
                 public_key BLOB NOT NULL CHECK (
                     (algorithm = 'Ed25519' AND length(public_key) = 32)
                     OR (algorithm = 'ECDSA-P256-SHA256' AND length(public_key) = 65)),
                 added_at   TEXT NOT NULL);
             CREATE TABLE receipts (record_id TEXT PRIMARY KEY NOT NULL, sha256 TEXT NOT NULL,
                 received_at TEXT NOT NULL, signature TEXT NOT NULL, station_id TEXT NOT NULL,
                 pre_request TEXT NOT NULL);
             CREATE TABLE consumed (number TEXT PRIMARY KEY NOT NULL, record_id TEXT NOT NULL,
                 consumed_at TEXT NOT NULL);
             PRAGMA user_version = 2;",
        )
        .unwrap();
        conn.execute(
            "INSERT INTO stations VALUES ('mairie-token-01-p1', 'ECDSA-P256-SHA256', ?1,
                 '2026-12-01T00:00:00Z')",
            [key.as_slice()],
        )
        .unwrap();
    }
    let db = central::enrolment::open_database(dir.path()).unwrap();
    let version: i64 = rusqlite::Connection::open(dir.path().join("central.sqlite"))
        .unwrap()
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap();
    assert_eq!(version, central::storage::database::SCHEMA_VERSION);
    let expected = StationPublicKey::new(SignatureAlgorithm::EcdsaP256Sha256, key.clone()).unwrap();
    assert_eq!(
        db.station_key("mairie-token-01-p1").unwrap(),
        Some(expected.clone())
    );
    let listed = central::enrolment::list(&db).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].town_hall, "");
    assert_eq!(listed[0].public_key, expected);
    assert_eq!(listed[0].certificate, None);
    // Moved to certificates as any station registered before enrolment codes: a re-key with a
    // town hall, redeemed with the same token key.
    let code = central::enrolment::rekey(&db, "mairie-token-01-p1", Some(TOWN_HALL), 24)
        .unwrap()
        .code;
    drop(db);
    make_private(dir.path());
    let central = central::Central::start(central::CentralConfig::new(dir.path())).unwrap();
    redeem(&central, &code, &expected);
    let db = central::storage::Database::open(dir.path()).unwrap();
    assert_eq!(
        db.station_key("mairie-token-01-p1").unwrap(),
        Some(expected)
    );
    central.stop();
}

#[test]
fn a_schema_2_with_enrolment_tables_but_no_algorithms_is_refused_clearly() {
    let dir = crate::common::private_tempdir();
    {
        // What the mutual-TLS work wrote as its schema 2 before it met key algorithms.
        let conn = rusqlite::Connection::open(dir.path().join("central.sqlite")).unwrap();
        conn.execute_batch(
            "CREATE TABLE stations (station_id TEXT PRIMARY KEY NOT NULL,
                 public_key BLOB NOT NULL CHECK (length(public_key) = 32), added_at TEXT NOT NULL,
                 town_hall TEXT, revoked_at TEXT);
             PRAGMA user_version = 2;",
        )
        .unwrap();
    }
    let Err(error) = central::storage::Database::open(dir.path()) else {
        panic!("a schema 2 without key algorithms was opened");
    };
    assert!(error.to_string().contains("no key algorithms"), "{error}");
}
