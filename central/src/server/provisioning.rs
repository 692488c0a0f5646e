//! `POST /v1/provisioning/enrol` (no client certificate yet: the one-time code is the proof) and
//! `POST /v1/certificate/renew` (with the station's current certificate).

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bytes::Bytes;

use super::AppState;
use super::errors::ApiError;
use crate::enrolment::{self, EnrolmentError};
use crate::stations::StationError;
use crate::trust::{AuthorityError, StationCaller};

impl From<EnrolmentError> for ApiError {
    fn from(e: EnrolmentError) -> Self {
        use EnrolmentError as E;
        let (status, code) = match &e {
            E::UnknownCode => (StatusCode::FORBIDDEN, "unknown-code"),
            E::CodeUsed => (StatusCode::FORBIDDEN, "code-used"),
            E::CodeExpired(_) => (StatusCode::FORBIDDEN, "code-expired"),
            E::Revoked(_) => (StatusCode::FORBIDDEN, "station-revoked"),
            E::NotEnrolled(_) => (StatusCode::FORBIDDEN, "unknown-station"),
            E::Authority(AuthorityError::BadRequest(_)) => (StatusCode::BAD_REQUEST, "bad-csr"),
            E::Station(StationError::BadKey(_)) => (StatusCode::BAD_REQUEST, "malformed-key"),
            _ => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        };
        Self::new(status, code, e.to_string())
    }
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed-request",
            format!("request body: {e}"),
        )
    })
}

/// Redeems an enrolment code.
pub async fn enrol(
    State(state): State<Arc<AppState>>,
    body: Bytes,
) -> Result<Json<wire::provisioning::EnrolAnswer>, ApiError> {
    let request: wire::provisioning::EnrolRequest = parse(&body)?;
    let answer = enrolment::redeem(&state.db, &state.ca, state.intake.public_keys(), &request)
        .inspect_err(|e| {
            tracing::warn!(error = %e, "enrolment refused");
        })?;
    Ok(Json(answer))
}

/// Issues a new certificate to a station that still holds a current one.
pub async fn renew(
    State(state): State<Arc<AppState>>,
    caller: StationCaller,
    body: Bytes,
) -> Result<Json<wire::provisioning::EnrolAnswer>, ApiError> {
    let request: wire::provisioning::RenewRequest = parse(&body)?;
    let answer = enrolment::renew(
        &state.db,
        &state.ca,
        state.intake.public_keys(),
        &caller.station_id,
        &request.csr_pem,
    )?;
    Ok(Json(answer))
}
