//! `PUT /v1/records/{record_id}`: the sealed record in, the signed receipt out.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use bytes::Bytes;

use super::AppState;
use super::errors::ApiError;
use crate::receipts::Receipt;

/// Receives one sealed record.
pub async fn put_record(
    State(state): State<Arc<AppState>>,
    Path(record_id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Receipt>, ApiError> {
    let body = body.map_err(|rejection| {
        let status = rejection.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                status,
                "too-large",
                format!(
                    "a sealed record is at most {} bytes",
                    state.max_record_bytes
                ),
            )
        } else {
            ApiError::new(status, "bad-body", rejection.body_text())
        }
    })?;
    match state.intake.receive(record_id.clone(), body).await {
        Ok(receipt) => Ok(Json(receipt)),
        Err(e) => {
            let error = ApiError::from(e);
            tracing::warn!(record_id = %record_id, status = error.status.as_u16(),
                code = error.code, detail = %error.detail, "record refused");
            Err(error)
        }
    }
}
