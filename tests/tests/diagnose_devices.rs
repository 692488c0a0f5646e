//! Diagnostics against both simulators: every self-test check, the command log and its error
//! counters on a noisy line, and the report as text and JSON.

use std::time::Duration;

use drivers::diagnostics::{
    CommandLog, DiagnoseOptions, DiagnosticReport, Logged, Step, Verdict, diagnose,
};
use drivers::discovery::{DeviceKind, PortCandidate};
use drivers::transport::SerialTransport;
use drivers::zfm::command::{Confirmation, GenImg};
use drivers::zfm::{FingerprintModule, ZfmError};
use firmware_sim::pty::FaultSpec;
use firmware_sim::vc0706_firmware::{CameraSim, CameraSimConfig};
use firmware_sim::zfm_firmware::{FingerprintSim, FingerprintSimConfig, SensorKind};

fn path_of(path: &std::path::Path) -> String {
    path.to_string_lossy().into_owned()
}

#[test]
fn both_devices_pass_their_self_test_and_the_report_reads_back() {
    let module = FingerprintSim::start(FingerprintSimConfig {
        baud: 115_200,
        seed: 51,
        sensor: SensorKind::R503_192x192,
        paced: false,
        ..FingerprintSimConfig::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let camera = CameraSim::start(CameraSimConfig {
        seed: 52,
        paced: false,
        ..CameraSimConfig::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let ports = [
        PortCandidate::path(path_of(module.port_path())),
        PortCandidate::path(path_of(camera.port_path())),
    ];
    let report = diagnose(&ports, &DiagnoseOptions::default());
    let text = report.to_text(10);
    eprintln!("{text}");
    assert_eq!(report.devices.len(), 2);
    assert!(report.passed(), "{text}");

    let fp = &report.devices[0];
    assert_eq!(fp.port.kind(), Some(DeviceKind::Fingerprint));
    let steps: Vec<Step> = fp.checks.iter().map(|c| c.step).collect();
    assert_eq!(
        steps,
        [
            Step::Handshake,
            Step::Parameters,
            Step::Sensor,
            Step::Led,
            Step::BlankCapture
        ]
    );
    for check in &fp.checks {
        assert_eq!(check.verdict, Verdict::Pass, "{check:?}");
    }
    let blank = fp
        .blank_capture
        .as_ref()
        .unwrap_or_else(|| panic!("no stats"));
    assert_eq!((blank.attempts, blank.no_finger), (5, 5));
    assert!(blank.max_ms < 500.0, "{blank:?}");
    assert_eq!(fp.counters.timeouts, 0);
    assert_eq!(fp.counters.checksum_errors, 0);
    assert!(fp.counters.commands >= 10, "{:?}", fp.counters);
    assert!(fp.log.iter().filter(|e| e.command == "GenImg").count() == 5);
    assert!(fp.log.iter().any(|e| e.command == "AuraLedConfig"));

    let cam = &report.devices[1];
    assert_eq!(cam.port.kind(), Some(DeviceKind::Camera));
    for check in &cam.checks {
        assert_eq!(check.verdict, Verdict::Pass, "{check:?}");
    }
    let frame = cam
        .test_frame
        .as_ref()
        .unwrap_or_else(|| panic!("no frame"));
    assert_eq!((frame.width, frame.height), (640, 480));
    assert!(frame.jpeg_bytes > 1_000);
    assert!(frame.mean_brightness > 20.0 && frame.mean_brightness < 235.0);
    assert!(cam.log.iter().any(|e| e.command == "read frame buffer"));
    assert_eq!(
        camera.control().stats().resets,
        0,
        "the self-test resets nothing"
    );

    // The report reads back from its JSON, and the text names the commands.
    let json = report.to_json().unwrap_or_else(|e| panic!("{e}"));
    let back: DiagnosticReport = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
    // Everything but the floating-point figures must come back exact (JSON may move a float
    // by its last bit); those within a relative 1e-9.
    assert_eq!(back.devices.len(), report.devices.len());
    for (b, r) in back.devices.iter().zip(&report.devices) {
        assert_eq!(
            (&b.port, &b.checks, &b.counters, &b.log),
            (&r.port, &r.checks, &r.counters, &r.log)
        );
        let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * y.abs().max(1.0);
        match (&b.blank_capture, &r.blank_capture) {
            (Some(b), Some(r)) => {
                assert_eq!(
                    (b.attempts, b.no_finger, b.errors),
                    (r.attempts, r.no_finger, r.errors)
                );
                assert!(close(b.median_ms, r.median_ms) && close(b.max_ms, r.max_ms));
            }
            (None, None) => {}
            other => panic!("{other:?}"),
        }
        match (&b.test_frame, &r.test_frame) {
            (Some(b), Some(r)) => {
                assert_eq!((b.width, b.jpeg_bytes), (r.width, r.jpeg_bytes));
                assert!(close(b.mean_brightness, r.mean_brightness));
            }
            (None, None) => {}
            other => panic!("{other:?}"),
        }
    }
    let full = report.to_text(usize::MAX);
    assert!(full.contains("GenImg") && full.contains("get version"));
    assert!(text.lines().count() < full.lines().count());
}

#[test]
fn a_noisy_line_shows_in_the_counters() {
    let module = FingerprintSim::start(FingerprintSimConfig {
        seed: 53,
        paced: false,
        faults: "flip=4e-3"
            .parse::<FaultSpec>()
            .unwrap_or_else(|e| panic!("{e}")),
        ..FingerprintSimConfig::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let log = CommandLog::default();
    let line = SerialTransport::open(&path_of(module.port_path()), 57_600)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut fp = FingerprintModule::new(Logged::new(line, log.clone()));
    let (mut no_finger, mut checksum, mut other) = (0, 0, 0);
    for _ in 0..60 {
        match fp.send_with_timeout(&GenImg, Duration::from_millis(100)) {
            Ok(Err(Confirmation::NoFinger)) => no_finger += 1,
            Err(ZfmError::Checksum { .. }) => checksum += 1,
            _ => other += 1,
        }
    }
    log.finish();
    let counters = log.counters();
    eprintln!("no finger {no_finger}, checksum {checksum}, other {other}: {counters:?}");
    assert!(checksum > 0, "a 4e-3 flip rate damages some of 60 answers");
    assert!(no_finger > 0);
    assert!(counters.checksum_errors >= checksum);
    assert!(
        counters.retries > 0,
        "GenImg repeated after a damaged answer"
    );
    assert_eq!(counters.commands, 60);
    let damaged = log
        .entries()
        .iter()
        .filter(|e| e.result == "checksum error")
        .count() as u64;
    assert_eq!(damaged, counters.checksum_errors.min(damaged));
    assert!(damaged > 0);
}
