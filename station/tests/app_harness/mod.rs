//! The real app on a real counter core, as a clerk drives it: the clerk's window and the
//! applicant's window in two egui_kittest harnesses on the same core (no GPU), keys and typing,
//! frames stepped until the core's view reaches a state. Shared by the screen-flow tests.
// Each test binary compiles this module and uses only part of it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::{
    collections::BTreeSet,
    sync::Arc,
    time::{Duration, Instant},
};

use eframe::egui;
use egui_kittest::{
    Harness,
    kittest::{NodeT, Queryable},
};
use station::{
    config::StationConfig,
    desk::{Counter, CounterView},
    enrolment::{FingerPosition, Step},
    language::Language,
    ui::{AppSettings, ApplicantScreen, StationApp},
};

use firmware_sim::zfm_firmware::SimControl;

use super::local_station_env::Env;
use super::locale_files::Words;
use super::screen_texts::{problems, visible_texts, written_words};

/// How long any one step may take (simulators unpaced, central on loopback).
pub const WAIT: Duration = Duration::from_secs(90);

/// The smallest clerk's screen the station supports: what the clerk must act on is drawn inside it.
pub const SMALL_SCREEN: egui::Vec2 = egui::vec2(1280.0, 800.0);
/// The first supervisor every test station is set up with.
pub const SUPERVISOR: &str = "chef";
/// Their PIN.
pub const SECRET: &str = "1234-abcd";

/// egui's clock moves this much per frame: about the real time a frame takes in `until`, so that
/// the idle timer sees the clerk's pauses as they are.
const FRAME_DT: f32 = 0.02;

/// The app on a real counter, with the applicant's window beside it.
pub struct Station {
    pub counter: Arc<Counter>,
    pub h: Harness<'static, StationApp>,
    pub applicant: Harness<'static, ApplicantScreen>,
    /// Every text either window showed when a key was pressed: (the applicant's window, in French,
    /// the text). What [`Station::misread`] reads.
    pub seen: BTreeSet<(bool, bool, String)>,
    /// The clerk's screen's words, in the configured language.
    pub words: Words,
}

/// Starts the core on `config` and opens both windows; the clerk is signed out after `idle`.
pub fn station(config: &StationConfig, idle: Duration) -> Station {
    let counter = Arc::new(Counter::start(config.clone(), Arc::new(|| {})).unwrap());
    // The applicant's window is its own harness: kittest would embed it over the clerk's screen.
    let settings = AppSettings {
        applicant_window: false,
        idle_sign_out: idle,
        ..AppSettings::from_config(config)
    };
    let app = StationApp::new(Arc::clone(&counter), settings, Instant::now());
    let h = Harness::builder()
        .with_size([1280.0, 1000.0])
        .with_step_dt(FRAME_DT)
        .build_ui_state(|ui, app: &mut StationApp| app.show(ui), app);
    let screen = ApplicantScreen::new(Arc::clone(&counter), config.ui.language);
    let applicant = Harness::builder()
        .with_size([800.0, 600.0])
        .build_ui_state(|ui, s: &mut ApplicantScreen| s.show(ui), screen);
    let words = Words::new(match config.ui.language {
        Language::French => "fr",
        Language::English => "en",
    });
    Station {
        counter,
        h,
        applicant,
        seen: BTreeSet::new(),
        words,
    }
}

/// The station of `env` set up as at its first start, its first supervisor signed in, signed out
/// only after an hour idle: where the screen tests start.
pub fn signed_in(env: &Env) -> Station {
    let mut s = station(&env.config, Duration::from_secs(3600));
    s.first_start();
    s
}

impl Station {
    /// Steps frames until the core's view satisfies `ready`, then draws it.
    pub fn until(&mut self, what: &str, ready: impl Fn(&CounterView) -> bool) -> CounterView {
        let deadline = Instant::now() + WAIT;
        loop {
            self.h.step();
            let view = self.counter.view();
            if ready(&view) {
                self.frames(3);
                return view;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}: {:?}",
                view.notice
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Notes what both windows show now.
    /// The supervisor (`chef`) approves every record waiting for one, through the core (the
    /// queue screen's form is tested on its own).
    pub fn approve_waiting(&mut self) {
        for row in self.counter.view().outbox.awaiting {
            self.counter.send(station::desk::Command::DecideReview {
                record_id: row.record_id,
                decision: station::outbox::review::Decision::Approve,
                supervisor: SUPERVISOR.into(),
                secret: SECRET.into(),
                reason: String::new(),
            });
        }
        self.until("every waiting record approved", |v| {
            v.outbox.awaiting.is_empty()
        });
    }

    pub fn remember_texts(&mut self) {
        let view = self.counter.view();
        let clerk_french = self.words.french();
        // Between applicants the applicant's window speaks the station's language.
        let applicant_french = view
            .enrolment
            .as_ref()
            .map_or(clerk_french, |e| e.applicant_language == Language::French);
        for text in visible_texts(&self.h) {
            self.seen.insert((false, clerk_french, text));
        }
        for text in visible_texts(&self.applicant) {
            self.seen.insert((true, applicant_french, text));
        }
    }

    /// What the windows showed that a person must not read: a locale key, a code name, a Rust
    /// `Debug` duration, English on a French window.
    pub fn misread(&self) -> Vec<String> {
        let written = written_words();
        let mut found = Vec::new();
        for (applicant, french, text) in &self.seen {
            for problem in problems(text, *french, &written) {
                let window = if *applicant { "applicant" } else { "clerk" };
                found.push(format!("{window}: {problem} in {text:?}"));
            }
        }
        found
    }

    /// Steps both windows `n` frames.
    pub fn frames(&mut self, n: usize) {
        self.h.run_steps(n);
        self.applicant.run_steps(1);
    }

    /// Presses `key` on the clerk's window. A key shown on more than one button of the screen would
    /// not do what each label says: that fails here.
    pub fn key(&mut self, key: egui::Key) {
        self.remember_texts();
        if let Some(shown) = key_label(key, &self.words) {
            let buttons: Vec<String> = self
                .h
                .query_all_by_label_contains(&shown)
                .filter_map(|n| n.accesskit_node().label())
                .filter(|l| l.ends_with(&shown))
                .collect();
            assert!(
                buttons.len() <= 1,
                "{shown} on several buttons: {buttons:?}"
            );
        }
        self.h.key_press(key);
        self.frames(3);
    }

    pub fn type_in(&mut self, label: &str, text: &str) {
        let field = self.h.get_by_label(label);
        if !field.is_focused() {
            field.focus();
            self.frames(2);
        }
        self.h.get_by_label(label).type_text(text);
        self.frames(2);
    }

    /// The clerk's window shows a text containing `text` (once or more: a case reference is in the
    /// queue's rows and in the notice that names it).
    pub fn shows(&self, text: &str) -> bool {
        self.h.query_all_by_label_contains(text).next().is_some()
    }

    /// The applicant's window shows a text containing `text`.
    pub fn applicant_sees(&self, text: &str) -> bool {
        self.applicant.query_by_label_contains(text).is_some()
    }

    pub fn step(&self) -> Option<Step> {
        self.counter.view().enrolment.map(|e| e.step)
    }

    pub fn clear(&mut self, label: &str) {
        self.h.get_by_label(label).focus();
        self.frames(2);
        for _ in 0..24 {
            self.h.key_press(egui::Key::Backspace);
        }
        self.frames(2);
    }

    pub fn sign_in(&mut self, name: &str, secret: &str) {
        let name_label = self.words.t("ui.sign_in.name").to_owned();
        self.clear(&name_label);
        self.type_in(&name_label, name);
        self.key(egui::Key::Enter);
        let secret_label = self.words.t("ui.sign_in.secret").to_owned();
        self.type_in(&secret_label, secret);
        self.key(egui::Key::Enter);
    }

    pub fn first_start(&mut self) {
        self.until("setup screen", |v| v.needs_first_supervisor);
        assert!(self.shows("Première mise en service"));
        self.type_in("Nom du compte", SUPERVISOR);
        self.key(egui::Key::Enter);
        self.type_in("Code (6 caractères au moins)", SECRET);
        self.key(egui::Key::Enter);
        self.type_in("Code, une seconde fois", SECRET);
        self.key(egui::Key::Enter);
        self.until("signed in", |v| v.operator.is_some());
        self.until("fingerprint module", |v| v.devices.fingerprint.ready);
        assert!(self.shows("Capteur d'empreintes : prêt"));
    }

    /// At the review of an identity card with prints: the applicant's answer to the storage
    /// question with its key (F4 accepts storage, F5 refuses it), seen on both windows. Nothing
    /// when the question is not asked.
    pub fn answer_storage(&mut self, refuse: bool) {
        let (key, answer) = if refuse {
            (
                egui::Key::F5,
                wire::fingerprint_storage::FingerprintStorage::Refused,
            )
        } else {
            (
                egui::Key::F4,
                wire::fingerprint_storage::FingerprintStorage::Kept,
            )
        };
        let asked = self.counter.view().enrolment.is_some_and(|e| {
            e.step == Step::Review
                && e.storage_question_asked()
                && e.fingerprint_storage != Some(answer)
        });
        if !asked {
            return;
        }
        self.key(key);
        self.until("the storage answer", |v| {
            v.enrolment
                .as_ref()
                .is_some_and(|e| e.fingerprint_storage == Some(answer))
        });
        self.frames(2);
    }

    /// From home: F2, type the number, Enter; waits for the answer.
    pub fn pre_request(&mut self, number: &str) -> CounterView {
        if self.shows(self.words.t("ui.home.new_enrolment")) {
            self.key(egui::Key::F2);
        }
        let number_label = self.words.t("ui.pre_request.number").to_owned();
        let field = self.h.get_by_label(&number_label);
        assert!(field.is_focused(), "the number field has the keyboard");
        // Clear what a previous try left.
        for _ in 0..12 {
            self.h.key_press(egui::Key::Backspace);
        }
        self.frames(2);
        self.type_in(&number_label, number);
        let before = self.counter.view().generation;
        self.key(egui::Key::Enter);
        self.until("pre-request answer", |v| {
            v.generation > before
                && v.busy.is_none()
                && v.enrolment
                    .as_ref()
                    .is_some_and(|e| e.pre_request.is_some() || e.pre_request_refusal.is_some())
        })
    }

    /// Confirms the content (Enter) and waits for the photo step's live preview.
    pub fn confirm(&mut self) {
        assert!(self.shows(self.words.t("ui.pre_request.content_title")));
        self.key(egui::Key::Enter);
        self.until_photo_step();
    }

    /// Waits for the photo step, the pre-request's content confirmed.
    pub fn until_photo_step(&mut self) -> CounterView {
        self.until("photo step", |v| {
            matches!(
                v.enrolment.as_ref().map(|e| &e.step),
                Some(Step::Photo { .. })
            )
        })
    }

    /// Abandons the enrolment through the core and waits for the next applicant's blank
    /// pre-request step, drawn.
    pub fn next_applicant(&mut self) {
        self.counter.send(station::desk::Command::CancelEnrolment);
        self.until("a blank enrolment", |v| {
            v.enrolment
                .as_ref()
                .is_some_and(|e| e.pre_request.is_none() && e.step == Step::PreRequest)
        });
        self.frames(3);
    }

    /// On the fingers step: distinct good fingers laid one after the other on `sensor` (the
    /// simulator's fingers `first_finger`, `first_finger + 1`, ...) until the review, drawn.
    pub fn fingers_to_the_review(&mut self, sensor: &SimControl, first_finger: u64) {
        let mut n = 0;
        while finger_step(&self.counter.view()).is_some() {
            sensor.place_finger(first_finger + n, 0);
            n += 1;
            self.capture();
        }
        self.until("review", |v| {
            v.enrolment.as_ref().is_some_and(|e| e.step == Step::Review)
        });
        self.frames(3);
    }

    /// Waits for the live preview of the photo step, on both windows.
    pub fn preview(&mut self) {
        self.until("live preview", |v| {
            v.enrolment.as_ref().is_some_and(|e| e.preview.is_some())
        });
        assert!(self.shows(self.words.t("ui.photo.live")));
    }

    /// Enter on the preview: the photo is taken and checked; returns whether it is compliant.
    pub fn shoot(&mut self) -> bool {
        self.key(egui::Key::Enter);
        let v = self.until("photo verdict", |v| {
            v.busy.is_none() && v.enrolment.as_ref().is_some_and(|e| e.photo.is_some())
        });
        let photo = v.enrolment.unwrap().photo.unwrap();
        if photo.compliant {
            assert!(self.shows(self.words.t("ui.photo.compliant")));
        } else {
            assert!(self.shows(self.words.t("ui.photo.not_compliant")));
            for reason in &photo.reasons {
                assert!(self.shows(reason), "reason shown: {reason}");
            }
        }
        photo.compliant
    }

    /// Waits for the step after the photo (fingers, or review for a child).
    pub fn after_the_photo(&mut self) {
        self.until("after the photo", |v| {
            matches!(
                v.enrolment.as_ref().map(|e| &e.step),
                Some(Step::Finger { .. } | Step::Review)
            )
        });
    }

    /// Confirm, preview, photo: accepted when compliant, on paper otherwise.
    pub fn confirm_and_photo(&mut self) {
        self.confirm();
        let title = self.words.t("ui.photo.title").replace("%{attempt}", "1");
        assert!(self.shows(&title));
        self.preview();
        if self.shoot() {
            self.key(egui::Key::Enter);
        } else {
            self.key(egui::Key::F7);
        }
        self.after_the_photo();
    }

    pub fn captures(&self) -> u32 {
        self.counter
            .view()
            .enrolment
            .map_or(0, |e| e.fingers.iter().map(|f| f.attempts).sum())
    }

    /// Enter on the fingers screen, then wait for the capture to be scored.
    pub fn capture(&mut self) -> CounterView {
        let before = self.captures();
        self.key(egui::Key::Enter);
        self.until("finger captured", |v| {
            v.enrolment
                .as_ref()
                .is_some_and(|e| e.fingers.iter().map(|f| f.attempts).sum::<u32>() > before)
        })
    }
}

/// The finger asked for and the try number, on the fingers step.
pub fn finger_step(v: &CounterView) -> Option<(FingerPosition, u32)> {
    match v.enrolment.as_ref().map(|e| &e.step) {
        Some(Step::Finger {
            position, attempt, ..
        }) => Some((*position, *attempt)),
        _ => None,
    }
}

/// How a key is written on the buttons ("[Entrée]"), for the keys that act on a screen.
fn key_label(key: egui::Key, words: &Words) -> Option<String> {
    use egui::Key;
    let name = match key {
        Key::Enter => words.t("ui.key.enter"),
        Key::Escape => words.t("ui.key.escape"),
        Key::F1 => "F1",
        Key::F2 => "F2",
        Key::F3 => "F3",
        Key::F4 => "F4",
        Key::F5 => "F5",
        Key::F6 => "F6",
        Key::F7 => "F7",
        Key::F8 => "F8",
        Key::F9 => "F9",
        Key::F12 => "F12",
        _ => return None,
    };
    Some(format!("[{name}]"))
}

/// A signature that passes the station's rules: a loop and an underline, in fractions of the pad.
pub fn a_signature() -> Vec<Vec<(f32, f32)>> {
    let loop_: Vec<(f32, f32)> = (0..24)
        .map(|i| {
            let a = i as f32 / 8.0 * std::f32::consts::TAU;
            (
                0.2 + i as f32 * 0.012 + 0.08 * a.cos(),
                0.45 + 0.2 * a.sin(),
            )
        })
        .collect();
    let underline: Vec<(f32, f32)> = (0..10).map(|i| (0.15 + i as f32 * 0.06, 0.8)).collect();
    vec![loop_, underline]
}

impl Station {
    /// At the review: the applicant signs [`a_signature`] with the pointer and the clerk validates
    /// it (F8). Every flow that seals an applicant of 12 or more goes through here: the review is
    /// not sealed without a signature or the clerk's "cannot sign". Nothing when the signature is
    /// not asked (under 12) or already settled.
    pub fn sign_if_asked(&mut self) {
        self.sign_if_asked_by(false);
    }

    /// [`Self::sign_if_asked`], drawn with the pointer or, when `touch`, with touch events that
    /// carry a force (a touch screen or a pen tablet).
    pub fn sign_if_asked_by(&mut self, touch: bool) {
        let asked = self.counter.view().enrolment.is_some_and(|e| {
            e.step == Step::Review
                && e.signature.asked
                && !e.signature.validated
                && e.signature.cannot_sign.is_none()
        });
        if !asked {
            return;
        }
        self.sign(&a_signature(), touch);
        self.key(egui::Key::F8);
        self.until("signature validated", |v| {
            v.enrolment.as_ref().is_some_and(|e| e.signature.validated)
        });
        self.frames(2);
    }

    /// Signs on the applicant's window, stroke by stroke, each point a fraction of the pad ("Cadre
    /// de signature"): with the pointer (a mouse or a pen seen as one: no force), or with touch
    /// events carrying a force (a touch screen or a pen tablet). Frames are stepped between points
    /// as a pen moves, then until the core holds every sample sent.
    pub fn sign(&mut self, strokes: &[Vec<(f32, f32)>], touch: bool) {
        // The applicant's window speaks the applicant's language.
        let rect = self
            .applicant
            .query_by_label("Cadre de signature")
            .unwrap_or_else(|| self.applicant.get_by_label("Signature box"))
            .rect();
        let at = |(x, y): (f32, f32)| {
            egui::pos2(
                rect.left() + x * rect.width(),
                rect.top() + y * rect.height(),
            )
        };
        let id = egui::TouchId::from(7_u64);
        let device = egui::TouchDeviceId(1);
        let touch_event = |phase, pos| egui::Event::Touch {
            device_id: device,
            id,
            phase,
            pos,
            force: Some(0.6),
        };
        let mut expected = self.counter.view().enrolment.map_or(0, |e| {
            e.signature.strokes.iter().map(Vec::len).sum::<usize>()
        });
        for stroke in strokes {
            let Some((first, rest)) = stroke.split_first() else {
                continue;
            };
            if touch {
                self.applicant
                    .event(touch_event(egui::TouchPhase::Start, at(*first)));
            } else {
                self.applicant.event(egui::Event::PointerMoved(at(*first)));
                self.applicant.event(egui::Event::PointerButton {
                    pos: at(*first),
                    button: egui::PointerButton::Primary,
                    pressed: true,
                    modifiers: egui::Modifiers::NONE,
                });
            }
            self.applicant.step();
            for point in rest {
                if touch {
                    self.applicant
                        .event(touch_event(egui::TouchPhase::Move, at(*point)));
                } else {
                    self.applicant.event(egui::Event::PointerMoved(at(*point)));
                }
                self.applicant.step();
            }
            let last = at(*stroke.last().unwrap_or(first));
            if touch {
                self.applicant
                    .event(touch_event(egui::TouchPhase::End, last));
            } else {
                self.applicant.event(egui::Event::PointerButton {
                    pos: last,
                    button: egui::PointerButton::Primary,
                    pressed: false,
                    modifiers: egui::Modifiers::NONE,
                });
            }
            self.applicant.step();
            // Each point once, and the release once more at the last point.
            expected += stroke.len() + 1;
        }
        self.until("the ink reached the core", |v| {
            v.enrolment.as_ref().is_some_and(|e| {
                e.signature.strokes.iter().map(Vec::len).sum::<usize>() >= expected
            })
        });
    }
}
