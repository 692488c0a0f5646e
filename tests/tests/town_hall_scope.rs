//! A station enrolled for one town hall, against a real central on loopback over mutual TLS: a
//! pre-request booked at another town hall is refused with the clerk's sentence saying so, not as
//! "unknown" nor as a refused station; its own town hall's pre-requests still read.

#![allow(clippy::unwrap_used)]

use crate::upload_support;

use central::{Central, CentralConfig};
use station::uplink::{PreRequestNumber, prerequest::clerk_message};
use upload_support::Station;

#[test]
fn a_pre_request_of_another_town_hall_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    // The demo catalogue: its pre-requests are booked at the station's town hall but one.
    let central = Central::start(CentralConfig::new(dir.path().join("central"))).unwrap();
    let station = Station::provision(&dir.path().join("station"), &central.url(), &central);
    let client = station.config.central_client();

    let own = PreRequestNumber::parse("DEMO000001").unwrap();
    assert_eq!(
        client.usable_pre_request(&own).unwrap().applicant.surname,
        "Lefèvre"
    );

    let elsewhere =
        PreRequestNumber::parse(central::prerequests::catalogue::OTHER_TOWN_HALL_NUMBER).unwrap();
    let refused = client.usable_pre_request(&elsewhere).unwrap_err();
    assert!(refused.is_other_town_hall(), "{refused}");
    assert!(!refused.is_transient(), "{refused}");
    assert!(
        clerk_message(&refused).contains("concerne une autre mairie"),
        "{}",
        clerk_message(&refused)
    );
    let refused = client.pre_request(&elsewhere).unwrap_err();
    assert!(refused.is_other_town_hall(), "{refused}");
}
