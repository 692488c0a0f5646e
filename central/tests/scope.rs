//! A station sees, files and hands over only its own town hall's pre-requests: a real central on
//! loopback, a station of the demo's town hall (Lyon 2e) and one of another town hall (Marseille),
//! each over its own mutual-TLS identity.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use crate::common::{self, Answer, TestStation, TlsIdentity, start};

/// The demo pre-request booked at another town hall than the demo's.
const MARSEILLE_NUMBER: &str = central::prerequests::catalogue::OTHER_TOWN_HALL_NUMBER;
/// Its town hall.
const MARSEILLE: &str = "13055-01";
/// A demo pre-request of the demo's town hall.
const LYON_NUMBER: &str = "DEMO000001";

fn answer_of(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
    let mut response = response.expect("HTTPS exchange");
    Answer {
        status: response.status().as_u16(),
        body: response.body_mut().read_to_string().unwrap_or_default(),
    }
}

fn get_as(identity: &TlsIdentity, base: &str, path: &str) -> Answer {
    answer_of(identity.agent().get(&format!("{base}{path}")).call())
}

fn put_as(identity: &TlsIdentity, base: &str, record_id: &str, bytes: &[u8]) -> Answer {
    answer_of(
        identity
            .agent()
            .put(&format!("{base}{}", wire::paths::record(record_id)))
            .header("content-type", "application/octet-stream")
            .send(bytes),
    )
}

/// A station of Marseille, enrolled with a code for its town hall.
pub fn marseille_station(central: &central::RunningCentral) -> (TestStation, TlsIdentity) {
    let mut station = TestStation::new("mairie-marseille-01-p1");
    let code = central.enrol_station(&station.id, MARSEILLE).unwrap().code;
    let identity = common::redeem(central, &code, station.public_key());
    station.tls = Some(identity.clone());
    (station, identity)
}

fn refused_as_other_town_hall(answer: &Answer, what: &str) {
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (403, wire::town_hall::OTHER_TOWN_HALL),
        "{what}: {}",
        answer.body
    );
    assert!(
        !answer.body.contains("Castellane") && !answer.body.contains("Lefèvre"),
        "{what}: the refusal gives nothing of the applicant: {}",
        answer.body
    );
}

#[test]
fn a_station_sees_only_its_own_town_halls_pre_requests() {
    let dir = crate::common::private_tempdir();
    let (central, lyon) = start(dir.path());
    let lyon_tls = lyon.tls.clone().unwrap();
    let (_marseille, marseille_tls) = marseille_station(&central);
    let url = central.url();

    for (identity, mine, theirs) in [
        (&lyon_tls, LYON_NUMBER, MARSEILLE_NUMBER),
        (&marseille_tls, MARSEILLE_NUMBER, LYON_NUMBER),
    ] {
        let answer = get_as(identity, &url, &wire::paths::status(mine));
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(answer.json()[mine]["status"], "validated");
        let answer = get_as(identity, &url, &wire::paths::pre_request(mine));
        assert_eq!(answer.status, 200, "{}", answer.body);

        refused_as_other_town_hall(
            &get_as(identity, &url, &wire::paths::status(theirs)),
            "status",
        );
        refused_as_other_town_hall(
            &get_as(identity, &url, &wire::paths::pre_request(theirs)),
            "content",
        );
    }
    // What cannot be used anyway and names no town hall is still told as it is: the clerk learns
    // that it expired rather than that it is elsewhere.
    let answer = get_as(&marseille_tls, &url, &wire::paths::status("4P6KYQJR06"));
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["4P6KYQJR06"]["status"], "expired");
    central.stop();
}

#[test]
fn a_station_files_records_only_for_its_own_town_hall() {
    let dir = crate::common::private_tempdir();
    let (central, lyon) = start(dir.path());
    let lyon_tls = lyon.tls.clone().unwrap();
    let (marseille, marseille_tls) = marseille_station(&central);
    let keys = central.public_keys().clone();
    let url = central.url();

    // Lyon's station seals a record for Marseille's applicant: refused, nothing consumed.
    let spec = common::PayloadSpec::new(&lyon.id, MARSEILLE_NUMBER);
    let sealed = common::seal(&spec, &lyon, &keys);
    let answer = put_as(&lyon_tls, &url, &spec.record_id, &sealed);
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (422, wire::town_hall::OTHER_TOWN_HALL),
        "{}",
        answer.body
    );
    // Sent over Marseille's connection it is still Lyon's record (Lyon's key signed it).
    let answer = put_as(&marseille_tls, &url, &spec.record_id, &sealed);
    assert_eq!(
        answer.error_code(),
        wire::town_hall::OTHER_TOWN_HALL,
        "{}",
        answer.body
    );
    assert_eq!(central.receipt_count().unwrap(), 0);

    // Marseille's own station files it.
    let spec = common::PayloadSpec::new(&marseille.id, MARSEILLE_NUMBER);
    let sealed = common::seal(&spec, &marseille, &keys);
    let answer = put_as(&marseille_tls, &url, &spec.record_id, &sealed);
    assert_eq!(answer.status, 200, "{}", answer.body);
    // And Lyon's files Lyon's.
    let spec = common::PayloadSpec::new(&lyon.id, LYON_NUMBER);
    let answer = put_as(
        &lyon_tls,
        &url,
        &spec.record_id,
        &common::seal(&spec, &lyon, &keys),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(central.receipt_count().unwrap(), 2);
    central.stop();
}

#[test]
fn a_station_asks_the_handover_subject_only_of_its_own_town_halls_documents() {
    let dir = crate::common::private_tempdir();
    let (central, lyon) = start(dir.path());
    let lyon_tls = lyon.tls.clone().unwrap();
    let (_marseille, marseille_tls) = marseille_station(&central);
    let keys = central.public_keys().clone();
    let url = central.url();
    let spec = common::PayloadSpec::new(&lyon.id, LYON_NUMBER);
    let answer = put_as(
        &lyon_tls,
        &url,
        &spec.record_id,
        &common::seal(&spec, &lyon, &keys),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);

    let subject = wire::paths::handover_subject(LYON_NUMBER);
    assert_eq!(get_as(&lyon_tls, &url, &subject).status, 200);
    refused_as_other_town_hall(&get_as(&marseille_tls, &url, &subject), "handover subject");
    central.stop();
}
