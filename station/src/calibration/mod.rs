//! Calibration results kept per device: every calibration of the fingerprint sensor and the
//! camera, by device serial number, in `DATA_DIR/calibration.sqlite` ([`CalibrationHistory`]),
//! and the latest flat-field correction of the fingerprint sensor ready to apply to every capture
//! ([`FlatFieldStore`]). The measures themselves are made by `drivers::calibration`.

mod error;
mod flat_field_store;
mod history;
mod record;

pub use error::CalibrationStoreError;
pub use flat_field_store::FlatFieldStore;
pub use history::CalibrationHistory;
pub use record::{CalibrationEntry, DeviceKind, camera_measures_json, fingerprint_measures_json};
