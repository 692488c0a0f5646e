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

/// A refused caller's body is read and thrown away up to this many bytes, for this long, so that an
/// ordinary client (which writes its whole record before reading) sees the refusal rather than a
/// reset connection; nothing is kept, and a client that stalls or sends more is simply cut off.
const REFUSED_DISCARD_BYTES: u64 = 1024 * 1024;
const REFUSED_DISCARD_TIME: std::time::Duration = std::time::Duration::from_secs(2);

/// The body's declared length, if it has a readable one.
fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
}

fn body_error(e: &axum::Error) -> ApiError {
    if super::idle_body::is_stalled(e) {
        return ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "body-timeout",
            format!("the body stalled: {e}"),
        );
    }
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "bad-body",
        format!("reading the body: {e}"),
    )
}

/// Reads and drops up to [`REFUSED_DISCARD_BYTES`] of a body, for at most
/// [`REFUSED_DISCARD_TIME`].
async fn discard_body(mut body: Body) {
    let _ = tokio::time::timeout(REFUSED_DISCARD_TIME, async {
        let mut total: u64 = 0;
        while let Some(Ok(frame)) =
            std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await
        {
            if let Ok(data) = frame.into_data() {
                total += data.len() as u64;
                if total > REFUSED_DISCARD_BYTES {
                    break;
                }
            }
        }
    })
    .await;
}

/// Reads the body up to `limit` bytes, refusing a declared or actual length above it. Called with
/// the body's share of the memory budget held, so the buffer is allocated at once.
async fn read_body(declared: Option<u64>, mut body: Body, limit: usize) -> Result<Bytes, ApiError> {
    let drain_cap = (limit as u64).saturating_mul(DRAIN_FACTOR);
    let capacity = declared.map_or(64 * 1024, |n| usize::try_from(n).unwrap_or(limit));
    let mut buffer = Vec::with_capacity(capacity.min(limit));
    let mut total: u64 = 0;
    while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let frame = frame.map_err(|e| body_error(&e))?;
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

/// Receives one sealed record. Nothing of the body is kept before the caller is known to be an
/// enrolled station, and then only within the memory budget.
pub async fn put_record(
    State(state): State<Arc<AppState>>,
    caller: Result<StationCaller, ApiError>,
    Path(record_id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Receipt>, ApiError> {
    let caller = match caller {
        Ok(caller) => caller,
        Err(refused) => {
            discard_body(body).await;
            tracing::warn!(record_id = %record_id, status = refused.status.as_u16(),
                code = refused.code, "record refused before its body");
            return Err(refused);
        }
    };
    tracing::debug!(station_id = %caller.station_id, record_id = %record_id, "record from");
    // The station's audit checkpoint before its body: a truncated audit log is refused like an
    // unknown caller, its record read and thrown away.
    let db = Arc::clone(&state.db);
    let checkpoint_headers = headers.clone();
    let station_id = caller.station_id.clone();
    let checked = tokio::task::spawn_blocking(move || {
        crate::audit_checkpoints::check(&db, &station_id, &checkpoint_headers)
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))
    .and_then(|r| r);
    if let Err(refused) = checked {
        discard_body(body).await;
        tracing::warn!(record_id = %record_id, station_id = %caller.station_id,
            status = refused.status.as_u16(), code = refused.code, detail = %refused.detail,
            "record refused for its audit checkpoint");
        return Err(refused);
    }
    let result = receive(&state, &record_id, &headers, body).await;
    match result {
        Ok(receipt) => Ok(Json(receipt)),
        Err(error) => {
            tracing::warn!(record_id = %record_id, station_id = %caller.station_id,
                status = error.status.as_u16(), code = error.code, detail = %error.detail,
                "record refused");
            Err(error)
        }
    }
}

async fn receive(
    state: &AppState,
    record_id: &str,
    headers: &HeaderMap,
    body: Body,
) -> Result<Receipt, ApiError> {
    let limit = state.max_record_bytes;
    let declared = declared_length(headers);
    if declared.is_some_and(|n| n > (limit as u64).saturating_mul(DRAIN_FACTOR)) {
        return Err(too_large(limit));
    }
    let _share = state
        .body_budget
        .reserve(declared.map_or(limit, |n| usize::try_from(n).unwrap_or(limit).min(limit)))
        .await?;
    let body = tokio::time::timeout(state.body_timeout, read_body(declared, body, limit))
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                "body-timeout",
                format!("the body did not arrive within {:?}", state.body_timeout),
            )
        })??;
    state
        .intake
        .receive(record_id.to_owned(), body)
        .await
        .map_err(ApiError::from)
}
