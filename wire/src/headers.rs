//! HTTP header names both sides use, lower-case as HTTP/2 writes them.

/// The pre-request token (ANTS coordination API) on `GET /api/status` and `/v1/pre-requests/*`.
pub const TOKEN: &str = "x-rdv-opt-auth-token";
