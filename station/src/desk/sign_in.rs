//! Operators at the counter: the first supervisor, sign-in with lockout, sign-out that puts an
//! enrolment in progress aside (never discards it), and resuming it.

use tracing::info;

use super::{core::Core, texts::Plain};
use crate::{audit::AuditEvent, operators::OperatorError, outbox::now_ms};

impl Core {
    pub(crate) fn create_first_supervisor(&mut self, name: &str, secret: &str) {
        if self.view.accounts_lost {
            self.view.sign_in_error = Some(self.texts.accounts_missing());
            return;
        }
        match self
            .stores
            .operators
            .create_first_supervisor(name, secret, now_ms())
        {
            Ok(signed_in) => {
                self.audit(
                    name,
                    &AuditEvent::AccountCreated {
                        operator: name.to_owned(),
                        role: signed_in.role.as_str().to_owned(),
                    },
                );
                self.view.needs_first_supervisor = false;
                self.view.sign_in_error = None;
                self.signed_in(signed_in);
            }
            Err(e) => {
                self.view.needs_first_supervisor = self
                    .stores
                    .operators
                    .needs_first_supervisor()
                    .unwrap_or(false);
                self.view.sign_in_error = Some(self.texts.sign_in_refused(&e, ""));
            }
        }
    }

    pub(crate) fn sign_in(&mut self, name: &str, secret: &str) {
        if self.view.operator.is_some() {
            self.sign_out(false);
        }
        let was_locked = self
            .stores
            .operators
            .lock_state(name)
            .map(|s| s.is_locked(now_ms()))
            .unwrap_or(false);
        match self.stores.operators.sign_in(name, secret, now_ms()) {
            Ok(signed_in) => {
                self.audit(
                    name,
                    &AuditEvent::SignIn {
                        operator: name.to_owned(),
                    },
                );
                self.view.sign_in_error = None;
                self.signed_in(signed_in);
            }
            Err(e) => {
                // The name typed is audited as typed, bounded: it may be a mistyped real name.
                let operator: String = name.chars().take(64).collect();
                let event = match &e {
                    OperatorError::Tampered(account) => {
                        let tampering = crate::operators::Tampering {
                            accounts: vec![account.clone()],
                            roster_changed: false,
                        };
                        let alarm = self.texts.accounts_tampered(&tampering);
                        if !self.view.alarms.contains(&alarm) {
                            self.view.alarms.push(alarm);
                        }
                        AuditEvent::AccountsTampered {
                            accounts: tampering.accounts,
                            roster_changed: false,
                        }
                    }
                    OperatorError::Locked { .. } if !was_locked => {
                        AuditEvent::AccountLocked { operator }
                    }
                    _ => AuditEvent::SignInRefused { operator },
                };
                self.audit("station", &event);
                let until = match &e {
                    OperatorError::Locked { until_ms } => super::clock::for_people(*until_ms),
                    _ => String::new(),
                };
                self.view.sign_in_error = Some(self.texts.sign_in_refused(&e, &until));
            }
        }
    }

    fn signed_in(&mut self, who: crate::operators::SignedIn) {
        info!(operator = %who.name, role = who.role.as_str(), "signed in at the counter");
        let may_enrol = who.role.may_enrol();
        let name = who.name.clone();
        self.view.operator = Some(who);
        if may_enrol && self.desk.enrolment.is_none() {
            self.desk.enrolment = Some(self.new_enrolment(&name));
        }
    }

    /// Signs out. An enrolment with anything in it is put aside (suspended) for a clerk to
    /// resume; a capture running for it is stopped, and its result, if it arrives, is kept.
    pub(crate) fn sign_out(&mut self, idle: bool) {
        let Some(operator) = self.view.operator.take() else {
            return;
        };
        self.preview(false);
        if self.desk.put_aside(idle) {
            // A capture running for it is stopped; its result, if it arrives, is kept.
            self.devices
                .finger
                .order(super::fingerprint_worker::FingerOrder::Cancel);
        }
        self.audit(
            &operator.name,
            &AuditEvent::SignOut {
                operator: operator.name.clone(),
            },
        );
        if let Err(e) = self.stores.audit.checkpoint() {
            tracing::warn!(error = %e, "audit checkpoint at sign-out failed");
        }
        if idle {
            let text = self.plain(Plain::SignedOutIdle);
            self.notice(false, text);
        }
    }

    /// A clerk takes back the enrolment put aside.
    pub(crate) fn resume(&mut self) {
        let Some(operator) = self.operator() else {
            return;
        };
        match self.desk.resume() {
            Ok(started_by) => {
                info!(operator = %operator.name, %started_by, "enrolment resumed");
            }
            Err(refusal) => {
                let text = self.plain(refusal);
                self.notice(true, text);
                return;
            }
        }
        let text = self.plain(Plain::Resumed);
        self.notice(false, text);
    }
}
