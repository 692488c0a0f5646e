//! `station devices` and `station diagnose` run as a technician runs them: the built binary, as a
//! process, against simulators on real pseudo-terminals.

use std::path::Path;
use std::process::{Command, Output};

use firmware_sim::pty::Pty;
use firmware_sim::vc0706_firmware::{CameraSim, CameraSimConfig};
use firmware_sim::zfm_firmware::{FingerprintSim, FingerprintSimConfig};
use station::config::DeviceSettings;

fn station(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_station"))
        // Test configurations live in temporary directories the test (and so the station) may write.
        .env(station::config::Mode::VARIABLE, "1")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run station: {e}"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn path_of(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn module_at(baud: u32, link: &Path) -> FingerprintSim {
    FingerprintSim::start_linked(
        FingerprintSimConfig {
            baud,
            paced: false,
            ..FingerprintSimConfig::default()
        },
        link,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn camera_at(baud: u32, link: &Path) -> CameraSim {
    CameraSim::start_linked(
        CameraSimConfig {
            baud,
            paced: false,
            ..CameraSimConfig::default()
        },
        link,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn devices_prints_one_line_per_port_and_saves_the_configuration() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let fp_link = dir.path().join("empreintes");
    let cam_link = dir.path().join("camera");
    let _module = module_at(115_200, &fp_link);
    let _camera = camera_at(38_400, &cam_link);
    let empty = Pty::open().unwrap_or_else(|e| panic!("{e}"));
    let config = dir.path().join("station.toml");
    std::fs::write(
        &config,
        "station_id = \"mairie-test-01\"\n\n[devices]\nauto_discover = false\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));

    let out = station(&[
        "devices",
        "--port",
        &path_of(&fp_link),
        "--port",
        &path_of(&cam_link),
        "--port",
        &path_of(empty.slave_path()),
        "--save",
        &path_of(&config),
    ]);
    let stdout = text(&out.stdout);
    eprintln!("{stdout}{}", text(&out.stderr));
    assert!(out.status.success());
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "one line per port");
    assert!(lines[0].starts_with(&path_of(&fp_link)));
    assert!(lines[0].contains("capteur d'empreintes") && lines[0].contains("ZFM-60"));
    assert!(lines[0].ends_with("115200 bauds"), "{}", lines[0]);
    assert!(lines[1].contains("caméra") && lines[1].contains("VC0703 1.00"));
    assert!(lines[1].ends_with("38400 bauds"), "{}", lines[1]);
    assert!(lines[2].contains("rien"), "{}", lines[2]);

    // The configuration now holds both ports; what else it said is kept.
    let saved = std::fs::read_to_string(&config).unwrap_or_else(|e| panic!("{e}"));
    let table: toml::Table = saved.parse().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        table.get("station_id").and_then(|v| v.as_str()),
        Some("mairie-test-01")
    );
    let devices: DeviceSettings = table
        .get("devices")
        .cloned()
        .unwrap_or_else(|| panic!("no [devices] in {saved}"))
        .try_into()
        .unwrap_or_else(|e| panic!("{e}"));
    let fp = devices.fingerprint.unwrap_or_else(|| panic!("{saved}"));
    assert_eq!((fp.path.as_path(), fp.baud), (fp_link.as_path(), 115_200));
    let cam = devices.camera.unwrap_or_else(|| panic!("{saved}"));
    assert_eq!((cam.path.as_path(), cam.baud), (cam_link.as_path(), 38_400));
    assert!(!devices.auto_discover, "kept as configured");

    // Without --port, the configured ports are probed (the system does not list PTYs).
    let out = station(&["devices", "--config", &path_of(&config), "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let reports: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let statuses: Vec<(String, String)> = reports
        .as_array()
        .unwrap_or_else(|| panic!("{reports}"))
        .iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap_or_default().to_owned(),
                r["found"]["status"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert!(statuses.contains(&(path_of(&fp_link), "fingerprint".to_owned())));
    assert!(statuses.contains(&(path_of(&cam_link), "camera".to_owned())));
}

#[test]
fn diagnose_prints_the_checks_and_writes_the_json_report() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let fp_link = dir.path().join("empreintes");
    let cam_link = dir.path().join("camera");
    let _module = module_at(57_600, &fp_link);
    let _camera = camera_at(115_200, &cam_link);
    let report = dir.path().join("rapport.json");
    let out = station(&[
        "diagnose",
        "--port",
        &path_of(&fp_link),
        "--port",
        &path_of(&cam_link),
        "--report",
        &path_of(&report),
    ]);
    let stdout = text(&out.stdout);
    eprintln!("{stdout}{}", text(&out.stderr));
    assert!(out.status.success());
    for needle in [
        "handshake",
        "blank-capture",
        "test-frame",
        "GenImg",
        "compteurs",
    ] {
        assert!(stdout.contains(needle), "{needle} missing");
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap_or_else(|e| panic!("{e}")))
            .unwrap_or_else(|e| panic!("{e}"));
    let devices = json["devices"]
        .as_array()
        .unwrap_or_else(|| panic!("{json}"));
    assert_eq!(devices.len(), 2);
    assert_eq!(devices[0]["blank_capture"]["no_finger"], 5);
    assert_eq!(devices[1]["test_frame"]["width"], 640);
    assert!(
        devices[1]["log"]
            .as_array()
            .is_some_and(|log| !log.is_empty())
    );

    // A port with nothing on it: no device, a failed run for the script.
    let empty = Pty::open().unwrap_or_else(|e| panic!("{e}"));
    let out = station(&[
        "diagnose",
        "--port",
        &path_of(empty.slave_path()),
        "--timeout",
        "2",
    ]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("aucun appareil"));
}
