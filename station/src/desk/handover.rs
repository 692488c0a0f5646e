//! Handover (remise) in the counter core: the clerk enters the pre-request number, the central says
//! whether a file arrived for it and which fingers it holds (no finger is read for a number with no
//! file), the module's worker takes the live finger asked for, a short-lived thread extracts its minutiae and has the central decide
//! (`uplink::handover::verify`: the template sealed to the central, its decision signed and checked
//! field by field); the core shows pass or fail and audits every attempt, decided or not. The live
//! image and template are wiped as soon as they are dropped.

use std::time::Duration;

use rust_i18n::t;
use tracing::{info, warn};

use super::{
    core::Core,
    fingerprint_worker::{FingerCapture, FingerOrder, FingerReport},
    handover_check::{
        HandoverProblem, HandoverReport, HandoverStage, HandoverView, Job, SubjectReport,
        ask_subject,
    },
    input::Input,
    texts::{Plain, Texts},
};
use crate::{audit::AuditEvent, enrolment::FingerPosition, uplink::PreRequestNumber};
use wire::handover::SubjectState;

fn text(texts: Texts, key: &str) -> String {
    t!(key, locale = texts.language.code()).into_owned()
}

fn problem_text(texts: Texts, problem: HandoverProblem) -> String {
    let key = match problem {
        HandoverProblem::NoReference => "handover.no_reference",
        HandoverProblem::Refused => "handover.refused",
        HandoverProblem::Unreachable => "handover.unreachable",
        HandoverProblem::NoMinutiae => "handover.no_minutiae",
        HandoverProblem::StationKey => "handover.station_key",
        HandoverProblem::TooManyAttempts => "handover.too_many_attempts",
        HandoverProblem::OtherTownHall => "handover.other_town_hall",
        HandoverProblem::Untrusted => "handover.untrusted",
    };
    text(texts, key)
}

impl Core {
    /// The number of the handover check on screen ("" when none).
    fn handover_number(&self) -> String {
        self.view
            .handover
            .as_ref()
            .map(|h| h.number.clone())
            .unwrap_or_default()
    }

    fn handover_failed(&mut self, number: String, message: String) {
        self.view.handover = Some(HandoverView {
            number,
            stage: HandoverStage::Failed,
            message,
            finger: None,
        });
    }

    /// Whether the check on screen is for `number` and at `stage`: a late answer about an earlier
    /// number, or to a stage already left, is dropped.
    fn handover_at(&self, number: &str, stage: HandoverStage) -> bool {
        self.view
            .handover
            .as_ref()
            .is_some_and(|h| h.number == number && h.stage == stage)
    }

    /// Whether a handover check holds the fingerprint module.
    pub(crate) fn handover_waits_for_finger(&self) -> bool {
        self.view
            .handover
            .as_ref()
            .is_some_and(|h| h.stage == HandoverStage::PlaceFinger)
    }

    /// `Command::Handover`: starts a check for `number`.
    pub(crate) fn start_handover(&mut self, number: &str) {
        let texts = self.texts;
        if self
            .view
            .handover
            .as_ref()
            .is_some_and(|h| h.stage.in_progress())
            || self.desk.enrolment.as_ref().is_some_and(|e| e.capturing)
            || self.desk.suspended.as_ref().is_some_and(|e| e.capturing)
        {
            let text = self.plain(Plain::Busy);
            self.notice(true, text);
            return;
        }
        let number = match PreRequestNumber::parse(number) {
            Ok(number) => number,
            Err(_) => {
                self.handover_failed(number.to_owned(), texts.bad_number());
                return;
            }
        };
        if !self.view.devices.fingerprint.ready {
            let text = self.plain(Plain::FingerprintNotReady);
            self.handover_failed(number.as_str().to_owned(), text);
            return;
        }
        info!(
            pre_request = number.as_str(),
            "handover: asking the central for the file"
        );
        self.view.handover = Some(HandoverView {
            number: number.as_str().to_owned(),
            stage: HandoverStage::Asking,
            message: text(texts, "handover.asking"),
            finger: None,
        });
        let client = self.central.client.clone();
        let events = self.reporter(Input::HandoverSubject);
        let spawned = std::thread::Builder::new()
            .name("handover-file".into())
            .spawn(move || ask_subject(client, number, events));
        match spawned {
            Ok(handle) => self.central.keep(handle),
            Err(error) => {
                warn!(%error, "handover: the central could not be asked");
                let text = problem_text(texts, HandoverProblem::Unreachable);
                let number = self.handover_number();
                self.handover_failed(number, text);
            }
        }
    }

    /// The central's answer on the file: a finger is asked for only when it holds fingerprints.
    pub(crate) fn handover_subject_report(&mut self, report: SubjectReport) {
        let texts = self.texts;
        if !self.handover_at(&report.number, HandoverStage::Asking) {
            return;
        }
        let subject = match report.answer {
            Ok(subject) => subject,
            Err(problem) => {
                self.handover_failed(report.number, problem_text(texts, problem));
                return;
            }
        };
        let key = match subject.state {
            SubjectState::Unknown => Some("handover.unknown"),
            SubjectState::NotReceived => Some("handover.not_received"),
            SubjectState::NoFingerprints => Some("handover.papers_only"),
            SubjectState::Ready => None,
        };
        if let Some(key) = key {
            info!(pre_request = %report.number, state = ?subject.state, "handover: no finger to check");
            self.handover_failed(report.number, text(texts, key));
            return;
        }
        // The first finger enrolled is the one asked for: the applicant is compared with that
        // finger only, not with the best of all of them.
        let iso = subject
            .fingers
            .first()
            .copied()
            .unwrap_or(wire::handover::ANY_FINGER);
        let finger = FingerPosition::from_iso_code(iso);
        let timeout = Duration::from_secs(self.config.counter.finger_timeout_s.max(1));
        if !self.view.devices.fingerprint.ready
            || !self.devices.finger.order(FingerOrder::Capture { timeout })
        {
            let text = self.plain(Plain::FingerprintNotReady);
            self.handover_failed(report.number, text);
            return;
        }
        let message = match finger {
            Some(finger) => t!(
                "handover.place_named",
                locale = texts.language.code(),
                finger = texts.finger(finger)
            )
            .into_owned(),
            None => text(texts, "handover.place_finger"),
        };
        info!(pre_request = %report.number, finger = iso, "handover check started");
        self.view.handover = Some(HandoverView {
            number: report.number,
            stage: HandoverStage::PlaceFinger,
            message,
            finger,
        });
    }

    /// `Command::CloseHandover`: leaves the handover screen (a wait for a finger is cancelled).
    pub(crate) fn close_handover(&mut self) {
        if self.handover_waits_for_finger() {
            self.devices.finger.order(FingerOrder::Cancel);
        }
        self.view.handover = None;
    }

    /// Takes the module's report when a handover check waits for it; gives it back otherwise.
    pub(crate) fn handover_finger_report(&mut self, report: FingerReport) -> Option<FingerReport> {
        if !self.handover_waits_for_finger()
            || matches!(
                report,
                FingerReport::Ready { .. } | FingerReport::Problem { .. }
            )
        {
            return Some(report);
        }
        let texts = self.texts;
        let number = self.handover_number();
        match report {
            FingerReport::Captured(capture) => self.check_handover(number, capture),
            FingerReport::NoFinger => {
                let text = self.plain(Plain::NoFinger);
                self.handover_failed(number, text);
            }
            FingerReport::Failed(detail) => {
                warn!(device = "fingerprint", %detail, "handover capture failed");
                let text = self.plain(Plain::FingerFailed);
                self.handover_failed(number, text);
            }
            FingerReport::Cancelled => self.view.handover = None,
            FingerReport::Reading => {
                if let Some(h) = self.view.handover.as_mut() {
                    h.message = texts.reading();
                }
            }
            _ => {}
        }
        None
    }

    fn check_handover(&mut self, number: String, mut capture: Box<FingerCapture>) {
        let texts = self.texts;
        if let Some(h) = self.view.handover.as_mut() {
            h.stage = HandoverStage::Checking;
            h.message = text(texts, "handover.checking");
        }
        let image = std::mem::take(&mut capture.image);
        drop(capture);
        let finger = self
            .view
            .handover
            .as_ref()
            .and_then(|h| h.finger)
            .map_or(wire::handover::ANY_FINGER, FingerPosition::iso_code);
        let job = Job {
            client: self.central.client.clone(),
            station_id: self.config.station_id.clone(),
            signer: std::sync::Arc::clone(&self.stores.sealer.signer),
            central_keys: self.config.central_keys().ok(),
            finger,
            events: self.reporter(Input::Handover),
        };
        let spawned = std::thread::Builder::new()
            .name("handover".into())
            .spawn(move || job.run(number, image));
        match spawned {
            Ok(handle) => self.central.keep(handle),
            Err(error) => {
                warn!(%error, "handover check not started");
                let text = self.plain(Plain::FingerFailed);
                let number = self.handover_number();
                self.handover_failed(number, text);
            }
        }
    }

    /// The checking thread's answer: shows it and audits the decision with its score.
    pub(crate) fn handover_report(&mut self, report: HandoverReport) {
        let texts = self.texts;
        if !self.handover_at(&report.number, HandoverStage::Checking) {
            return;
        }
        let elapsed_ms = report.elapsed.as_millis() as u64;
        let finger = self.view.handover.as_ref().and_then(|h| h.finger);
        match report.outcome {
            Ok(outcome) => {
                info!(pre_request = %report.number, matched = outcome.matched,
                    score = outcome.score, threshold = outcome.threshold, elapsed_ms,
                    "handover decided");
                let actor = self.actor();
                self.audit(
                    &actor,
                    &AuditEvent::HandoverCheck {
                        pre_request: report.number.clone(),
                        matched: outcome.matched,
                        score: outcome.score,
                        compared_finger: outcome.position,
                    },
                );
                let key = if outcome.matched {
                    "handover.passed"
                } else {
                    "handover.failed"
                };
                self.view.handover = Some(HandoverView {
                    number: report.number,
                    stage: HandoverStage::Done {
                        matched: outcome.matched,
                        score: outcome.score,
                        threshold: outcome.threshold,
                    },
                    message: text(texts, key),
                    finger,
                });
            }
            Err(problem) => {
                warn!(pre_request = %report.number, ?problem, elapsed_ms, "handover check not made");
                let actor = self.actor();
                self.audit(
                    &actor,
                    &AuditEvent::HandoverNotDecided {
                        pre_request: report.number.clone(),
                        reason: problem.code().to_owned(),
                    },
                );
                if problem == HandoverProblem::Unreachable {
                    self.view.devices.central = super::CentralStatus::Unreachable;
                }
                self.handover_failed(report.number, problem_text(texts, problem));
            }
        }
    }
}
