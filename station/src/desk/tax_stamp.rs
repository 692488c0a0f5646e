//! The fee and its electronic tax stamp, at the pre-request step. A real counter checks that the
//! file is complete (documents, proof of address, stamp) before any photo or finger is taken: an
//! applicant without a good stamp is sent to buy one before the capture, not after it. So the
//! reason of the request (which the fee depends on) is confirmed with the content, the fee shown,
//! and the stamp checked with the central before the content can be confirmed.
//!
//! Offline: the stamp must be checked, but a counter whose link is down must not send applicants
//! away. The clerk may then go on with the stamp unchecked, said in the record
//! (`checked_at_counter: false`) and audited; the central checks it when the record arrives and
//! refuses the record if it is unknown, used or too low (the record then stays in the outbox as
//! every record the central refuses, for a supervisor to call the applicant back). Refusing rather
//! than flagging: a title is never made for an unpaid fee.

use rust_i18n::t;
use tracing::{info, warn};
use wire::{
    prerequest::Reason,
    tax_stamp::{EntryProblem, StampNumber, TaxStamp, amount_due_cents, euros},
};

use super::{
    AcceptedStamp, Busy, CentralStatus, TaxStampView,
    core::Core,
    input::Input,
    lookup::Refusal,
    stamp_check::{self, StampReport},
    texts::Plain,
};
use crate::{
    audit::AuditEvent,
    enrolment::Fee,
    uplink::{PreRequest, tax_stamp::StampAnswer},
};

/// The fee of `pre` for `reason`, reckoned on today's local date; 0 when the birth date does not
/// read (the confirmation is refused for that anyway).
pub(crate) fn fee_today(pre: &PreRequest, reason: Reason) -> u32 {
    let Some(birth) = crate::enrolment::parse_date(&pre.applicant.birth_date) else {
        return 0;
    };
    let today = super::clock::local_date();
    let day = |d: time::Date| wire::tax_stamp::Day {
        year: d.year(),
        month: u8::from(d.month()),
        day: d.day(),
    };
    amount_due_cents(pre.document_type, reason, day(birth), day(today))
}

impl Core {
    fn stamp_text(&self, key: &str, args: &[(&str, String)]) -> String {
        let locale = self.texts.language.code();
        let mut text = t!(key, locale = locale).into_owned();
        for (name, value) in args {
            text = text.replace(&format!("%{{{name}}}"), value);
        }
        text
    }

    fn entry_sentence(&self, problem: EntryProblem) -> String {
        match problem {
            EntryProblem::Empty => self.stamp_text("counter.tax_stamp.empty", &[]),
            EntryProblem::DigitCount(n) => {
                self.stamp_text("counter.tax_stamp.digit_count", &[("n", n.to_string())])
            }
            EntryProblem::NoNumberInScan => {
                self.stamp_text("counter.tax_stamp.no_number_in_scan", &[])
            }
            EntryProblem::SeveralNumbersInScan => {
                self.stamp_text("counter.tax_stamp.several_numbers_in_scan", &[])
            }
        }
    }

    /// The view's fee for a pre-request just loaded: its reason, the fee today, no stamp yet.
    pub(crate) fn declared_fee(&self, pre: &PreRequest) -> TaxStampView {
        TaxStampView {
            reason: Some(pre.reason),
            due_cents: fee_today(pre, pre.reason),
            ..TaxStampView::default()
        }
    }

    /// `Command::CorrectReason`: the fee follows the reason; a stamp no longer enough is dropped
    /// with a sentence, and none is kept when nothing is due any more.
    pub(crate) fn correct_reason(&mut self, reason: Reason) {
        if self.operator().is_none() {
            return;
        }
        let Some(pre) = self
            .desk
            .enrolment
            .as_ref()
            .filter(|e| !e.view.applicant_confirmed)
            .and_then(|e| e.loaded.clone())
        else {
            let text = self.plain(Plain::NotNow);
            self.notice(true, text);
            return;
        };
        let due = fee_today(&pre, reason);
        let mut sentence = None;
        if let Some(enrolment) = self.desk.enrolment.as_mut() {
            let view = &mut enrolment.view.tax_stamp;
            view.reason = Some(reason);
            view.due_cents = due;
            if due == 0 {
                view.accepted = None;
                view.unchecked_offer = None;
                view.refusal = None;
            } else if let Some(accepted) = view.accepted.as_mut() {
                if !accepted.checked {
                    accepted.amount_cents = due;
                } else if accepted.amount_cents < due {
                    sentence = Some((accepted.amount_cents, due));
                    view.accepted = None;
                }
            }
        }
        info!(
            reason = reason.as_str(),
            due_cents = due,
            "reason of the request set"
        );
        if let Some((amount, due)) = sentence {
            let text = self.stamp_text(
                "counter.tax_stamp.no_longer_enough",
                &[("amount", euros(amount)), ("due", euros(due))],
            );
            if let Some(enrolment) = self.desk.enrolment.as_mut() {
                enrolment.view.tax_stamp.refusal = Some(text.clone());
            }
            self.notice(true, text);
        }
    }

    /// `Command::CheckTaxStamp`: reads what was typed or scanned and asks the central.
    pub(crate) fn check_tax_stamp(&mut self, entry: &str) {
        if self.operator().is_none() {
            return;
        }
        let Some(due) = self
            .desk
            .enrolment
            .as_ref()
            .filter(|e| e.loaded.is_some() && !e.view.applicant_confirmed)
            .map(|e| e.view.tax_stamp.due_cents)
        else {
            let text = self.plain(Plain::NotNow);
            self.notice(true, text);
            return;
        };
        if due == 0 {
            let text = self.stamp_text("counter.tax_stamp.not_due", &[]);
            self.notice(false, text);
            return;
        }
        let number = match StampNumber::read(entry) {
            Ok(number) => number,
            Err(problem) => {
                let text = self.entry_sentence(problem);
                if let Some(enrolment) = self.desk.enrolment.as_mut() {
                    let view = &mut enrolment.view.tax_stamp;
                    view.accepted = None;
                    view.unchecked_offer = None;
                    view.refusal = Some(text.clone());
                }
                self.notice(true, text);
                return;
            }
        };
        let ticket = self.desk.ticket();
        if let Some(enrolment) = self.desk.enrolment.as_mut() {
            enrolment.stamp_ticket = Some(ticket);
            let view = &mut enrolment.view.tax_stamp;
            view.accepted = None;
            view.unchecked_offer = None;
            view.refusal = None;
            view.checking = true;
        }
        self.view.busy = Some(Busy {
            what: self.stamp_text("counter.tax_stamp.checking", &[]),
            progress: None,
        });
        let reporter = self.reporter(Input::TaxStamp);
        match stamp_check::start(
            self.central.client.clone(),
            number.clone(),
            ticket,
            reporter,
        ) {
            Ok(handle) => self.central.keep(handle),
            Err(e) => {
                warn!(error = %e, "cannot start the tax stamp check");
                self.stamp_report(StampReport {
                    ticket,
                    number,
                    outcome: Err(crate::uplink::UplinkError::Transport(e.to_string())),
                });
            }
        }
    }

    /// A stamp check answered: accepted, refused with its sentence, or not checked (then the
    /// clerk may go on without the check).
    pub(crate) fn stamp_report(&mut self, report: StampReport) {
        let Some(enrolment) = self
            .desk
            .working_enrolment(|e| e.stamp_ticket == Some(report.ticket))
        else {
            return;
        };
        enrolment.stamp_ticket = None;
        enrolment.view.tax_stamp.checking = false;
        let due = enrolment.view.tax_stamp.due_cents;
        let pre_request = enrolment
            .loaded
            .as_ref()
            .map(|p| p.number.clone())
            .unwrap_or_default();
        self.view.busy = None;
        let number = report.number;
        let grouped = number.grouped();
        let (refused, audit_reason, answered) = match report.outcome {
            Ok(StampAnswer::Known(standing)) if standing.used => (
                Some(self.stamp_text("counter.tax_stamp.used", &[("number", grouped)])),
                "used",
                true,
            ),
            Ok(StampAnswer::Known(standing)) if standing.amount_cents < due => (
                Some(self.stamp_text(
                    "counter.tax_stamp.too_low",
                    &[
                        ("number", grouped),
                        ("amount", euros(standing.amount_cents)),
                        ("due", euros(due)),
                    ],
                )),
                "too-low",
                true,
            ),
            Ok(StampAnswer::Known(standing)) => {
                let amount = standing.amount_cents;
                if let Some(enrolment) = self.desk.enrolment.as_mut() {
                    enrolment.view.tax_stamp.accepted = Some(AcceptedStamp {
                        number: number.clone(),
                        amount_cents: amount,
                        checked: true,
                    });
                }
                info!(amount_cents = amount, due_cents = due, "tax stamp accepted");
                self.audit(
                    &self.actor(),
                    &AuditEvent::TaxStampChecked {
                        pre_request,
                        number: number.to_string(),
                        amount_cents: amount,
                    },
                );
                self.view.devices.central = CentralStatus::answered(true);
                let text =
                    self.stamp_text("counter.tax_stamp.accepted", &[("amount", euros(amount))]);
                self.notice(false, text);
                return;
            }
            Ok(StampAnswer::Unknown) => (
                Some(self.stamp_text("counter.tax_stamp.unknown", &[("number", grouped)])),
                "unknown",
                true,
            ),
            Err(error) => {
                info!(%error, "tax stamp not checked");
                let answered = Refusal::of(&error).central_answered();
                let text = self.stamp_text("counter.tax_stamp.unreachable", &[]);
                if let Some(enrolment) = self.desk.enrolment.as_mut() {
                    let view = &mut enrolment.view.tax_stamp;
                    view.refusal = Some(text.clone());
                    view.unchecked_offer = Some(number);
                }
                self.view.devices.central = CentralStatus::answered(answered);
                self.notice(true, text);
                return;
            }
        };
        info!(reason = audit_reason, "tax stamp refused");
        self.view.devices.central = CentralStatus::answered(answered);
        if let Some(enrolment) = self.desk.enrolment.as_mut() {
            enrolment.view.tax_stamp.refusal.clone_from(&refused);
        }
        if let Some(text) = refused {
            self.notice(true, text);
        }
        self.audit(
            &self.actor(),
            &AuditEvent::TaxStampRefused {
                pre_request,
                number: number.to_string(),
                reason: audit_reason.to_owned(),
            },
        );
    }

    /// `Command::KeepTaxStampUnchecked`: only after the central could not be asked about this
    /// stamp; the record says it was not checked and the central checks it at intake.
    pub(crate) fn keep_stamp_unchecked(&mut self) {
        let Some(operator) = self.operator() else {
            return;
        };
        let Some(enrolment) = self
            .desk
            .enrolment
            .as_mut()
            .filter(|e| !e.view.applicant_confirmed)
        else {
            return;
        };
        let view = &mut enrolment.view.tax_stamp;
        let Some(number) = view.unchecked_offer.take() else {
            let text = self.plain(Plain::NotNow);
            self.notice(true, text);
            return;
        };
        view.accepted = Some(AcceptedStamp {
            number: number.clone(),
            amount_cents: view.due_cents,
            checked: false,
        });
        view.refusal = None;
        let pre_request = enrolment
            .loaded
            .as_ref()
            .map(|p| p.number.clone())
            .unwrap_or_default();
        warn!("tax stamp kept without the central's check");
        self.audit(
            &operator.name,
            &AuditEvent::TaxStampUnchecked {
                pre_request,
                number: number.to_string(),
            },
        );
        let text = self.stamp_text("counter.tax_stamp.kept_unchecked", &[]);
        self.notice(false, text);
    }

    /// The reason and the stamp to confirm with the content, or the sentence saying what is
    /// missing: no content is confirmed while a fee is due without a stamp for it.
    pub(crate) fn fee_to_confirm(&self) -> Result<Fee, String> {
        let Some(enrolment) = self.desk.enrolment.as_ref() else {
            return Err(self.plain(Plain::NotNow));
        };
        let view = &enrolment.view.tax_stamp;
        let reason = view
            .reason
            .or(enrolment.loaded.as_ref().map(|p| p.reason))
            .ok_or_else(|| self.plain(Plain::NotNow))?;
        if view.due_cents == 0 {
            return Ok(Fee {
                reason,
                tax_stamp: None,
            });
        }
        match &view.accepted {
            Some(stamp) if stamp.amount_cents >= view.due_cents => Ok(Fee {
                reason,
                tax_stamp: Some(TaxStamp {
                    number: stamp.number.clone(),
                    amount_cents: stamp.amount_cents,
                    checked_at_counter: stamp.checked,
                }),
            }),
            _ => Err(self.stamp_text(
                "counter.tax_stamp.missing",
                &[("due", euros(view.due_cents))],
            )),
        }
    }
}
