//! The technician's commands around matching, run as the binary: `station fingerprint match A B`
//! and `station handover` against a real central on loopback and the simulated module on a real
//! pseudo-terminal.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

use central::{Catalogue, Central, CentralConfig, PreRequestSource};
use firmware_sim::synth::fingerprint::{Finger, Impression};
use firmware_sim::zfm_firmware::{FingerMode, FingerprintSim, FingerprintSimConfig};
use station::checks::matching::MATCH_THRESHOLD;
use station::record::{
    FingerImageForMinutiae, FingerImageRecord, FingerImpression, FingerMinutiaeRecord, FingerView,
};
use station::seal::{CentralKeys, Sealer, StationIdentity, now_rfc3339};
use station::uplink::{CentralClient, HttpSettings};
use station_demo::sample_record::sample_payload;

const APPLICANT: u64 = 83_001;
const STRANGER: u64 = 83_002;
const NUMBER: &str = "CLI0000001";
const STATION_ID: &str = "mairie-cli-01";

fn station() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_station"));
    // Test configurations live in temporary directories the test (and so the station) may write.
    command.env(station::config::Mode::VARIABLE, "1");
    command
}

fn impression(seed: u64, n: u32) -> image::GrayImage {
    Finger::from_seed(seed).impression(&Impression::from_seed(seed, n), 256, 288)
}

fn score_line(stdout: &str) -> u32 {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("score "))
        .and_then(|s| s.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no score line in {stdout}"))
}

#[test]
fn matching_cli_match_prints_score_and_decision() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        dir.path().join("a.png"),
        dir.path().join("b.pgm"),
        dir.path().join("c.png"),
    );
    impression(APPLICANT, 0).save(&a).unwrap();
    impression(APPLICANT, 1).save(&b).unwrap();
    impression(STRANGER, 0).save(&c).unwrap();

    let same = station()
        .args(["fingerprint", "match"])
        .args([&b, &a])
        .output()
        .unwrap();
    assert!(same.status.success());
    let out = String::from_utf8_lossy(&same.stdout);
    assert!(score_line(&out) >= MATCH_THRESHOLD, "{out}");
    assert!(out.contains(&format!("seuil {MATCH_THRESHOLD}")), "{out}");
    assert!(out.contains("décision même doigt"), "{out}");

    let other = station()
        .args(["fingerprint", "match"])
        .args([&c, &a])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&other.stdout);
    assert!(score_line(&out) < MATCH_THRESHOLD, "{out}");
    assert!(out.contains("décision doigts différents"), "{out}");

    // A threshold of 0 accepts anything; an unreadable file is an error.
    let lax = station()
        .args(["fingerprint", "match", "--threshold", "0"])
        .args([&c, &a])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&lax.stdout).contains("décision même doigt"));
    let missing = station()
        .args(["fingerprint", "match"])
        .arg(dir.path().join("none.png"))
        .arg(&a)
        .output()
        .unwrap();
    assert!(!missing.status.success());
}

fn catalogue() -> Catalogue {
    let item = serde_json::json!([{
        "number": NUMBER, "status": "validated", "document_type": "cni", "reason": "first",
        "applicant": {"surname": "Lefèvre", "given_names": "Hélène", "birth_date": "1984-03-12",
            "birth_place": "Lyon (69)", "sex": "F", "address": "14 rue de la République, 69002 Lyon",
            "parents": []},
        "appointments": [{"meeting_point": "Mairie du 2e arrondissement de Lyon", "meeting_point_id": "69382-02", "appointment_date": "2026-12-01T09:00:00+01:00", "management_url": "https://rdv.mairie-lyon.example/rendez-vous/1000"}]
    }]);
    Catalogue::from_json(&item.to_string()).unwrap()
}

/// Writes the station's configuration and enrols the applicant's right index at the central.
fn provision_and_enrol(dir: &Path, central: &central::RunningCentral) -> std::path::PathBuf {
    let keys = central.public_keys();
    let data = dir.join("station");
    station::files::create_private_dir(&data).unwrap();
    let config = dir.join("station.toml");
    std::fs::write(
        &config,
        format!(
            "data_dir = {:?}\nstation_id = {STATION_ID:?}\n\n[central]\nurl = {:?}\n\
             token = \"demo-token\"\nrecord_public_key = {:?}\nreceipt_public_key = {:?}\n",
            data.display().to_string(),
            central.url(),
            hex::encode(keys.record_public_key),
            hex::encode(keys.receipt_public_key)
        ),
    )
    .unwrap();
    let loaded =
        station::config::StationConfig::load_in(&config, station::config::Mode::Development)
            .unwrap();
    let code = central.enrol_station(STATION_ID, "69382-02").unwrap();
    let (loaded, _) =
        station::trust::enrol::provision_config(loaded, &central.ca_file(), &code.code).unwrap();
    let identity = StationIdentity::load_or_create(&loaded.identity_path()).unwrap();

    let record_id = uuid::Uuid::new_v4().to_string();
    let mut payload =
        sample_payload(&record_id, STATION_ID, NUMBER, &now_rfc3339(), 1, false).unwrap();
    let (right, left) = (impression(APPLICANT, 0), impression(APPLICANT + 100, 0));
    let view = |position, image| FingerView {
        position,
        quality: 60,
        impression: FingerImpression::LiveScanPlain,
        image,
    };
    payload.fingers = Some(
        FingerImageRecord::encode(&[view(2, &right), view(7, &left)])
            .unwrap()
            .into(),
    );
    let minutiae = |position, image| FingerImageForMinutiae {
        position,
        quality: 60,
        image,
    };
    payload.minutiae =
        FingerMinutiaeRecord::encode_images(&[minutiae(2, &right), minutiae(7, &left)])
            .unwrap()
            .map(Into::into);
    let sealer = Sealer {
        signer: std::sync::Arc::new(identity),
        central: CentralKeys::from_hex(
            &hex::encode(keys.record_public_key),
            &hex::encode(keys.receipt_public_key),
        )
        .unwrap(),
        station_id: STATION_ID.into(),
    };
    let sealed = sealer.seal(&payload).unwrap();
    CentralClient::new(
        &central.url(),
        "",
        HttpSettings::default(),
        &loaded.trust_files(),
    )
    .put_record(&record_id, &sealed.bytes)
    .unwrap();
    config
}

#[test]
fn handover_cli_passes_the_applicant_and_fails_a_stranger() {
    let dir = tempfile::tempdir().unwrap();
    let mut central_config = CentralConfig::new(dir.path().join("central"));
    central_config.prerequests = PreRequestSource::Given(catalogue());
    let central = Central::start(central_config).unwrap();
    let config = provision_and_enrol(dir.path(), &central);
    let sim = FingerprintSim::start(FingerprintSimConfig {
        paced: false,
        finger: FingerMode::None,
        ..FingerprintSimConfig::default()
    })
    .unwrap();
    crate::signed_cli::add_accounts(&config);
    let as_clerk = crate::signed_cli::as_operator(&config, crate::signed_cli::CLERK.0);
    let handover_of = |number: &str| {
        let mut args: Vec<&std::ffi::OsStr> = vec!["handover".as_ref()];
        args.extend(as_clerk.iter().map(std::ffi::OsStr::new));
        args.extend(
            ["--number", number, "--wait", "60", "--port"]
                .into_iter()
                .map(std::ffi::OsStr::new),
        );
        args.push(sim.port_path().as_os_str());
        crate::signed_cli::run_with_pin(&args, crate::signed_cli::CLERK.1)
    };
    let handover = || handover_of(NUMBER);

    sim.control().place_finger(APPLICANT, 4);
    let genuine = handover();
    let out = String::from_utf8_lossy(&genuine.stdout);
    eprintln!("holder:\n{out}");
    assert_eq!(
        genuine.status.code(),
        Some(0),
        "{out}\n{}",
        String::from_utf8_lossy(&genuine.stderr)
    );
    assert!(out.contains("CONFORME : même personne"), "{out}");

    sim.control().place_finger(STRANGER, 1);
    let impostor = handover();
    let out = String::from_utf8_lossy(&impostor.stdout);
    eprintln!("stranger:\n{out}");
    assert_eq!(
        impostor.status.code(),
        Some(1),
        "{out}\n{}",
        String::from_utf8_lossy(&impostor.stderr)
    );
    assert!(out.contains("NON CONFORME"), "{out}");

    // A number with nothing enrolled: the check cannot be made.
    let unknown = handover_of("CLI0000009");
    assert_eq!(unknown.status.code(), Some(2));
    // Each run is audited under the clerk's name, with the file it was for.
    let audited = |pattern: &str| crate::signed_cli::audited(&config, pattern);
    assert_eq!(
        audited(&format!("%command-run%agent.martin%handover%{NUMBER}%")),
        2
    );
    assert_eq!(audited("%command-run%agent.martin%handover%CLI0000009%"), 1);
    let by_clerk: i64 = rusqlite::Connection::open(dir.path().join("station/audit.sqlite"))
        .unwrap()
        .query_row(
            "SELECT count(*) FROM audit WHERE actor = 'agent.martin' AND event LIKE '%handover-%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(by_clerk, 3, "the checks are not the clerk's");
    sim.stop();
    central.stop();
}
