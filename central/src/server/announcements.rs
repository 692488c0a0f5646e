//! `POST /v1/announcements`: a station's signed announcements of the records it sealed.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use wire::announcement::{AnnouncementAnswer, AnnouncementBatch};

use super::AppState;
use super::errors::ApiError;
use crate::announcements::AnnouncementError;
use crate::trust::StationCaller;

/// Largest body read: a full batch of announcements, with room to spare.
pub const MAX_ANNOUNCEMENTS_BODY: usize = 128 * 1024;

impl From<AnnouncementError> for ApiError {
    fn from(e: AnnouncementError) -> Self {
        let (status, code) = match &e {
            AnnouncementError::Malformed(_) => (StatusCode::BAD_REQUEST, "malformed-announcement"),
            AnnouncementError::StationMismatch { .. } => {
                (StatusCode::FORBIDDEN, "station-mismatch")
            }
            AnnouncementError::BadSignature(_) => (StatusCode::UNAUTHORIZED, "bad-signature"),
            AnnouncementError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            AnnouncementError::Database(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        };
        Self::new(status, code, e.to_string())
    }
}

/// Keeps a batch of announcements.
pub async fn announce(
    State(state): State<Arc<AppState>>,
    caller: StationCaller,
    body: Bytes,
) -> Result<Json<AnnouncementAnswer>, ApiError> {
    let batch: AnnouncementBatch = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed-announcement",
            format!("announcement batch: {e}"),
        )
    })?;
    let station_id = caller.station_id.clone();
    let received = tokio::task::spawn_blocking(move || {
        crate::announcements::receive(
            &state.db,
            &caller.station_id,
            &batch,
            time::OffsetDateTime::now_utc(),
        )
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
    match received {
        Ok(recorded) => Ok(Json(AnnouncementAnswer { recorded })),
        Err(error) => {
            tracing::warn!(%station_id, %error, "announcements refused");
            Err(error.into())
        }
    }
}
