//! The freeze rule: no new enrolment while too much waits for the central, or for too long.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{Outbox, OutboxError, OutboxStatus};

/// Limits past which new enrolments are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FreezeLimits {
    /// Oldest unacknowledged record, in hours.
    pub max_unacknowledged_hours: u64,
    /// Records not yet acknowledged.
    pub max_backlog: u64,
    /// Records waiting for a supervisor's approval. They are not in the backlog (the network is
    /// not why they wait) but hold sealed biometric data on the station: past this many, new
    /// enrolments wait for a supervisor to decide.
    pub max_awaiting_approval: u64,
}

impl Default for FreezeLimits {
    fn default() -> Self {
        Self {
            max_unacknowledged_hours: 72,
            max_backlog: 200,
            max_awaiting_approval: 20,
        }
    }
}

/// Why enrolment is frozen. `Display` is the sentence the clerk reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Frozen {
    /// Too many records wait.
    #[error(
        "Nouvelles demandes suspendues : {backlog} dossiers attendent l'envoi au centre national \
         (limite : {limit}). Vérifiez la connexion réseau et prévenez le support technique."
    )]
    Backlog {
        /// Records waiting.
        backlog: u64,
        /// The limit.
        limit: u64,
    },
    /// Too many records wait for a supervisor's decision.
    #[error(
        "Nouvelles demandes suspendues : {waiting} dossiers attendent la décision d'un superviseur \
         (limite : {limit}). Un superviseur doit les approuver ou les refuser dans la file d'envoi."
    )]
    AwaitingApproval {
        /// Records waiting for a supervisor.
        waiting: u64,
        /// The limit.
        limit: u64,
    },
    /// The oldest waits too long.
    #[error(
        "Nouvelles demandes suspendues : un dossier attend l'accusé de réception du centre national \
         depuis {hours} h (limite : {limit} h). Vérifiez la connexion réseau et prévenez le support technique."
    )]
    TooOld {
        /// How long the oldest has waited, in whole hours.
        hours: u64,
        /// The limit in hours.
        limit: u64,
    },
}

impl FreezeLimits {
    /// Applies the rule to a status at time `now_ms`.
    pub fn check(&self, status: &OutboxStatus, now_ms: i64) -> Result<(), Frozen> {
        if status.backlog() > self.max_backlog {
            return Err(Frozen::Backlog {
                backlog: status.backlog(),
                limit: self.max_backlog,
            });
        }
        if status.awaiting_approval > self.max_awaiting_approval {
            return Err(Frozen::AwaitingApproval {
                waiting: status.awaiting_approval,
                limit: self.max_awaiting_approval,
            });
        }
        if let Some(oldest) = status.oldest_unacknowledged_ms {
            let waited =
                Duration::from_millis(u64::try_from(now_ms.saturating_sub(oldest)).unwrap_or(0));
            if waited > Duration::from_secs(self.max_unacknowledged_hours.saturating_mul(3600)) {
                return Err(Frozen::TooOld {
                    hours: waited.as_secs() / 3600,
                    limit: self.max_unacknowledged_hours,
                });
            }
        }
        Ok(())
    }
}

impl Outbox {
    /// `Ok(Ok(()))` when a new enrolment may start; `Ok(Err(frozen))` with the clerk's message when
    /// not.
    pub fn may_enrol(
        &self,
        limits: &FreezeLimits,
        now_ms: i64,
    ) -> Result<Result<(), Frozen>, OutboxError> {
        Ok(limits.check(&self.status()?, now_ms))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::{
        outbox::{
            now_ms,
            review::{ExceptionKind, Exceptions},
        },
        seal::SealedRecord,
    };

    /// Queues a record with a paper photo: it waits for a supervisor.
    fn waiting(outbox: &Outbox) {
        let record = SealedRecord {
            record_id: uuid::Uuid::new_v4(),
            bytes: b"sealed".to_vec(),
        };
        let announcement = wire::announcement::RecordAnnouncement {
            record_id: record.record_id.to_string(),
            station_id: "st".into(),
            sha256: record.sha256_hex(),
            pre_request: "AB12CD34EF".into(),
            sealed_at: "2026-12-07T10:00:00Z".into(),
            signature: String::new(),
        };
        let mut paper = Exceptions::default();
        paper.add(ExceptionKind::PaperPhoto);
        outbox
            .enqueue_for_review(&record, &announcement, &paper)
            .unwrap();
    }

    #[test]
    fn too_many_waiting_records_freeze_new_enrolments_with_their_own_sentence() {
        let dir = tempfile::tempdir().unwrap();
        let outbox = Outbox::open(&dir.path().join("o.sqlite")).unwrap();
        let limits = FreezeLimits {
            max_awaiting_approval: 1,
            ..Default::default()
        };
        waiting(&outbox);
        assert_eq!(outbox.may_enrol(&limits, now_ms()).unwrap(), Ok(()));
        waiting(&outbox);
        assert_eq!(
            outbox.may_enrol(&limits, now_ms()).unwrap(),
            Err(Frozen::AwaitingApproval {
                waiting: 2,
                limit: 1
            })
        );
    }
}
