//! Handover (remise) end to end: a real central on loopback receives an enrolment record carrying
//! `fingers.iso19794-2`, keeps its templates, and answers the station's signed request; the
//! simulated fingerprint module over a real pseudo-terminal gives the live finger. The applicant's
//! own finger (same seed, another impression) passes; someone else's fails.
#![allow(clippy::unwrap_used)]

use crate::upload_support;

use std::time::{Duration, Instant};

use drivers::transport::SerialTransport;
use drivers::zfm::FingerprintModule;
use firmware_sim::synth::fingerprint::{Finger, Impression};
use firmware_sim::zfm_firmware::{FingerMode, FingerprintSim, FingerprintSimConfig};
use station::checks::matching::{MATCH_THRESHOLD, Template, extract_image};
use station::record::{
    FingerImageForMinutiae, FingerImageRecord, FingerImpression, FingerMinutiaeRecord, FingerView,
};
use station::seal::{StationIdentity, now_rfc3339};
use station::uplink::handover::{HandoverClient, HandoverError, verify};
use station::uplink::{PreRequestNumber, UplinkError};
use station_demo::sample_record::sample_payload;
use upload_support::{Station, start_central};

/// The applicant's right and left index fingers, and a stranger's.
const RIGHT_INDEX: u64 = 81_001;
const LEFT_INDEX: u64 = 81_002;
const STRANGER: u64 = 81_003;

fn impression(seed: u64, n: u32) -> image::GrayImage {
    Finger::from_seed(seed).impression(&Impression::from_seed(seed, n), 256, 288)
}

/// Seals and uploads an enrolment record for `number` whose fingers are the two seeds' first
/// impressions, with their minutiae.
fn enrol(station: &Station, number: &str) {
    let record_id = uuid::Uuid::new_v4().to_string();
    let mut payload = sample_payload(
        &record_id,
        &station.config.station_id,
        number,
        &now_rfc3339(),
        1,
        false,
    )
    .unwrap();
    let (right, left) = (impression(RIGHT_INDEX, 0), impression(LEFT_INDEX, 0));
    let views = [
        FingerView {
            position: 2,
            quality: 72,
            impression: FingerImpression::LiveScanPlain,
            image: &right,
        },
        FingerView {
            position: 7,
            quality: 65,
            impression: FingerImpression::LiveScanPlain,
            image: &left,
        },
    ];
    payload.fingers = Some(FingerImageRecord::encode(&views).unwrap().into());
    let for_minutiae = [
        FingerImageForMinutiae {
            position: 2,
            quality: 72,
            image: &right,
        },
        FingerImageForMinutiae {
            position: 7,
            quality: 65,
            image: &left,
        },
    ];
    payload.minutiae = Some(
        FingerMinutiaeRecord::encode_images(&for_minutiae)
            .unwrap()
            .unwrap()
            .into(),
    );
    let sealed = station.sealer.seal(&payload).unwrap();
    let client = station.config.central_client();
    client.put_record(&record_id, &sealed.bytes).unwrap();
}

/// Places `seed`'s impression `n` on the simulated module and takes it through the driver.
fn live_finger(sim: &FingerprintSim, seed: u64, n: u32) -> Template {
    sim.control().place_finger(seed, n);
    let path = sim.port_path().to_str().unwrap().to_owned();
    let mut module = FingerprintModule::new(SerialTransport::open(&path, 57_600).unwrap());
    module.set_capture_timeout(Duration::from_secs(30));
    module.probe().unwrap();
    module
        .wait_for_finger(Instant::now() + Duration::from_secs(60))
        .unwrap();
    let capture = module.upload_image(&mut |_| {}).unwrap();
    sim.control().lift_finger();
    extract_image(&capture.image).unwrap()
}

#[test]
fn handover_passes_the_applicants_finger_and_fails_a_strangers() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(&dir.path().join("central"), "HO", 3);
    let station = Station::provision(&dir.path().join("station"), &central.url(), &central);
    enrol(&station, "HO00000000");

    let sim = FingerprintSim::start(FingerprintSimConfig {
        paced: false,
        finger: FingerMode::None,
        ..FingerprintSimConfig::default()
    })
    .unwrap();
    let central_client = station.config.central_client();
    let client = HandoverClient {
        central: &central_client,
        station_id: &station.config.station_id,
        identity: &station.sealer.identity,
    };
    let number = PreRequestNumber::parse("HO00000000").unwrap();

    // The applicant comes back and puts the left index down (another placement than at enrolment).
    let genuine = verify(&client, &number, &live_finger(&sim, LEFT_INDEX, 3)).unwrap();
    assert!(genuine.matched, "{genuine:?}");
    assert!(genuine.score >= MATCH_THRESHOLD);
    assert_eq!(genuine.position, Some(7));

    // Someone else presents the receipt.
    let impostor = verify(&client, &number, &live_finger(&sim, STRANGER, 1)).unwrap();
    assert!(!impostor.matched, "{impostor:?}");
    assert!(impostor.score < MATCH_THRESHOLD);
    sim.stop();

    // No record was received for another number: nothing to compare with.
    let other = PreRequestNumber::parse("HO00000001").unwrap();
    let live = extract_image(&impression(RIGHT_INDEX, 2)).unwrap();
    assert!(matches!(
        verify(&client, &other, &live),
        Err(HandoverError::NoReference)
    ));
    central.stop();
}

#[test]
fn handover_templates_go_only_to_the_station_of_the_certificate_that_signs() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(&dir.path().join("central"), "HS", 1);
    let station = Station::provision(&dir.path().join("station"), &central.url(), &central);
    enrol(&station, "HS00000000");
    let number = PreRequestNumber::parse("HS00000000").unwrap();
    let central_client = station.config.central_client();
    let live = extract_image(&impression(RIGHT_INDEX, 1)).unwrap();

    // Headers naming another station than the one whose certificate the connection carries.
    let stranger_key = StationIdentity::load_or_create(&dir.path().join("other.key")).unwrap();
    let unknown = HandoverClient {
        central: &central_client,
        station_id: "mairie-inconnue",
        identity: &stranger_key,
    };
    let refused = |result: Result<_, HandoverError>, expected: (u16, &str)| match result {
        Err(HandoverError::Uplink(UplinkError::Status { status, code, .. })) => {
            assert_eq!((status, code.as_str()), expected);
        }
        other => panic!("expected {expected:?}, got {other:?}"),
    };
    refused(verify(&unknown, &number, &live), (403, "station-mismatch"));

    // A registered station id signed with another key.
    let impersonator = HandoverClient {
        central: &central_client,
        station_id: &station.config.station_id,
        identity: &stranger_key,
    };
    refused(
        verify(&impersonator, &number, &live),
        (401, "bad-signature"),
    );

    // The real station gets them.
    let client = HandoverClient {
        central: &central_client,
        station_id: &station.config.station_id,
        identity: &station.sealer.identity,
    };
    assert!(verify(&client, &number, &live).unwrap().matched);
    central.stop();
}
