//! `station provision` against a real central on loopback HTTPS: the code enrols once, the
//! configuration and the 0600 trust files are written, `http://` is refused; and a certificate with
//! less than a third of its validity left is renewed.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::os::unix::fs::PermissionsExt;
use std::process::ExitCode;

use central::{Central, CentralConfig};
use station::config::StationConfig;
use station::trust::TrustFiles;
use station::uplink::{PreRequestNumber, PreRequestStatus};

fn provision(
    config: &std::path::Path,
    data: &std::path::Path,
    url: &str,
    ca: &std::path::Path,
    code: &str,
) -> ExitCode {
    station::cli::execute([
        "station".as_ref(),
        "provision".as_ref(),
        "--config".as_ref(),
        config.as_os_str(),
        "--data".as_ref(),
        data.as_os_str(),
        "--central".as_ref(),
        url.as_ref(),
        "--ca".as_ref(),
        ca.as_os_str(),
        "--code".as_ref(),
        code.as_ref(),
    ])
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
    assert_eq!(
        provision(&config_path, &data, &http, &central.ca_file(), &code),
        ExitCode::FAILURE
    );
    assert!(!config_path.exists());

    assert_eq!(
        provision(
            &config_path,
            &data,
            &central.url(),
            &central.ca_file(),
            &code
        ),
        ExitCode::SUCCESS
    );
    let config = StationConfig::load(&config_path).unwrap();
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
    assert_eq!(
        provision(
            &dir.path().join("other.toml"),
            &other,
            &central.url(),
            &central.ca_file(),
            &code
        ),
        ExitCode::FAILURE
    );
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
    assert_eq!(
        provision(
            &config_path,
            &data,
            &central.url(),
            &central.ca_file(),
            &code
        ),
        ExitCode::SUCCESS
    );
    let config = StationConfig::load(&config_path).unwrap();
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
