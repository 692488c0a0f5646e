//! `GET /v1/tax-stamps/{number}`: what the central knows of an electronic tax stamp, for the
//! clerk's check at the counter. Stations only (mutual TLS): the register is not for the public.
//! The answer is the stamp's value and whether a record used it; the station compares the value
//! with the fee, which it knows from the pre-request and the reason the clerk confirmed.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use wire::tax_stamp::{StampNumber, TAX_STAMP_UNKNOWN};

use super::AppState;
use super::errors::ApiError;
use crate::trust::StationCaller;

/// `GET /v1/tax-stamps/{number}`.
pub async fn standing(
    State(state): State<Arc<AppState>>,
    caller: StationCaller,
    Path(number): Path<String>,
) -> Response {
    let Ok(number) = StampNumber::try_from(number) else {
        return ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed-tax-stamp",
            "a tax stamp number is 16 digits",
        )
        .into_response();
    };
    let used_here = match state.db.tax_stamp_used_by(number.as_str()) {
        Ok(used) => used.is_some(),
        Err(e) => {
            return ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
                .into_response();
        }
    };
    match state.tax_stamps.standing(&number, used_here) {
        Some(standing) => {
            tracing::info!(station_id = %caller.station_id, used = standing.used,
                amount_cents = standing.amount_cents, "tax stamp checked");
            Json(standing).into_response()
        }
        None => {
            tracing::info!(station_id = %caller.station_id, "unknown tax stamp checked");
            ApiError::new(
                StatusCode::NOT_FOUND,
                TAX_STAMP_UNKNOWN,
                format!("tax stamp {number} is not known"),
            )
            .into_response()
        }
    }
}
