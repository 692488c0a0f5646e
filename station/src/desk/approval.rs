//! Supervisor review at the counter: which exceptions make a sealed record wait for a supervisor,
//! the supervisor's decision (their name and PIN typed at the moment of deciding, on the clerk's
//! station: the supervisor comes to the counter, the clerk stays signed in).

use rust_i18n::t;
use tracing::warn;

use super::{core::Core, texts::Plain};
use crate::{
    audit::AuditEvent,
    enrolment::{PhotoKept, Session},
    operators::{OperatorError, Role},
    outbox::{
        OutboxError, now_ms,
        review::{Decision, ExceptionKind, Exceptions, clean_reason},
    },
};

/// What in this session needs a supervisor's look before the record leaves: a finger that could
/// not be taken, a finger kept below the quality threshold, a paper photo. An applicant under 12
/// gives no fingers by law: that is not an exception.
pub(crate) fn exceptions_of(session: &Session) -> Exceptions {
    let mut exceptions = Exceptions::default();
    if matches!(session.photo(), Some(PhotoKept::Paper)) {
        exceptions.add(ExceptionKind::PaperPhoto);
    }
    for take in session.fingers() {
        if take.exception.is_some() {
            exceptions.add(ExceptionKind::FingerMissing);
        } else if take.below_threshold {
            exceptions.add(ExceptionKind::BelowThreshold);
        }
    }
    exceptions
}

impl Core {
    /// `Command::DecideReview`: checks the supervisor's name and PIN (a wrong PIN counts toward
    /// their lockout, as a sign-in does), their role, the reason, then records the decision in the
    /// outbox and the audit log. The session signed in is not changed.
    pub(crate) fn decide_review(
        &mut self,
        record_id: &str,
        decision: Decision,
        supervisor: &str,
        secret: &str,
        reason: &str,
    ) {
        let reason = clean_reason(reason);
        if decision == Decision::Reject && reason.is_empty() {
            let text = self.plain(Plain::ReasonRequired);
            self.notice(true, text);
            return;
        }
        let typed: String = supervisor.chars().take(64).collect();
        let who = match self.stores.operators.sign_in(supervisor, secret, now_ms()) {
            Ok(who) => who,
            Err(e) => {
                self.audit(
                    &self.actor(),
                    &AuditEvent::SignInRefused {
                        operator: typed.clone(),
                    },
                );
                let plain = match e {
                    OperatorError::Locked { .. } => Plain::SupervisorLocked,
                    _ => Plain::SupervisorRefused,
                };
                let text = self.plain(plain);
                self.notice(true, text);
                return;
            }
        };
        if who.role != Role::Supervisor {
            self.audit(
                &self.actor(),
                &AuditEvent::CommandRefused {
                    operator: who.name.clone(),
                    command: format!("outbox {}", decision_verb(decision)),
                },
            );
            let text = self.plain(Plain::NotSupervisorAccount);
            self.notice(true, text);
            return;
        }
        match self
            .stores
            .outbox
            .decide(record_id, decision, &who.name, &reason)
        {
            Ok(()) => {}
            Err(OutboxError::WrongState { .. }) => {
                let text = self.plain(Plain::NoLongerWaiting);
                self.notice(true, text);
                self.refresh();
                return;
            }
            Err(e) => {
                warn!(error = %e, record_id, "supervisor's decision not recorded");
                let text = self.plain(Plain::DecisionFailed);
                self.notice(true, text);
                return;
            }
        }
        let event = match decision {
            Decision::Approve => AuditEvent::ReviewApproved {
                record_id: record_id.to_owned(),
                supervisor: who.name.clone(),
                reason: Some(reason).filter(|r| !r.is_empty()),
            },
            Decision::Reject => AuditEvent::ReviewRejected {
                record_id: record_id.to_owned(),
                supervisor: who.name.clone(),
                reason,
            },
        };
        // Written under the supervisor's name: they decided, whoever's session it was typed in.
        self.audit(&who.name, &event);
        let l = self.texts.language.code();
        let reference = wire::case_reference::case_reference(record_id);
        let text = match decision {
            Decision::Approve => t!(
                "counter.approval.approved",
                locale = l,
                reference = reference,
                supervisor = who.name
            ),
            Decision::Reject => t!(
                "counter.approval.rejected",
                locale = l,
                reference = reference,
                supervisor = who.name
            ),
        };
        self.notice(decision == Decision::Reject, text.into_owned());
        if decision == Decision::Approve {
            self.central.wake_uploader();
        }
        self.refresh();
    }
}

/// The CLI's verb for a decision (`station outbox approve|reject`), also in audit refusals.
pub(crate) fn decision_verb(decision: Decision) -> &'static str {
    match decision {
        Decision::Approve => "approve",
        Decision::Reject => "reject",
    }
}
