//! Sending the record announcements waiting in the outbox (`wire::announcement`), in batches,
//! oldest first; each batch is marked sent once the central answered that it kept it.

use wire::announcement::{AnnouncementAnswer, AnnouncementBatch, MAX_ANNOUNCEMENTS_PER_BATCH};

use super::{CentralClient, UplinkError};
use crate::outbox::{Outbox, OutboxError};

/// Why announcements were not sent.
#[derive(Debug, thiserror::Error)]
pub enum AnnounceError {
    /// The outbox could not be read or updated.
    #[error(transparent)]
    Outbox(#[from] OutboxError),
    /// The central could not be reached, or refused.
    #[error(transparent)]
    Uplink(#[from] UplinkError),
}

/// Sends every unsent announcement; returns how many the central kept.
pub fn send_unsent(outbox: &Outbox, client: &CentralClient) -> Result<usize, AnnounceError> {
    let mut sent = 0;
    loop {
        let announcements = outbox.unsent_announcements(MAX_ANNOUNCEMENTS_PER_BATCH)?;
        if announcements.is_empty() {
            return Ok(sent);
        }
        let ids: Vec<String> = announcements.iter().map(|a| a.record_id.clone()).collect();
        let body = serde_json::to_vec(&AnnouncementBatch { announcements })
            .map_err(|e| UplinkError::Malformed(format!("announcement batch: {e}")))?;
        let answer = client.post_announcements(&body)?;
        let answer: AnnouncementAnswer = serde_json::from_slice(&answer)
            .map_err(|e| UplinkError::Malformed(format!("announcement answer: {e}")))?;
        // Only what the central says it kept is marked; the rest goes again next round.
        let kept: Vec<String> = ids
            .into_iter()
            .filter(|id| answer.recorded.contains(id))
            .collect();
        if kept.is_empty() {
            return Err(UplinkError::Malformed(
                "the central kept none of the announcements".into(),
            )
            .into());
        }
        outbox.mark_announced(&kept)?;
        tracing::info!(count = kept.len(), "records announced to the central");
        sent += kept.len();
    }
}
