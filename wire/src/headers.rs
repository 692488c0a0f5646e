//! HTTP header names both sides use, lower-case as HTTP/2 writes them.

/// The pre-request token (ANTS coordination API) on `GET /api/status` and `/v1/pre-requests/*`.
pub const TOKEN: &str = "x-rdv-opt-auth-token";

/// The station's latest audit checkpoint on `PUT /v1/records/*`
/// ([`AuditCheckpoint::to_header`](crate::audit_checkpoint::AuditCheckpoint::to_header)).
pub const AUDIT_CHECKPOINT: &str = "x-dr-audit-checkpoint";
