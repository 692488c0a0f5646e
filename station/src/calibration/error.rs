//! What can go wrong with the calibration history.

/// Why the calibration history could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum CalibrationStoreError {
    /// Opening the database (pragmas, schema) failed.
    #[error("calibration database: {0}")]
    Database(#[from] crate::outbox::OutboxError),
    /// A query failed.
    #[error("calibration database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// Measures could not be written or read as JSON.
    #[error("calibration measures: {0}")]
    Json(#[from] serde_json::Error),
    /// A stored flat-field correction is damaged.
    #[error("stored flat-field correction: {0}")]
    FlatField(#[from] drivers::calibration::CalibrationError),
    /// A stored row holds a device kind this code does not know.
    #[error("unknown device kind {0:?} in the calibration history")]
    UnknownKind(String),
    /// Another thread panicked while holding the database.
    #[error("calibration database lock poisoned")]
    Poisoned,
}
