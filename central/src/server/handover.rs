//! `GET /v1/handover/{number}/templates`: a pre-request's reference templates (the ISO/IEC 19794-2
//! record from its sealed record), for a registered station that signs its request
//! (templates/request.rs, docs/central-api.md).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::errors::ApiError;
use crate::prerequests::normalise;
use crate::templates::{HandoverRequest, RequestError};
use crate::trust::StationCaller;

fn header_text(headers: &HeaderMap, name: &str) -> Result<String, ApiError> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unsigned-request",
                format!("header {name} is missing"),
            )
        })
}

impl From<RequestError> for ApiError {
    fn from(e: RequestError) -> Self {
        let (status, code) = match &e {
            RequestError::Malformed(_) => (StatusCode::BAD_REQUEST, "malformed-request"),
            RequestError::UnknownStation(_) => (StatusCode::UNAUTHORIZED, "unknown-station"),
            RequestError::BadSignature => (StatusCode::UNAUTHORIZED, "bad-signature"),
            RequestError::Stale(_) => (StatusCode::UNAUTHORIZED, "stale-request"),
            RequestError::Database(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        };
        Self::new(status, code, e.to_string())
    }
}

/// Answers with the templates kept for `number`.
pub async fn templates(
    State(state): State<Arc<AppState>>,
    caller: StationCaller,
    Path(number): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let number = normalise(&number).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed-number",
            format!("pre-request number: {e}"),
        )
    })?;
    let request = HandoverRequest {
        station_id: header_text(&headers, wire::headers::STATION_ID)?,
        time: header_text(&headers, wire::headers::STATION_TIME)?,
        signature: header_text(&headers, wire::headers::STATION_SIGNATURE)?,
    };
    // The signed headers must name the station the TLS certificate belongs to.
    if request.station_id != caller.station_id {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "station-mismatch",
            format!(
                "the request is signed for station {} but comes over the certificate of {}",
                request.station_id, caller.station_id
            ),
        ));
    }
    let state2 = Arc::clone(&state);
    let number2 = number.clone();
    let request2 = request.clone();
    let found = tokio::task::spawn_blocking(move || {
        request2.verify(&state2.db, &number2, time::OffsetDateTime::now_utc())?;
        Ok::<_, RequestError>(state2.templates.get(&number2)?)
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
    match found {
        Err(error) => {
            tracing::warn!(station_id = %request.station_id, pre_request = %number,
                %error, "handover templates refused");
            Err(error.into())
        }
        Ok(None) => {
            tracing::info!(station_id = %request.station_id, pre_request = %number,
                "no templates for this pre-request");
            Err(ApiError::new(
                StatusCode::NOT_FOUND,
                wire::handover::NO_TEMPLATES,
                format!("no record with minutiae was received for pre-request {number}"),
            ))
        }
        Ok(Some(stored)) => {
            tracing::info!(station_id = %request.station_id, pre_request = %number,
                record_id = %stored.record_id, bytes = stored.minutiae.len(),
                "handover templates sent");
            Ok((
                StatusCode::OK,
                [
                    (
                        header::CONTENT_TYPE,
                        wire::handover::TEMPLATES_CONTENT_TYPE.to_owned(),
                    ),
                    (header::CACHE_CONTROL, "no-store".to_owned()),
                ],
                [(wire::headers::RECORD_ID, stored.record_id.clone())],
                stored.minutiae.clone(),
            )
                .into_response())
        }
    }
}
