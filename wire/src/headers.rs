//! HTTP header names both sides use, lower-case as HTTP/2 writes them.

/// The pre-request token (ANTS coordination API) on `GET /api/status` and `/v1/pre-requests/*`.
pub const TOKEN: &str = "x-rdv-opt-auth-token";
/// The station id on a handover request.
pub const STATION_ID: &str = "x-station-id";
/// The request time (RFC 3339) on a handover request.
pub const STATION_TIME: &str = "x-station-time";
/// The station's Ed25519 signature (128 hex digits) on a handover request.
pub const STATION_SIGNATURE: &str = "x-station-signature";
/// The id of the record the handover templates come from, on the answer.
pub const RECORD_ID: &str = "x-record-id";
