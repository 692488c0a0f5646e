//! The technician's part of the core, owning its state: the calibration history, the sensor's
//! flat-field correction in force, the answers to a calibration's prompts, the hot-plug watch and
//! the discovery under way. The actions on it are in `technician_actions`.

use std::{path::Path, sync::mpsc::SyncSender, thread::JoinHandle, time::Duration};

use drivers::discovery::{DeviceKind, DeviceWatch, WatchOptions, WatchedPort};
use tracing::warn;

use crate::{
    calibration::{CalibrationHistory, FlatFieldStore},
    config::StationConfig,
};

/// How often the ports of the devices are looked at for hot-plug: a device unplugged shows on
/// the clerk's home screen within this (plus the core's tick).
const WATCH_INTERVAL: Duration = Duration::from_millis(500);

/// The core's technician state.
pub(crate) struct Technician {
    /// `DATA_DIR/calibration.sqlite`; `None` when it cannot be opened (logged).
    pub history: Option<CalibrationHistory>,
    /// The correction every fingerprint capture gets (shared with the fingerprint worker).
    pub flat_field: FlatFieldStore,
    /// The sensor serial whose correction is loaded.
    pub flat_field_serial: Option<String>,
    /// Answers to the calibration's prompts.
    pub answers: Option<SyncSender<bool>>,
    /// Hot-plug watch on the devices' ports.
    pub watch: Option<DeviceWatch>,
    /// Discovery parts not yet reported.
    pub pending: usize,
    /// The thread probing the ports no worker holds.
    pub discovery: Option<JoinHandle<()>>,
}

impl Technician {
    /// Opens the calibration history and starts watching the configured ports.
    pub(crate) fn start(config: &StationConfig) -> Self {
        let history =
            match CalibrationHistory::open(&CalibrationHistory::default_path(&config.data_dir)) {
                Ok(h) => Some(h),
                Err(error) => {
                    warn!(%error, "calibration history not available");
                    None
                }
            };
        let ports: Vec<WatchedPort> = configured(config)
            .into_iter()
            .map(|(kind, path)| WatchedPort::new(path, Some(kind)))
            .collect();
        let watch = if ports.is_empty() {
            None
        } else {
            let options = WatchOptions {
                interval: WATCH_INTERVAL,
                ..WatchOptions::default()
            };
            match DeviceWatch::start(ports, options) {
                Ok(w) => Some(w),
                Err(error) => {
                    warn!(%error, "hot-plug watch not started");
                    None
                }
            }
        };
        Self {
            history,
            flat_field: FlatFieldStore::empty(),
            flat_field_serial: None,
            answers: None,
            watch,
            pending: 0,
            discovery: None,
        }
    }

    /// Stops the watch and waits for a discovery under way.
    pub(crate) fn stop(&mut self) {
        if let Some(watch) = self.watch.take() {
            watch.stop();
        }
        self.answers = None;
        if let Some(thread) = self.discovery.take() {
            let _ = thread.join();
        }
    }
}

/// The devices' configured ports.
pub(crate) fn configured(config: &StationConfig) -> Vec<(DeviceKind, String)> {
    let mut ports = Vec::new();
    if let Some(p) = &config.devices.fingerprint {
        ports.push((
            DeviceKind::Fingerprint,
            p.path.to_string_lossy().into_owned(),
        ));
    }
    if let Some(p) = &config.devices.camera {
        ports.push((DeviceKind::Camera, p.path.to_string_lossy().into_owned()));
    }
    ports
}

pub(crate) fn same_port(a: &str, b: &str) -> bool {
    let canonical = |p: &str| std::fs::canonicalize(p).unwrap_or_else(|_| Path::new(p).into());
    a == b || canonical(a) == canonical(b)
}
