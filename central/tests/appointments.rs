//! A mobile kit's day: `GET /v1/appointments?date=` lists the usable pre-requests booked for the
//! asking station's town hall that day, never another town hall's, never one already used, and only
//! to a station (mutual TLS).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use crate::common::{self, Answer, TlsIdentity, start};
use crate::scope::marseille_station;

/// The demo's tour day: three Lyon appointments and one in Marseille.
const TOUR_DAY: &str = "2026-12-14";

fn day_as(identity: &TlsIdentity, base: &str, date: &str) -> Answer {
    let mut response = identity
        .agent()
        .get(&format!("{base}{}", wire::paths::appointments(date)))
        .call()
        .expect("HTTPS exchange");
    Answer {
        status: response.status().as_u16(),
        body: response.body_mut().read_to_string().unwrap_or_default(),
    }
}

fn numbers(answer: &Answer) -> Vec<String> {
    assert_eq!(answer.status, 200, "{}", answer.body);
    let day: wire::appointments::DayAppointments =
        serde_json::from_str(&answer.body).expect("a day's appointments");
    day.pre_requests.into_iter().map(|p| p.number).collect()
}

#[test]
fn a_station_gets_its_own_town_halls_appointments_of_the_day_only() {
    let dir = common::private_tempdir();
    let (central, lyon) = start(dir.path());
    let lyon_tls = lyon.tls.clone().unwrap();
    let (_marseille, marseille_tls) = marseille_station(&central);
    let url = central.url();

    let answer = day_as(&lyon_tls, &url, TOUR_DAY);
    assert_eq!(
        numbers(&answer),
        ["TOURNEE001", "TOURNEE002", "TOURNEE003"],
        "Lyon's kit gets Lyon's three visits"
    );
    assert_eq!(answer.json()["town_hall"], "69382-02");
    assert!(
        !answer.body.contains("Roumanille") && !answer.body.contains("AUTRE00002"),
        "nothing of Marseille's appointment that day: {}",
        answer.body
    );
    assert_eq!(
        numbers(&day_as(&marseille_tls, &url, TOUR_DAY)),
        ["AUTRE00002"],
        "Marseille's station gets Marseille's one"
    );
    // A day without appointments is an empty list, not an error.
    assert!(numbers(&day_as(&lyon_tls, &url, "2026-12-13")).is_empty());
    central.stop();
}

#[test]
fn a_used_pre_request_is_no_longer_in_the_days_list() {
    let dir = common::private_tempdir();
    let (central, lyon) = start(dir.path());
    let lyon_tls = lyon.tls.clone().unwrap();
    let keys = central.public_keys().clone();
    let spec = common::PayloadSpec::new(&lyon.id, "TOURNEE003");
    let answer = common::put_record(
        &central.url(),
        &spec.record_id,
        &common::seal(&spec, &lyon, &keys),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        numbers(&day_as(&lyon_tls, &central.url(), TOUR_DAY)),
        ["TOURNEE001", "TOURNEE002"]
    );
    central.stop();
}

#[test]
fn a_bad_day_or_a_caller_without_certificate_is_refused() {
    let dir = common::private_tempdir();
    let (central, lyon) = start(dir.path());
    let lyon_tls = lyon.tls.clone().unwrap();
    let url = central.url();
    for bad in ["14/12/2026", "2026-12-1", "", "2026-02-30x"] {
        let answer = day_as(&lyon_tls, &url, bad);
        assert_eq!(
            (answer.status, answer.error_code().as_str()),
            (400, wire::appointments::BAD_DATE),
            "{bad:?}: {}",
            answer.body
        );
    }
    let mut response = common::tls_agent(central.ca_pem(), None)
        .get(&format!("{url}{}", wire::paths::appointments(TOUR_DAY)))
        .call()
        .expect("HTTPS exchange");
    let body = response.body_mut().read_to_string().unwrap_or_default();
    assert_eq!(response.status().as_u16(), 401, "{body}");
    assert!(!body.contains("Vasseur"), "{body}");
    central.stop();
}
