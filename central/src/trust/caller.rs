//! The station a request comes from, known from the client certificate its connection presented
//! (verified against the national CA during the TLS handshake) and checked against the database on
//! every request: a revoked station or a replaced certificate is refused at once, although it
//! still chains to the CA.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;

use crate::server::AppState;
use crate::server::errors::ApiError;
use crate::storage::CertificateStanding;

/// The client certificate of the connection a request came on, put in the request's extensions by
/// the TLS listener (absent when the client presented none: allowed only for provisioning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerCertificate {
    /// Hex SHA-256 of the certificate's DER bytes.
    pub fingerprint: String,
    /// The DER bytes.
    pub der: Arc<Vec<u8>>,
}

/// A request from an enrolled, not revoked station, over its current certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationCaller {
    /// The station's id.
    pub station_id: String,
    /// The certificate's fingerprint.
    pub fingerprint: String,
    /// The town hall it is enrolled for: it sees, files and hands over that town hall's
    /// pre-requests only.
    pub town_hall: String,
}

/// Error code of a request that came with no client certificate.
pub const NO_CLIENT_CERTIFICATE: &str = "no-client-certificate";

fn refused(status: StatusCode, code: &'static str, detail: impl Into<String>) -> ApiError {
    ApiError::new(status, code, detail)
}

impl FromRequestParts<Arc<AppState>> for StationCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let Some(peer) = parts.extensions.get::<PeerCertificate>() else {
            return Err(refused(
                StatusCode::UNAUTHORIZED,
                NO_CLIENT_CERTIFICATE,
                "this endpoint needs the station's client certificate (mutual TLS)",
            ));
        };
        let standing = state
            .db
            .certificate_standing(&peer.fingerprint)
            .map_err(|e| refused(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
        match standing {
            CertificateStanding::Current {
                station_id,
                town_hall,
            } => Ok(Self {
                station_id,
                fingerprint: peer.fingerprint.clone(),
                town_hall,
            }),
            CertificateStanding::Revoked { station_id } => {
                tracing::warn!(station_id, "request from a revoked station refused");
                Err(refused(
                    StatusCode::FORBIDDEN,
                    "station-revoked",
                    format!("station {station_id} was revoked; it must be enrolled again"),
                ))
            }
            CertificateStanding::Replaced { station_id } => {
                tracing::warn!(station_id, "request over a replaced certificate refused");
                Err(refused(
                    StatusCode::FORBIDDEN,
                    "certificate-replaced",
                    format!("this certificate of station {station_id} was replaced by a newer one"),
                ))
            }
            CertificateStanding::Unknown => Err(refused(
                StatusCode::FORBIDDEN,
                "unknown-certificate",
                "this client certificate was not issued to an enrolled station",
            )),
        }
    }
}
