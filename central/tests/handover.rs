//! `POST /v1/handover` on a real central on loopback, with a test-side station that seals and signs
//! independently of the station crate (the `hpke` crate's sender, ring's Ed25519): the central
//! decides with the template it holds, signs its decision, refuses replays, stale and forged
//! requests and too many attempts, records every attempt, and no longer hands templates out.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use fingerprint::{FingerMinutiaeRecord, FingerMinutiaeView, Minutia, MinutiaKind, Template};
use hpke::aead::AesGcm256;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;
use hpke::{Deserializable, Serializable};
use ring::signature::{ED25519, UnparsedPublicKey};
use wire::handover::{Decision, HandoverClaim, HandoverDecision, HandoverRequest};

use crate::common::{Answer, TestStation, get, start};

const NUMBER: &str = "DEMO000001";

/// A made-up print: minutiae scattered by a small pseudo-random generator (the same seed is the
/// same finger, other seeds other fingers).
fn print(seed: u32) -> Template {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(12_345) | 1;
    let mut next = move |n: u32| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state % n
    };
    let minutiae = (0..40)
        .map(|_| Minutia {
            x: 10 + next(236) as u16,
            y: 10 + next(268) as u16,
            angle: next(256) as u8,
            kind: if next(2) == 0 {
                MinutiaKind::Bifurcation
            } else {
                MinutiaKind::RidgeEnding
            },
            quality: 80,
        })
        .collect();
    Template {
        width: 256,
        height: 288,
        resolution_ppcm: fingerprint::RESOLUTION_500_PPI,
        minutiae,
    }
}

fn record(fingers: &[(u8, &Template)]) -> Vec<u8> {
    let views: Vec<FingerMinutiaeView<'_>> = fingers
        .iter()
        .map(|(position, template)| FingerMinutiaeView {
            position: *position,
            quality: 70,
            template,
        })
        .collect();
    FingerMinutiaeRecord::encode(&views).unwrap()
}

/// Keeps the applicant's right index (print 1) and left index (print 2) for `number`, as intake does
/// on receiving a record: its templates first, then its receipt, which consumes the number.
fn enrol(data: &Path, number: &str) {
    let db = std::sync::Arc::new(crate::common::open_database(data).unwrap());
    let record_id = uuid::Uuid::new_v4().to_string();
    central::templates::TemplateStore::open_beside(std::sync::Arc::clone(&db), data)
        .unwrap()
        .put(
            number,
            &record_id,
            "mairie-lyon-03-p1",
            &record(&[(2, &print(1)), (7, &print(2))]),
        )
        .unwrap();
    let receipt = central::Receipt {
        record_id,
        sha256: "ab".repeat(32),
        received_at: now(),
        signature: "cd".repeat(32),
    };
    db.commit_intake(&receipt, "mairie-lyon-03-p1", number, None)
        .unwrap();
}

fn now() -> String {
    let now = time::OffsetDateTime::now_utc();
    now.replace_nanosecond(0)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

fn claim(station: &TestStation, number: &str, finger: u8, live: &Template) -> HandoverClaim {
    HandoverClaim {
        number: number.into(),
        finger,
        nonce: hex::encode(rand::random::<[u8; 32]>()),
        station_id: station.id.clone(),
        requested_at: now(),
        template: hex::encode(record(&[(finger, live)])),
    }
}

/// Seals `claim` to `record_key` and signs the request with `signer` as station `station_id`.
fn request(
    claim: &HandoverClaim,
    station_id: &str,
    signer: &TestStation,
    record_key: &[u8; 32],
) -> Vec<u8> {
    let pk = <X25519HkdfSha256 as hpke::Kem>::PublicKey::from_bytes(record_key).unwrap();
    let (enc, ciphertext) = hpke::single_shot_seal::<AesGcm256, HkdfSha256, X25519HkdfSha256>(
        &hpke::OpModeS::Base,
        &pk,
        wire::handover::HPKE_INFO,
        &serde_json::to_vec(claim).unwrap(),
        &wire::handover::sealed_aad(station_id),
    )
    .unwrap();
    let mut request = HandoverRequest {
        station_id: station_id.into(),
        enc: hex::encode(enc.to_bytes()),
        ciphertext: hex::encode(ciphertext),
        signature: String::new(),
    };
    request.signature = hex::encode(signer.key.sign(request.signed_string().as_bytes()));
    serde_json::to_vec(&request).unwrap()
}

/// POSTs a handover request over the certificate of the station `common::start` enrolled.
fn post(base: &str, body: &[u8]) -> Answer {
    post_as(&crate::common::agent_for(base), base, body)
}

fn post_as(agent: &ureq::Agent, base: &str, body: &[u8]) -> Answer {
    let mut response = agent
        .post(&format!("{base}{}", wire::paths::HANDOVER_ROUTE))
        .header("content-type", "application/json")
        .send(body)
        .unwrap();
    Answer {
        status: response.status().as_u16(),
        body: response.body_mut().read_to_string().unwrap_or_default(),
    }
}

/// The decision, its signature checked with the central's receipt key and its echo of the claim.
fn decision(answer: &Answer, claim: &HandoverClaim, receipt_key: &[u8; 32]) -> HandoverDecision {
    assert_eq!(answer.status, 200, "{}", answer.body);
    let decision: HandoverDecision = serde_json::from_str(&answer.body).unwrap();
    UnparsedPublicKey::new(&ED25519, receipt_key)
        .verify(
            decision.canonical_string().as_bytes(),
            &hex::decode(&decision.signature).unwrap(),
        )
        .unwrap();
    assert_eq!(
        (
            &decision.number,
            &decision.nonce,
            &decision.station_id,
            decision.finger
        ),
        (&claim.number, &claim.nonce, &claim.station_id, claim.finger)
    );
    assert_eq!(decision.threshold, fingerprint::MATCH_THRESHOLD);
    decision
}

#[test]
fn the_central_decides_with_the_template_it_holds_and_signs() {
    let dir = crate::common::private_tempdir();
    let (central, station) = start(dir.path());
    enrol(dir.path(), NUMBER);
    let keys = central.public_keys().clone();
    let url = central.url();

    // The applicant's left index, presented as such and as "any finger".
    for finger in [7, 0] {
        let asked = claim(&station, NUMBER, finger, &print(2));
        let answer = post(
            &url,
            &request(&asked, &station.id, &station, &keys.record_public_key),
        );
        let d = decision(&answer, &asked, &keys.receipt_public_key);
        assert_eq!(
            (d.decision, d.compared_finger),
            (Decision::Match, 7),
            "{d:?}"
        );
    }
    // Someone else's finger.
    let asked = claim(&station, NUMBER, 0, &print(9));
    let answer = post(
        &url,
        &request(&asked, &station.id, &station, &keys.record_public_key),
    );
    let d = decision(&answer, &asked, &keys.receipt_public_key);
    assert_eq!(d.decision, Decision::NoMatch, "{d:?}");
    assert!(d.score < d.threshold);

    // Nothing enrolled for another number, nor for a finger not taken.
    let asked = claim(&station, "DEMO000002", 0, &print(2));
    let answer = post(
        &url,
        &request(&asked, &station.id, &station, &keys.record_public_key),
    );
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (404, "no-templates")
    );
    let asked = claim(&station, NUMBER, 3, &print(2));
    let answer = post(
        &url,
        &request(&asked, &station.id, &station, &keys.record_public_key),
    );
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (404, "no-templates")
    );
    central.stop();

    // Every attempt is on record: time, station, number, finger, score, outcome.
    let db = crate::common::open_database(dir.path()).unwrap();
    let attempts = central::handover::AttemptLog::open_beside(&db, dir.path())
        .unwrap()
        .all()
        .unwrap();
    let outcomes: Vec<(&str, u8, &str)> = attempts
        .iter()
        .map(|a| (a.number.as_str(), a.finger, a.outcome.as_str()))
        .collect();
    assert_eq!(
        outcomes,
        [
            (NUMBER, 7, "match"),
            (NUMBER, 0, "match"),
            (NUMBER, 0, "no-match"),
            ("DEMO000002", 0, "no-templates"),
            (NUMBER, 3, "no-templates"),
        ]
    );
    assert!(
        attempts[..3]
            .iter()
            .all(|a| a.score.is_some() && a.station_id == station.id)
    );
}

#[test]
fn a_replayed_request_is_refused() {
    let dir = crate::common::private_tempdir();
    let (central, station) = start(dir.path());
    enrol(dir.path(), NUMBER);
    let keys = central.public_keys().clone();
    let asked = claim(&station, NUMBER, 0, &print(9));
    let body = request(&asked, &station.id, &station, &keys.record_public_key);
    assert_eq!(post(&central.url(), &body).status, 200);
    let replay = post(&central.url(), &body);
    assert_eq!(
        (replay.status, replay.error_code().as_str()),
        (409, "replayed-request"),
        "{}",
        replay.body
    );
    // The same nonce sealed afresh (new HPKE encapsulation, new signature) is a replay too.
    let again = request(&asked, &station.id, &station, &keys.record_public_key);
    assert_eq!(
        post(&central.url(), &again).error_code(),
        "replayed-request"
    );
    central.stop();
}

#[test]
fn forged_stale_and_misdirected_requests_are_refused() {
    let dir = crate::common::private_tempdir();
    let (central, station) = start(dir.path());
    enrol(dir.path(), NUMBER);
    let keys = central.public_keys().clone();
    let url = central.url();
    let refused = |body: Vec<u8>| {
        let answer = post(&url, &body);
        (answer.status, answer.error_code())
    };
    let asked = claim(&station, NUMBER, 0, &print(2));

    // A station with no certificate cannot connect at all; its request sent over an enrolled
    // station's certificate names another station.
    let stranger = TestStation::new("mairie-inconnue");
    assert_eq!(
        refused(request(
            &asked,
            &stranger.id,
            &stranger,
            &keys.record_public_key
        )),
        (403, "station-mismatch".into())
    );
    assert_eq!(
        refused(request(
            &asked,
            &station.id,
            &stranger,
            &keys.record_public_key
        )),
        (401, "bad-signature".into())
    );
    let mut old = asked.clone();
    old.requested_at = "2026-01-01T00:00:00Z".into();
    assert_eq!(
        refused(request(
            &old,
            &station.id,
            &station,
            &keys.record_public_key
        )),
        (401, "stale-request".into())
    );
    assert_eq!(
        refused(request(&asked, &station.id, &station, &[9u8; 32])),
        (400, "cannot-open".into())
    );
    // A claim sealed by one station, signed by another enrolled one over its own certificate.
    let other = TestStation::new("mairie-lyon-03-p2");
    let other_agent = crate::common::enrol(&central, &other.id, other.public_key()).agent();
    let answer = post_as(
        &other_agent,
        &central.url(),
        &request(&asked, &other.id, &other, &keys.record_public_key),
    );
    assert_eq!(
        (answer.status, answer.error_code()),
        (400, "malformed-request".into())
    );
    // Signed by one station, sent over another's certificate.
    let answer = post_as(
        &other_agent,
        &central.url(),
        &request(&asked, &station.id, &station, &keys.record_public_key),
    );
    assert_eq!(
        (answer.status, answer.error_code()),
        (403, "station-mismatch".into())
    );
    assert_eq!(refused(b"{}".to_vec()), (400, "malformed-request".into()));
    central.stop();
}

#[test]
fn too_many_attempts_for_one_number_are_refused() {
    let dir = crate::common::private_tempdir();
    let (central, station) = start(dir.path());
    enrol(dir.path(), NUMBER);
    let keys = central.public_keys().clone();
    for _ in 0..central::handover::MAX_PER_NUMBER {
        let asked = claim(&station, NUMBER, 0, &print(9));
        let answer = post(
            &central.url(),
            &request(&asked, &station.id, &station, &keys.record_public_key),
        );
        assert_eq!(answer.status, 200, "{}", answer.body);
    }
    // Even the applicant's own finger waits now.
    let asked = claim(&station, NUMBER, 0, &print(2));
    let answer = post(
        &central.url(),
        &request(&asked, &station.id, &station, &keys.record_public_key),
    );
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (429, "too-many-attempts"),
        "{}",
        answer.body
    );
    central.stop();
}

#[test]
fn the_templates_are_no_longer_handed_out() {
    let dir = crate::common::private_tempdir();
    let (central, _station) = start(dir.path());
    enrol(dir.path(), NUMBER);
    let answer = get(&central.url(), "/v1/handover/DEMO000001/templates", None);
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (404, "not-found")
    );
    assert!(!answer.body.contains("FMR"));
    central.stop();
}

#[test]
fn a_station_of_another_town_hall_is_refused_the_handover() {
    let dir = crate::common::private_tempdir();
    let (central, station) = start(dir.path());
    enrol(dir.path(), NUMBER);
    let keys = central.public_keys().clone();
    let (marseille, marseille_tls) = crate::scope::marseille_station(&central);

    let asked = claim(&marseille, NUMBER, 0, &print(1));
    let answer = post_as(
        &marseille_tls.agent(),
        &central.url(),
        &request(&asked, &marseille.id, &marseille, &keys.record_public_key),
    );
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (403, wire::town_hall::OTHER_TOWN_HALL),
        "{}",
        answer.body
    );
    // The station of the town hall that enrolled it gets its decision.
    let asked = claim(&station, NUMBER, 0, &print(1));
    let answer = post(
        &central.url(),
        &request(&asked, &station.id, &station, &keys.record_public_key),
    );
    assert_eq!(
        decision(&answer, &asked, &keys.receipt_public_key).decision,
        Decision::Match
    );
    central.stop();
}

#[test]
fn replays_and_limits_hold_across_two_replicas() {
    // Two centrals on one data directory and one database, as two replicas behind one address:
    // a request replayed to the other is refused, and the limit counts the attempts of both.
    let dir = crate::common::private_tempdir();
    let (first, station) = start(dir.path());
    let second = central::Central::start(crate::common::config(dir.path())).unwrap();
    crate::common::use_identity(&second.url(), station.tls.as_ref().unwrap());
    enrol(dir.path(), NUMBER);
    let keys = first.public_keys().clone();
    let urls = [first.url(), second.url()];

    let asked = claim(&station, NUMBER, 0, &print(9));
    let body = request(&asked, &station.id, &station, &keys.record_public_key);
    assert_eq!(post(&urls[0], &body).status, 200);
    let replay = post(&urls[1], &body);
    assert_eq!(
        (replay.status, replay.error_code().as_str()),
        (409, "replayed-request"),
        "{}",
        replay.body
    );
    for n in 1..central::handover::MAX_PER_NUMBER {
        let asked = claim(&station, NUMBER, 0, &print(9));
        let answer = post(
            &urls[usize::try_from(n % 2).unwrap()],
            &request(&asked, &station.id, &station, &keys.record_public_key),
        );
        assert_eq!(answer.status, 200, "{}", answer.body);
    }
    for url in &urls {
        let asked = claim(&station, NUMBER, 0, &print(2));
        let answer = post(
            url,
            &request(&asked, &station.id, &station, &keys.record_public_key),
        );
        assert_eq!(
            (answer.status, answer.error_code().as_str()),
            (429, "too-many-attempts"),
            "{}",
            answer.body
        );
    }
    first.stop();
    second.stop();
}
