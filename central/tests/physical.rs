//! Height and eye colour at intake: a record carries them as the clerk confirmed them; the central
//! refuses a height no person has and a colour not in the list, and still takes records without
//! them (sealed before the station asked).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use crate::common;

use common::*;

fn sent(
    central: &central::RunningCentral,
    station: &TestStation,
    height_cm: Option<u16>,
    eye_colour: Option<&str>,
) -> Answer {
    let mut spec = PayloadSpec::new(&station.id, "DEMO000001");
    spec.height_cm = height_cm;
    spec.eye_colour = eye_colour.map(str::to_owned);
    let record = seal(&spec, station, central.public_keys());
    put_record(&central.url(), &spec.record_id, &record)
}

#[test]
fn a_height_out_of_range_or_an_unknown_eye_colour_is_refused_with_its_own_code() {
    let dir = common::private_tempdir();
    let (central, station) = start(dir.path());
    for cm in [0, 39, 261, 1680] {
        let answer = sent(&central, &station, Some(cm), Some("marron"));
        assert_eq!(
            (answer.status, answer.error_code().as_str()),
            (422, "height-out-of-range"),
            "{cm} cm: {}",
            answer.body
        );
        assert!(answer.body.contains(&cm.to_string()), "{}", answer.body);
    }
    let answer = sent(&central, &station, Some(170), Some("violet"));
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (422, "invalid-payload"),
        "{}",
        answer.body
    );
    assert!(answer.body.contains("violet"), "{}", answer.body);
    assert_eq!(central.receipt_count().unwrap(), 0);

    // The bounds themselves are people (a newborn, the tallest).
    let answer = sent(&central, &station, Some(40), Some("vairons"));
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(central.receipt_count().unwrap(), 1);
}

#[test]
fn a_record_without_height_and_eye_colour_is_still_taken() {
    let dir = common::private_tempdir();
    let (central, station) = start(dir.path());
    let answer = sent(&central, &station, None, None);
    assert_eq!(answer.status, 200, "{}", answer.body);
}
