//! The flat-field correction in force for the fingerprint sensor, shared by the capture path.

use std::sync::{Arc, PoisonError, RwLock};

use drivers::calibration::FlatField;
use image::GrayImage;

use super::{CalibrationHistory, CalibrationStoreError};

/// The correction the app applies to every fingerprint capture: the latest stored one of the
/// connected sensor, or none (captures pass unchanged). Cheap to clone and share between the
/// capture worker and the technician's screens; a new calibration replaces it at once.
#[derive(Debug, Clone, Default)]
pub struct FlatFieldStore {
    field: Arc<RwLock<Option<FlatField>>>,
}

impl FlatFieldStore {
    /// A store holding no correction.
    pub fn empty() -> Self {
        Self::default()
    }

    /// The latest correction stored for the sensor `serial` (none if it was never calibrated).
    pub fn load(history: &CalibrationHistory, serial: &str) -> Result<Self, CalibrationStoreError> {
        let field = history.latest_flat_field(serial)?;
        tracing::info!(
            serial,
            found = field.is_some(),
            "flat-field correction loaded"
        );
        Ok(Self {
            field: Arc::new(RwLock::new(field)),
        })
    }

    /// Puts another correction in force (after a calibration), or none.
    pub fn replace(&self, field: Option<FlatField>) {
        *self.field.write().unwrap_or_else(PoisonError::into_inner) = field;
    }

    /// Whether a correction is in force.
    pub fn is_set(&self) -> bool {
        self.field
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some()
    }

    /// Corrects a capture in place; returns whether a correction was applied. A capture of
    /// another size than the calibrated sensor's (another module plugged in) is left unchanged.
    pub fn apply(&self, capture: &mut GrayImage) -> bool {
        let guard = self.field.read().unwrap_or_else(PoisonError::into_inner);
        let Some(field) = guard.as_ref() else {
            return false;
        };
        match field.apply_image(capture) {
            Ok(()) => true,
            Err(error) => {
                tracing::warn!(%error, "flat-field correction not applied");
                false
            }
        }
    }
}
