//! Diagnostics for the technician: a self-test per device, a live command log with error
//! counters ([`Logged`], [`CommandLog`]), and a [`DiagnosticReport`] as text or JSON.
//!
//! [`diagnose`] identifies what is on each port (discovery), then runs the matching self-test
//! over a logged line. The self-tests only read and exercise: no setting is changed, and the
//! camera is neither reset nor moved to another speed.

mod camera;
pub mod command_log;
mod fingerprint;
mod outcome;
mod report;

use std::time::{SystemTime, UNIX_EPOCH};

pub use camera::{CameraSelfTest, camera_self_test};
pub use command_log::{CommandLog, ErrorCounters, LogEntry, Logged};
pub use fingerprint::{FingerprintSelfTest, fingerprint_self_test};
pub use outcome::{Light, NotRunBecause, Outcome, ParameterRemark, Step};
pub use report::{
    BlankCaptureStats, CheckResult, DeviceDiagnosis, DiagnosticReport, TestFrame, Verdict,
};

use crate::discovery::{DiscoveryOptions, Found, PortCandidate, PortReport, discover};
use crate::fault::Fault;
use crate::transport::SerialTransport;
use crate::vc0706::Camera;
use crate::zfm::FingerprintModule;

/// How a diagnosis runs.
#[derive(Debug, Clone)]
pub struct DiagnoseOptions {
    /// How the ports are identified first.
    pub discovery: DiscoveryOptions,
    /// GenImg sent with nothing on the fingerprint sensor.
    pub blank_captures: u32,
    /// Log entries kept in the report per device (the last ones).
    pub log_entries: usize,
}

impl Default for DiagnoseOptions {
    fn default() -> Self {
        Self {
            discovery: DiscoveryOptions::default(),
            blank_captures: 5,
            log_entries: 200,
        }
    }
}

/// Identifies each port, then self-tests every device found, each on a logged line. Ports with
/// no device get a diagnosis with no checks (their [`PortReport`] says why).
pub fn diagnose(ports: &[PortCandidate], options: &DiagnoseOptions) -> DiagnosticReport {
    let found = discover(ports, &options.discovery);
    let devices = std::thread::scope(|scope| {
        let running: Vec<_> = found
            .into_iter()
            .map(|port| scope.spawn(move || diagnose_device(port, options)))
            .collect();
        running
            .into_iter()
            .filter_map(|thread| thread.join().ok())
            .collect()
    });
    DiagnosticReport {
        generated_unix_s: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        drivers_version: env!("CARGO_PKG_VERSION").to_owned(),
        devices,
    }
}

/// Self-tests the device discovery found on `port`, recording the line into a new log.
pub fn diagnose_device(port: PortReport, options: &DiagnoseOptions) -> DeviceDiagnosis {
    diagnose_device_into(port, options, &CommandLog::default())
}

/// As [`diagnose_device`], recording the line into `log`, which the caller can read while the
/// self-test runs (the technician screen's live command log). The diagnosis keeps the log's last
/// `options.log_entries` entries.
pub fn diagnose_device_into(
    port: PortReport,
    options: &DiagnoseOptions,
    log: &CommandLog,
) -> DeviceDiagnosis {
    let mut diagnosis = DeviceDiagnosis {
        port,
        checks: Vec::new(),
        blank_capture: None,
        test_frame: None,
        counters: ErrorCounters::default(),
        log: Vec::new(),
    };
    if let Some(baud) = diagnosis.port.baud() {
        match SerialTransport::open(&diagnosis.port.path, baud) {
            Ok(line) => self_test(
                &mut diagnosis,
                Logged::new(line, log.clone()),
                baud,
                options,
            ),
            Err(error) => diagnosis.checks.push(CheckResult {
                step: Step::Open,
                verdict: Verdict::Fail,
                outcome: Outcome::Failed {
                    fault: Fault::from(&error),
                },
                duration_ms: 0,
            }),
        }
    }
    log.finish();
    diagnosis.counters = log.counters();
    let entries = log.entries();
    let skip = entries.len().saturating_sub(options.log_entries);
    diagnosis.log = entries.into_iter().skip(skip).collect();
    diagnosis
}

/// Runs the self-test of whatever discovery found, over `line`.
fn self_test(
    diagnosis: &mut DeviceDiagnosis,
    line: Logged<SerialTransport>,
    baud: u32,
    options: &DiagnoseOptions,
) {
    match &diagnosis.port.found {
        Found::Fingerprint(_) => {
            let mut module = FingerprintModule::new(line);
            let test = fingerprint_self_test(&mut module, baud, options.blank_captures);
            diagnosis.checks = test.checks;
            diagnosis.blank_capture = test.blank_capture;
        }
        Found::Camera(_) => {
            let mut camera = Camera::new(line);
            let test = camera_self_test(&mut camera);
            diagnosis.checks = test.checks;
            diagnosis.test_frame = test.test_frame;
        }
        _ => {}
    }
}
