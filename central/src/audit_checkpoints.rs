//! The audit checkpoint every upload carries (`wire::audit_checkpoint`): signed by the uploading
//! station's key, never older than the last one accepted from it. A station's audit log is
//! hash-chained and signed, but a log whose tail was deleted together with the tail's
//! checkpoints still verifies on the station; the central holding the last checkpoint it saw is
//! what catches it, at the next upload.

use axum::http::{HeaderMap, StatusCode};
use wire::audit_checkpoint::{
    AuditCheckpoint, BAD_CHECKPOINT_SIGNATURE, CHECKPOINT_MISSING, CHECKPOINT_REGRESSED,
    MALFORMED_CHECKPOINT,
};

use crate::server::errors::ApiError;
use crate::storage::{CheckpointVerdict, Database};

/// Checks the checkpoint header of an upload by `station_id`; `Ok` lets the upload go on.
pub fn check(db: &Database, station_id: &str, headers: &HeaderMap) -> Result<(), ApiError> {
    let internal = |e: crate::storage::DatabaseError| {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
    };
    let Some(value) = headers.get(wire::headers::AUDIT_CHECKPOINT) else {
        // Stations from before checkpoints travelled send none; once one did, it must go on.
        if db.has_checkpoint(station_id).map_err(internal)? {
            tracing::warn!(station_id, "upload without an audit checkpoint refused");
            return Err(ApiError::new(
                StatusCode::PRECONDITION_REQUIRED,
                CHECKPOINT_MISSING,
                "this station sent audit checkpoints before: every upload must carry its latest",
            ));
        }
        return Ok(());
    };
    let malformed =
        |detail: String| ApiError::new(StatusCode::BAD_REQUEST, MALFORMED_CHECKPOINT, detail);
    let checkpoint = value
        .to_str()
        .map_err(|_| malformed("the audit checkpoint header is not text".into()))
        .and_then(|text| {
            AuditCheckpoint::from_header(text).map_err(|e| malformed(e.to_string()))
        })?;
    let key = db
        .station_key(station_id)
        .map_err(internal)?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unknown-station",
                station_id.to_owned(),
            )
        })?;
    let signature = hex::decode(&checkpoint.signature).unwrap_or_default();
    if !crate::stations::verify_signature(&key, &checkpoint.message(), &signature) {
        tracing::warn!(
            station_id,
            seq = checkpoint.seq,
            "audit checkpoint with a bad signature"
        );
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            BAD_CHECKPOINT_SIGNATURE,
            "the audit checkpoint is not signed by this station's key",
        ));
    }
    let now = crate::announcements::utc_seconds(time::OffsetDateTime::now_utc());
    match db
        .accept_checkpoint(station_id, &checkpoint, &now)
        .map_err(internal)?
    {
        CheckpointVerdict::Accepted => Ok(()),
        CheckpointVerdict::Regressed { last_seq } => {
            tracing::error!(
                station_id,
                seq = checkpoint.seq,
                last_seq,
                "audit checkpoint older than the last accepted: the station's audit log lost entries"
            );
            Err(ApiError::new(
                StatusCode::CONFLICT,
                CHECKPOINT_REGRESSED,
                format!(
                    "audit checkpoint {} is older than (or differs from) checkpoint {last_seq} \
                     accepted before: the station's audit log lost entries",
                    checkpoint.seq
                ),
            ))
        }
    }
}
