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
fn handover_is_decided_only_for_the_station_of_the_certificate_that_signs() {
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
        central_keys: &station.sealer.central,
    };
    let refused = |result: Result<_, HandoverError>, expected: (u16, &str)| match result {
        Err(HandoverError::Uplink(UplinkError::Status { status, code, .. })) => {
            assert_eq!((status, code.as_str()), expected);
        }
        other => panic!("expected {expected:?}, got {other:?}"),
    };
    refused(
        verify(&unknown, &number, ANY_FINGER, &live),
        (403, "station-mismatch"),
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
        (401, "bad-signature"),
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
    central: &central::RunningCentral,
    station_dir: &std::path::Path,
    connections: usize,
    rewrite: impl Fn(&[u8], &[Vec<u8>]) -> Vec<u8> + Send + 'static,
) -> (String, std::thread::JoinHandle<()>) {
    use std::io::{BufRead, BufReader, Read, Write};
    use upload_support::tls;
    // TLS on both sides, as a load balancer in front of the central would be: a server certificate
    // from the central's CA towards the station, the station's own certificate towards the
    // central, so that the central still sees the station.
    let server_tls = tls::server_config(central.data_dir());
    let client_tls = tls::station_client_config(station_dir).unwrap();
    let upstream: std::net::SocketAddr = central
        .url()
        .trim_start_matches("https://")
        .parse()
        .unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut earlier = Vec::new();
        for _ in 0..connections {
            let (stream, _) = listener.accept().unwrap();
            let mut stream = tls::accept(stream, &server_tls).unwrap();
            let mut reader = BufReader::new(&mut stream);
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
            drop(reader);
            let path = line.split(' ').nth(1).unwrap().to_owned();
            let (status, got) = forward(upstream, &client_tls, &path, &body);
            let sent = rewrite(&got, &earlier);
            earlier.push(got);
            write!(
                stream,
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                sent.len()
            )
            .unwrap();
            stream.write_all(&sent).unwrap();
            stream.conn.send_close_notify();
            stream.flush().unwrap();
        }
    });
    (url, handle)
}

/// POSTs `body` to `path` on the central over the station's certificate; the status and body.
fn forward(
    upstream: std::net::SocketAddr,
    client_tls: &std::sync::Arc<rustls::ClientConfig>,
    path: &str,
    body: &[u8],
) -> (u16, Vec<u8>) {
    use std::io::{Read, Write};
    let mut stream = upload_support::tls::connect(upstream, client_tls).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nhost: {upstream}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(body).unwrap();
    stream.flush().unwrap();
    let mut answer = Vec::new();
    // The central closes after its answer; an end without close_notify still ends it.
    let _ = stream.read_to_end(&mut answer);
    let split = answer.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&answer[..split]).to_string();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, answer[split + 4..].to_vec())
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
    let (url, proxy_thread) = proxy(&central, &station.config.data_dir, 3, |answer, earlier| {
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
    let through_proxy = CentralClient::new(
        &url,
        "",
        HttpSettings::default(),
        &station.config.trust_files(),
    );
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
