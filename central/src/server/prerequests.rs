//! The pre-request endpoints: the ANTS-shaped status check and the content lookup.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::errors::ApiError;
use crate::prerequests::{PreRequest, Status, StatusEntry, normalise};
use crate::trust::StationCaller;
use crate::trust::caller::NO_CLIENT_CERTIFICATE;

/// Header carrying the token (ANTS coordination API).
pub const TOKEN_HEADER: &str = wire::headers::TOKEN;
/// ANTS's 401 detail text (docs/reference/counter-workflow.md).
pub const TOKEN_INVALID_DETAIL: &str = "X-RDV-OPT-AUTH-TOKEN header invalid";
/// At most this many ids in one status query.
pub const MAX_IDS_PER_QUERY: usize = 100;

/// A station authenticates with its certificate ([`StationCaller`]) and need not send the ANTS
/// header; when it does and a token is configured, the header must be right (a misconfigured
/// station is told). With no token configured there is nothing to check it against.
pub(super) fn authorised(state: &AppState, headers: &HeaderMap) -> bool {
    let Some(given) = headers.get(TOKEN_HEADER) else {
        return true;
    };
    state
        .ants_token
        .as_deref()
        .is_none_or(|expected| token_matches(given.as_bytes(), expected))
}

/// An ANTS-style caller (no certificate): answered only when that interface is enabled and the
/// header holds the configured token.
fn ants_caller_authorised(state: &AppState, headers: &HeaderMap) -> bool {
    match (
        state.ants_status,
        state.ants_token.as_deref(),
        headers.get(TOKEN_HEADER),
    ) {
        (true, Some(expected), Some(given)) => token_matches(given.as_bytes(), expected),
        _ => false,
    }
}

fn token_matches(given: &[u8], expected: &str) -> bool {
    let expected = expected.as_bytes();
    // Compare without an early exit on the first differing byte.
    given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// ANTS's 401 answer.
pub(super) fn unauthorised() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(serde_json::json!({"detail": TOKEN_INVALID_DETAIL})),
    )
        .into_response()
}

/// The refusal of a pre-request outside the asking station's town hall. It says no more than that:
/// neither the content nor the other town hall.
pub(super) fn other_town_hall(number: &str, town_hall: &str) -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        wire::town_hall::OTHER_TOWN_HALL,
        format!("pre-request {number} has no appointment at town hall {town_hall:?}"),
    )
}

/// The central's freeze rule: a station whose oldest announced record has not arrived for longer
/// than the limit gets no new pre-request (`None`: it may go on).
pub(super) fn frozen(state: &AppState, station: &StationCaller) -> Option<ApiError> {
    match crate::announcements::frozen_since(
        &state.db,
        &station.station_id,
        state.max_missing_age,
        time::OffsetDateTime::now_utc(),
    ) {
        Ok(None) => None,
        Ok(Some(oldest)) => {
            tracing::warn!(station_id = %station.station_id, %oldest,
                "pre-request refused: announced records have not arrived");
            Some(ApiError::new(
                StatusCode::LOCKED,
                wire::announcement::BACKLOG_TOO_OLD,
                format!(
                    "records this station announced (the oldest sealed at {oldest}) have not \
                     arrived for longer than {} h: no new pre-request until they do",
                    state.max_missing_age.as_secs() / 3600
                ),
            ))
        }
        Err(e) => Some(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            e.to_string(),
        )),
    }
}

/// The status of a pre-request as seen now: `consumed` once a record used it.
pub(super) fn current_status(state: &AppState, entry: &PreRequest) -> Result<Status, ApiError> {
    let consumed = state
        .db
        .consumed_by(&entry.number)
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
    Ok(if consumed.is_some() {
        Status::Consumed
    } else {
        entry.status
    })
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// `GET /api/status?application_ids=X&application_ids=Y`.
pub async fn status(
    State(state): State<Arc<AppState>>,
    caller: Result<StationCaller, ApiError>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    // A station sees its own town hall's; the appointment service (ANTS-style) sees all.
    let station = match caller {
        Ok(station) if authorised(&state, &headers) => Some(station),
        Ok(_) => return unauthorised(),
        Err(refused) if refused.code != NO_CLIENT_CERTIFICATE => return refused.into_response(),
        Err(_) if ants_caller_authorised(&state, &headers) => None,
        Err(_) if headers.contains_key(TOKEN_HEADER) || state.ants_status => return unauthorised(),
        Err(refused) => return refused.into_response(),
    };
    if let Some(refused) = station.as_ref().and_then(|s| frozen(&state, s)) {
        return refused.into_response();
    }
    let town_hall = station.as_ref().map(|s| s.town_hall.as_str());
    match status_answer(&state, query.as_deref().unwrap_or(""), town_hall) {
        Ok(answer) => Json(answer).into_response(),
        Err(e) => e.into_response(),
    }
}

/// The status answer, for a station of `town_hall` (`None`: an ANTS-style caller, which sees every
/// town hall's): a number of another town hall refuses the whole query, so that the clerk is told
/// why rather than shown "unknown".
fn status_answer(
    state: &AppState,
    query: &str,
    town_hall: Option<&str>,
) -> Result<BTreeMap<String, StatusEntry>, ApiError> {
    let mut ids = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if key != wire::paths::STATUS_QUERY_PARAMETER {
            continue;
        }
        let value = percent_decode(value).ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "malformed-query",
                "bad percent-encoding",
            )
        })?;
        ids.push(value);
    }
    if ids.is_empty() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "missing-application-ids",
            "give at least one application_ids parameter",
        ));
    }
    if ids.len() > MAX_IDS_PER_QUERY {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "too-many-application-ids",
            format!("at most {MAX_IDS_PER_QUERY} application_ids per query"),
        ));
    }
    let mut answer = BTreeMap::new();
    for id in ids {
        let number = normalise(&id).map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "malformed-number",
                format!("{id:?}: {e}"),
            )
        })?;
        let entry = match state.catalogue.lookup(&number) {
            Some(entry) if town_hall.is_some_and(|t| !wire::town_hall::visible_from(&entry, t)) => {
                let town_hall = town_hall.unwrap_or_default();
                tracing::warn!(%number, town_hall, "status of another town hall's pre-request refused");
                return Err(other_town_hall(&number, town_hall));
            }
            Some(entry) => StatusEntry {
                status: current_status(state, &entry)?,
                appointments: entry.appointments.clone(),
            },
            None => StatusEntry {
                status: Status::Unknown,
                appointments: Vec::new(),
            },
        };
        answer.insert(number, entry);
    }
    Ok(answer)
}

/// `GET /v1/pre-requests/{number}`: the content of a pre-request.
pub async fn content(
    State(state): State<Arc<AppState>>,
    caller: StationCaller,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> Response {
    if !authorised(&state, &headers) {
        return unauthorised();
    }
    if let Some(refused) = frozen(&state, &caller) {
        return refused.into_response();
    }
    let number = match normalise(&number) {
        Ok(n) => n,
        Err(e) => {
            return ApiError::new(StatusCode::BAD_REQUEST, "malformed-number", e.to_string())
                .into_response();
        }
    };
    let Some(entry) = state.catalogue.lookup(&number) else {
        return ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown",
            format!("pre-request {number} is not known"),
        )
        .into_response();
    };
    if !wire::town_hall::visible_from(&entry, &caller.town_hall) {
        tracing::warn!(%number, station_id = %caller.station_id, town_hall = %caller.town_hall,
            "content of another town hall's pre-request refused");
        return other_town_hall(&number, &caller.town_hall).into_response();
    }
    let mut entry = entry.into_owned();
    match current_status(&state, &entry) {
        Ok(status) => entry.status = status,
        Err(e) => return e.into_response(),
    }
    Json(entry).into_response()
}
