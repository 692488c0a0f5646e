//! The start and the end of an enrolment: the pre-request typed or scanned, checked with the
//! national service, confirmed against the applicant's documents; cancelling; the next applicant.

use tracing::{info, warn};

use super::{
    Busy,
    core::Core,
    input::Input,
    lookup::{self, LookupReport, Refusal},
    texts::Plain,
};
use crate::{
    audit::AuditEvent,
    enrolment::{Event, Session, Step},
    outbox::now_ms,
    uplink::PreRequestNumber,
};

impl Core {
    /// Whether a new applicant's enrolment may start now, by pre-request or by paper form: no
    /// enrolment suspended, the outbox not frozen, none confirmed or being looked up. Says why not.
    pub(crate) fn may_start_enrolment(&mut self) -> bool {
        if let Some(suspended) = &self.desk.suspended {
            let text = self.texts.suspended_waits(&suspended.number());
            self.notice(true, text);
            return false;
        }
        match self
            .stores
            .outbox
            .may_enrol(&self.config.freeze_limits(), now_ms())
        {
            Ok(Ok(())) => {}
            Ok(Err(frozen)) => {
                let text = self.texts.frozen(&frozen);
                self.view.outbox.frozen = Some(text.clone());
                self.notice(true, text);
                return false;
            }
            Err(e) => warn!(error = %e, "outbox status unreadable before an enrolment"),
        }
        if self
            .desk
            .enrolment
            .as_ref()
            .is_some_and(|e| e.view.applicant_confirmed || e.lookup_ticket.is_some())
        {
            let text = self.plain(Plain::NotNow);
            self.notice(true, text);
            return false;
        }
        true
    }

    pub(crate) fn load_pre_request(&mut self, typed: &str) {
        let Some(operator) = self.operator() else {
            return;
        };
        if !self.may_start_enrolment() {
            return;
        }
        let number = match PreRequestNumber::parse(typed) {
            Ok(n) => n,
            Err(_) => {
                let text = self.texts.refusal(Refusal::BadNumber);
                if let Some(e) = self.desk.enrolment.as_mut() {
                    e.view.pre_request = None;
                    e.view.pre_request_refusal = Some(text);
                }
                return;
            }
        };
        // The session (and its pre-request timing) starts with this lookup.
        let settings = self.session_settings(&operator.name);
        let ticket = self.desk.ticket();
        if self.desk.enrolment.is_none() {
            self.desk.enrolment = Some(self.new_enrolment(&operator.name));
        }
        let Some(enrolment) = self.desk.enrolment.as_mut() else {
            return;
        };
        enrolment.session = Session::new(settings, self.clock.now_ms());
        enrolment.loaded = None;
        enrolment.view.pre_request = None;
        enrolment.view.pre_request_refusal = None;
        enrolment.view.tax_stamp = super::TaxStampView::default();
        enrolment.stamp_ticket = None;
        enrolment.lookup_ticket = Some(ticket);
        self.view.busy = Some(Busy {
            what: self.texts.plain(Plain::Checking),
            progress: None,
        });
        // A mobile kit finds the applicant in the day's list, without the network; the central's
        // status as shown stays what it was (nothing was asked of it).
        if let Some(pre) = self.in_day_list(&number) {
            info!("pre-request found in the day's list");
            let central = self.view.devices.central;
            self.lookup_report(LookupReport {
                ticket,
                outcome: Ok(pre),
                elapsed: std::time::Duration::ZERO,
            });
            self.view.devices.central = central;
            return;
        }
        let reporter = self.reporter(Input::Lookup);
        match lookup::start(self.central.client.clone(), number, ticket, reporter) {
            Ok(handle) => self.central.keep(handle),
            Err(e) => {
                warn!(error = %e, "cannot start the pre-request lookup");
                self.view.busy = None;
                let text = self.texts.refusal(Refusal::Unreachable);
                if let Some(e) = self.desk.enrolment.as_mut() {
                    e.lookup_ticket = None;
                    e.view.pre_request_refusal = Some(text);
                }
            }
        }
    }

    pub(crate) fn lookup_report(&mut self, report: LookupReport) {
        let texts = self.texts;
        let on_tour = self.stores.day_list.is_some();
        let declared = report
            .outcome
            .as_ref()
            .ok()
            .map(|pre| self.declared_physical(&pre.applicant));
        let fee = report
            .outcome
            .as_ref()
            .ok()
            .map(|pre| self.declared_fee(pre));
        let Some(enrolment) = self
            .desk
            .working_enrolment(|e| e.lookup_ticket == Some(report.ticket))
        else {
            return;
        };
        enrolment.lookup_ticket = None;
        enrolment.machine.pre_request_fetch += report.elapsed;
        let reachable = match report.outcome {
            Ok(pre) => {
                info!(
                    elapsed_ms = report.elapsed.as_millis() as u64,
                    "pre-request usable"
                );
                enrolment.view.pre_request = Some(pre.clone());
                enrolment.view.pre_request_refusal = None;
                enrolment.view.physical = declared.unwrap_or_default();
                enrolment.view.tax_stamp = fee.unwrap_or_default();
                enrolment.view.exempt = crate::enrolment::parse_date(&pre.applicant.birth_date)
                    .is_some_and(|b| crate::enrolment::is_under_12(b, super::clock::local_date()));
                enrolment.loaded = Some(pre);
                true
            }
            Err(error) => {
                let refusal = Refusal::of(&error);
                info!(%error, "pre-request refused");
                // Away on a tour, "try again in a moment" helps nobody: the applicant is not on
                // the day's list and the network will not come back before the agent leaves,
                // so the sentence sends the agent to the paper form, which needs no network.
                let text = if refusal == Refusal::Unreachable && on_tour {
                    texts.off_the_list_offline()
                } else {
                    texts.refusal(refusal)
                };
                enrolment.view.pre_request_refusal = Some(text);
                refusal.central_answered()
            }
        };
        let validated = enrolment.loaded.is_some();
        self.view.busy = None;
        self.view.devices.central = super::CentralStatus::answered(reachable);
        if validated {
            let text = self.plain(Plain::Validated);
            self.notice(false, text);
        }
    }

    pub(crate) fn confirm_applicant(&mut self) {
        let Some(operator) = self.operator() else {
            return;
        };
        let now = self.clock.now_ms();
        let Some(pre) = self
            .desk
            .enrolment
            .as_ref()
            .and_then(|e| e.loaded.clone().filter(|_| !e.view.applicant_confirmed))
        else {
            let text = self.plain(Plain::NotNow);
            self.notice(true, text);
            return;
        };
        // The central file keeps what is confirmed here: nothing is confirmed without both.
        let physical = match self.physical_to_confirm() {
            Ok(physical) => physical,
            Err(text) => {
                self.notice(true, text);
                return;
            }
        };
        // Nor without the stamp paying the fee, when one is due.
        let fee = match self.fee_to_confirm() {
            Ok(fee) => fee,
            Err(text) => {
                self.notice(true, text);
                return;
            }
        };
        let Some(enrolment) = self.desk.enrolment.as_mut() else {
            return;
        };
        if let Err(e) = enrolment.session.confirm_fee(fee) {
            warn!(error = %e, "fee refused by the session");
            let text = self.plain(Plain::NotNow);
            self.notice(true, text);
            return;
        }
        if let Err(e) = enrolment.session.confirm_physical(physical) {
            // Checked just above: only a sealed session refuses, which is not at this step.
            warn!(error = %e, "height and eye colour refused by the session");
            let text = self.plain(Plain::NotNow);
            self.notice(true, text);
            return;
        }
        let outcome = enrolment.session.handle(
            Event::PreRequestLoaded {
                number: pre.number.clone(),
                document_type: pre.document_type.as_str().to_owned(),
                birth_date: pre.applicant.birth_date.clone(),
            },
            now,
        );
        match outcome {
            Ok(_) => {
                enrolment.view.applicant_confirmed = true;
                let number = pre.number.clone();
                self.audit(
                    &operator.name,
                    &AuditEvent::EnrolmentStarted {
                        pre_request: number,
                    },
                );
                let height = pre.applicant.height_cm != Some(physical.height_cm);
                let eye_colour = pre.applicant.eye_colour != Some(physical.eye_colour);
                if height || eye_colour {
                    self.audit(
                        &operator.name,
                        &AuditEvent::PhysicalCorrected { height, eye_colour },
                    );
                }
            }
            Err(e) => {
                warn!(error = %e, "pre-request content refused by the session");
                let text = self.plain(Plain::BadBirthDate);
                if let Some(enrolment) = self.desk.enrolment.as_mut() {
                    enrolment.loaded = None;
                    enrolment.view.pre_request_refusal = Some(text);
                }
            }
        }
    }

    /// Abandons the open enrolment (the screens ask twice): everything captured is wiped.
    pub(crate) fn cancel_enrolment(&mut self) {
        let Some(operator) = self.operator() else {
            return;
        };
        self.preview(false);
        if let Some(old) = self.desk.enrolment.take() {
            if old.capturing {
                self.devices
                    .finger
                    .order(super::fingerprint_worker::FingerOrder::Cancel);
            }
            info!(operator = %operator.name, step = ?old.view.step, "enrolment cancelled");
            let step = match old.view.step {
                crate::enrolment::Step::PreRequest => "pre-request",
                crate::enrolment::Step::Photo { .. } => "photo",
                crate::enrolment::Step::Finger { .. } => "finger",
                crate::enrolment::Step::Review => "review",
                crate::enrolment::Step::Sealed => "sealed",
            };
            // Only an enrolment that had started (a usable pre-request loaded) is audited; clearing
            // a refused or empty form is not an enrolment.
            if let Some(pre_request) = old.view.pre_request.as_ref().map(|p| p.number.clone()) {
                self.audit(
                    &operator.name,
                    &AuditEvent::EnrolmentCancelled {
                        pre_request: Some(pre_request),
                        step: step.to_owned(),
                    },
                );
            }
            drop(old);
        }
        self.view.busy = None;
        self.desk.enrolment = Some(self.new_enrolment(&operator.name));
        let text = self.plain(Plain::Cancelled);
        self.notice(false, text);
    }

    /// The next applicant: the previous one's data is wiped from memory.
    pub(crate) fn next_applicant(&mut self) {
        let Some(operator) = self.operator() else {
            return;
        };
        let finished = self
            .desk
            .enrolment
            .as_ref()
            .is_none_or(|e| e.is_blank() || e.session.step() == &Step::Sealed);
        if !finished {
            let text = self.plain(Plain::NotNow);
            self.notice(true, text);
            return;
        }
        self.desk.enrolment = Some(self.new_enrolment(&operator.name));
    }
}
