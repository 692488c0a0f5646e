//! The screens on views built by hand (no core): what they show and the commands they send when
//! the clerk types and clicks. The whole flow against the real core is in `ui_enrolment.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use eframe::egui;
use egui_kittest::{Harness, kittest::Queryable};
use station::{
    counter::{
        CapturePrompt, Command, CounterView, EnrolmentView, FingerResult, LiveCapture, Picture,
    },
    enrolment::{ExceptionReason, FingerPosition, Step},
    language::Language,
    operators::{Role, SignedIn},
    ui::{AppSettings, CounterLink, StationApp},
};

/// A core stand-in: the view is set by the test, the commands are recorded.
#[derive(Default)]
struct Recorder {
    view: Mutex<CounterView>,
    sent: Mutex<Vec<Command>>,
}

impl CounterLink for Recorder {
    fn send(&self, command: Command) -> bool {
        self.sent.lock().unwrap().push(command);
        true
    }
    fn view(&self) -> CounterView {
        self.view.lock().unwrap().clone()
    }
}

impl Recorder {
    fn set(&self, change: impl FnOnce(&mut CounterView)) {
        let mut view = self.view.lock().unwrap();
        change(&mut view);
        view.generation += 1;
    }
    fn take(&self) -> Vec<Command> {
        std::mem::take(&mut *self.sent.lock().unwrap())
    }
}

fn settings() -> AppSettings {
    AppSettings {
        applicant_window: false,
        ..AppSettings::default()
    }
}

fn harness(link: &Arc<Recorder>, settings: AppSettings) -> Harness<'static, StationApp> {
    let app = StationApp::new(Arc::clone(link), settings, Instant::now());
    Harness::builder()
        .with_size([1100.0, 800.0])
        .build_ui_state(|ui, app: &mut StationApp| app.show(ui), app)
}

fn clerk() -> Option<SignedIn> {
    Some(SignedIn {
        name: "agent".into(),
        role: Role::Clerk,
    })
}

fn blank_enrolment() -> EnrolmentView {
    EnrolmentView {
        step: Step::PreRequest,
        pre_request: None,
        pre_request_refusal: None,
        applicant_confirmed: false,
        exempt: false,
        preview: None,
        photo: None,
        photo_on_paper: false,
        fingers: Vec::new(),
        live: None,
        same_finger_alert: None,
        receipt: None,
    }
}

fn grey(id: u64) -> Picture {
    Picture {
        id,
        width: 256,
        height: 288,
        channels: 1,
        pixels: Arc::new(vec![128; 256 * 288]),
    }
}

#[test]
fn sign_in_is_typed_and_sent_with_enter_and_the_demo_hints_show() {
    let link = Arc::new(Recorder::default());
    let mut h = harness(
        &link,
        AppSettings {
            demo_hints: true,
            ..settings()
        },
    );
    h.run_steps(2);
    assert!(h.query_by_label_contains("DEMO000001").is_some());
    assert!(h.query_by_label_contains("agent / 123456").is_some());
    // The name field has the keyboard at once.
    h.get_by_label("Nom du compte").type_text("agent");
    h.key_press(egui::Key::Enter);
    h.run_steps(2);
    h.get_by_label("Code").type_text("123456");
    h.key_press(egui::Key::Enter);
    h.run_steps(2);
    assert_eq!(
        link.take(),
        vec![Command::SignIn {
            name: "agent".into(),
            secret: "123456".into()
        }]
    );
    link.set(|v| v.sign_in_error = Some("Nom de compte ou code incorrect.".into()));
    h.run_steps(2);
    assert!(
        h.query_by_label("Nom de compte ou code incorrect.")
            .is_some()
    );
}

#[test]
fn the_pre_request_field_has_the_keyboard_folds_to_upper_case_and_checks_as_typed() {
    let link = Arc::new(Recorder::default());
    link.set(|v| {
        v.operator = clerk();
        v.enrolment = Some(blank_enrolment());
    });
    let mut h = harness(&link, settings());
    h.run_steps(2);
    // Home first; F2 (shown on the button) opens the wizard.
    assert!(h.query_by_label_contains("Nouvel enrôlement").is_some());
    h.key_press(egui::Key::F2);
    h.run_steps(3);
    let field = h.get_by_label("Numéro de pré-demande");
    assert!(
        field.is_focused(),
        "the number field has the keyboard when the wizard opens"
    );
    field.type_text("demo-1");
    h.run_steps(2);
    assert_eq!(
        h.get_by_label("Numéro de pré-demande").value().as_deref(),
        Some("DEMO-1")
    );
    assert!(
        h.query_by_label_contains("Caractère « - » non autorisé")
            .is_some()
    );
    // Enter with a malformed number sends nothing.
    h.key_press(egui::Key::Enter);
    h.run_steps(2);
    assert!(link.take().is_empty());

    h.get_by_label("Numéro de pré-demande").focus();
    h.run_steps(1);
    for _ in 0..6 {
        h.key_press(egui::Key::Backspace);
    }
    h.get_by_label("Numéro de pré-demande")
        .type_text("demo00000");
    h.run_steps(2);
    assert!(h.query_by_label_contains("9 caractère(s) sur 10").is_some());
    h.get_by_label("Numéro de pré-demande").type_text("1");
    h.run_steps(2);
    assert!(h.query_by_label_contains("numéro bien formé").is_some());
    h.key_press(egui::Key::Enter);
    h.run_steps(2);
    assert_eq!(
        link.take(),
        vec![Command::LoadPreRequest {
            number: "DEMO000001".into()
        }]
    );

    link.set(|v| {
        let e = v.enrolment.as_mut().unwrap();
        e.pre_request_refusal = Some("Cette pré-demande a expiré.".into());
    });
    h.run_steps(2);
    assert!(h.query_by_label("Cette pré-demande a expiré.").is_some());
}

fn finger_view(link: &Recorder) {
    link.set(|v| {
        v.operator = clerk();
        let mut e = blank_enrolment();
        e.applicant_confirmed = true;
        e.step = Step::Finger {
            position: FingerPosition::LeftIndex,
            attempt: 2,
            max_attempts: 3,
            best_quality: Some(31),
        };
        e.fingers = vec![FingerResult {
            position: FingerPosition::LeftIndex,
            attempts: 1,
            best: Some(grey(7)),
            best_quality: Some(31),
            last_quality: Some(31),
            advice: Some("Appuyez un peu plus fort.".into()),
            below_threshold: false,
            exception: None,
            settled: false,
        }];
        v.enrolment = Some(e);
    });
}

#[test]
fn a_finger_shows_its_quality_against_the_threshold_and_enter_captures_again() {
    let link = Arc::new(Recorder::default());
    finger_view(&link);
    let mut h = harness(&link, settings());
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("Index gauche (prise 2 sur 3)")
            .is_some()
    );
    assert!(h.query_by_label("Qualité 31 (seuil 40)").is_some());
    assert!(h.query_by_label("Appuyez un peu plus fort.").is_some());
    h.key_press(egui::Key::Enter);
    h.run_steps(2);
    assert_eq!(link.take(), vec![Command::CaptureFinger]);

    link.set(|v| {
        v.enrolment.as_mut().unwrap().live = Some(LiveCapture {
            position: FingerPosition::LeftIndex,
            prompt: CapturePrompt::Reading,
            instruction: "Ne bougez plus".into(),
            progress: 0.5,
        });
    });
    h.run_steps(2);
    assert!(h.query_by_label("Ne bougez plus").is_some());
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    assert_eq!(link.take(), vec![Command::CancelCapture]);
}

#[test]
fn a_finger_exception_needs_a_reason_chosen_from_the_list() {
    let link = Arc::new(Recorder::default());
    finger_view(&link);
    let mut h = harness(&link, settings());
    h.run_steps(2);
    h.key_press(egui::Key::F8);
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("Pourquoi ce doigt (index gauche)")
            .is_some()
    );
    // Enter does nothing until a reason is chosen.
    h.key_press(egui::Key::Enter);
    h.run_steps(2);
    assert!(link.take().is_empty());
    h.get_by_label("2. Pansement ou plâtre").click();
    h.run_steps(2);
    h.get_by_label_contains("Enregistrer l'exception").click();
    h.run_steps(2);
    assert_eq!(
        link.take(),
        vec![Command::FingerException(ExceptionReason::Bandaged)]
    );
}

#[test]
fn the_clerk_is_signed_out_after_the_idle_time_and_not_before() {
    let link = Arc::new(Recorder::default());
    finger_view(&link);
    let mut h = harness(
        &link,
        AppSettings {
            idle_sign_out: Duration::from_secs(10),
            ..settings()
        },
    );
    // kittest steps egui's clock by 1/4 s per frame (no input at all).
    h.run_steps(4 * 9);
    assert!(link.take().is_empty(), "not signed out after 9 s");
    h.run_steps(4 * 2);
    assert_eq!(link.take(), vec![Command::SignOut { idle: true }]);
}

#[test]
fn english_by_setting() {
    let link = Arc::new(Recorder::default());
    finger_view(&link);
    let mut h = harness(
        &link,
        AppSettings {
            language: Language::English,
            ..settings()
        },
    );
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("Left index (take 2 of 3)")
            .is_some()
    );
    assert!(h.query_by_label("Quality 31 (threshold 40)").is_some());
}
