//! The HTTP server (axum): routes, shared state, body limit.

pub mod announcements;
pub mod appointments;
pub mod budget;
pub mod errors;
pub mod handover;
pub mod idle_body;
pub mod limits;
pub mod prerequests;
pub mod provisioning;
pub mod rate;
pub mod records;
pub mod tax_stamps;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post, put};

use crate::intake::Intake;
use crate::prerequests::Catalogue;
use crate::storage::Database;
use errors::ApiError;

/// Largest sealed record accepted (docs/central-api.md: 32 MiB).
pub const MAX_RECORD_BYTES: usize = 32 * 1024 * 1024;
/// Default longest time a record body may take to arrive (32 MiB at ~1 Mbit/s is ~4.5 min).
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);

/// Largest enrolment or renewal body: 64 connections without a certificate may each send one.
pub const MAX_PROVISIONING_BODY: usize = 64 * 1024;

/// What the handlers share.
#[derive(Debug)]
pub struct AppState {
    /// Record intake.
    pub intake: Arc<Intake>,
    /// The central's database.
    pub db: Arc<Database>,
    /// Known pre-requests.
    pub catalogue: Arc<Catalogue>,
    /// Whether ANTS-style callers (no certificate) are answered on `GET /api/status`.
    pub ants_status: bool,
    /// Token expected in `x-rdv-opt-auth-token`, if one is configured.
    pub ants_token: Option<String>,
    /// Body limit of `PUT /v1/records/{id}`.
    pub max_record_bytes: usize,
    /// Longest time a record body may take to arrive.
    pub body_timeout: std::time::Duration,
    /// The memory record bodies may take at once.
    pub body_budget: budget::BodyBudget,
    /// Reference templates for handover, by pre-request number.
    pub templates: Arc<crate::templates::TemplateStore>,
    /// When refused prints are deleted; a matched handover (the card given) sets the date.
    pub prints: Arc<crate::prints::PrintsSchedule>,
    /// The central's private keys: handover claims are opened and decisions signed with them.
    pub keys: Arc<crate::keys::CentralKeys>,
    /// Handover attempts: nonces seen, rate limits, the record of every decision.
    pub handover_attempts: Arc<crate::handover::AttemptLog>,
    /// The national CA, which signs stations' certificates at enrolment and renewal.
    pub ca: Arc<crate::trust::NationalCa>,
    /// How long an announced record may stay undelivered before its station is refused new
    /// pre-requests.
    pub max_missing_age: std::time::Duration,
    /// The tax stamps the central can check.
    pub tax_stamps: Arc<crate::tax_stamps::StampBook>,
}

/// The router with every endpoint.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        // The handler enforces the record limit itself (with a timeout), so lift axum's default.
        .route(
            wire::paths::RECORD_ROUTE,
            put(records::put_record).layer(DefaultBodyLimit::disable()),
        )
        .route(wire::paths::STATUS_ROUTE, get(prerequests::status))
        .route(wire::paths::PRE_REQUEST_ROUTE, get(prerequests::content))
        .route(wire::paths::APPOINTMENTS_ROUTE, get(appointments::day))
        .route(
            wire::paths::HANDOVER_ROUTE,
            post(handover::decide).layer(DefaultBodyLimit::max(handover::MAX_HANDOVER_BODY)),
        )
        .route(wire::paths::HANDOVER_SUBJECT_ROUTE, get(handover::subject))
        .route(wire::paths::TAX_STAMP_ROUTE, get(tax_stamps::standing))
        .route(
            wire::paths::ANNOUNCEMENTS_ROUTE,
            post(announcements::announce)
                .layer(DefaultBodyLimit::max(announcements::MAX_ANNOUNCEMENTS_BODY)),
        )
        // A CSR and a key are a few KB; anonymous clients may send these, so keep them small.
        .route(
            wire::paths::ENROL_ROUTE,
            post(provisioning::enrol).layer(DefaultBodyLimit::max(MAX_PROVISIONING_BODY)),
        )
        .route(
            wire::paths::RENEW_ROUTE,
            post(provisioning::renew).layer(DefaultBodyLimit::max(MAX_PROVISIONING_BODY)),
        )
        .route(
            wire::paths::HEALTH_ROUTE,
            get(|| async { axum::Json(serde_json::json!({"status": "ok"})) }),
        )
        .fallback(|| async {
            ApiError::new(StatusCode::NOT_FOUND, "not-found", "no such endpoint")
        })
        .with_state(state)
}
