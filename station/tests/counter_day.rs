//! A day at the counter: the real app (egui_kittest on the real `StationApp` and the applicant's
//! window, the real core), both simulators on pseudo-terminals (unpaced) and a central on loopback,
//! driven with the keys a clerk uses through more than 25 applicants in a row, as a day goes:
//! retakes of photos and fingers, a finger gone back to and kept, a paper photo, a finger that cannot be taken, a child, an
//! abandon, an idle sign-out, a change of clerk, handovers, the national service going away and
//! coming back. After each applicant nothing of them may be left on either window; at the end every
//! sealed record has reached the central once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::app_harness;
use crate::counter_steps;
use crate::local_station_env;
use crate::screen_texts;

use std::{collections::BTreeSet, time::Duration};

use eframe::egui::Key;
use egui_kittest::kittest::Queryable;
use firmware_sim::synth::{
    portrait::{Defect, Defects},
    sensor_defects::Target,
};
use station::{
    desk::{CentralStatus, CounterView, HandoverStage},
    enrolment::{FingerPosition, Step},
    language::Language,
    operators::{LockoutPolicy, Operators, Role},
};

use app_harness::{SECRET, SUPERVISOR, Station, finger_step, station};
use local_station_env::Env;

/// The second clerk of the day.
const CLERK: &str = "agent2";
const CLERK_PIN: &str = "482915";
/// The clerk is signed out after this long without a key (egui's clock, stepped by the frames).
const IDLE: Duration = Duration::from_secs(60);
/// The demo's child under 12.
const CHILD: &str = "DEMO000003";

/// What one applicant leaves behind for the checks that follow.
struct Applicant {
    number: String,
    /// Seed of the n-th finger asked (the simulator makes each a distinct finger).
    seed: u64,
    /// The fingers taken, in the order asked.
    fingers: Vec<FingerPosition>,
    /// At the review, refuses that the central keep the prints (F5) rather than accepting (F4).
    refuses_storage: bool,
}

/// The day: the station, its environment, and what was sealed.
struct Day {
    env: Env,
    s: Station,
    sealed: Vec<String>,
    applicants: usize,
    last: Option<Applicant>,
    next_seed: u64,
    /// Good first fingers whose result was checked on both windows.
    results_seen: usize,
    /// Where the stand-in for CUPS's `lp` keeps each receipt it is given (`job-N.pdf`).
    printed: tempfile::TempDir,
    /// Records whose applicant refused that the central keep their prints.
    storage_refused: Vec<String>,
    /// Records a supervisor rejected: their receipt was printed, they never reach the central.
    rejected: Vec<String>,
}

impl Day {
    fn start(paced: bool) -> Self {
        // Same-finger check on, as on a real station: each finger is laid by hand here.
        let mut env = if paced {
            Env::start_paced(true)
        } else {
            Env::start(true)
        };
        // A short retry delay: the day does not wait minutes for the central's return.
        env.config.uploader.max_backoff_ms = 1_000;
        // The counter's printer: CUPS is not ours, so a stand-in `lp` keeps each job it is given.
        let printed = tempfile::tempdir().unwrap();
        env.config.printer = lp_stand_in(printed.path());
        add_clerk(&env);
        let s = station(&env.config, IDLE);
        Self {
            env,
            s,
            sealed: Vec::new(),
            applicants: 0,
            last: None,
            next_seed: 20_000,
            results_seen: 0,
            printed,
            storage_refused: Vec::new(),
            rejected: Vec::new(),
        }
    }

    fn new_applicant(&mut self, number: &str) -> Applicant {
        self.applicants += 1;
        self.next_seed += 10;
        Applicant {
            number: number.to_owned(),
            seed: self.next_seed,
            fingers: Vec::new(),
            refuses_storage: false,
        }
    }

    /// From home or the next-applicant screen: the number typed and its content confirmed.
    fn open(&mut self, applicant: &Applicant) {
        let v = self.s.pre_request(&applicant.number);
        let e = v.enrolment.unwrap();
        assert!(
            e.pre_request.is_some(),
            "{} refused: {:?}",
            applicant.number,
            e.pre_request_refusal
        );
        assert!(self.s.applicant_sees("Bonjour"));
        self.s.confirm();
        assert!(self.s.applicant_sees("Regardez l'objectif"));
    }

    /// Lays each finger asked (a new impression at each try) until the review.
    fn fingers(&mut self, applicant: &mut Applicant) {
        let sensor = self.env.sensor();
        loop {
            let v = self.s.until("a finger or the review", |v| {
                matches!(step(v), Some(Step::Finger { .. } | Step::Review))
            });
            let Some((position, attempt)) = finger_step(&v) else {
                break;
            };
            let n = finger_index(applicant, position);
            sensor.place_finger(applicant.seed + n, attempt - 1);
            assert!(self.s.shows("Prendre l'empreinte  [Entrée]") || attempt > 1);
            let v = self.s.capture();
            let kept = v.enrolment.as_ref().and_then(|e| {
                e.fingers
                    .iter()
                    .find(|f| f.position == position && f.settled && !f.below_threshold)
                    .cloned()
            });
            let next = finger_step(&v).is_some_and(|(p, _)| p != position);
            if position == FingerPosition::LeftIndex && kept.is_some() && next {
                // The result stays on both windows until the next finger is taken.
                assert!(self.s.shows("Index gauche : bonne qualité ("));
                let english = v
                    .enrolment
                    .is_some_and(|e| e.applicant_language == Language::English);
                let said = if english {
                    "That's fine"
                } else {
                    "C'est bon, merci"
                };
                assert!(self.s.applicant_sees(said));
                self.results_seen += 1;
            }
        }
    }

    /// Review (Enter seals), receipt on screen, then Enter for the next applicant.
    fn seal(&mut self, applicant: Applicant) {
        assert!(self.s.shows("Vérification avant envoi"));
        let english = self
            .s
            .counter
            .view()
            .enrolment
            .is_some_and(|e| e.applicant_language == Language::English);
        let (checking, done) = if english {
            ("The clerk is checking", "All done")
        } else {
            ("L'agent vérifie", "C'est terminé")
        };
        assert!(self.s.applicant_sees(checking));
        self.s.answer_storage(applicant.refuses_storage);
        self.s.sign_if_asked();
        self.s.key(Key::Enter);
        let v = self.s.until("receipt", |v| {
            v.enrolment.as_ref().is_some_and(|e| e.receipt.is_some())
        });
        let receipt = v.enrolment.unwrap().receipt.unwrap();
        assert_eq!(receipt.pre_request, applicant.number);
        assert!(self.s.shows("Récépissé de dépôt de demande"));
        assert!(self.s.shows(&applicant.number));
        assert!(self.s.applicant_sees(done));
        // F9 prints: the printer gets this applicant's receipt, with its reference.
        self.s.key(Key::F9);
        self.s.until("receipt printed", |v| {
            v.enrolment
                .as_ref()
                .and_then(|e| e.receipt.as_ref())
                .is_some_and(|r| r.printed.is_some())
        });
        assert!(self.s.shows("Récépissé envoyé à l'imprimante."));
        let job = self.printed.path().join(format!(
            "job-{}.pdf",
            self.sealed.len() + self.rejected.len() + 1
        ));
        let pdf = std::fs::read(&job).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        let holds = |text: &str| pdf.windows(text.len()).any(|w| w == text.as_bytes());
        assert!(holds(&applicant.number) && holds(&receipt.case_reference));
        self.sealed.push(receipt.record_id);
        self.s.key(Key::Enter);
        self.s.until("next applicant", |v| {
            v.enrolment
                .as_ref()
                .is_some_and(|e| e.receipt.is_none() && e.step == Step::PreRequest)
        });
        self.nothing_left_of(&applicant);
        self.last = Some(applicant);
    }

    /// Neither window shows anything of `applicant` and the wizard starts from an empty field.
    fn nothing_left_of(&mut self, applicant: &Applicant) {
        self.s.frames(3);
        let v = self.s.counter.view();
        if let Some(e) = v.enrolment.as_ref() {
            assert!(e.pre_request.is_none() && e.photo.is_none() && e.preview.is_none());
            assert!(e.fingers.is_empty() && e.live.is_none() && e.receipt.is_none());
        }
        assert!(
            !self.s.shows(&applicant.number),
            "{} still on the clerk's screen",
            applicant.number
        );
        assert!(!self.s.applicant_sees(&applicant.number));
        if let Some(field) = self.s.h.query_by_label("Numéro de pré-demande") {
            assert_eq!(
                field.value().as_deref(),
                Some(""),
                "the number field is empty"
            );
        }
        assert!(
            self.s
                .applicant_sees("Bonjour. L'agent prépare votre dossier."),
            "the applicant's window is back to its welcome"
        );
        assert!(!self.s.applicant_sees("Posez votre"));
        assert!(!self.s.applicant_sees("retirer votre doigt"));
    }

    /// Enter keeps the compliant photo on screen; then the fingers, the review and the receipt.
    fn keep_the_photo_and_finish(&mut self, mut a: Applicant) {
        self.s.key(Key::Enter);
        self.s.after_the_photo();
        self.fingers(&mut a);
        self.seal(a);
    }

    /// An adult with a compliant photo and good fingers.
    fn adult(&mut self, number: &str) {
        let a = self.new_applicant(number);
        self.open(&a);
        assert!(self.s.shows("Photo (prise n° 1)"));
        self.s.preview();
        assert!(self.s.shoot(), "the demo's applicant poses well");
        self.keep_the_photo_and_finish(a);
    }

    /// An adult without a pre-request: F8, the paper form typed from the documents, Enter; then
    /// the photo and the fingers as for anyone, and the receipt says there was no pre-request.
    fn without_pre_request(&mut self) {
        // Named by what was typed: nothing of it may stay on screen for the next applicant.
        let mut a = self.new_applicant("Ait Ouaziz");
        if self.s.shows("Nouvel enrôlement") {
            self.s.key(Key::F2);
        }
        self.s.key(Key::F8);
        self.s.until("the paper form", |v| {
            v.enrolment.as_ref().is_some_and(|e| e.paper_form.is_some())
        });
        for choice in ["Passeport", "Renouvellement", "Masculin", "Marron"] {
            self.s.h.get_by_label(choice).click();
            self.s.frames(2);
        }
        for (field, text) in [
            ("Nom", "Ait Ouaziz"),
            ("Prénoms", "Lounès"),
            ("Date de naissance", "03/03/1976"),
            ("Lieu de naissance", "Tizi Ouzou (Algérie)"),
            ("Taille (cm)", "176"),
            ("Adresse", "28 rue Pasteur, 69007 Lyon"),
        ] {
            self.s.type_in(field, text);
        }
        self.s.key(Key::Enter);
        // A passport costs its fee from the paper form too: the typed content comes back with the
        // fee, and nothing is taken before the stamp (typed by hand, from the paper stamp's
        // printout) is checked.
        self.s.until("the fee asked", |v| {
            v.enrolment
                .as_ref()
                .is_some_and(|e| e.paper_form.is_none() && e.tax_stamp.due_cents > 0)
        });
        assert!(self.s.shows("Sans pré-demande (formulaire papier)"));
        assert!(self.s.shows("montant dû : 86 €"));
        self.s
            .h
            .get_by_label("Numéro du timbre")
            .type_text("0860 0000 0000 0003");
        self.s.key(Key::Enter);
        self.s.until("the stamp checked", |v| {
            v.enrolment
                .as_ref()
                .is_some_and(|e| e.tax_stamp.accepted.is_some())
        });
        assert!(self.s.shows("Timbre 0860 0000 0000 0003 vérifié : 86 €"));
        self.s.confirm();
        self.s.preview();
        assert!(self.s.shoot(), "the demo's applicant poses well");
        self.s.key(Key::Enter);
        self.s.after_the_photo();
        self.fingers(&mut a);
        assert!(self.s.shows("Vérification avant envoi"));
        self.s.sign_if_asked();
        self.s.key(Key::Enter);
        let v = self.s.until("receipt", |v| {
            v.enrolment.as_ref().is_some_and(|e| e.receipt.is_some())
        });
        let receipt = v.enrolment.unwrap().receipt.unwrap();
        assert_eq!(receipt.pre_request, "Sans pré-demande (formulaire papier)");
        assert!(self.s.shows(&receipt.case_reference));
        // Printed like every receipt (the printer's jobs are counted by the day).
        self.s.key(Key::F9);
        self.s.until("receipt printed", |v| {
            v.enrolment
                .as_ref()
                .and_then(|e| e.receipt.as_ref())
                .is_some_and(|r| r.printed.is_some())
        });
        self.sealed.push(receipt.record_id);
        self.s.key(Key::Enter);
        self.s.until("next applicant", |v| {
            v.enrolment
                .as_ref()
                .is_some_and(|e| e.receipt.is_none() && e.step == Step::PreRequest)
        });
        self.nothing_left_of(&a);
        assert!(!self.s.shows("Lounès") && !self.s.shows("Tizi Ouzou"));
    }

    /// An adult's passport: 86 €, paid with an electronic tax stamp whose 2D code the scanner
    /// types into the stamp field, checked with the central before the content is confirmed.
    fn passport_with_stamp(&mut self, number: &str, stamp_scan: &str) {
        let a = self.new_applicant(number);
        let v = self.s.pre_request(&a.number);
        assert!(v.enrolment.unwrap().pre_request.is_some());
        assert!(self.s.shows("montant dû : 86 €"));
        let field = self.s.h.get_by_label("Numéro du timbre");
        assert!(field.is_focused(), "the stamp field waits for the scan");
        field.type_text(stamp_scan);
        self.s.key(Key::Enter);
        self.s.until("the stamp checked", |v| {
            v.enrolment
                .as_ref()
                .is_some_and(|e| e.tax_stamp.accepted.is_some())
        });
        assert!(self.s.shows("Timbre 0860 0000 0000 0001 vérifié : 86 €"));
        self.s.confirm();
        assert!(self.s.applicant_sees("Regardez l'objectif"));
        self.s.preview();
        assert!(self.s.shoot(), "the demo's applicant poses well");
        self.keep_the_photo_and_finish(a);
        assert!(
            !self.s.shows("Timbre fiscal"),
            "the stamp is gone with the applicant"
        );
    }

    /// An applicant who reads English: F10 turns their window, for them only.
    fn adult_in_english(&mut self, number: &str) {
        let mut a = self.new_applicant(number);
        let v = self.s.pre_request(&a.number);
        assert!(v.enrolment.unwrap().pre_request.is_some());
        self.s.key(Key::F10);
        self.s.until("the applicant's window in English", |v| {
            v.enrolment
                .as_ref()
                .is_some_and(|e| e.applicant_language == Language::English)
        });
        self.s.confirm();
        assert!(self.s.applicant_sees("Look at the lens"));
        assert!(
            self.s.shows("Photo (prise n° 1)"),
            "the clerk's stays French"
        );
        self.s.preview();
        assert!(self.s.shoot());
        self.s.key(Key::Enter);
        self.s.after_the_photo();
        self.s.frames(2);
        assert!(self.s.applicant_sees("Get your left index ready"));
        self.fingers(&mut a);
        self.seal(a);
    }

    /// The clerk wants another photo although the first was compliant (F6).
    fn photo_retaken_after_a_compliant_one(&mut self, number: &str) {
        let a = self.new_applicant(number);
        self.open(&a);
        self.s.preview();
        assert!(self.s.shoot());
        assert!(self.s.shows("Reprendre la photo  [F6]"));
        self.s.key(Key::F6);
        self.s.until("second attempt", |v| {
            step(v) == Some(Step::Photo { attempt: 2 })
        });
        assert!(self.s.shows("Photo (prise n° 2)"));
        self.s.preview();
        assert!(self.s.shoot());
        assert!(self.s.shows("Photo (prise n° 2)"));
        self.keep_the_photo_and_finish(a);
    }

    /// The applicant stands too far: refused with the reason, retaken (Enter), then compliant.
    fn photo_retaken_after_a_refused_one(&mut self, number: &str) {
        let a = self.new_applicant(number);
        let camera = self.env.camera();
        let pose = camera.applicant();
        camera.set_applicant(pose.seed, Defects::only(Defect::HeadTooSmall));
        self.open(&a);
        self.s.preview();
        assert!(!self.s.shoot(), "a head too small is refused");
        assert!(self.s.shows("Photo (prise n° 1)"));
        assert!(self.s.shows("Reprendre la photo  [Entrée]"));
        camera.set_applicant(pose.seed, Defects::none());
        self.s.key(Key::Enter);
        self.s.until("second attempt's preview", |v| {
            step(v) == Some(Step::Photo { attempt: 2 })
                && v.enrolment.as_ref().is_some_and(|e| e.photo.is_none())
        });
        self.s.preview();
        assert!(self.s.shoot());
        assert!(self.s.shows("Photo (prise n° 2)"));
        self.keep_the_photo_and_finish(a);
    }

    /// The applicant brought a paper photo (F7 on the preview).
    fn paper_photo(&mut self, number: &str) {
        let mut a = self.new_applicant(number);
        self.open(&a);
        self.s.preview();
        self.s.key(Key::F7);
        self.s.after_the_photo();
        self.fingers(&mut a);
        assert!(self.s.shows("Photo fournie sur papier"));
        self.seal(a);
    }

    /// The first try of the first finger is a blank card: quality 0, a second try is asked.
    fn finger_retaken(&mut self, number: &str) {
        let mut a = self.new_applicant(number);
        self.open(&a);
        self.s.preview();
        self.s.shoot();
        self.s.key(Key::F7);
        self.s.after_the_photo();
        self.env.sensor().place_target(Target::Blank);
        let v = self.s.capture();
        assert_eq!(finger_step(&v), Some((FingerPosition::LeftIndex, 2)));
        assert!(self.s.shows("Qualité 0 (seuil 40)"));
        assert!(
            self.s
                .shows("Index gauche : qualité 0, minimum 40 : à reprendre")
        );
        assert!(self.s.applicant_sees("Encore une fois"));
        assert!(self.s.shows("Index gauche (prise 2 sur 3)"));
        self.fingers(&mut a);
        self.seal(a);
    }

    /// The clerk goes back to the left index (F6) once the right one is asked, then thinks better
    /// of it: F7 keeps the left index's capture as it was, and the right index is asked again.
    /// The record is sealed with the capture kept, not a new one.
    fn finger_kept_after_going_back(&mut self, number: &str) {
        let mut a = self.new_applicant(number);
        self.open(&a);
        self.s.preview();
        assert!(self.s.shoot());
        self.s.key(Key::Enter);
        self.s.after_the_photo();
        let n = finger_index(&mut a, FingerPosition::LeftIndex);
        self.env.sensor().place_finger(a.seed + n, 0);
        let v = self.s.capture();
        assert_eq!(finger_step(&v), Some((FingerPosition::RightIndex, 1)));
        let left = |v: &CounterView| {
            v.enrolment
                .as_ref()
                .and_then(|e| {
                    e.fingers
                        .iter()
                        .find(|f| f.position == FingerPosition::LeftIndex)
                })
                .map(|f| (f.attempts, f.best_quality, f.settled))
        };
        let taken = left(&v);
        assert!(matches!(taken, Some((1, Some(_), true))), "{taken:?}");
        assert!(
            !self.s.shows("Garder et continuer"),
            "nothing to keep before going back"
        );

        assert!(self.s.shows("Reprendre le doigt précédent  [F6]"));
        self.s.key(Key::F6);
        let v = self.s.until("back to the left index", |v| {
            finger_step(v) == Some((FingerPosition::LeftIndex, 2))
        });
        assert!(v.enrolment.as_ref().is_some_and(|e| e.can_keep_finger));
        assert!(self.s.shows("Index gauche (prise 2 sur 3)"));
        assert!(self.s.shows("Garder et continuer  [F7]"));
        let before = self.s.captures();
        self.s.key(Key::F7);
        let v = self.s.until("the right index asked again", |v| {
            finger_step(v) == Some((FingerPosition::RightIndex, 1))
        });
        assert_eq!(left(&v), taken, "the left index is kept as it was taken");
        assert_eq!(self.s.captures(), before, "nothing was captured again");
        assert!(!self.s.shows("Garder et continuer"));
        assert!(self.s.applicant_sees("Préparez votre index droit"));

        self.fingers(&mut a);
        let v = self.s.counter.view();
        assert_eq!(left(&v), taken, "the review holds the capture kept");
        self.seal(a);
    }

    /// The left index is bandaged: F8, reason 2, Enter; the left middle finger is asked instead.
    fn finger_not_taken(&mut self, number: &str) {
        let mut a = self.new_applicant(number);
        self.open(&a);
        self.s.preview();
        self.s.key(Key::F7);
        self.s.after_the_photo();
        self.s.key(Key::F8);
        assert!(self.s.shows("Pourquoi ce doigt (index gauche)"));
        self.s.key(Key::Num2);
        self.s.key(Key::Enter);
        self.s.until("left middle asked", |v| {
            finger_step(v).is_some_and(|(p, _)| p == FingerPosition::LeftMiddle)
        });
        assert!(
            self.s
                .shows("Index gauche : non pris (Pansement ou plâtre)")
        );
        // The middle finger stands in for the index: still the first of two for the applicant.
        assert!(self.s.applicant_sees("Majeur gauche"));
        assert!(self.s.applicant_sees("1 sur 2"));
        self.fingers(&mut a);
        self.seal(a);
    }

    /// A child under 12: photo, then straight to the review; the step bar says why.
    fn child(&mut self) {
        let a = self.new_applicant(CHILD);
        self.open(&a);
        self.s.preview();
        assert!(self.s.shoot());
        self.s.key(Key::Enter);
        self.s.until("review", |v| step(v) == Some(Step::Review));
        assert!(self.s.shows("3. Empreintes : sans objet (moins de 12 ans)"));
        assert!(!self.s.shows("3. Empreintes : fait"));
        assert!(self.s.shows("dispensé d'empreintes"));
        self.seal(a);
    }

    /// Escape twice at the fingers step: nothing is kept; the next applicant starts afresh.
    fn abandoned(&mut self, number: &str) {
        let a = self.new_applicant(number);
        self.open(&a);
        self.s.preview();
        self.s.shoot();
        self.s.key(Key::Enter);
        self.s.after_the_photo();
        assert!(self.s.shows("Abandonner cet enrôlement  [Échap]"));
        self.s.key(Key::Escape);
        self.s.key(Key::Escape);
        self.s.until("a blank enrolment", |v| {
            v.enrolment
                .as_ref()
                .is_some_and(|e| e.pre_request.is_none() && e.step == Step::PreRequest)
        });
        assert!(self.s.shows("Enrôlement abandonné"));
        // The message belongs to the home screen; the next enrolment starts clean.
        self.s.key(Key::F2);
        assert!(!self.s.shows("Enrôlement abandonné"));
        self.nothing_left_of(&a);
    }

    /// The clerk leaves mid-applicant: signed out after the idle time, the enrolment is set
    /// aside; signed in again, F4 brings it back with the fingers taken so far.
    fn idle_sign_out_and_resume(&mut self, number: &str) {
        let mut a = self.new_applicant(number);
        self.open(&a);
        self.s.preview();
        self.s.key(Key::F7);
        self.s.after_the_photo();
        self.env.sensor().place_finger(a.seed, 0);
        a.fingers.push(FingerPosition::LeftIndex);
        self.s.capture();
        // Nobody touches anything for a little more than the idle time of egui's clock.
        self.s.frames(IDLE.as_millis() as usize / 20 + 100);
        self.s
            .until("signed out for inactivity", |v| v.operator.is_none());
        self.s.until("set aside", |v| v.suspended.is_some());
        assert!(self.s.shows(&format!("pré-demande {number}")));
        assert!(
            !self.s.applicant_sees(number),
            "the applicant's window shows nothing while the clerk is away"
        );
        self.s.sign_in(SUPERVISOR, SECRET);
        self.s.until("signed in", |v| v.operator.is_some());
        assert!(self.s.shows("Reprendre l'enrôlement  [F4]"));
        self.s.key(Key::F4);
        let v = self.s.until("resumed", |v| {
            v.suspended.is_none() && v.enrolment.as_ref().is_some_and(|e| !e.fingers.is_empty())
        });
        assert_eq!(v.enrolment.unwrap().fingers[0].attempts, 1, "nothing lost");
        self.fingers(&mut a);
        self.seal(a);
    }

    /// F12, and the other clerk signs in.
    fn change_clerk(&mut self, name: &str, pin: &str) {
        assert!(self.s.shows("Se déconnecter  [F12]"));
        self.s.key(Key::F12);
        self.s.until("signed out", |v| v.operator.is_none());
        assert!(!self.s.applicant_sees("Posez"));
        self.s.sign_in(name, pin);
        let v = self.s.until("the other clerk", |v| {
            v.operator.as_ref().is_some_and(|o| o.name == name)
        });
        assert_eq!(v.operator.unwrap().name, name);
        let last = self.last.take().unwrap();
        self.nothing_left_of(&last);
        self.last = Some(last);
    }

    /// From home, F7: a number, a live finger, the central's answer.
    fn handover(&mut self, number: &str, seed: u64) -> CounterView {
        self.s.key(Key::Escape);
        self.s.key(Key::F1);
        assert!(self.s.shows("Remise  [F7]"));
        self.s.key(Key::F7);
        assert!(self.s.shows("Remise du titre"));
        self.s.clear("Numéro de pré-demande");
        self.s.type_in("Numéro de pré-demande", number);
        self.env.sensor().place_finger(seed, 4);
        let before = self.s.counter.view().handover;
        self.s.key(Key::Enter);
        let v = self.s.until("handover decided", |v| {
            v.handover != before && v.handover.as_ref().is_some_and(|h| !h.stage.in_progress())
        });
        assert!(
            self.s.applicant_sees("L'agent vous répond")
                || self.s.applicant_sees("l'agent vous répond"),
            "the applicant's window follows the handover"
        );
        self.s.key(Key::Escape);
        self.s.until("handover closed", |v| v.handover.is_none());
        v
    }

    /// The clerk measures the applicant and corrects the height the pre-request declared (170 cm):
    /// typed in its field, confirmed with Enter. The review shows the corrected height; the audit
    /// says that the height was corrected, never the value.
    fn height_corrected(&mut self, number: &str) {
        const HEIGHT: &str = "Taille (cm)";
        let mut a = self.new_applicant(number);
        let v = self.s.pre_request(&a.number);
        assert!(v.enrolment.unwrap().pre_request.is_some());
        assert!(self.s.shows("Vérifiez la taille et les yeux"));
        assert_eq!(
            self.s.h.get_by_label(HEIGHT).value().as_deref(),
            Some("170")
        );
        self.s.clear(HEIGHT);
        self.s.type_in(HEIGHT, "183");
        self.s.confirm();
        let physical = self.s.counter.view().enrolment.unwrap().physical;
        assert_eq!(physical.height_cm, Some(183));
        self.s.preview();
        assert!(self.s.shoot());
        self.s.key(Key::Enter);
        self.s.after_the_photo();
        self.fingers(&mut a);
        assert!(self.s.shows("Taille 183 cm"));
        self.seal(a);
        // The slip proves the deposit; the height is not on it.
        let job = self
            .printed
            .path()
            .join(format!("job-{}.pdf", self.sealed.len()));
        let pdf = std::fs::read(&job).unwrap();
        let holds = |text: &[u8]| pdf.windows(text.len()).any(|w| w == text);
        assert!(
            !holds(b"183 cm") && !holds(b"Taille"),
            "the height on the slip"
        );
        let corrected: Vec<_> = counter_steps::audit_events(&self.env.config)
            .into_iter()
            .filter(|e| e["event"] == "physical-corrected")
            .collect();
        let last = corrected.last().expect("the correction audited");
        assert_eq!(
            (last["height"].as_bool(), last["eye_colour"].as_bool()),
            (Some(true), Some(false)),
            "{last}"
        );
        assert!(
            !last.to_string().contains("183"),
            "no value in the audit: {last}"
        );
    }

    /// An identity-card applicant refuses that the central keep their prints. The question is on
    /// both windows at the review, with no answer chosen: Enter does not seal until it is
    /// answered; F8 refuses, both windows say what it means, the audit has the answer. The next
    /// applicant is asked afresh, with nothing of the previous answer on either window.
    fn storage_refused_then_the_next_asked_afresh(&mut self, number: &str, next: &str) {
        let mut a = self.new_applicant(number);
        a.refuses_storage = true;
        self.open(&a);
        self.s.preview();
        assert!(self.s.shoot());
        self.s.key(Key::Enter);
        self.s.after_the_photo();
        self.fingers(&mut a);
        self.storage_question_unanswered();
        // No default the clerk can skip past: Enter does not seal.
        self.s.key(Key::Enter);
        self.s.frames(10);
        let v = self.s.counter.view();
        let e = v.enrolment.unwrap();
        assert_eq!(e.step, Step::Review, "sealed without an answer");
        assert!(e.receipt.is_none());
        assert!(self.s.shows("Refuse la conservation  [F5]"));
        self.s.key(Key::F5);
        self.s.until("the refusal", |v| {
            v.enrolment.as_ref().is_some_and(|e| {
                e.fingerprint_storage
                    == Some(wire::fingerprint_storage::FingerprintStorage::Refused)
            })
        });
        self.s.frames(2);
        assert!(self.s.shows("Réponse : la personne refuse."));
        assert!(
            self.s
                .applicant_sees("vos empreintes ne seront pas conservées")
        );
        self.seal(a);
        self.storage_refused
            .push(self.sealed.last().cloned().expect("sealed"));
        let answers: Vec<_> = counter_steps::audit_events(&self.env.config)
            .into_iter()
            .filter(|e| e["event"] == "fingerprint-storage-answered")
            .collect();
        assert_eq!(
            answers.last().map(|e| e["answer"].clone()),
            Some(serde_json::json!("refused"))
        );

        // The next applicant: the question again, unanswered.
        let mut b = self.new_applicant(next);
        self.open(&b);
        self.s.preview();
        assert!(self.s.shoot());
        self.s.key(Key::Enter);
        self.s.after_the_photo();
        self.fingers(&mut b);
        self.storage_question_unanswered();
        self.seal(b);
    }

    /// The review asks the storage question and no answer is shown yet, on either window.
    fn storage_question_unanswered(&mut self) {
        let v = self.s.counter.view();
        let e = v.enrolment.unwrap();
        assert!(e.storage_question_asked());
        assert_eq!(e.fingerprint_storage, None, "an answer before the question");
        assert!(
            self.s
                .shows("si elle refuse que ses empreintes soient conservées")
        );
        assert!(self.s.shows("Réponse attendue avant de sceller."));
        assert!(!self.s.shows("Réponse : la personne"));
        assert!(
            self.s
                .applicant_sees("Vous pouvez refuser qu'elles soient aussi conservées")
        );
        assert!(!self.s.applicant_sees("Votre choix"));
    }

    /// The supervisor comes to the counter: F3, the queue lists each record sealed with an
    /// exception (reference, what the exception is, no image); with their name and PIN they approve
    /// each (F8) but reject the first whose finger was not taken (a reason, F9): that record is
    /// deleted, never sent, and the clerk reads that the applicant must come back.
    fn supervisor_reviews(&mut self) {
        self.s.key(Key::Escape);
        self.s.key(Key::F3);
        let waiting = self.s.counter.view().outbox.awaiting.len();
        assert!(waiting >= 1, "a record with an exception waits");
        assert!(self.s.shows(&format!(
            "Dossiers à approuver par un superviseur : {waiting}"
        )));
        let mut rejected = None;
        loop {
            let v = self.s.counter.view();
            let Some(row) = v.outbox.awaiting.first().cloned() else {
                break;
            };
            assert!(self.s.shows(&row.case_reference));
            assert!(self.s.shows(&row.exceptions));
            self.s.clear("Superviseur");
            self.s.type_in("Superviseur", SUPERVISOR);
            self.s.type_in("Code du superviseur", SECRET);
            let left = v.outbox.awaiting.len();
            if rejected.is_none() && row.exceptions.contains("doigt non relevé") {
                self.s
                    .type_in("Motif", "doigt blessé, empreinte à reprendre");
                self.s.key(Key::F9);
                self.s.until("rejected", |v| v.outbox.awaiting.len() < left);
                assert!(self.s.shows("Le demandeur doit revenir"));
                rejected = Some(row.record_id);
            } else {
                assert!(self.s.shows("Approuver  [F8]"));
                let before = v.notice.as_ref().map(|n| n.serial);
                self.s.key(Key::F8);
                let v = self.s.until("approved", |v| {
                    v.outbox.awaiting.len() < left
                        || v.notice
                            .as_ref()
                            .is_some_and(|n| n.error && Some(n.serial) != before)
                });
                assert!(
                    self.s.shows("approuvé par chef"),
                    "{:?} {:?}",
                    v.notice,
                    screen_texts::visible_texts(&self.s.h)
                );
            }
        }
        assert!(self.s.shows("Aucun dossier n'attend de superviseur."));
        if let Some(id) = rejected {
            self.sealed.retain(|s| *s != id);
            self.rejected.push(id);
        }
    }

    /// Waits until every record sealed so far has the central's receipt.
    fn all_received(&mut self) {
        let sealed: BTreeSet<String> = self.sealed.iter().cloned().collect();
        self.s.until("every record acknowledged", |v| {
            v.outbox.queued == 0 && v.outbox.sending == 0
        });
        let v = self.s.counter.view();
        let acknowledged: BTreeSet<String> = v
            .outbox
            .recent
            .iter()
            .filter(|r| r.receipt_at.is_some())
            .map(|r| r.record_id.clone())
            .collect();
        assert!(
            sealed.is_subset(&acknowledged),
            "not acknowledged: {:?}",
            sealed.difference(&acknowledged).collect::<Vec<_>>()
        );
    }
}

fn step(v: &CounterView) -> Option<Step> {
    v.enrolment.as_ref().map(|e| e.step.clone())
}

/// The n-th finger asked of this applicant (0 for the first), noting a new one.
fn finger_index(applicant: &mut Applicant, position: FingerPosition) -> u64 {
    let n = applicant
        .fingers
        .iter()
        .position(|p| *p == position)
        .unwrap_or_else(|| {
            applicant.fingers.push(position);
            applicant.fingers.len() - 1
        });
    n as u64
}

/// The day's second clerk, created by the supervisor before the station opens.
/// Printer settings whose `lp` is a script that keeps each job as `job-N.pdf` in `dir` and answers
/// as CUPS's `lp` does.
pub(crate) fn lp_stand_in(
    dir: &std::path::Path,
) -> station::receipt_slip::printer::PrinterSettings {
    use std::os::unix::fs::PermissionsExt;
    let script = dir.join("lp");
    let body = format!(
        "#!/bin/sh\nn=$(ls {dir} | grep -c '^job-')\nn=$((n + 1))\ncat > {dir}/job-$n.pdf\n\
         echo \"request id is Recepisses-$n (1 file(s))\"\n",
        dir = dir.display()
    );
    std::fs::write(&script, body).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    station::receipt_slip::printer::PrinterSettings {
        queue: Some("Recepisses".into()),
        command: Some(script.display().to_string()),
        spool_timeout_s: 10,
    }
}

pub(crate) fn add_clerk(env: &Env) {
    let operators = Operators::open_station(
        &env.config,
        LockoutPolicy {
            max_failures: 5,
            lockout_ms: 60_000,
        },
    )
    .unwrap();
    let supervisor = operators
        .create_first_supervisor(SUPERVISOR, SECRET, 0)
        .unwrap();
    operators
        .create(&supervisor, CLERK, Role::Clerk, CLERK_PIN, 0)
        .unwrap();
}

fn number(n: usize) -> String {
    format!("TEST{n:06}")
}

#[test]
fn a_day_at_the_counter_with_every_kind_of_applicant() {
    walk_a_day(false);
}

/// The same day with both simulators at their real line speeds (about ten minutes): what the
/// applicant waits for is then as long as at a real counter. Outside CI.
#[test]
#[ignore = "paced simulators: about ten minutes"]
fn a_paced_day_at_the_counter() {
    walk_a_day(true);
}

fn walk_a_day(paced: bool) {
    let started = std::time::Instant::now();
    let mut day = Day::start(paced);
    day.s.until("sign-in screen", |v| v.generation > 0);
    day.s.sign_in(SUPERVISOR, SECRET);
    day.s.until("signed in", |v| v.operator.is_some());
    day.s
        .until("fingerprint module", |v| v.devices.fingerprint.ready);
    day.s.until("the national service answers", |v| {
        v.devices.central == CentralStatus::Reachable
    });
    assert!(day.s.shows("Service national joignable"));

    // The morning: the common cases and each retake.
    day.adult(&number(1));
    day.adult(&number(2));
    day.photo_retaken_after_a_compliant_one(&number(3));
    day.photo_retaken_after_a_refused_one(&number(4));
    day.adult_in_english(&number(5));
    day.paper_photo(&number(6));
    day.finger_retaken(&number(7));
    day.finger_not_taken(&number(8));
    day.child();
    day.abandoned(&number(9));
    day.adult(&number(10));
    day.idle_sign_out_and_resume(&number(11));
    // The handover below checks a live finger against this applicant's record: it holds the
    // left index kept after going back.
    day.finger_kept_after_going_back(&number(12));

    // A handover of a file enrolled this morning, and of a number with no file.
    day.supervisor_reviews();
    day.all_received();
    let holder = day
        .last
        .as_ref()
        .map(|a| (a.number.clone(), a.seed))
        .unwrap();
    let v = day.handover(&holder.0, holder.1);
    assert!(
        matches!(
            v.handover.as_ref().unwrap().stage,
            HandoverStage::Done { matched: true, .. }
        ),
        "{:?}",
        v.handover
    );
    assert_eq!(
        v.handover.as_ref().unwrap().finger,
        Some(FingerPosition::LeftIndex),
        "the first finger enrolled is the one asked for"
    );
    // Numbers with no finger to check: none is read from the sensor.
    let images = day.env.sensor().stats().images_sent;
    for (number, said) in [
        (number(999), "pas encore arrivé"),
        ("ZZZZ000000".to_owned(), "Aucun dossier ne porte ce numéro"),
        (CHILD.to_owned(), "vérifiez l'identité sur les pièces"),
    ] {
        let v = day.handover(&number, 55_555);
        let h = v.handover.unwrap();
        assert_eq!(h.stage, HandoverStage::Failed, "{h:?}");
        assert!(h.message.contains(said), "{number}: {}", h.message);
    }
    assert_eq!(
        day.env.sensor().stats().images_sent,
        images,
        "no finger read for a number with no fingerprints"
    );

    // After lunch another clerk takes the counter.
    day.change_clerk(CLERK, CLERK_PIN);
    day.adult(&number(13));
    day.photo_retaken_after_a_compliant_one(&number(14));
    day.adult(&number(15));
    day.without_pre_request();
    day.passport_with_stamp("DEMO000002", "TFE;0860000000000001;8600");

    // The national service goes away: the applicant already loaded is sealed and queued; the
    // next one cannot be looked up and the clerk is told so; home says the service is away.
    let a = day.new_applicant(&number(16));
    day.open(&a);
    day.env.stop_central();
    day.s.preview();
    day.s.shoot();
    day.keep_the_photo_and_finish(a);
    let v = day.s.pre_request(&number(17));
    let refusal = v.enrolment.unwrap().pre_request_refusal.unwrap();
    assert!(refusal.contains("ne répond pas"), "{refusal}");
    assert!(day.s.shows(&refusal));
    // A refused number is abandoned like any started enrolment: Escape twice.
    day.s.key(Key::Escape);
    day.s.key(Key::Escape);
    day.s.until("the refused number abandoned", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.pre_request_refusal.is_none())
    });
    assert!(
        day.s.shows("Nouvel enrôlement"),
        "home: {:?}",
        screen_texts::visible_texts(&day.s.h)
    );
    day.s.key(Key::F5);
    day.s.until("the service is seen away", |v| {
        v.devices.central == CentralStatus::Unreachable
    });
    assert!(
        day.s.shows("Service national injoignable"),
        "{:?}",
        screen_texts::visible_texts(&day.s.h)
    );
    assert!(day.s.counter.view().outbox.queued >= 1, "the record waits");
    day.env.restart_central();
    day.s.key(Key::F5);
    day.s.until("the service is back", |v| {
        v.devices.central == CentralStatus::Reachable
    });
    assert!(day.s.shows("Service national joignable"));
    day.adult(&number(17));

    // The end of the afternoon.
    for n in 18..=23 {
        day.adult(&number(n));
    }
    day.height_corrected(&number(27));
    day.storage_refused_then_the_next_asked_afresh(&number(28), &number(29));
    day.paper_photo(&number(24));
    day.finger_retaken(&number(25));
    day.adult(&number(26));
    // Signatures: one signed on the applicant's window, one who cannot sign.
    day.adult_who_signs(&number(71));
    day.adult_who_cannot_sign(&number(72));
    // The pre-request's QR code shown on a phone, read by the camera.
    day.adult_with_qr_code(&number(73));

    assert!(day.applicants >= 25, "{} applicants", day.applicants);
    assert!(
        day.results_seen >= 10,
        "results checked: {}",
        day.results_seen
    );
    // Every text the two windows showed through the day, read as a person would.
    assert!(day.s.seen.len() > 200, "{} texts read", day.s.seen.len());
    let misread = day.s.misread();
    assert!(misread.is_empty(), "{misread:#?}");
    day.supervisor_reviews();
    day.all_received();
    let received = day.env.central().receipt_count().unwrap();
    assert_eq!(
        received,
        day.sealed.len() as u64,
        "every sealed record reached the central once"
    );
    let unique: BTreeSet<_> = day.sealed.iter().collect();
    assert_eq!(unique.len(), day.sealed.len());
    // The central scheduled the deletion of the refused prints, and of no one else's.
    let schedule = central::prints::PrintsSchedule::open(day.env.central().data_dir()).unwrap();
    for record_id in &day.sealed {
        let scheduled = schedule.get(record_id).unwrap().is_some();
        assert_eq!(
            scheduled,
            day.storage_refused.contains(record_id),
            "{record_id}"
        );
    }
    assert_eq!(day.storage_refused.len(), 1);
    println!(
        "a day at the counter{}: {} applicants, {} records sealed and received once, {:.0} s",
        if paced { " (paced)" } else { "" },
        day.applicants,
        day.sealed.len(),
        started.elapsed().as_secs_f64()
    );
}

/// The applicant's signature at the review.
impl Day {
    /// An adult through the photo and the fingers, at the review.
    fn at_the_review(&mut self, number: &str) -> Applicant {
        let mut a = self.new_applicant(number);
        self.open(&a);
        self.s.preview();
        assert!(self.s.shoot(), "the demo's applicant poses well");
        self.s.key(Key::Enter);
        self.s.after_the_photo();
        self.fingers(&mut a);
        a
    }

    /// An adult signs on their window (a touch screen with force), the clerk validates (F8); the
    /// record goes with the signature, and the next applicant finds an empty pad.
    fn adult_who_signs(&mut self, number: &str) {
        let a = self.at_the_review(number);
        assert!(self.s.applicant_sees("Signez dans le cadre"));
        self.s.sign_if_asked_by(true);
        assert!(self.s.shows("Signature validée."));
        self.seal(a);
        let v = self.s.counter.view();
        let pad = &v.enrolment.as_ref().unwrap().signature;
        assert!(pad.strokes.is_empty() && !pad.validated && pad.cannot_sign.is_none());
    }

    /// An adult who cannot sign: the clerk says why (F9, the reason, Enter).
    fn adult_who_cannot_sign(&mut self, number: &str) {
        let a = self.at_the_review(number);
        self.s.key(Key::F9);
        self.s.type_in("Motif", "main droite dans le plâtre");
        self.s.key(Key::Enter);
        self.s.until("cannot sign recorded", |v| {
            v.enrolment
                .as_ref()
                .is_some_and(|e| e.signature.cannot_sign.is_some())
        });
        assert!(self.s.shows("Le demandeur ne peut pas signer"));
        self.seal(a);
    }
}

/// The pre-request's QR code read by the camera.
impl Day {
    /// An adult shows their pre-request's QR code on their phone: F4, the camera reads it (after
    /// the frames where the phone moves into view), the number fills in and the content loads;
    /// the phone put away, the photo and the fingers as for anyone.
    fn adult_with_qr_code(&mut self, number: &str) {
        let a = self.new_applicant(number);
        if self.s.shows("Nouvel enrôlement") {
            self.s.key(Key::F2);
        }
        self.s.key(Key::F4);
        self.s.until("the camera reads", |v| {
            v.enrolment.as_ref().is_some_and(|e| e.qr.reading)
        });
        assert!(
            self.s
                .applicant_sees("Présentez le QR code de votre pré-demande")
        );
        let camera = self.env.camera();
        camera
            .show_qr(
                &format!("https://passeport.ants.gouv.fr/pre-demande?numero={number}"),
                firmware_sim::synth::qr_card::Holder::Phone,
            )
            .unwrap();
        let v = self.s.until("the pre-request read from its code", |v| {
            v.enrolment
                .as_ref()
                .is_some_and(|e| e.pre_request.is_some() || e.pre_request_refusal.is_some())
        });
        camera.hide_qr();
        let e = v.enrolment.unwrap();
        assert_eq!(
            e.pre_request.map(|p| p.number),
            Some(number.to_owned()),
            "{:?}",
            e.pre_request_refusal
        );
        assert!(
            self.s
                .h
                .query_all_by_label("Numéro de pré-demande")
                .any(|n| n.value().as_deref() == Some(number)),
            "the field shows the number read"
        );
        assert!(self.s.applicant_sees("Bonjour"));
        self.s.confirm();
        assert!(self.s.applicant_sees("Regardez l'objectif"));
        self.s.preview();
        assert!(
            self.s.shoot(),
            "the phone put away, the applicant poses well"
        );
        self.keep_the_photo_and_finish(a);
    }
}
