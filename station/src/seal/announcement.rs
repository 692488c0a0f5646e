//! The announcement of a sealed record (`wire::announcement`): its id, the SHA-256 of the sealed
//! file, the pre-request and the time, signed with the station's key. Queued with the record in
//! one transaction ([`crate::outbox::Outbox::enqueue_announced`]) and sent ahead of it, so that
//! the central learns of every record sealed here even if the record itself never leaves.

use wire::announcement::RecordAnnouncement;

use super::{SealError, SealedRecord, Signer, now_rfc3339};

/// Announces `record`, sealed by station `station_id` for `pre_request`, signed with `signer`.
pub fn announce(
    record: &SealedRecord,
    pre_request: &str,
    station_id: &str,
    signer: &dyn Signer,
) -> Result<RecordAnnouncement, SealError> {
    let mut announcement = RecordAnnouncement {
        record_id: record.record_id.hyphenated().to_string(),
        station_id: station_id.to_owned(),
        sha256: record.sha256_hex(),
        pre_request: pre_request.to_owned(),
        sealed_at: now_rfc3339(),
        signature: String::new(),
    };
    let signature = signer.sign_message(announcement.signed_string().as_bytes())?;
    announcement.signature = hex::encode(signature);
    Ok(announcement)
}
