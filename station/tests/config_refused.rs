//! A configuration that would poison records or never work is refused at load, with the file, the
//! key and the reason: a station id the central refuses (it is signed into every record), a URL
//! that is not an https one, a timeout of 0, an all-zero receipt key, a misspelt section.

use station::config::{ConfigError, Mode, StationConfig};

use crate::cli_station::{CliStation, config_text};

/// Loads `text` (a whole configuration) from a file; the error's text.
fn refusal(text: &str) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("station.toml");
    std::fs::write(&path, text).expect("write");
    match StationConfig::load_in(&path, Mode::Development) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(error) => {
            let message = error.to_string();
            assert!(message.contains(&path.display().to_string()), "{message}");
            assert!(!matches!(error, ConfigError::Read { .. }), "{error:?}");
            message
        }
    }
}

fn valid() -> String {
    config_text(std::path::Path::new("/tmp/station-data"), "")
}

#[test]
fn the_valid_configuration_loads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("station.toml");
    std::fs::write(&path, valid()).expect("write");
    StationConfig::load_in(&path, Mode::Development).expect("loads");
}

#[test]
fn a_station_id_the_central_refuses_is_refused() {
    for bad in ["", "mairie lyon", "mairie\\u0007", "mairié-01"] {
        let text = valid().replace("mairie-test-01", bad);
        let message = refusal(&text);
        assert!(message.contains("station_id"), "{message}");
    }
}

#[test]
fn a_central_url_that_cannot_work_is_refused() {
    for bad in [
        "not a url",
        "file:///etc/passwd",
        "http://127.0.0.1:9",
        "https://",
    ] {
        let text = valid().replace("https://127.0.0.1:9", bad);
        let message = refusal(&text);
        assert!(message.contains("central.url"), "{bad}: {message}");
    }
}

#[test]
fn a_zero_timeout_and_a_zero_receipt_key_are_refused() {
    let message = refusal(&format!("{}\n[http]\nupload_timeout_ms = 0\n", valid()));
    assert!(message.contains("http.upload_timeout_ms"), "{message}");
    let zero = "0".repeat(64);
    let text = valid().replace(wire::golden::RECEIPT_PUBLIC_KEY, &zero);
    let message = refusal(&text);
    assert!(message.contains("central.receipt_public_key"), "{message}");
}

#[test]
fn a_misspelt_section_or_key_is_refused() {
    let message = refusal(&format!("{}\n[uploadr]\nconcurrency = 2\n", valid()));
    assert!(message.contains("uploadr"), "{message}");
    let message = refusal(&format!("{}\n[uploader]\nconcurency = 2\n", valid()));
    assert!(message.contains("concurency"), "{message}");
    let message = refusal(&format!(
        "{}\n[http]\nupload_timeout_ms = \"30s\"\n",
        valid()
    ));
    assert!(message.contains("upload_timeout_ms"), "{message}");
}

#[test]
fn the_command_line_names_the_file_key_and_reason() {
    let station = CliStation::new("\n[http]\nupload_timeout_ms = 0\n");
    let out = station.outbox("status").output().expect("run station");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("station.toml"), "{stderr}");
    assert!(stderr.contains("http.upload_timeout_ms"), "{stderr}");
    assert!(
        !station.outbox_path().exists(),
        "nothing created from a refused configuration"
    );
}

#[test]
fn the_sealer_signs_no_station_id_the_central_refuses() {
    let dir = tempfile::tempdir().expect("tempdir");
    let central = station::seal::CentralKeys::from_hex(
        wire::golden::CENTRAL_RECORD_PUBLIC_KEY,
        wire::golden::RECEIPT_PUBLIC_KEY,
    )
    .expect("keys");
    for bad in ["", "mairie\u{7}01", "mairie lyon"] {
        let id = uuid::Uuid::new_v4().to_string();
        let payload = station_demo::sample_record::sample_payload(
            &id,
            bad,
            "QX7Y2Z9W1K",
            &station::seal::now_rfc3339(),
            1,
            false,
        )
        .expect("payload");
        let sealer = station::seal::Sealer {
            signer: std::sync::Arc::new(
                station::seal::StationIdentity::load_or_create(&dir.path().join("key.p8"))
                    .expect("key"),
            ),
            central: central.clone(),
            station_id: bad.into(),
        };
        let Err(refused) = sealer.seal(&payload) else {
            panic!("a record was sealed with station id {bad:?}");
        };
        assert!(refused.to_string().contains("station_id"), "{refused}");
    }
}

#[test]
fn a_qr_reading_time_the_camera_cannot_use_is_refused_and_ten_seconds_is_the_default() {
    for bad in ["0", "2", "121", "36000"] {
        let message = refusal(&format!("{}\n[counter]\nqr_reading_s = {bad}\n", valid()));
        assert!(
            message.contains("counter.qr_reading_s") && message.contains("between 3 and 120"),
            "{bad}: {message}"
        );
    }
    let message = refusal(&format!("{}\n[counter]\nqr_reading_s = -1\n", valid()));
    assert!(message.contains("qr_reading_s"), "{message}");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("station.toml");
    for (text, seconds) in [
        (valid(), 10),
        (format!("{}\n[counter]\nqr_reading_s = 3\n", valid()), 3),
        (format!("{}\n[counter]\nqr_reading_s = 120\n", valid()), 120),
    ] {
        std::fs::write(&path, text).expect("write");
        let config = StationConfig::load_in(&path, Mode::Development).expect("loads");
        assert_eq!(config.counter.qr_reading_s, seconds);
    }
}
