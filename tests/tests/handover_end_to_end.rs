//! Handover (remise) end to end: a real central on loopback receives an enrolment record carrying
//! `fingers.iso19794-2` and keeps its templates; the simulated fingerprint module over a real
//! pseudo-terminal gives the live finger, whose template the station seals to the central; the
//! central decides and signs, and the station checks the decision. The applicant's own finger (same
//! seed, another impression) passes; someone else's fails; a proxy that rewrites the decision, or
//! replays an earlier one, gets no pass.
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
use station::uplink::handover::{DecisionError, HandoverClient, HandoverError, verify};
use station::uplink::{CentralClient, HttpSettings, PreRequestNumber, UplinkError};
use station_demo::sample_record::sample_payload;
use upload_support::{Station, start_central};
use wire::handover::ANY_FINGER;

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
        identity: station.identity.as_ref(),
        central_keys: &station.sealer.central,
    };
    let number = PreRequestNumber::parse("HO00000000").unwrap();

    // The applicant comes back and puts the left index down (another placement than at enrolment).
    let left = live_finger(&sim, LEFT_INDEX, 3);
    let genuine = verify(&client, &number, ANY_FINGER, &left).unwrap();
    assert!(genuine.matched, "{genuine:?}");
    assert!(genuine.score >= MATCH_THRESHOLD);
    assert_eq!(genuine.position, Some(7));
    // Said to be the left index, it is compared with the left index only.
    assert!(verify(&client, &number, 7, &left).unwrap().matched);
    assert!(!verify(&client, &number, 2, &left).unwrap().matched);

    // Someone else presents the receipt.
    let impostor = verify(
        &client,
        &number,
        ANY_FINGER,
        &live_finger(&sim, STRANGER, 1),
    )
    .unwrap();
    assert!(!impostor.matched, "{impostor:?}");
    assert!(impostor.score < MATCH_THRESHOLD);
    sim.stop();

    // No record was received for another number: nothing to compare with.
    let other = PreRequestNumber::parse("HO00000001").unwrap();
    let live = extract_image(&impression(RIGHT_INDEX, 2)).unwrap();
    assert!(matches!(
        verify(&client, &other, ANY_FINGER, &live),
        Err(HandoverError::NoReference)
    ));

    // The sixth attempt within the hour for this number is refused (four above, and this one
    // makes five).
    verify(&client, &number, ANY_FINGER, &live).unwrap();
    assert!(matches!(
        verify(&client, &number, ANY_FINGER, &live),
        Err(HandoverError::TooManyAttempts(_))
    ));
    central.stop();
}

#[test]
fn handover_is_decided_only_for_registered_stations_that_sign() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(&dir.path().join("central"), "HS", 1);
    let station = Station::provision(&dir.path().join("station"), &central.url(), &central);
    enrol(&station, "HS00000000");
    let number = PreRequestNumber::parse("HS00000000").unwrap();
    let central_client = station.config.central_client();
    let live = extract_image(&impression(RIGHT_INDEX, 1)).unwrap();

    // A station the central does not know.
    let stranger_key = StationIdentity::load_or_create(&dir.path().join("other.key")).unwrap();
    let unknown = HandoverClient {
        central: &central_client,
        station_id: "mairie-inconnue",
        identity: &stranger_key,
        central_keys: &station.sealer.central,
    };
    let refused = |result: Result<_, HandoverError>, expected: &str| match result {
        Err(HandoverError::Uplink(UplinkError::Status { status, code, .. })) => {
            assert_eq!((status, code.as_str()), (401, expected));
        }
        other => panic!("expected a 401 {expected}, got {other:?}"),
    };
    refused(
        verify(&unknown, &number, ANY_FINGER, &live),
        "unknown-station",
    );

    // A registered station id signed with another key.
    let impersonator = HandoverClient {
        central: &central_client,
        station_id: &station.config.station_id,
        identity: &stranger_key,
        central_keys: &station.sealer.central,
    };
    refused(
        verify(&impersonator, &number, ANY_FINGER, &live),
        "bad-signature",
    );

    // The real station gets a decision.
    let client = HandoverClient {
        central: &central_client,
        station_id: &station.config.station_id,
        identity: station.identity.as_ref(),
        central_keys: &station.sealer.central,
    };
    assert!(verify(&client, &number, ANY_FINGER, &live).unwrap().matched);
    central.stop();
}

/// A proxy on loopback between the station and the central: it forwards each request and passes
/// the central's answer through `rewrite` (given the answers it saw before), one connection at a
/// time.
fn proxy(
    central_url: String,
    connections: usize,
    rewrite: impl Fn(&[u8], &[Vec<u8>]) -> Vec<u8> + Send + 'static,
) -> (String, std::thread::JoinHandle<()>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut earlier = Vec::new();
        for _ in 0..connections {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let mut length = 0usize;
            loop {
                let mut h = String::new();
                reader.read_line(&mut h).unwrap();
                let h = h.trim_end().to_ascii_lowercase();
                if h.is_empty() {
                    break;
                }
                if let Some(v) = h.strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let path = line.split(' ').nth(1).unwrap().to_owned();
            let mut answer = agent
                .post(&format!("{central_url}{path}"))
                .header("content-type", "application/json")
                .send(&body[..])
                .unwrap();
            let status = answer.status().as_u16();
            let got = answer.body_mut().read_to_vec().unwrap();
            let sent = rewrite(&got, &earlier);
            earlier.push(got);
            let mut stream = stream;
            write!(
                stream,
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                sent.len()
            )
            .unwrap();
            stream.write_all(&sent).unwrap();
        }
    });
    (url, handle)
}

#[test]
fn a_proxy_cannot_turn_a_stranger_into_the_holder() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(&dir.path().join("central"), "HP", 1);
    let station = Station::provision(&dir.path().join("station"), &central.url(), &central);
    enrol(&station, "HP00000000");
    let number = PreRequestNumber::parse("HP00000000").unwrap();
    let holder = extract_image(&impression(LEFT_INDEX, 4)).unwrap();
    let stranger = extract_image(&impression(STRANGER, 2)).unwrap();

    // 1. Rewrites "no-match" into "match" (and the score above the threshold).
    // 2. Answers the stranger's request with the holder's earlier (genuine, signed) decision.
    let (url, proxy_thread) = proxy(central.url(), 3, |answer, earlier| {
        let mut decision: serde_json::Value = serde_json::from_slice(answer).unwrap();
        match earlier.len() {
            0 => answer.to_vec(),
            1 => {
                decision["decision"] = "match".into();
                decision["score"] = 900.into();
                serde_json::to_vec(&decision).unwrap()
            }
            _ => earlier[0].clone(),
        }
    });
    let through_proxy = CentralClient::new(&url, "demo-token", HttpSettings::default());
    let client = HandoverClient {
        central: &through_proxy,
        station_id: &station.config.station_id,
        identity: station.identity.as_ref(),
        central_keys: &station.sealer.central,
    };
    // The holder, untouched: a pass.
    assert!(
        verify(&client, &number, ANY_FINGER, &holder)
            .unwrap()
            .matched
    );
    // The stranger with the decision rewritten: the signature no longer holds.
    assert!(matches!(
        verify(&client, &number, ANY_FINGER, &stranger),
        Err(HandoverError::Decision(DecisionError::BadSignature))
    ));
    // The stranger with the holder's decision replayed: not the nonce this station sent.
    assert!(matches!(
        verify(&client, &number, ANY_FINGER, &stranger),
        Err(HandoverError::Decision(DecisionError::NotAsked {
            field: "nonce",
            ..
        }))
    ));
    proxy_thread.join().unwrap();
    central.stop();
}
