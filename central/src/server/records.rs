//! `PUT /v1/records/{record_id}`: the sealed record in, the signed receipt out.

use std::pin::Pin;
use std::sync::Arc;

use axum::Json;
use axum::body::{Body, HttpBody};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use bytes::Bytes;

use super::AppState;
use super::errors::ApiError;
use crate::receipts::Receipt;
use crate::trust::StationCaller;

fn too_large(limit: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too-large",
        format!("a sealed record is at most {limit} bytes"),
    )
}

/// A body declared longer than this many times the limit is refused without reading it; a smaller
/// excess is read and discarded first, so that an ordinary client (which writes its whole body
/// before reading) sees the 413 rather than a broken connection.
const DRAIN_FACTOR: u64 = 4;

/// Reads the body up to `limit` bytes, refusing a declared or actual length above it.
async fn read_body(headers: &HeaderMap, mut body: Body, limit: usize) -> Result<Bytes, ApiError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let drain_cap = (limit as u64).saturating_mul(DRAIN_FACTOR);
    if declared.is_some_and(|n| n > drain_cap) {
        return Err(too_large(limit));
    }
    let capacity = declared.map_or(64 * 1024, |n| usize::try_from(n).unwrap_or(limit));
    let mut buffer = Vec::with_capacity(capacity.min(limit));
    let mut total: u64 = 0;
    while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let frame = frame.map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad-body",
                format!("reading the body: {e}"),
            )
        })?;
        if let Ok(data) = frame.into_data() {
            total += data.len() as u64;
            if total > drain_cap {
                return Err(too_large(limit));
            }
            if total <= limit as u64 {
                buffer.extend_from_slice(&data);
            }
        }
    }
    if total > limit as u64 {
        return Err(too_large(limit));
    }
    Ok(Bytes::from(buffer))
}

/// Receives one sealed record.
pub async fn put_record(
    State(state): State<Arc<AppState>>,
    caller: Result<StationCaller, ApiError>,
    Path(record_id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Receipt>, ApiError> {
    let read = tokio::time::timeout(
        state.body_timeout,
        read_body(&headers, body, state.max_record_bytes),
    )
    .await
    .map_err(|_| {
        ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "body-timeout",
            format!("the body did not arrive within {:?}", state.body_timeout),
        )
    })
    .and_then(|r| r);
    // The body is read (within the same limits) before a refused station is answered, so that a
    // client writing its whole body before reading sees the answer, not a broken connection.
    let read = match caller {
        Ok(caller) => {
            tracing::debug!(station_id = %caller.station_id, record_id = %record_id, "record from");
            let db = Arc::clone(&state.db);
            let checkpoint_headers = headers.clone();
            let station_id = caller.station_id.clone();
            let checked = tokio::task::spawn_blocking(move || {
                crate::audit_checkpoints::check(&db, &station_id, &checkpoint_headers)
            })
            .await
            .map_err(|e| {
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
            })
            .and_then(|r| r);
            read.and_then(|body| checked.map(|()| body))
        }
        Err(refused) => Err(refused),
    };
    let result = match read {
        Ok(body) => state
            .intake
            .receive(record_id.clone(), body)
            .await
            .map_err(ApiError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(receipt) => Ok(Json(receipt)),
        Err(error) => {
            tracing::warn!(record_id = %record_id, status = error.status.as_u16(),
                code = error.code, detail = %error.detail, "record refused");
            Err(error)
        }
    }
}
