//! The handover (remise) screen as a clerk uses it, through egui_kittest (no GPU) against the real
//! counter core, the simulated module over a pseudo-terminal and a real central on loopback: an
//! applicant enrolled first (so the central holds the templates), then F7, the number typed, the
//! check clicked: the holder's finger says "Empreinte conforme", a stranger's "non conforme".

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::app_harness;
use crate::local_station_env;

use std::time::Duration;

use eframe::egui;
use egui_kittest::kittest::Queryable;
use firmware_sim::zfm_firmware::SimControl;
use station::{
    desk::{Command, CounterView, HandoverStage},
    enrolment::Step,
};

use app_harness::{Station, station};
use local_station_env::Env;

/// The applicant's fingers are seeds `APPLICANT + n` for the n-th finger asked.
const APPLICANT: u64 = 4_200;
const STRANGER: u64 = 9_931;

fn env() -> Env {
    Env::start(true)
}

/// What the handover needs of the app harness: commands sent to the core directly.
trait Handover {
    fn send(&mut self, command: Command);
    fn enrol(&mut self, sensor: &SimControl, number: &str);
    fn check(&mut self) -> CounterView;
}

impl Handover for Station {
    fn send(&mut self, command: Command) {
        assert!(self.counter.send(command));
        self.h.run_steps(2);
    }

    /// Enrols the applicant through the core (the enrolment screens have their own tests) and
    /// waits for the central's receipt.
    fn enrol(&mut self, sensor: &SimControl, number: &str) {
        self.send(Command::LoadPreRequest {
            number: number.into(),
        });
        self.until("pre-request", |v| {
            v.enrolment
                .as_ref()
                .is_some_and(|e| e.pre_request.is_some())
        });
        self.send(Command::ConfirmApplicant);
        self.until("photo", |v| {
            v.enrolment
                .as_ref()
                .is_some_and(|e| matches!(e.step, Step::Photo { .. }))
        });
        self.send(Command::PhotoOnPaper);
        let mut order = Vec::new();
        loop {
            let view = self.until("a finger or the review", |v| {
                v.enrolment
                    .as_ref()
                    .is_some_and(|e| matches!(e.step, Step::Finger { .. } | Step::Review))
            });
            let Some(Step::Finger {
                position, attempt, ..
            }) = view.enrolment.map(|e| e.step)
            else {
                break;
            };
            let n = order
                .iter()
                .position(|p| *p == position)
                .unwrap_or_else(|| {
                    order.push(position);
                    order.len() - 1
                });
            sensor.place_finger(APPLICANT + n as u64, attempt);
            let before = self.captures();
            self.send(Command::CaptureFinger);
            self.until("finger captured", |v| {
                v.enrolment
                    .as_ref()
                    .is_some_and(|e| e.fingers.iter().map(|f| f.attempts).sum::<u32>() > before)
            });
        }
        self.answer_storage(false);
        self.sign_if_asked();
        self.send(Command::ConfirmReview);
        let v = self.until("receipt", |v| {
            v.enrolment.as_ref().is_some_and(|e| e.receipt.is_some())
        });
        let id = v.enrolment.and_then(|e| e.receipt).unwrap().record_id;
        // Sealed with a paper photo: it leaves once the supervisor approves it.
        self.approve_waiting();
        self.until("central's receipt", |v| {
            v.outbox
                .recent
                .iter()
                .any(|r| r.record_id == id && r.receipt_at.is_some())
        });
        self.send(Command::NextApplicant);
        self.until("home", |v| {
            v.enrolment.as_ref().is_none_or(|e| e.receipt.is_none())
        });
    }

    /// Clicks "Vérifier l'empreinte" and waits for a decision other than the one shown before.
    fn check(&mut self) -> CounterView {
        let before = self.counter.view().handover;
        self.h
            .get_by_label("Vérifier l'empreinte  [Entrée]")
            .click();
        self.h.run_steps(2);
        self.until("handover decided", |v| {
            v.handover != before && v.handover.as_ref().is_some_and(|h| !h.stage.in_progress())
        })
    }
}

#[test]
fn the_clerk_checks_the_holder_and_a_stranger_at_handover() {
    let env = env();
    let sensor = env.sensor();
    let mut s = station(&env.config, Duration::from_secs(3600));
    s.until("setup screen", |v| v.needs_first_supervisor);
    s.send(Command::CreateFirstSupervisor {
        name: "chef".into(),
        secret: "1234-abcd".into(),
    });
    s.until("signed in", |v| v.operator.is_some());
    s.until("fingerprint module", |v| v.devices.fingerprint.ready);
    s.enrol(&sensor, "demo000001");

    // F7 opens the handover screen with the keyboard in the number field.
    s.h.key_press(egui::Key::F7);
    s.h.run_steps(3);
    assert!(s.shows("Remise du titre"), "the handover screen is open");
    let field = s.h.get_by_label("Numéro de pré-demande");
    assert!(field.is_focused(), "the number field has the keyboard");
    field.type_text("demo00000");
    s.h.run_steps(2);
    assert!(s.shows("10 lettres ou chiffres"));
    s.h.get_by_label("Numéro de pré-demande").type_text("1");
    s.h.run_steps(2);
    assert!(s.shows("Numéro bien formé"));

    sensor.place_finger(APPLICANT, 4);
    let v = s.check();
    let h = v.handover.unwrap();
    assert_eq!(h.number, "DEMO000001");
    assert!(
        matches!(h.stage, HandoverStage::Done { matched: true, .. }),
        "{h:?}"
    );
    assert!(s.shows("Empreinte conforme : c'est bien le titulaire"));
    assert!(s.shows("Score "), "a supervisor sees the score");

    sensor.place_finger(STRANGER, 0);
    let v = s.check();
    let h = v.handover.unwrap();
    assert!(
        matches!(h.stage, HandoverStage::Done { matched: false, .. }),
        "{h:?}"
    );
    assert!(s.shows("Empreinte non conforme : ne remettez pas le titre"));

    s.h.get_by_label("Retour  [Échap]").click();
    s.until("handover closed", |v| v.handover.is_none());
    assert!(s.shows("Nouvel enrôlement"), "back home");
}
