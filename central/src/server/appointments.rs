//! `GET /v1/appointments?date=YYYY-MM-DD`: the day's appointments of the asking station's town
//! hall, which a mobile kit fetches before leaving to enrol offline. Only a station (mutual TLS)
//! asks, and it is told only about its own town hall's appointments, as for a single lookup.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use wire::appointments::{BAD_DATE, DayAppointments, MAX_PER_DAY, booked_on, is_date, usable};

use super::AppState;
use super::errors::ApiError;
use super::prerequests::{authorised, current_status, frozen, unauthorised};
use crate::trust::StationCaller;

/// The query: the day.
#[derive(Debug, serde::Deserialize)]
pub struct DayQuery {
    /// `YYYY-MM-DD`.
    #[serde(default)]
    date: String,
}

/// The handler.
pub async fn day(
    State(state): State<Arc<AppState>>,
    caller: StationCaller,
    headers: HeaderMap,
    Query(query): Query<DayQuery>,
) -> Response {
    if !authorised(&state, &headers) {
        return unauthorised();
    }
    // A station frozen for records it never delivered gets no pre-request, a day's list included.
    if let Some(refused) = frozen(&state, &caller) {
        return refused.into_response();
    }
    if !is_date(&query.date) {
        return ApiError::new(
            StatusCode::BAD_REQUEST,
            BAD_DATE,
            format!("{:?} is not a day written YYYY-MM-DD", query.date),
        )
        .into_response();
    }
    let mut pre_requests = Vec::new();
    for entry in state
        .catalogue
        .iter()
        .filter(|e| booked_on(e, &caller.town_hall, &query.date))
    {
        let mut entry = entry.clone();
        match current_status(&state, &entry) {
            Ok(status) => entry.status = status,
            Err(e) => return e.into_response(),
        }
        if usable(&entry) {
            pre_requests.push(entry);
        }
    }
    if pre_requests.len() > MAX_PER_DAY {
        return ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "too-many-appointments",
            format!(
                "{} appointments on {}: more than the {MAX_PER_DAY} a kit takes",
                pre_requests.len(),
                query.date
            ),
        )
        .into_response();
    }
    tracing::info!(station_id = %caller.station_id, town_hall = %caller.town_hall,
        date = %query.date, count = pre_requests.len(), "day's appointments sent to a mobile kit");
    Json(DayAppointments {
        town_hall: caller.town_hall,
        date: query.date,
        pre_requests,
    })
    .into_response()
}
