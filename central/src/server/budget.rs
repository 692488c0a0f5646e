//! The memory record bodies may take, shared by every upload: an upload reserves its declared size
//! (the whole record limit when it declares none) before its body is read, and keeps it while the
//! record is checked, so that many uploads at once wait their turn instead of each holding up to
//! 32 MiB. An upload that waits too long is answered 503, which a station retries later.

use std::time::Duration;

use axum::http::StatusCode;
use tokio::sync::{Semaphore, SemaphorePermit};

use super::errors::ApiError;

/// Reservations are counted in KiB, so that a budget of gigabytes fits a semaphore's count.
const UNIT: usize = 1024;

/// The budget; see the module documentation.
#[derive(Debug)]
pub struct BodyBudget {
    units: Semaphore,
    total_units: u32,
    wait: Duration,
}

impl BodyBudget {
    /// A budget of `bytes`, an upload waiting at most `wait` for its share.
    pub fn new(bytes: usize, wait: Duration) -> Self {
        let total_units = u32::try_from(bytes.div_ceil(UNIT).max(1)).unwrap_or(u32::MAX);
        Self {
            units: Semaphore::new(total_units as usize),
            total_units,
            wait,
        }
    }

    /// Reserves `bytes` (at most the whole budget) until the permit is dropped.
    pub async fn reserve(&self, bytes: usize) -> Result<SemaphorePermit<'_>, ApiError> {
        let units = u32::try_from(bytes.div_ceil(UNIT).max(1))
            .unwrap_or(u32::MAX)
            .min(self.total_units);
        match tokio::time::timeout(self.wait, self.units.acquire_many(units)).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(_)) | Err(_) => {
                tracing::warn!(bytes, "upload refused: the memory for bodies is all taken");
                Err(ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "busy",
                    "the central is receiving as many records as it can hold; retry later",
                ))
            }
        }
    }
}
