//! JSON error answers: `{"error": "<code>", "detail": "<text>"}` ([`wire::ErrorBody`]).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::intake::IntakeError;

/// An error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine-readable code.
    pub code: &'static str,
    /// Human-readable detail.
    pub detail: String,
}

impl ApiError {
    /// Builds an error answer.
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        Self {
            status,
            code,
            detail: detail.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(wire::ErrorBody::new(self.code, self.detail)),
        )
            .into_response()
    }
}

impl From<IntakeError> for ApiError {
    fn from(e: IntakeError) -> Self {
        use IntakeError as E;
        let (status, code) = match &e {
            E::BadRecordId(_) => (StatusCode::BAD_REQUEST, "malformed-record-id"),
            E::Malformed(_) => (StatusCode::BAD_REQUEST, "malformed-record"),
            E::BadCreatedAt(_) => (StatusCode::BAD_REQUEST, "malformed-record"),
            E::IdMismatch { .. } => (StatusCode::BAD_REQUEST, "record-id-mismatch"),
            E::WrongSuite(_) => (StatusCode::BAD_REQUEST, "unsupported-suite"),
            E::WrongCentralKey(_) => (StatusCode::BAD_REQUEST, "unknown-central-key"),
            E::CannotOpen => (StatusCode::BAD_REQUEST, "cannot-open"),
            E::UnknownStation(_) => (StatusCode::UNAUTHORIZED, "unknown-station"),
            E::BadSignature => (StatusCode::UNAUTHORIZED, "bad-signature"),
            E::InvalidPayload(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid-payload"),
            E::UnknownPreRequest(_) => (StatusCode::UNPROCESSABLE_ENTITY, "unknown-prerequest"),
            E::PreRequestNotValidated { .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, "prerequest-not-validated")
            }
            E::OtherTownHall { .. } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                wire::town_hall::OTHER_TOWN_HALL,
            ),
            E::PreRequestConsumed(_) => (StatusCode::UNPROCESSABLE_ENTITY, "prerequest-consumed"),
            E::DocumentTypeMismatch { .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, "document-type-mismatch")
            }
            E::HeightOutOfRange(_) => (StatusCode::UNPROCESSABLE_ENTITY, "height-out-of-range"),
            E::FingerprintStorageNotAsked { .. } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "fingerprint-storage-not-asked",
            ),
            E::NoPreRequestNorPaperForm => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "no-pre-request-no-paper-form",
            ),
            E::PaperFormInvalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "paper-form-invalid"),
            E::SignatureMissing => (StatusCode::UNPROCESSABLE_ENTITY, "signature-missing"),
            E::TaxStampUnknown(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                wire::tax_stamp::TAX_STAMP_UNKNOWN,
            ),
            E::TaxStampUsed(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                wire::tax_stamp::TAX_STAMP_USED,
            ),
            E::TaxStampTooLow { .. } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                wire::tax_stamp::TAX_STAMP_TOO_LOW,
            ),
            E::TaxStampMissing { .. } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                wire::tax_stamp::TAX_STAMP_MISSING,
            ),
            E::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            E::Storage(_) => {
                // The store's error names its address, its bucket and its answer: the central's
                // log keeps it, the station learns only that it should send the record again.
                tracing::error!(error = %e, "record storage failed");
                return Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "storage-unavailable",
                    "the record store is unavailable: nothing was kept, send the record again later",
                );
            }
            E::Database(_) | E::Internal(_) => {
                tracing::error!(error = %e, "intake failed inside the central");
                return Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "the central could not take the record: nothing was kept, send it again later",
                );
            }
        };
        Self::new(status, code, e.to_string())
    }
}
