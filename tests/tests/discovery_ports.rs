//! Discovery against both simulators on several pseudo-terminals at different bauds, an empty
//! pseudo-terminal, a mute module and a hung camera: each identified, none hanging discovery, and
//! no device's settings changed by the other's probes.

use std::time::{Duration, Instant};

use drivers::discovery::{
    DeviceKind, DiscoveryOptions, Found, PortCandidate, candidate_ports, discover, probe_plan,
};
use drivers::transport::SerialTransport;
use drivers::vc0706::Camera;
use drivers::zfm::FingerprintModule;
use drivers::zfm::command::ReadSysPara;
use firmware_sim::pty::{FaultSpec, Pty};
use firmware_sim::vc0706_firmware::{CameraSim, CameraSimConfig};
use firmware_sim::zfm_firmware::{FingerprintSim, FingerprintSimConfig, SensorKind};

fn module(baud: u32, seed: u64, sensor: SensorKind, faults: &str) -> FingerprintSimConfig {
    FingerprintSimConfig {
        baud,
        seed,
        sensor,
        paced: false,
        faults: faults
            .parse::<FaultSpec>()
            .unwrap_or_else(|e| panic!("{e}")),
        ..FingerprintSimConfig::default()
    }
}

fn camera(baud: u32, seed: u64) -> CameraSimConfig {
    CameraSimConfig {
        baud,
        seed,
        paced: false,
        ..CameraSimConfig::default()
    }
}

fn path_of(path: &std::path::Path) -> String {
    path.to_string_lossy().into_owned()
}

#[test]
fn every_port_is_identified_at_its_baud_and_none_hangs() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // Two modules and two cameras at different speeds; the R503 behind a configured symlink.
    let zfm_57 = FingerprintSim::start(module(57_600, 11, SensorKind::Zfm256x288, ""))
        .unwrap_or_else(|e| panic!("{e}"));
    let r503_link = dir.path().join("empreintes");
    let r503_115 = FingerprintSim::start_linked(
        module(115_200, 12, SensorKind::R503_192x192, ""),
        &r503_link,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let cam_38 = CameraSim::start(camera(38_400, 13)).unwrap_or_else(|e| panic!("{e}"));
    let cam_115 = CameraSim::start(camera(115_200, 14)).unwrap_or_else(|e| panic!("{e}"));
    // A pair nobody serves, a module that stops answering, a camera that hangs, no port at all.
    let empty = Pty::open().unwrap_or_else(|e| panic!("{e}"));
    // An R503: it says 0x55 at power-up, then nothing (a silent ZFM would be an empty port).
    let mute = FingerprintSim::start(module(57_600, 15, SensorKind::R503_192x192, "mute-after=0"))
        .unwrap_or_else(|e| panic!("{e}"));
    let hung = CameraSim::start(camera(38_400, 16)).unwrap_or_else(|e| panic!("{e}"));
    hung.control().hang();
    let missing = dir.path().join("ttyUSB7");

    let ports: Vec<PortCandidate> = [
        zfm_57.port_path(),
        r503_115.port_path(),
        cam_38.port_path(),
        cam_115.port_path(),
        empty.slave_path(),
        mute.port_path(),
        hung.port_path(),
        missing.as_path(),
    ]
    .iter()
    .map(|p| PortCandidate::path(path_of(p)))
    .collect();

    let started = Instant::now();
    let reports = discover(&ports, &DiscoveryOptions::default());
    let elapsed = started.elapsed();
    for report in &reports {
        eprintln!(
            "{} → {:?} after {} ms, bauds {:?}",
            report.path, report.found, report.elapsed_ms, report.bauds_tried
        );
    }
    eprintln!("discovery of {} ports: {elapsed:?}", reports.len());
    assert_eq!(reports.len(), ports.len());
    // Generous: every port is probed at once and the slowest (silent) ones try all 12 bauds.
    assert!(elapsed < Duration::from_secs(20), "took {elapsed:?}");

    let Found::Fingerprint(zfm) = &reports[0].found else {
        panic!("57,600: {:?}", reports[0].found)
    };
    assert_eq!(zfm.baud, 57_600);
    assert_eq!(zfm.model, "ZFM-60");
    assert_eq!(zfm.sensor_size, (256, 288));
    assert_eq!(zfm.system_id, 9);
    assert!(
        zfm.serial_number.is_some(),
        "the simulator gives a serial number"
    );
    assert!(!zfm.password_protected);

    let Found::Fingerprint(r503) = &reports[1].found else {
        panic!("115,200: {:?}", reports[1].found)
    };
    assert_eq!(r503.baud, 115_200);
    assert_eq!(r503.model, "R503");
    assert_eq!(r503.sensor_size, (192, 192));
    assert_ne!(
        r503.serial_number, zfm.serial_number,
        "two modules, two serials"
    );
    assert_eq!(reports[1].path, path_of(&r503_link), "the symlink is kept");
    assert_eq!(
        reports[1].resolved.as_deref(),
        Some(path_of(r503_115.slave_path()).as_str())
    );

    for (index, baud) in [(2, 38_400), (3, 115_200)] {
        let Found::Camera(cam) = &reports[index].found else {
            panic!("camera at {baud}: {:?}", reports[index].found)
        };
        assert_eq!(cam.baud, baud);
        assert_eq!(cam.model, "VC0703");
        assert_eq!(cam.firmware, "1.00");
        assert_eq!(cam.image_size.as_deref(), Some("640x480"));
        assert_eq!(reports[index].kind(), Some(DeviceKind::Camera));
    }

    assert_eq!(reports[4].found, Found::Nothing, "empty pseudo-terminal");
    for index in [5, 6] {
        assert!(
            matches!(reports[index].found, Found::NotAnswering { bytes_heard, .. } if bytes_heard > 0),
            "a device that does not answer: {:?}",
            reports[index].found
        );
        assert_eq!(
            reports[index].bauds_tried.len(),
            probe_plan().len(),
            "every baud was tried"
        );
    }
    assert!(matches!(reports[7].found, Found::CannotOpen { .. }));

    // No probe changed a device: no restart, and each still answers where it was.
    assert_eq!(zfm_57.control().stats().restarts, 0);
    assert_eq!(r503_115.control().stats().restarts, 0);
    assert_eq!(cam_38.control().stats().resets, 0);
    assert_eq!(cam_115.control().stats().resets, 0);
    let line = SerialTransport::open(&path_of(r503_115.port_path()), 115_200)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut module = FingerprintModule::new(line);
    let params = module
        .execute(&ReadSysPara)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(params.baud(), 115_200);
    let line = SerialTransport::open(&path_of(cam_115.port_path()), 115_200)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut cam = Camera::new(line);
    assert_eq!(
        cam.version().unwrap_or_else(|e| panic!("{e}")),
        "VC0703 1.00"
    );
    drop(empty);
}

#[test]
fn a_symlink_and_its_target_are_one_port() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let link = dir.path().join("camera");
    let cam = CameraSim::start_linked(camera(38_400, 21), &link).unwrap_or_else(|e| panic!("{e}"));
    let ports = [
        PortCandidate::path(path_of(&link)),
        PortCandidate::path(path_of(cam.slave_path())),
    ];
    let reports = discover(&ports, &DiscoveryOptions::default());
    assert_eq!(reports.len(), 1, "{reports:?}");
    assert_eq!(reports[0].kind(), Some(DeviceKind::Camera));
    assert_eq!(reports[0].path, path_of(&link));
    // Configured paths are candidates even when the system does not list them (PTYs are not).
    let candidates = candidate_ports(&[path_of(&link)]);
    assert!(candidates.iter().any(|c| c.path == path_of(&link)));
}

#[test]
fn a_short_deadline_bounds_discovery_of_a_silent_port() {
    let empty = Pty::open().unwrap_or_else(|e| panic!("{e}"));
    let options = DiscoveryOptions {
        deadline: Duration::from_millis(800),
        ..DiscoveryOptions::default()
    };
    let started = Instant::now();
    let reports = discover(
        &[PortCandidate::path(path_of(empty.slave_path()))],
        &options,
    );
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");
    assert!(
        matches!(&reports[0].found, Found::NotAnswering { detail, .. } if detail.contains("time ran out")),
        "{:?}",
        reports[0].found
    );
}

#[test]
fn a_module_whose_port_vanishes_mid_probe_is_reported_not_hung() {
    // It answers the first VfyPwd, then its adapter is pulled out.
    let sim = FingerprintSim::start(module(57_600, 31, SensorKind::Zfm256x288, "vanish-after=1"))
        .unwrap_or_else(|e| panic!("{e}"));
    let started = Instant::now();
    let reports = discover(
        &[PortCandidate::path(path_of(sim.port_path()))],
        &DiscoveryOptions::default(),
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        matches!(&reports[0].found, Found::NotAnswering { detail, .. } if !detail.is_empty()),
        "{:?}",
        reports[0].found
    );
}
