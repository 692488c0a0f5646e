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
