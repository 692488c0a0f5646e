//! What the technician screens ask the counter core: discovery, diagnostics, calibration and the
//! report. The devices stay with their workers: the core lends a worker's port to the routine.

pub use drivers::discovery::DeviceKind;

/// One request from the technician area (technician and supervisor accounts only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TechnicianCommand {
    /// Identify what is on every port: the devices' own ports are probed by their workers
    /// (released for the probe, then reopened), every other port by a discovery thread.
    Discover,
    /// Self-test one device with a live command log and error counters.
    Diagnose {
        /// Which device.
        device: DeviceKind,
    },
    /// Calibrate one device (fingerprint sensor: blank and dark targets; camera: grey card and
    /// the portrait's compression). The result is stored in the history of the device's serial
    /// number; the sensor's flat-field correction applies to every capture afterwards.
    Calibrate {
        /// Which device.
        device: DeviceKind,
    },
    /// The technician laid the target asked for: the calibration goes on.
    TargetReady,
    /// Stop the calibration waiting for a target.
    CancelCalibration,
    /// Write the latest diagnostics as text and JSON under `DATA_DIR/reports/`.
    ExportReport,
    /// Read the calibration history of the connected devices again.
    LoadHistory,
    /// Write the first fingerprint module and camera of the last discovery into the configuration
    /// file's `[devices]` (as `station devices --save`); they are used from the next start.
    SaveDevices,
}
