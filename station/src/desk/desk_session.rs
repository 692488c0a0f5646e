//! The desk's session, a part of the core that owns its state: the applicant being enrolled, the
//! enrolment put aside by an idle sign-out, and the numbers that tell answers and screens apart.

use std::collections::HashMap;

use tracing::info;

use super::{
    Picture,
    texts::Plain,
    timings::MachineShare,
    view::{EnrolmentView, FingerResult},
};
use crate::{
    checks::matching::Template,
    enrolment::{CheckedPhoto, FingerPosition, Session, SessionSettings, Step},
    uplink::PreRequest,
};

/// The desk's enrolments.
#[derive(Default)]
pub(crate) struct DeskSession {
    /// The applicant at the desk.
    pub enrolment: Option<Enrolment>,
    /// The enrolment put aside by an idle sign-out, for a clerk to resume.
    pub suspended: Option<Enrolment>,
    /// The last lookup ticket given.
    tickets: u64,
    /// Enrolments opened since the core started: each one's [`EnrolmentView::id`].
    opened: u64,
}

impl DeskSession {
    /// A new lookup's ticket: an answer with an older one is stale.
    pub(crate) fn ticket(&mut self) -> u64 {
        self.tickets += 1;
        self.tickets
    }

    /// A fresh enrolment for `operator`, started at `now_ms`, with an id no earlier one had; the
    /// applicant is spoken to in `language` until the clerk turns their window (F10).
    pub(crate) fn open(
        &mut self,
        settings: SessionSettings,
        operator: &str,
        language: crate::language::Language,
        now_ms: u64,
    ) -> Enrolment {
        self.opened += 1;
        Enrolment {
            session: Session::new(settings, now_ms),
            view: EnrolmentView {
                id: self.opened,
                applicant_language: language,
                step: Step::PreRequest,
                pre_request: None,
                pre_request_refusal: None,
                applicant_confirmed: false,
                paper_form: None,
                physical: super::PhysicalView::default(),
                tax_stamp: super::TaxStampView::default(),
                exempt: false,
                preview: None,
                qr: super::QrReadingView::default(),
                photo: None,
                photo_on_paper: false,
                fingers: Vec::new(),
                live: None,
                can_keep_finger: false,
                countdown: None,
                same_finger_alert: None,
                fingerprint_storage: None,
                receipt: None,
                signature: super::SignatureView::default(),
            },
            operator: operator.to_owned(),
            loaded: None,
            lookup_ticket: None,
            stamp_ticket: None,
            pending_photo: None,
            photo_attempts: 0,
            photo_busy: false,
            shot_at_ms: None,
            capturing: false,
            stop_asked: false,
            extras: HashMap::new(),
            machine: MachineShare::default(),
            same_finger: TakenTemplates::default(),
        }
    }

    /// At sign-out: an enrolment with anything in it is put aside (suspended) for a clerk to
    /// resume, never discarded. True when a capture was running for the open enrolment.
    pub(crate) fn put_aside(&mut self, idle: bool) -> bool {
        let Some(enrolment) = self.enrolment.take() else {
            return false;
        };
        let capturing = enrolment.capturing;
        let sealed = enrolment.session.step() == &Step::Sealed;
        if enrolment.is_blank() || sealed {
            // Nothing to keep: nothing was captured, or the record is already queued.
            drop(enrolment);
        } else {
            // One slot is enough: no enrolment starts while one is suspended, so the slot is
            // empty here.
            info!(idle, "enrolment put aside at sign-out");
            self.suspended = Some(enrolment);
        }
        capturing
    }

    /// A clerk takes back the enrolment put aside; returns who started it, or what to tell the
    /// clerk.
    pub(crate) fn resume(&mut self) -> Result<String, Plain> {
        let Some(mut suspended) = self.suspended.take() else {
            return Err(Plain::NothingSuspended);
        };
        if self.enrolment.as_ref().is_some_and(|e| !e.is_blank()) {
            // Cannot happen (no enrolment starts while one is suspended); keep both safe.
            self.suspended = Some(suspended);
            return Err(Plain::NotNow);
        }
        if !suspended.capturing {
            // The capture was stopped at sign-out: the clerk starts it again.
            suspended.view.live = None;
        }
        let started_by = suspended.operator.clone();
        self.enrolment = Some(suspended);
        Ok(started_by)
    }

    /// The enrolment a device report belongs to: the open one, or the one put aside while the
    /// device was working for it (a capture is never lost to an idle sign-out).
    pub(crate) fn working_enrolment(
        &mut self,
        is_working: impl Fn(&Enrolment) -> bool,
    ) -> Option<&mut Enrolment> {
        if self.enrolment.as_ref().is_some_and(&is_working) {
            return self.enrolment.as_mut();
        }
        if self.suspended.as_ref().is_some_and(&is_working) {
            return self.suspended.as_mut();
        }
        None
    }
}

/// The minutiae of the fingers taken so far, one template per finger (its latest capture).
#[derive(Default)]
pub(crate) struct TakenTemplates {
    pub taken: Vec<(FingerPosition, Template)>,
}

impl std::fmt::Debug for TakenTemplates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the minutiae themselves.
        f.debug_struct("TakenTemplates")
            .field("fingers", &self.taken.len())
            .finish()
    }
}

impl TakenTemplates {
    /// Forgets a finger (recorded as an exception): its template is wiped.
    pub(crate) fn forget(&mut self, position: FingerPosition) {
        self.taken.retain(|(p, _)| *p != position);
    }
}

/// What a finger's captures showed, besides what the session keeps.
#[derive(Debug, Clone, Default)]
pub(crate) struct FingerExtra {
    pub last_quality: Option<u8>,
    pub advice: Option<String>,
    pub best_picture: Option<Picture>,
}

/// One applicant's enrolment at the counter.
pub(crate) struct Enrolment {
    pub session: Session,
    pub view: EnrolmentView,
    /// Who started it.
    pub operator: String,
    /// The pre-request loaded and not yet confirmed (then the session holds its number).
    pub loaded: Option<PreRequest>,
    /// The lookup in flight, if any.
    pub lookup_ticket: Option<u64>,
    /// The tax stamp check under way, if any: its ticket (as the lookup's).
    pub stamp_ticket: Option<u64>,
    /// A compliant photo waiting for the clerk's "accept".
    pub pending_photo: Option<CheckedPhoto>,
    pub photo_attempts: u32,
    pub photo_busy: bool,
    /// When the photo under way was asked for (the core's monotonic clock): the applicant's
    /// countdown runs from it.
    pub shot_at_ms: Option<u64>,
    pub capturing: bool,
    /// The clerk stopped the capture under way: whatever it still brings is dropped.
    pub stop_asked: bool,
    pub extras: HashMap<FingerPosition, FingerExtra>,
    pub machine: MachineShare,
    /// Minutiae of the fingers taken so far, for the same-finger check (wiped with the enrolment).
    pub same_finger: TakenTemplates,
}

impl Enrolment {
    /// Nothing typed or captured yet: may be dropped without asking.
    pub(crate) fn is_blank(&self) -> bool {
        self.loaded.is_none()
            && !self.view.applicant_confirmed
            && self.lookup_ticket.is_none()
            && self.view.receipt.is_none()
    }

    /// The pre-request number, for the suspended banner.
    pub(crate) fn number(&self) -> String {
        self.view
            .pre_request
            .as_ref()
            .map(|p| p.number.clone())
            .unwrap_or_default()
    }

    /// Brings the view's step and fingers in line with the session.
    pub(crate) fn sync(&mut self) {
        self.sync_signature();
        if self.view.applicant_confirmed {
            self.view.step = self.session.step().clone();
            self.view.exempt = self.session.is_exempt();
        } else {
            self.view.step = Step::PreRequest;
        }
        let mut fingers = Vec::new();
        let current = self
            .session
            .current_finger()
            .into_iter()
            .map(|f| (f, false));
        for (take, settled) in self
            .session
            .fingers()
            .iter()
            .map(|f| (f, true))
            .chain(current)
        {
            let extra = self.extras.get(&take.position).cloned().unwrap_or_default();
            fingers.push(FingerResult {
                position: take.position,
                attempts: take.attempts,
                best: take.best.as_ref().and(extra.best_picture),
                best_quality: take.best.as_ref().map(|b| b.quality),
                last_quality: extra.last_quality,
                advice: extra.advice,
                below_threshold: take.below_threshold,
                exception: take.exception,
                settled,
            });
        }
        self.view.fingers = fingers;
        self.view.can_keep_finger = self.view.applicant_confirmed && self.session.can_keep_best();
    }
}
