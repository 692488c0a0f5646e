//! Records taken without a pre-request: the paper form typed at the counter is in the manifest,
//! checked with the pre-requests' own civil-status rules, kept, and no pre-request is consumed; a
//! record with neither a pre-request nor a form, or with a bad form, is refused with its own code.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use serde_json::{Value, json};

use crate::common;

use common::*;

fn form(surname: &str, birth_date: &str, document_type: &str) -> Value {
    json!({
        "cerfa": "12100*03",
        "document_type": document_type,
        "reason": "first",
        "applicant": {
            "surname": surname,
            "given_names": "Lounès",
            "birth_date": birth_date,
            "birth_place": "Tizi Ouzou (Algérie)",
            "sex": "M",
            "address": "28 rue Pasteur, 69007 Lyon",
            "parents": [],
            "height_cm": 176,
            "eye_colour": "marron"
        }
    })
}

fn sent(
    central: &central::RunningCentral,
    station: &TestStation,
    pre_request: &str,
    paper_form: Option<Value>,
) -> (String, Answer) {
    let mut spec = PayloadSpec::new(&station.id, pre_request);
    spec.height_cm = Some(176);
    spec.eye_colour = Some("marron".into());
    spec.paper_form = paper_form;
    let record = seal(&spec, station, central.public_keys());
    let answer = put_record(&central.url(), &spec.record_id, &record);
    (spec.record_id, answer)
}

#[test]
fn a_record_from_the_paper_form_is_taken_its_form_kept_and_no_pre_request_consumed() {
    let dir = common::private_tempdir();
    let (central, station) = start(dir.path());
    let (record_id, answer) = sent(
        &central,
        &station,
        "none",
        Some(form("Ait Ouaziz", "1976-03-03", "cni")),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(central.receipt_count().unwrap(), 1);
    assert_eq!(central.consumed_count().unwrap(), 0);
    let kept: Value = serde_json::from_str(&central.paper_form(&record_id).unwrap().unwrap())
        .expect("kept as JSON");
    assert_eq!(kept["applicant"]["surname"], "Ait Ouaziz");

    // A second applicant without a pre-request is not "the same pre-request used twice".
    let (_, answer) = sent(
        &central,
        &station,
        "none",
        Some(form("Lambert", "1938-12-24", "cni")),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(central.receipt_count().unwrap(), 2);
}

#[test]
fn no_pre_request_and_no_form_or_a_bad_form_is_refused_with_its_own_code() {
    let dir = common::private_tempdir();
    let (central, station) = start(dir.path());
    let (_, answer) = sent(&central, &station, "none", None);
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (422, "no-pre-request-no-paper-form"),
        "{}",
        answer.body
    );
    for (surname, born, document, word) in [
        ("", "1976-03-03", "cni", "surname"),
        ("R2D2", "1976-03-03", "cni", "surname"),
        ("Ait Ouaziz", "1976-02-30", "cni", "birth_date"),
        ("Ait Ouaziz", "2999-01-01", "cni", "birth_date"),
        ("Ait Ouaziz", "1976-03-03", "passport", "passport"),
    ] {
        let (_, answer) = sent(
            &central,
            &station,
            "none",
            Some(form(surname, born, document)),
        );
        assert_eq!(
            (answer.status, answer.error_code().as_str()),
            (422, "paper-form-invalid"),
            "{surname} {born} {document}: {}",
            answer.body
        );
        assert!(answer.body.contains(word), "{}", answer.body);
    }
    // A form beside a pre-request number: which one is the applicant? Refused.
    let (_, answer) = sent(
        &central,
        &station,
        "DEMO000001",
        Some(form("Ait Ouaziz", "1976-03-03", "cni")),
    );
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (422, "invalid-payload"),
        "{}",
        answer.body
    );
    assert_eq!(central.receipt_count().unwrap(), 0);
    assert_eq!(central.consumed_count().unwrap(), 0);
}

/// The demo's third 86 € stamp (central/demo/tax_stamps.json).
const PASSPORT_ADULT_3: &str = "0860000000000003";

fn sent_paying(
    central: &central::RunningCentral,
    station: &TestStation,
    paper_form: Value,
    stamp: Option<(&str, u32)>,
) -> Answer {
    let mut spec = PayloadSpec::new(&station.id, "none");
    spec.document_type = paper_form["document_type"].as_str().unwrap().to_owned();
    spec.height_cm = Some(176);
    spec.eye_colour = Some("marron".into());
    spec.reason = stamp.map(|_| paper_form["reason"].as_str().unwrap().to_owned());
    spec.tax_stamp = stamp.map(|(n, c)| (n.to_owned(), c));
    spec.paper_form = Some(paper_form);
    let record = seal(&spec, station, central.public_keys());
    put_record(&central.url(), &spec.record_id, &record)
}

#[test]
fn a_passport_from_the_paper_form_pays_its_stamp_once_with_its_receipt() {
    let dir = common::private_tempdir();
    let (central, station) = start(dir.path());
    let used = |number: &str| {
        get(&central.url(), &wire::paths::tax_stamp(number), None).json()["used"] == true
    };
    // No stamp: the form says a passport for an adult, 86 € are due whatever the manifest omits.
    let passport = form("Ait Ouaziz", "1976-03-03", "passport");
    let answer = sent_paying(&central, &station, passport.clone(), None);
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (422, "tax-stamp-missing"),
        "{}",
        answer.body
    );
    // A lost identity card costs 25 € on the paper form as on a pre-request.
    let mut lost_card = form("Lambert", "1938-12-24", "cni");
    lost_card["reason"] = json!("loss");
    let answer = sent_paying(&central, &station, lost_card, None);
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (422, "tax-stamp-missing"),
        "{}",
        answer.body
    );
    assert_eq!(central.receipt_count().unwrap(), 0);
    assert!(!used(PASSPORT_ADULT_3));

    let answer = sent_paying(
        &central,
        &station,
        passport.clone(),
        Some((PASSPORT_ADULT_3, 8_600)),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(used(PASSPORT_ADULT_3));
    assert_eq!(central.receipt_count().unwrap(), 1);
    // The same stamp for a second paper-form passport: used, refused, no second receipt.
    let answer = sent_paying(
        &central,
        &station,
        form("Lambert", "1938-12-24", "passport"),
        Some((PASSPORT_ADULT_3, 8_600)),
    );
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (422, "tax-stamp-used"),
        "{}",
        answer.body
    );
    assert_eq!(central.receipt_count().unwrap(), 1);
    assert_eq!(central.consumed_count().unwrap(), 0);
}
