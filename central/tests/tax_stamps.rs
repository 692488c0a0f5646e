//! Electronic tax stamps over real HTTPS on loopback: the station's check (known, used, value),
//! and the consumption with the record at intake, once, in the receipt's transaction.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use crate::common;

use common::*;

/// Demo stamps (central/demo/tax_stamps.json): their digits say their value.
const PASSPORT_ADULT: &str = "0860000000000001";
const PASSPORT_ADULT_2: &str = "0860000000000002";
const PASSPORT_UNDER_15: &str = "0170000000000001";
const USED_ELSEWHERE: &str = "9999000000000001";
const NOT_A_STAMP: &str = "1234567890123456";

fn sent(
    central: &central::RunningCentral,
    station: &TestStation,
    pre_request: &str,
    document_type: &str,
    stamp: Option<(&str, u32)>,
) -> Answer {
    let mut spec = PayloadSpec::new(&station.id, pre_request);
    spec.document_type = document_type.to_owned();
    spec.reason = Some("renewal".to_owned());
    spec.tax_stamp = stamp.map(|(n, c)| (n.to_owned(), c));
    let record = seal(&spec, station, central.public_keys());
    put_record(&central.url(), &spec.record_id, &record)
}

fn standing(central: &central::RunningCentral, number: &str) -> Answer {
    get(&central.url(), &wire::paths::tax_stamp(number), None)
}

#[test]
fn the_check_says_value_and_use_of_a_known_stamp_and_refuses_an_unknown_one() {
    let dir = common::private_tempdir();
    let (central, _station) = start(dir.path());
    let answer = standing(&central, PASSPORT_ADULT);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let read: wire::tax_stamp::StampStanding = serde_json::from_str(&answer.body).unwrap();
    assert_eq!((read.amount_cents, read.used), (8_600, false));
    let answer = standing(&central, USED_ELSEWHERE);
    assert_eq!(answer.json()["used"], true, "{}", answer.body);
    let answer = standing(&central, NOT_A_STAMP);
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (404, wire::tax_stamp::TAX_STAMP_UNKNOWN)
    );
    let answer = standing(&central, "12345");
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (400, "malformed-tax-stamp")
    );
}

#[test]
fn a_stamp_pays_for_one_record_and_is_then_used() {
    let dir = common::private_tempdir();
    let (central, station) = start(dir.path());
    // DEMO000002: an adult's passport, 86 €.
    let answer = sent(
        &central,
        &station,
        "DEMO000002",
        "passport",
        Some((PASSPORT_ADULT, 8_600)),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(standing(&central, PASSPORT_ADULT).json()["used"], true);
    // 82TYIB5L7S: another adult's passport, paid with the same stamp.
    let answer = sent(
        &central,
        &station,
        "82TYIB5L7S",
        "passport",
        Some((PASSPORT_ADULT, 8_600)),
    );
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (422, wire::tax_stamp::TAX_STAMP_USED),
        "{}",
        answer.body
    );
    assert_eq!(central.receipt_count().unwrap(), 1);
}

#[test]
fn a_record_refused_at_intake_leaves_its_stamp_unused() {
    let dir = common::private_tempdir();
    let (central, station) = start(dir.path());
    // DEMO000002 asks for a passport: a record for an identity card is refused after the stamp
    // was found good, and the stamp must stay unused.
    let answer = sent(
        &central,
        &station,
        "DEMO000002",
        "cni",
        Some((PASSPORT_ADULT, 8_600)),
    );
    assert_eq!(
        answer.error_code(),
        "document-type-mismatch",
        "{}",
        answer.body
    );
    assert_eq!(standing(&central, PASSPORT_ADULT).json()["used"], false);

    for (stamp, code) in [
        (
            Some((NOT_A_STAMP, 8_600)),
            wire::tax_stamp::TAX_STAMP_UNKNOWN,
        ),
        (
            Some((USED_ELSEWHERE, 8_600)),
            wire::tax_stamp::TAX_STAMP_USED,
        ),
        // 17 € for an adult's 86 € passport.
        (
            Some((PASSPORT_UNDER_15, 1_700)),
            wire::tax_stamp::TAX_STAMP_TOO_LOW,
        ),
        (None, wire::tax_stamp::TAX_STAMP_MISSING),
    ] {
        let answer = sent(&central, &station, "DEMO000002", "passport", stamp);
        assert_eq!(
            (answer.status, answer.error_code().as_str()),
            (422, code),
            "{stamp:?}: {}",
            answer.body
        );
    }
    assert_eq!(standing(&central, PASSPORT_UNDER_15).json()["used"], false);
    assert_eq!(central.receipt_count().unwrap(), 0);
    // The pre-request is still usable: the good stamp now pays for it.
    let answer = sent(
        &central,
        &station,
        "DEMO000002",
        "passport",
        Some((PASSPORT_ADULT, 8_600)),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
}

#[test]
fn a_free_identity_card_needs_no_stamp_and_an_older_record_is_not_asked_for_one() {
    let dir = common::private_tempdir();
    let (central, station) = start(dir.path());
    // DEMO000001: an identity card renewed, free.
    let answer = sent(&central, &station, "DEMO000001", "cni", None);
    assert_eq!(answer.status, 200, "{}", answer.body);
    // A record without `reason` (a station from before stamps) for a passport is still taken.
    let spec = PayloadSpec {
        document_type: "passport".into(),
        ..PayloadSpec::new(&station.id, "82TYIB5L7S")
    };
    let record = seal(&spec, &station, central.public_keys());
    let answer = put_record(&central.url(), &spec.record_id, &record);
    assert_eq!(answer.status, 200, "{}", answer.body);
}

#[test]
fn two_records_paying_with_one_stamp_at_once_get_one_receipt() {
    let dir = common::private_tempdir();
    let (central, station) = start(dir.path());
    let records: Vec<(String, Vec<u8>)> = ["DEMO000002", "82TYIB5L7S", "67GRGIUF5K"]
        .into_iter()
        .map(|number| {
            let mut spec = PayloadSpec::new(&station.id, number);
            spec.document_type = "passport".into();
            spec.reason = Some("renewal".into());
            spec.tax_stamp = Some((PASSPORT_ADULT_2.into(), 8_600));
            let sealed = seal(&spec, &station, central.public_keys());
            (spec.record_id, sealed)
        })
        .collect();
    let url = central.url();
    let answers: Vec<Answer> = std::thread::scope(|scope| {
        let handles: Vec<_> = records
            .iter()
            .map(|(id, bytes)| scope.spawn(|| put_record(&url, id, bytes)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let accepted = answers.iter().filter(|a| a.status == 200).count();
    assert_eq!(accepted, 1, "{answers:?}");
    assert!(
        answers
            .iter()
            .filter(|a| a.status != 200)
            .all(|a| a.error_code() == wire::tax_stamp::TAX_STAMP_USED),
        "{answers:?}"
    );
    assert_eq!(central.receipt_count().unwrap(), 1);
}

#[test]
fn the_receipt_and_the_stamp_commit_together_or_not_at_all() {
    let dir = common::private_tempdir();
    let db = crate::common::open_database(dir.path()).unwrap();
    let receipt = |id: &str| central::Receipt {
        record_id: id.into(),
        sha256: "00".repeat(32),
        received_at: "2026-11-27T07:00:00Z".into(),
        signature: "sig".into(),
    };
    db.commit_intake(&receipt("r1"), "s", "DEMO000002", Some(PASSPORT_ADULT))
        .unwrap();
    assert_eq!(
        db.tax_stamp_used_by(PASSPORT_ADULT).unwrap().as_deref(),
        Some("r1")
    );
    // A second record with the stamp: the whole transaction fails, its receipt and its
    // pre-request's consumption included.
    assert!(
        db.commit_intake(&receipt("r2"), "s", "82TYIB5L7S", Some(PASSPORT_ADULT))
            .is_err()
    );
    assert!(db.receipt("r2").unwrap().is_none());
    assert!(db.consumed_by("82TYIB5L7S").unwrap().is_none());
    assert_eq!(db.receipt_count().unwrap(), 1);
}
