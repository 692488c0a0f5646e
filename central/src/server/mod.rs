//! The HTTP server (axum): routes, shared state, body limit.

pub mod errors;
pub mod prerequests;
pub mod records;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, put};

use crate::intake::Intake;
use crate::prerequests::Catalogue;
use crate::storage::Database;
use errors::ApiError;

/// Largest sealed record accepted (/work/interfaces.md: 32 MiB).
pub const MAX_RECORD_BYTES: usize = 32 * 1024 * 1024;

/// What the handlers share.
#[derive(Debug)]
pub struct AppState {
    /// Record intake.
    pub intake: Arc<Intake>,
    /// The central's database.
    pub db: Arc<Database>,
    /// Known pre-requests.
    pub catalogue: Arc<Catalogue>,
    /// Token expected in `x-rdv-opt-auth-token`.
    pub token: String,
    /// Body limit of `PUT /v1/records/{id}`.
    pub max_record_bytes: usize,
}

/// The router with every endpoint.
pub fn router(state: Arc<AppState>) -> Router {
    let limit = state.max_record_bytes;
    Router::new()
        .route(
            "/v1/records/{record_id}",
            put(records::put_record).layer(DefaultBodyLimit::max(limit)),
        )
        .route("/api/status", get(prerequests::status))
        .route("/v1/pre-requests/{number}", get(prerequests::content))
        .route(
            "/v1/health",
            get(|| async { axum::Json(serde_json::json!({"status": "ok"})) }),
        )
        .fallback(|| async {
            ApiError::new(StatusCode::NOT_FOUND, "not-found", "no such endpoint")
        })
        .with_state(state)
}
