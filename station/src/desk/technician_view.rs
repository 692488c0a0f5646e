//! What the technician screens show: discovery, diagnostics with the live command log and the
//! error counters, calibration measures with their verdicts, the sensor's uniformity map and
//! blank-frame histogram as data, and the calibration history per device serial number.

pub(crate) mod texts;

use std::path::PathBuf;

use drivers::diagnostics::{DeviceDiagnosis, ErrorCounters, LogEntry};
use drivers::discovery::{DeviceKind, PortReport};

use crate::config::devices_file::SavedDevices;

/// The technician area's state. Empty until a technician asks for something.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TechnicianView {
    /// What is running now (the screens disable the other buttons meanwhile).
    pub running: Option<TechnicianTask>,
    /// The calibration waits for the technician to lay a target and confirm.
    pub prompt: Option<TargetPrompt>,
    /// The last discovery: one row per port, sorted by path. `None` before the first.
    pub discovery: Option<Vec<DiscoveredPort>>,
    /// The last diagnosis of each device, fingerprint first.
    pub diagnoses: Vec<DeviceDiagnosis>,
    /// The command log of the diagnosis running or last run (the last lines).
    pub log: Vec<LogEntry>,
    /// Error counters of the diagnosis running or last run.
    pub counters: ErrorCounters,
    /// The last calibration of the fingerprint sensor.
    pub fingerprint: Option<SensorCalibrationView>,
    /// The last calibration of the camera.
    pub camera: Option<CameraCalibrationView>,
    /// Every stored calibration of the connected devices, oldest first.
    pub history: Vec<HistoryPoint>,
    /// A flat-field correction is applied to every fingerprint capture.
    pub flat_field_in_force: bool,
    /// Where the last report was written.
    pub report: Option<PathBuf>,
    /// What the last save of the discovered devices wrote.
    pub devices_saved: Option<SavedDevices>,
    /// Why the last action failed, in a technician's words.
    pub error: Option<String>,
    /// The driver's or the system's own words about that failure (English, technical), when the
    /// sentence does not say it all; the screens label it as a technical detail.
    pub error_detail: Option<String>,
    /// Hot-plug events seen since start ("10:42:07 /dev/ttyUSB0 débranché"), newest last.
    pub port_events: Vec<String>,
}

/// A technician action in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TechnicianTask {
    /// Discovery of every port.
    Discovery,
    /// Self-test of a device.
    Diagnosis(DeviceKind),
    /// Calibration of a device.
    Calibration(DeviceKind),
}

/// What the calibration asks the technician to do before it goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetPrompt {
    /// Clean the glass and lay the white (blank) target.
    LayBlankTarget,
    /// Lay the dark (flat) target.
    LayFlatTarget,
    /// Hold the grey card before the lens (asked before the camera calibration starts).
    ShowGreyCard,
}

/// One port found by discovery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscoveredPort {
    /// What discovery found.
    pub report: PortReport,
    /// The port is the one configured for this device (its worker reopened it after the probe).
    pub configured_for: Option<DeviceKind>,
}

/// One measure judged against its limit.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureRow {
    /// The measure's code (`snr`, `bad_pixels`, ...): the screens name it in their language.
    pub measure: String,
    /// The value measured.
    pub value: f64,
    /// The limit (`≥ 40`).
    pub limit: String,
    /// Whether it passes.
    pub pass: bool,
}

/// The fingerprint sensor's calibration as the screens show it.
#[derive(Debug, Clone, PartialEq)]
pub struct SensorCalibrationView {
    /// The sensor's serial number (the history's key).
    pub serial: String,
    /// Every measure passed.
    pub pass: bool,
    /// The measures and their verdicts.
    pub measures: Vec<MeasureRow>,
    /// Mean of the blank frames per block, relative to the whole frame's mean (1.0 = even).
    pub uniformity: UniformityMap,
    /// Histogram of the blank target's mean frame (256 grey levels).
    pub blank_histogram: Vec<u32>,
    /// Histogram of the dark target's mean frame (256 grey levels).
    pub dark_histogram: Vec<u32>,
    /// Dead and stuck pixels found.
    pub bad_pixels: usize,
    /// Latent-print residue regions found.
    pub residue_regions: usize,
}

/// Block means of a frame, row by row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UniformityMap {
    /// Blocks across.
    pub columns: u32,
    /// Blocks down.
    pub rows: u32,
    /// One value per block, row by row (block mean ÷ frame mean).
    pub values: Vec<f32>,
}

/// The camera's calibration as the screens show it.
#[derive(Debug, Clone, PartialEq)]
pub struct CameraCalibrationView {
    /// The camera's serial or identity (the history's key).
    pub serial: String,
    /// Every measure passed.
    pub pass: bool,
    /// The measures and their verdicts.
    pub measures: Vec<MeasureRow>,
    /// Compression byte chosen for the portrait.
    pub compression: u8,
    /// Portrait size at that setting, bytes.
    pub portrait_bytes: u32,
    /// Size it had to stay within, bytes.
    pub target_bytes: u32,
}

/// One stored calibration, for the history plot.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryPoint {
    /// The device's serial number.
    pub serial: String,
    /// `fingerprint` or `camera`.
    pub kind: String,
    /// When, seconds since 1970 (UTC).
    pub at_unix_s: i64,
    /// Whether every check passed.
    pub pass: bool,
    /// Each check's value by measure code.
    pub values: Vec<(String, f64)>,
}
