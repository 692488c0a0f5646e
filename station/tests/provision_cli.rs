//! `station provision` against a real central on loopback HTTPS: the code enrols once, the
//! configuration and the 0600 trust files are written, `http://` is refused; and a certificate with
//! less than a third of its validity left is renewed.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::os::unix::fs::PermissionsExt;

use central::{Central, CentralConfig};
use station::config::{Mode, StationConfig};
use station::trust::TrustFiles;
use station::uplink::{PreRequestNumber, PreRequestStatus};

fn provision(
    config: &std::path::Path,
    data: &std::path::Path,
    url: &str,
    ca: &std::path::Path,
    code: &str,
) -> bool {
    // The station binary in development mode: its key is a file key, and the test's configuration
    // lives in a directory the station may write (refused in production).
    std::process::Command::new(env!("CARGO_BIN_EXE_station"))
        .env(station::config::Mode::VARIABLE, "1")
        .arg("provision")
        .arg("--config")
        .arg(config)
        .arg("--data")
        .arg(data)
        .args(["--central", url])
        .arg("--ca")
        .arg(ca)
        .args(["--code", code])
        .status()
        .unwrap()
        .success()
}

#[test]
fn provision_enrols_once_writes_the_configuration_and_refuses_http() {
    let dir = tempfile::tempdir().unwrap();
    let central = Central::start(CentralConfig::new(dir.path().join("central"))).unwrap();
    let code = central
        .enrol_station("mairie-lyon-03-p1", "69382-02")
        .unwrap()
        .code;
    let config_path = dir.path().join("station.toml");
    let data = dir.path().join("station");

    let http = central.url().replacen("https://", "http://", 1);
    assert!(!provision(
        &config_path,
        &data,
        &http,
        &central.ca_file(),
        &code
    ));
    assert!(!config_path.exists());

    assert!(provision(
        &config_path,
        &data,
        &central.url(),
        &central.ca_file(),
        &code
    ));
    let config = StationConfig::load_in(&config_path, Mode::Development).unwrap();
    assert_eq!(config.station_id, "mairie-lyon-03-p1");
    assert_eq!(config.central.url, central.url());
    assert_eq!(
        config.central.record_public_key,
        hex::encode(central.public_keys().record_public_key)
    );
    let files = TrustFiles::under(&data);
    for file in [&files.ca, &files.certificate, &files.key] {
        let mode = std::fs::metadata(file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{}", file.display());
    }
    let number = PreRequestNumber::parse("DEMO000001").unwrap();
    assert_eq!(
        config.central_client().pre_request_status(&number).unwrap(),
        PreRequestStatus::Validated
    );

    // The same code a second time, for another station directory: refused.
    let other = dir.path().join("other");
    assert!(!provision(
        &dir.path().join("other.toml"),
        &other,
        &central.url(),
        &central.ca_file(),
        &code
    ));
    assert!(!TrustFiles::under(&other).certificate.exists());
}

#[test]
fn a_certificate_near_its_end_is_renewed_and_the_old_one_refused() {
    let dir = tempfile::tempdir().unwrap();
    let central = Central::start(CentralConfig::new(dir.path().join("central"))).unwrap();
    let code = central
        .enrol_station("mairie-lyon-03-p1", "69382-02")
        .unwrap()
        .code;
    let config_path = dir.path().join("station.toml");
    let data = dir.path().join("station");
    assert!(provision(
        &config_path,
        &data,
        &central.url(),
        &central.ca_file(),
        &code
    ));
    let config = StationConfig::load_in(&config_path, Mode::Development).unwrap();
    let files = config.trust_files();
    let before = config.central_client();
    let number = PreRequestNumber::parse("DEMO000001").unwrap();
    assert!(before.pre_request_status(&number).is_ok());

    let now = time::OffsetDateTime::now_utc();
    assert!(!station::trust::validity::is_due(&files, now));
    // As if 80 of its 90 days had passed.
    assert!(station::trust::validity::is_due(
        &files,
        now + time::Duration::days(80)
    ));
    let old_certificate = std::fs::read(&files.certificate).unwrap();
    station::trust::renewal::renew(&config.central.url, &files).unwrap();
    assert_ne!(std::fs::read(&files.certificate).unwrap(), old_certificate);

    assert_eq!(
        config.central_client().pre_request_status(&number).unwrap(),
        PreRequestStatus::Validated
    );
    match before.pre_request_status(&number) {
        Err(station::uplink::UplinkError::Status { status, code, .. }) => {
            assert_eq!((status, code.as_str()), (403, "certificate-replaced"));
        }
        other => panic!("the old certificate was not refused: {other:?}"),
    }
}
