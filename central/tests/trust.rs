//! Mutual TLS, enrolment codes and revocation against a real central on loopback HTTPS
//! (docs/central-api.md, "Trust" and "Provisioning a station").
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use crate::common;

use common::*;

/// A handover request signed by `station` (its claim does not open: the central answers
/// `cannot-open` once the connection and the signature pass).
fn handover_post(agent: &ureq::Agent, base: &str, station: &TestStation) -> Answer {
    let mut request = wire::handover::HandoverRequest {
        station_id: station.id.clone(),
        enc: hex::encode([1u8; 32]),
        ciphertext: hex::encode([2u8; 64]),
        signature: String::new(),
    };
    request.signature = hex::encode(station.key.sign(request.signed_string().as_bytes()));
    let mut response = agent
        .post(&format!("{base}{}", wire::paths::HANDOVER_ROUTE))
        .header("content-type", "application/json")
        .send(&serde_json::to_vec(&request).unwrap()[..])
        .expect("HTTPS exchange");
    Answer {
        status: response.status().as_u16(),
        body: response.body_mut().read_to_string().unwrap_or_default(),
    }
}

fn status_get(agent: &ureq::Agent, base: &str, path: &str) -> Answer {
    let mut response = agent
        .get(&format!("{base}{path}"))
        .call()
        .expect("HTTPS exchange");
    Answer {
        status: response.status().as_u16(),
        body: response.body_mut().read_to_string().unwrap_or_default(),
    }
}

#[test]
fn a_plain_http_client_is_refused() {
    let dir = crate::common::private_tempdir();
    let (central, _station) = start(dir.path());
    let plain = format!("http://{}", central.addr);
    let answer = ureq::get(&format!("{plain}/v1/health")).call();
    assert!(answer.is_err(), "plain HTTP got an answer: {answer:?}");
    let answer =
        ureq::put(&format!("{plain}/v1/records/{}", uuid::Uuid::new_v4())).send(&b"DRREC001"[..]);
    assert!(answer.is_err(), "plain HTTP got an answer: {answer:?}");
}

#[test]
fn a_client_certificate_from_another_ca_is_refused() {
    let dir = crate::common::private_tempdir();
    let (central, station) = start(dir.path().join("central").as_path());
    // A CA of the same kind, with a certificate for the same station id: it does not chain.
    let other = central::trust::NationalCa::load_or_create(&dir.path().join("other")).unwrap();
    let (key_pem, csr) = key_and_csr();
    let forged = other
        .issue_station(&csr, &station.id, TOWN_HALL, time::Duration::days(1))
        .unwrap();
    let agent = tls_agent(central.ca_pem(), Some((&forged.pem, &key_pem)));
    let spec = PayloadSpec::new(&station.id, "DEMO000001");
    let answer = agent
        .put(&format!("{}/v1/records/{}", central.url(), spec.record_id))
        .send(&seal(&spec, &station, central.public_keys())[..]);
    assert!(
        answer.is_err(),
        "a foreign certificate got an answer: {answer:?}"
    );
    assert_eq!(central.receipt_count().unwrap(), 0);
}

#[test]
fn without_a_client_certificate_only_enrolment_and_health_answer() {
    let dir = crate::common::private_tempdir();
    let (central, station) = start(dir.path());
    let anonymous = tls_agent(central.ca_pem(), None);
    let health = status_get(&anonymous, &central.url(), "/v1/health");
    assert_eq!(health.status, 200, "{}", health.body);
    for path in [
        "/api/status?application_ids=DEMO000001",
        "/v1/pre-requests/DEMO000001",
        "/v1/handover/DEMO000001",
    ] {
        let answer = status_get(&anonymous, &central.url(), path);
        assert_eq!(answer.status, 401, "{path}: {}", answer.body);
        assert_eq!(answer.error_code(), "no-client-certificate");
    }
    let answer = handover_post(&anonymous, &central.url(), &station);
    assert_eq!(answer.error_code(), "no-client-certificate");
}

#[test]
fn a_revoked_station_is_refused_everywhere_and_its_records_stay() {
    let dir = crate::common::private_tempdir();
    let (central, station) = start(dir.path());
    let agent = station.tls.as_ref().unwrap().agent();
    let base = central.url();
    let spec = PayloadSpec::new(&station.id, "DEMO000001");
    let record = seal(&spec, &station, central.public_keys());
    let delivered = put_record(&base, &spec.record_id, &record);
    assert_eq!(delivered.status, 200, "{}", delivered.body);
    let answer = handover_post(&agent, &base, &station);
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (400, wire::handover::CANNOT_OPEN),
        "{}",
        answer.body
    );

    central.revoke_station(&station.id).unwrap();

    let other = PayloadSpec::new(&station.id, "DEMO000002");
    let refused = put_record(
        &base,
        &other.record_id,
        &seal(&other, &station, central.public_keys()),
    );
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(refused.error_code(), "station-revoked");
    assert!(
        refused.json()["detail"]
            .as_str()
            .unwrap()
            .contains("revoked")
    );
    for path in [
        "/api/status?application_ids=DEMO000001",
        "/v1/pre-requests/DEMO000001",
        "/v1/handover/DEMO000001",
    ] {
        let answer = status_get(&agent, &base, path);
        assert_eq!(answer.status, 403, "{path}: {}", answer.body);
        assert_eq!(answer.error_code(), "station-revoked");
    }
    let answer = handover_post(&agent, &base, &station);
    assert_eq!(answer.status, 403, "{}", answer.body);
    assert_eq!(answer.error_code(), "station-revoked");
    // Even the replay of a record it delivered: the station is out.
    assert_eq!(put_record(&base, &spec.record_id, &record).status, 403);

    // What it delivered before stays: stored, receipted, its pre-request consumed.
    assert_eq!(central.receipt_count().unwrap(), 1);
    assert!(
        dir.path()
            .join("records")
            .join(format!("{}.drrec", spec.record_id))
            .exists()
    );
    // A revoked station cannot be enrolled or re-keyed again.
    assert!(central.enrol_station(&station.id, TOWN_HALL).is_err());
    assert!(central.rekey_station(&station.id).is_err());
}

#[test]
fn an_enrolment_code_works_once_and_not_after_it_expires() {
    let dir = crate::common::private_tempdir();
    let central = central::Central::start(crate::common::config(dir.path())).unwrap();
    let station = TestStation::new("mairie-lyon-03-p2");
    let code = central.enrol_station(&station.id, TOWN_HALL).unwrap().code;
    let (_, csr) = key_and_csr();
    let first = post_enrolment(
        &central.url(),
        central.ca_pem(),
        &code,
        &csr,
        station.public_key(),
    );
    assert_eq!(first.status, 200, "{}", first.body);
    let (_, csr) = key_and_csr();
    let again = post_enrolment(
        &central.url(),
        central.ca_pem(),
        &code,
        &csr,
        station.public_key(),
    );
    assert_eq!(again.status, 403, "{}", again.body);
    assert_eq!(again.error_code(), "code-used");

    // Typed in lower case without dashes, a code is the same code.
    let relaxed = central
        .enrol_station("mairie-lyon-03-p3", TOWN_HALL)
        .unwrap()
        .code;
    let (_, csr) = key_and_csr();
    let answer = post_enrolment(
        &central.url(),
        central.ca_pem(),
        &relaxed.replace('-', "").to_lowercase(),
        &csr,
        station.public_key(),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);

    // A code valid for 0 hours has expired when it is used.
    let db = crate::common::open_database(dir.path()).unwrap();
    let expired = central::enrolment::enrol(&db, "mairie-lyon-03-p4", TOWN_HALL, 0)
        .unwrap()
        .code;
    let (_, csr) = key_and_csr();
    let late = post_enrolment(
        &central.url(),
        central.ca_pem(),
        &expired,
        &csr,
        station.public_key(),
    );
    assert_eq!(late.status, 403, "{}", late.body);
    assert_eq!(late.error_code(), "code-expired");

    let (_, csr) = key_and_csr();
    let unknown = post_enrolment(
        &central.url(),
        central.ca_pem(),
        "0000-0000-0000-0000",
        &csr,
        station.public_key(),
    );
    assert_eq!(unknown.error_code(), "unknown-code");
    let bad_csr = post_enrolment(
        &central.url(),
        central.ca_pem(),
        &central
            .enrol_station("mairie-lyon-03-p5", TOWN_HALL)
            .unwrap()
            .code,
        "not a CSR",
        station.public_key(),
    );
    assert_eq!(bad_csr.status, 400, "{}", bad_csr.body);
    assert_eq!(bad_csr.error_code(), "bad-csr");
}

#[test]
fn rekey_and_renewal_replace_the_certificate_and_refuse_the_old_one() {
    let dir = crate::common::private_tempdir();
    let (central, station) = start(dir.path());
    let base = central.url();
    let first = station.tls.clone().unwrap();
    let path = "/v1/pre-requests/DEMO000001";
    assert_eq!(status_get(&first.agent(), &base, path).status, 200);

    let code = central.rekey_station(&station.id).unwrap().code;
    let second = redeem(&central, &code, station.public_key());
    assert_eq!(status_get(&second.agent(), &base, path).status, 200);
    let old = status_get(&first.agent(), &base, path);
    assert_eq!(old.status, 403, "{}", old.body);
    assert_eq!(old.error_code(), "certificate-replaced");

    // Renewal: a new CSR over the current certificate.
    let (key_pem, csr) = key_and_csr();
    let body = serde_json::to_vec(&wire::provisioning::RenewRequest { csr_pem: csr }).unwrap();
    let mut response = second
        .agent()
        .post(&format!("{base}{}", wire::paths::RENEW_ROUTE))
        .send(&body[..])
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let renewed: wire::provisioning::EnrolAnswer =
        serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(renewed.station_id, station.id);
    let third = TlsIdentity {
        ca_pem: renewed.ca_pem,
        cert_pem: renewed.certificate_pem,
        key_pem,
    };
    assert_eq!(status_get(&third.agent(), &base, path).status, 200);
    assert_eq!(
        status_get(&second.agent(), &base, path).error_code(),
        "certificate-replaced"
    );
}

#[test]
fn the_handover_must_come_over_the_certificate_of_the_station_it_names() {
    let dir = crate::common::private_tempdir();
    let (central, station) = start(dir.path());
    let other = TestStation::new("mairie-lyon-03-p9");
    let other_tls = enrol(&central, &other.id, other.public_key());
    // Signed by `station`, sent over `other`'s certificate.
    let answer = handover_post(&other_tls.agent(), &central.url(), &station);
    assert_eq!(answer.status, 403, "{}", answer.body);
    assert_eq!(answer.error_code(), "station-mismatch");
}

#[test]
fn a_station_registered_before_enrolment_codes_is_rekeyed_with_a_town_hall() {
    let dir = crate::common::private_tempdir();
    {
        // A database as the plain-HTTP central left it (schema 1), with one registered station.
        let conn = rusqlite::Connection::open(dir.path().join("central.sqlite")).unwrap();
        conn.execute_batch(
            "CREATE TABLE stations (station_id TEXT PRIMARY KEY NOT NULL,
                 public_key BLOB NOT NULL CHECK (length(public_key) = 32), added_at TEXT NOT NULL);
             CREATE TABLE receipts (record_id TEXT PRIMARY KEY NOT NULL, sha256 TEXT NOT NULL,
                 received_at TEXT NOT NULL, signature TEXT NOT NULL, station_id TEXT NOT NULL,
                 pre_request TEXT NOT NULL);
             CREATE TABLE consumed (number TEXT PRIMARY KEY NOT NULL, record_id TEXT NOT NULL,
                 consumed_at TEXT NOT NULL);
             PRAGMA user_version = 1;",
        )
        .unwrap();
        conn.execute(
            "INSERT INTO stations VALUES ('mairie-lyon-03-p1', ?1, '2026-01-01T00:00:00Z')",
            [vec![5u8; 32]],
        )
        .unwrap();
    }
    let db = central::enrolment::open_database(dir.path()).unwrap();
    let listed = central::enrolment::list(&db).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].certificate, None);
    // It has no town hall: a re-key must name one.
    assert!(central::enrolment::rekey(&db, "mairie-lyon-03-p1", None, 24).is_err());
    let code = central::enrolment::rekey(&db, "mairie-lyon-03-p1", Some(TOWN_HALL), 24)
        .unwrap()
        .code;
    drop(db);
    make_private(dir.path());
    let central = central::Central::start(central::CentralConfig::new(dir.path())).unwrap();
    let station = TestStation::new("mairie-lyon-03-p1");
    let identity = redeem(&central, &code, station.public_key());
    let answer = status_get(
        &identity.agent(),
        &central.url(),
        "/v1/pre-requests/DEMO000001",
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
}
