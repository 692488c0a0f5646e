//! Supervisor review: a record sealed with an exception (a finger that could not be taken, a
//! finger kept below the quality threshold, a paper photo) waits `awaiting_approval` in the
//! outbox, its announcement with it, until a supervisor approves it (it joins the queue) or
//! rejects it (its sealed bytes are deleted as a purge deletes them, never sent; the row keeps
//! who decided, why and when). The station cannot open a sealed record: what the exception was is
//! written on the row when it is queued, for the screens and the CLI.

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::{Outbox, OutboxError, now_ms};
use crate::seal::SealedRecord;

/// What needs a supervisor's look in one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExceptionKind {
    /// A finger could not be taken (manifest `finger_exceptions`).
    FingerMissing,
    /// A finger was kept below the quality threshold (manifest `fingers[].below_threshold`).
    BelowThreshold,
    /// The portrait is a paper photo (manifest `photo.source = paper`).
    PaperPhoto,
}

impl ExceptionKind {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FingerMissing => "finger-missing",
            Self::BelowThreshold => "below-threshold",
            Self::PaperPhoto => "paper-photo",
        }
    }

    /// Reads a stored word.
    pub fn parse(word: &str) -> Option<Self> {
        Some(match word {
            "finger-missing" => Self::FingerMissing,
            "below-threshold" => Self::BelowThreshold,
            "paper-photo" => Self::PaperPhoto,
            _ => return None,
        })
    }
}

/// The exceptions of one record, each kind once, in a fixed order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exceptions(std::collections::BTreeSet<ExceptionKind>);

impl Exceptions {
    /// Adds `kind`.
    pub fn add(&mut self, kind: ExceptionKind) {
        self.0.insert(kind);
    }

    /// No exception: the record goes straight to the queue.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The kinds, in order.
    pub fn kinds(&self) -> impl Iterator<Item = ExceptionKind> + '_ {
        self.0.iter().copied()
    }

    /// The column's text: the words, comma-separated.
    pub fn to_column(&self) -> String {
        self.kinds()
            .map(ExceptionKind::as_str)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Reads the column (an unknown word is skipped: written by a newer station).
    pub fn from_column(text: &str) -> Self {
        Self(text.split(',').filter_map(ExceptionKind::parse).collect())
    }
}

/// A record waiting for a supervisor, as the queue screen and the CLI list it: no biometric
/// content, none is readable here anyway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwaitingRecord {
    /// Record id.
    pub record_id: String,
    /// The pre-request number.
    pub pre_request: Option<String>,
    /// What the exception is.
    pub exceptions: Exceptions,
    /// When it was sealed and queued (ms since the epoch).
    pub queued_at_ms: i64,
}

/// A supervisor's decision on a waiting record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The record may leave.
    Approve,
    /// The record is deleted; the applicant must come back.
    Reject,
}

impl Decision {
    /// The word for logs and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approve => "approved",
            Self::Reject => "rejected",
        }
    }
}

/// Longest reason kept, in characters: a sentence, not a document.
pub const MAX_REASON_CHARS: usize = 200;

/// The reason as kept: control characters dropped, trimmed, bounded.
pub fn clean_reason(reason: &str) -> String {
    reason
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_REASON_CHARS)
        .collect::<String>()
        .trim()
        .to_owned()
}

impl Outbox {
    /// Queues a sealed record with its announcement as [`Outbox::enqueue_announced`] does; a
    /// record with an exception (`review` not empty) waits `awaiting_approval`, its announcement
    /// with it, until a supervisor decides.
    pub fn enqueue_for_review(
        &self,
        record: &SealedRecord,
        announcement: &wire::announcement::RecordAnnouncement,
        review: &Exceptions,
    ) -> Result<(), OutboxError> {
        self.enqueue_with(
            record,
            Some(&announcement.pre_request),
            Some(announcement),
            Some(review.to_column()).filter(|r| !r.is_empty()),
        )
    }

    /// The records waiting for a supervisor, oldest first.
    pub fn awaiting_approval(&self) -> Result<Vec<AwaitingRecord>, OutboxError> {
        self.with_conn(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT record_id, pre_request, review, queued_at_ms FROM records
                 WHERE state = 'awaiting_approval' ORDER BY seq",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(AwaitingRecord {
                    record_id: r.get(0)?,
                    pre_request: r.get(1)?,
                    exceptions: Exceptions::from_column(
                        &r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    ),
                    queued_at_ms: r.get(3)?,
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    /// Applies `decision` by `supervisor` (already signed in with their PIN and checked to be a
    /// supervisor: the outbox does not know accounts) to a record awaiting approval. Approving
    /// puts it in the queue (its announcement is sent with the next batch); rejecting deletes its
    /// sealed bytes and its unsent announcement in one transaction and keeps the row as the trace.
    /// A rejection needs a reason.
    pub fn decide(
        &self,
        record_id: &str,
        decision: Decision,
        supervisor: &str,
        reason: &str,
    ) -> Result<(), OutboxError> {
        let reason = clean_reason(reason);
        if decision == Decision::Reject && reason.is_empty() {
            return Err(OutboxError::ReasonRequired);
        }
        let reason = Some(reason).filter(|r| !r.is_empty());
        let now = now_ms();
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let seq: Option<i64> = tx
                .prepare_cached(
                    "SELECT seq FROM records WHERE record_id = ?1 AND state = 'awaiting_approval'",
                )?
                .query_row([record_id], |r| r.get(0))
                .optional()?;
            let Some(seq) = seq else {
                return Err(OutboxError::WrongState {
                    record_id: record_id.to_owned(),
                    expected: "awaiting_approval",
                });
            };
            let state = match decision {
                Decision::Approve => "queued",
                Decision::Reject => "rejected",
            };
            tx.prepare_cached(
                "UPDATE records SET state = ?2, decided_by = ?3, decision_reason = ?4,
                        decided_at_ms = ?5, next_attempt_at_ms = 0 WHERE seq = ?1",
            )?
            .execute(params![seq, state, supervisor, reason, now])?;
            if decision == Decision::Reject {
                // As a purge does: secure_delete zeroes the freed pages.
                tx.prepare_cached("DELETE FROM sealed_records WHERE seq = ?1")?
                    .execute([seq])?;
                tx.prepare_cached(
                    "DELETE FROM announcements WHERE record_id = ?1 AND sent_at_ms IS NULL",
                )?
                .execute([record_id])?;
            }
            tx.commit()?;
            Ok(())
        })?;
        tracing::info!(
            record_id,
            decision = decision.as_str(),
            supervisor,
            "supervisor decided"
        );
        Ok(())
    }

    /// A decided record's trace: who, why, when (`None` while undecided or unknown).
    pub fn decision(&self, record_id: &str) -> Result<Option<DecisionTrace>, OutboxError> {
        self.with_conn(|conn| {
            Ok(conn
                .prepare_cached(
                    "SELECT state, decided_by, decision_reason, decided_at_ms FROM records
                     WHERE record_id = ?1 AND decided_at_ms IS NOT NULL",
                )?
                .query_row([record_id], |r| {
                    let state: String = r.get(0)?;
                    Ok(DecisionTrace {
                        decision: if state == "rejected" {
                            Decision::Reject
                        } else {
                            Decision::Approve
                        },
                        supervisor: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                        reason: r.get(2)?,
                        decided_at_ms: r.get(3)?,
                    })
                })
                .optional()?)
        })
    }
}

/// What the outbox keeps of a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionTrace {
    /// Approved or rejected.
    pub decision: Decision,
    /// The supervisor's account name.
    pub supervisor: String,
    /// The reason given (required for a rejection).
    pub reason: Option<String>,
    /// When (ms since the epoch).
    pub decided_at_ms: i64,
}

/// Whether the sealed bytes of `record_id` are still held (for tests and the technician).
pub fn holds_sealed(outbox: &Outbox, record_id: &str) -> Result<bool, OutboxError> {
    outbox.with_conn(|conn| {
        Ok(conn
            .prepare_cached(
                "SELECT 1 FROM sealed_records s JOIN records r ON r.seq = s.seq
                 WHERE r.record_id = ?1",
            )?
            .query_row([record_id], |_| Ok(()))
            .optional()?
            .is_some())
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn announced(outbox: &Outbox, review: &Exceptions) -> String {
        let record = SealedRecord {
            record_id: uuid::Uuid::new_v4(),
            bytes: b"sealed bytes of a record".to_vec(),
        };
        let announcement = wire::announcement::RecordAnnouncement {
            record_id: record.record_id.to_string(),
            station_id: "st".into(),
            sha256: record.sha256_hex(),
            pre_request: "AB12CD34EF".into(),
            sealed_at: "2026-12-07T10:00:00Z".into(),
            signature: String::new(),
        };
        outbox
            .enqueue_for_review(&record, &announcement, review)
            .unwrap();
        record.record_id.to_string()
    }

    fn paper() -> Exceptions {
        let mut e = Exceptions::default();
        e.add(ExceptionKind::PaperPhoto);
        e.add(ExceptionKind::FingerMissing);
        e
    }

    #[test]
    fn a_waiting_record_is_neither_claimed_nor_announced_until_approved() {
        let dir = tempfile::tempdir().unwrap();
        let outbox = Outbox::open(&dir.path().join("o.sqlite")).unwrap();
        let plain = announced(&outbox, &Exceptions::default());
        let waiting = announced(&outbox, &paper());
        let status = outbox.status().unwrap();
        assert_eq!((status.queued, status.awaiting_approval), (1, 1));
        assert_eq!(
            status.backlog(),
            1,
            "a waiting record is not network backlog"
        );
        let listed = outbox.awaiting_approval().unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].record_id, waiting);
        assert_eq!(
            listed[0].exceptions.to_column(),
            "finger-missing,paper-photo"
        );
        let announced: Vec<_> = outbox
            .unsent_announcements(10)
            .unwrap()
            .into_iter()
            .map(|a| a.record_id)
            .collect();
        assert_eq!(announced, vec![plain.clone()]);
        let claimed: Vec<_> = outbox
            .claim_due(10)
            .unwrap()
            .into_iter()
            .map(|c| c.record_id)
            .collect();
        assert_eq!(claimed, vec![plain]);

        outbox
            .decide(&waiting, Decision::Approve, "chef", "")
            .unwrap();
        assert_eq!(outbox.unsent_announcements(10).unwrap().len(), 2);
        let claimed: Vec<_> = outbox
            .claim_due(10)
            .unwrap()
            .into_iter()
            .map(|c| c.record_id)
            .collect();
        assert_eq!(claimed, vec![waiting.clone()]);
        let trace = outbox.decision(&waiting).unwrap().unwrap();
        assert_eq!(
            (trace.decision, trace.supervisor.as_str(), trace.reason),
            (Decision::Approve, "chef", None)
        );
        // Decided once: a second decision finds nothing waiting.
        assert!(matches!(
            outbox.decide(&waiting, Decision::Reject, "chef", "non"),
            Err(OutboxError::WrongState { .. })
        ));
    }

    #[test]
    fn a_rejection_needs_a_reason_and_deletes_the_sealed_bytes_and_announcement() {
        let dir = tempfile::tempdir().unwrap();
        let outbox = Outbox::open(&dir.path().join("o.sqlite")).unwrap();
        let waiting = announced(&outbox, &paper());
        assert!(matches!(
            outbox.decide(&waiting, Decision::Reject, "chef", " \n "),
            Err(OutboxError::ReasonRequired)
        ));
        assert!(holds_sealed(&outbox, &waiting).unwrap());
        outbox
            .decide(&waiting, Decision::Reject, "chef", "photo illisible")
            .unwrap();
        assert!(!holds_sealed(&outbox, &waiting).unwrap());
        assert_eq!(outbox.unsent_announcement_count().unwrap(), 0);
        assert!(outbox.claim_due(10).unwrap().is_empty());
        let status = outbox.status().unwrap();
        assert_eq!((status.rejected, status.pending_bytes), (1, 0));
        assert_eq!(
            outbox.record(&waiting).unwrap().unwrap().state,
            super::super::RecordState::Rejected
        );
        let trace = outbox.decision(&waiting).unwrap().unwrap();
        assert_eq!(trace.reason.as_deref(), Some("photo illisible"));
        // The trace goes with the retention, counted from the decision.
        assert_eq!(outbox.forget_acknowledged_before(0).unwrap(), 0);
        assert_eq!(outbox.forget_acknowledged_before(i64::MAX).unwrap(), 1);
        assert!(outbox.record(&waiting).unwrap().is_none());
    }
}
