//! `POST /v1/handover`: a station's sealed and signed handover claim in, the central's signed
//! decision out (`handover/`, docs/central-api.md). The checks and the comparison run on a
//! blocking thread.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use wire::handover::{HandoverDecision, HandoverRequest};

use super::AppState;
use super::errors::ApiError;
use crate::handover::{Handover, HandoverError};
use crate::trust::StationCaller;

/// Largest request body read: the sealed claim (`handover::claim::MAX_CLAIM_BYTES`) in hex, and a
/// few short fields.
pub const MAX_HANDOVER_BODY: usize = 40 * 1024;

impl From<HandoverError> for ApiError {
    fn from(e: HandoverError) -> Self {
        use wire::handover as codes;
        let (status, code) = match &e {
            HandoverError::Malformed(_) => (StatusCode::BAD_REQUEST, "malformed-request"),
            HandoverError::BadNumber(_) => (StatusCode::BAD_REQUEST, "malformed-number"),
            HandoverError::UnknownStation(_) => (StatusCode::UNAUTHORIZED, "unknown-station"),
            HandoverError::BadSignature => (StatusCode::UNAUTHORIZED, "bad-signature"),
            HandoverError::CannotOpen => (StatusCode::BAD_REQUEST, codes::CANNOT_OPEN),
            HandoverError::Stale(_) => (StatusCode::UNAUTHORIZED, codes::STALE),
            HandoverError::Replayed => (StatusCode::CONFLICT, codes::REPLAYED),
            HandoverError::TooManyAttempts(_) => {
                (StatusCode::TOO_MANY_REQUESTS, codes::TOO_MANY_ATTEMPTS)
            }
            HandoverError::OtherTownHall(_) => {
                (StatusCode::FORBIDDEN, wire::town_hall::OTHER_TOWN_HALL)
            }
            HandoverError::NoTemplates(_) => (StatusCode::NOT_FOUND, codes::NO_TEMPLATES),
            HandoverError::Database(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        };
        Self::new(status, code, e.to_string())
    }
}

/// Decides a handover request.
pub async fn decide(
    State(state): State<Arc<AppState>>,
    caller: StationCaller,
    body: Bytes,
) -> Result<Json<HandoverDecision>, ApiError> {
    let request: HandoverRequest = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed-request",
            format!("handover request: {e}"),
        )
    })?;
    // The signed request must name the station the TLS certificate belongs to: a station's key
    // used over another station's connection is refused.
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
    let station_id = request.station_id.clone();
    let decided = tokio::task::spawn_blocking(move || {
        let now = time::OffsetDateTime::now_utc();
        let decision = Handover {
            keys: &state.keys,
            db: &state.db,
            templates: &state.templates,
            attempts: &state.handover_attempts,
            town_hall: &caller.town_hall,
        }
        .decide(&request, now)?;
        // A match is the card handed over: a refusal's prints are then due 90 days later.
        if decision.decision == wire::handover::Decision::Match {
            state.prints.card_issued_for(&decision.number, now)?;
        }
        Ok::<_, crate::handover::HandoverError>(decision)
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
    match decided {
        Ok(decision) => Ok(Json(decision)),
        Err(error) => {
            tracing::warn!(%station_id, %error, "handover request refused");
            Err(error.into())
        }
    }
}

/// `GET /v1/handover/{number}`: whether a record arrived for `number` and which fingers it holds,
/// so the station asks for the right finger, or for none. It names fingers, never templates.
pub async fn subject(
    State(state): State<Arc<AppState>>,
    caller: StationCaller,
    headers: axum::http::HeaderMap,
    axum::extract::Path(number): axum::extract::Path<String>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use wire::handover::{HandoverSubject, SubjectState};
    if !super::prerequests::authorised(&state, &headers) {
        return super::prerequests::unauthorised();
    }
    let number = match crate::prerequests::normalise(&number) {
        Ok(n) => n,
        Err(e) => {
            return ApiError::new(StatusCode::BAD_REQUEST, "malformed-number", e.to_string())
                .into_response();
        }
    };
    let internal = |e: crate::storage::DatabaseError| {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()).into_response()
    };
    let received = match state.db.consumed_by(&number) {
        Ok(received) => received.is_some(),
        Err(e) => return internal(e),
    };
    let stored = match state.templates.get(&number) {
        Ok(stored) => stored,
        Err(e) => return internal(e),
    };
    // Which town hall the document belongs to: the one of the station that enrolled it, or,
    // before a record arrived, the one of the appointment.
    let in_scope = match &stored {
        Some(stored) => match state.db.station_town_hall(&stored.station_id) {
            Ok(town_hall) => town_hall.is_some_and(|t| !t.is_empty() && t == caller.town_hall),
            Err(e) => return internal(e),
        },
        None => state
            .catalogue
            .lookup(&number)
            .is_none_or(|entry| wire::town_hall::visible_from(&entry, &caller.town_hall)),
    };
    if !in_scope {
        tracing::warn!(%number, station_id = %caller.station_id, town_hall = %caller.town_hall,
            "handover subject of another town hall's document refused");
        return super::prerequests::other_town_hall(&number, &caller.town_hall).into_response();
    }
    let fingers = match stored {
        Some(stored) => match fingerprint::FingerMinutiaeRecord::parse(&stored.minutiae) {
            Ok(fingers) => fingers.iter().map(|f| f.position).collect(),
            Err(e) => {
                tracing::error!(%number, error = %e, "stored templates do not read");
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    let state = if !fingers.is_empty() {
        SubjectState::Ready
    } else if received {
        SubjectState::NoFingerprints
    } else if state.catalogue.lookup(&number).is_some() {
        SubjectState::NotReceived
    } else {
        SubjectState::Unknown
    };
    Json(HandoverSubject {
        number,
        state,
        fingers,
    })
    .into_response()
}
