//! The screens on views built by hand (no core): what they show and the commands they send when
//! the clerk types and clicks. The whole flow against the real core is in `ui_enrolment.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use eframe::egui;
use egui_kittest::{Harness, kittest::Queryable};
use station::{
    desk::{
        CapturePrompt, CentralStatus, Command, CounterView, EnrolmentView, FingerResult,
        LiveCapture, Notice, PhotoResult, Picture,
    },
    enrolment::{ExceptionReason, FingerPosition, Step},
    language::Language,
    operators::{Role, SignedIn},
    ui::{AppSettings, ApplicantScreen, CounterLink, StationApp},
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
        id: 1,
        applicant_language: Language::French,
        step: Step::PreRequest,
        pre_request: None,
        pre_request_refusal: None,
        applicant_confirmed: false,
        paper_form: None,
        physical: station::desk::PhysicalView::default(),
        tax_stamp: station::desk::TaxStampView::default(),
        exempt: false,
        preview: None,
        qr: station::desk::QrReadingView::default(),
        photo: None,
        photo_on_paper: false,
        fingers: Vec::new(),
        live: None,
        can_keep_finger: false,
        countdown: None,
        same_finger_alert: None,
        fingerprint_storage: None,
        receipt: None,
        signature: Default::default(),
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
            sign_in_hints: Some(station_demo::accounts::sign_in_hints()),
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
            picture: Some(grey(9)),
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

/// An applicant at the photo step (pre-request confirmed), in the enrolment numbered `id`.
fn photo_step(id: u64, attempt: u32) -> EnrolmentView {
    let mut e = blank_enrolment();
    e.id = id;
    e.applicant_confirmed = true;
    e.step = Step::Photo { attempt };
    e
}

fn previews_asked(commands: &[Command]) -> usize {
    commands
        .iter()
        .filter(|c| matches!(c, Command::StartPreview))
        .count()
}

#[test]
fn every_applicant_gets_the_live_preview_not_only_the_first() {
    let link = Arc::new(Recorder::default());
    link.set(|v| {
        v.operator = clerk();
        v.enrolment = Some(photo_step(1, 1));
    });
    let mut h = harness(&link, settings());
    h.run_steps(3);
    assert_eq!(previews_asked(&link.take()), 1, "first applicant");
    // The next applicant reaches the photo step: the core opened another enrolment.
    link.set(|v| v.enrolment = Some(photo_step(2, 1)));
    h.run_steps(3);
    assert_eq!(previews_asked(&link.take()), 1, "second applicant");
    assert!(h.query_by_label_contains("Démarrage de l'aperçu").is_some());
}

#[test]
fn a_refused_photo_shows_its_verdict_and_enter_brings_the_preview_back() {
    let link = Arc::new(Recorder::default());
    link.set(|v| {
        v.operator = clerk();
        // A refused photo has moved the session on to the second attempt.
        let mut e = photo_step(1, 2);
        e.photo = Some(PhotoResult {
            picture: grey(3),
            kept: None,
            compliant: false,
            reasons: vec!["Le visage est trop petit.".into()],
            checks: vec![
                ("Visage détecté".into(), true),
                ("Taille du visage".into(), false),
            ],
            attempt: 1,
        });
        v.enrolment = Some(e);
    });
    let mut h = harness(&link, settings());
    h.run_steps(3);
    assert!(h.query_by_label_contains("Photo (prise n° 1)").is_some());
    assert!(h.query_by_label("Photo non conforme").is_some());
    assert!(
        h.query_by_label_contains("Le visage est trop petit.")
            .is_some()
    );
    assert!(
        h.query_by_label("Taille du visage").is_some(),
        "every check listed"
    );
    assert!(h.query_by_label("à revoir").is_some());
    assert!(h.query_by_label("conforme").is_some());
    assert_eq!(
        previews_asked(&link.take()),
        0,
        "the verdict waits for the clerk"
    );
    h.key_press(egui::Key::Enter);
    h.run_steps(2);
    assert_eq!(link.take(), vec![Command::RetakePhoto]);
    // The core puts the photo away: the preview of the second attempt is asked.
    link.set(|v| v.enrolment.as_mut().unwrap().photo = None);
    h.run_steps(3);
    assert!(h.query_by_label_contains("Photo (prise n° 2)").is_some());
    assert_eq!(previews_asked(&link.take()), 1);
}

#[test]
fn the_next_applicant_starts_from_an_empty_number_field() {
    let link = Arc::new(Recorder::default());
    link.set(|v| {
        v.operator = clerk();
        v.enrolment = Some(blank_enrolment());
    });
    let mut h = harness(&link, settings());
    h.run_steps(2);
    h.key_press(egui::Key::F2);
    h.run_steps(2);
    h.get_by_label("Numéro de pré-demande")
        .type_text("DEMO000001");
    h.run_steps(2);
    assert_eq!(
        h.get_by_label("Numéro de pré-demande").value().as_deref(),
        Some("DEMO000001")
    );
    // Abandoned: the core opens a fresh enrolment for the next applicant.
    link.set(|v| {
        let mut e = blank_enrolment();
        e.id = 2;
        v.enrolment = Some(e);
    });
    h.run_steps(2);
    h.key_press(egui::Key::F2);
    h.run_steps(2);
    assert_eq!(
        h.get_by_label("Numéro de pré-demande").value().as_deref(),
        Some(""),
        "nothing of the previous applicant in the field"
    );
}

#[test]
fn a_notice_stays_on_the_page_where_it_was_raised() {
    let link = Arc::new(Recorder::default());
    let abandoned =
        "Enrôlement abandonné : rien n'a été enregistré, la pré-demande reste utilisable.";
    link.set(|v| {
        v.operator = clerk();
        v.enrolment = Some(blank_enrolment());
        v.notice = Some(Notice {
            serial: 1,
            error: false,
            text: abandoned.into(),
        });
    });
    let mut h = harness(&link, settings());
    h.run_steps(2);
    assert!(
        h.query_by_label(abandoned).is_some(),
        "shown where it happened"
    );
    h.key_press(egui::Key::F2);
    h.run_steps(2);
    assert!(
        h.query_by_label(abandoned).is_none(),
        "not carried to the next screen"
    );
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    assert!(h.query_by_label(abandoned).is_none(), "nor back home");
    // A new notice shows where the clerk is now.
    link.set(|v| {
        v.notice = Some(Notice {
            serial: 2,
            error: true,
            text: "Lecteur d'empreintes non prêt.".into(),
        });
    });
    h.run_steps(2);
    assert!(h.query_by_label("Lecteur d'empreintes non prêt.").is_some());
}

#[test]
fn a_child_under_12_sees_the_fingers_step_as_not_needed_not_done() {
    let link = Arc::new(Recorder::default());
    link.set(|v| {
        v.operator = clerk();
        let mut e = blank_enrolment();
        e.applicant_confirmed = true;
        e.exempt = true;
        e.photo_on_paper = true;
        e.step = Step::Review;
        v.enrolment = Some(e);
    });
    let mut h = harness(&link, settings());
    h.run_steps(2);
    assert!(
        h.query_by_label("3. Empreintes : sans objet (moins de 12 ans)")
            .is_some()
    );
    assert!(h.query_by_label("3. Empreintes : fait").is_none());
    assert!(h.query_by_label("2. Photo : fait").is_some());
}

#[test]
fn home_says_whether_the_national_service_answers_and_names_steps_for_people() {
    let link = Arc::new(Recorder::default());
    link.set(|v| {
        v.operator = clerk();
        v.today.enrolments = 3;
        for (step, ms) in [
            ("pre_request", 4_200),
            ("photo", 31_000),
            ("fingers", 48_000),
            ("review", 12_000),
            ("enqueue", 1),
            ("finger_transfer", 6_600),
            ("machine", 210),
            ("photo_checks", 80),
            ("pre_request_fetch", 3),
            ("quality_check", 40),
            ("transfer", 14_000),
        ] {
            v.today.median_ms.insert(step.into(), ms);
        }
    });
    let mut h = harness(&link, settings());
    h.run_steps(2);
    assert!(
        h.query_by_label("Service national : vérification en cours…")
            .is_some()
    );
    assert!(h.query_by_label("Photo (médiane)").is_some());
    assert!(h.query_by_label("31,0 s").is_some(), "French decimal comma");
    for raw in [
        "enqueue",
        "finger_transfer",
        "machine",
        "photo_checks",
        "pre_request_fetch",
        "quality_check",
        "transfer",
    ] {
        assert!(h.query_by_label(raw).is_none(), "raw name on screen: {raw}");
    }
    link.set(|v| v.devices.central = CentralStatus::Reachable);
    h.run_steps(2);
    assert!(h.query_by_label("Service national joignable").is_some());
    link.set(|v| v.devices.central = CentralStatus::Unreachable);
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("Service national injoignable")
            .is_some()
    );
    // F5 asks the core to look again.
    h.key_press(egui::Key::F5);
    h.run_steps(2);
    assert!(link.take().contains(&Command::Refresh));
}

#[test]
fn enter_on_an_incomplete_number_says_what_is_missing() {
    let link = Arc::new(Recorder::default());
    link.set(|v| {
        v.operator = clerk();
        v.enrolment = Some(blank_enrolment());
    });
    let mut h = harness(&link, settings());
    h.run_steps(2);
    h.key_press(egui::Key::F2);
    h.run_steps(2);
    h.get_by_label("Numéro de pré-demande").type_text("DEMO00");
    h.run_steps(2);
    assert!(h.query_by_label("6 caractère(s) sur 10").is_some());
    h.key_press(egui::Key::Enter);
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("Numéro incomplet : il manque 4 caractère(s)")
            .is_some()
    );
    assert!(
        link.take().is_empty(),
        "nothing sent for an incomplete number"
    );
}

#[test]
fn f10_turns_the_applicants_window_to_english_for_this_applicant() {
    let link = Arc::new(Recorder::default());
    link.set(|v| {
        v.operator = clerk();
        v.enrolment = Some(photo_step(1, 1));
    });
    let mut h = harness(&link, settings());
    let mut applicant = Harness::builder().with_size([800.0, 600.0]).build_ui_state(
        |ui, s: &mut ApplicantScreen| s.show(ui),
        ApplicantScreen::new(Arc::clone(&link), Language::French),
    );
    h.run_steps(2);
    applicant.run_steps(2);
    assert!(
        applicant
            .query_by_label_contains("Regardez l'objectif")
            .is_some()
    );
    assert!(
        h.query_by_label("Écran de l'usager en anglais  [F10]")
            .is_some()
    );
    link.take();
    h.key_press(egui::Key::F10);
    h.run_steps(2);
    assert_eq!(
        link.take(),
        vec![Command::ApplicantLanguage(Language::English)]
    );
    link.set(|v| v.enrolment.as_mut().unwrap().applicant_language = Language::English);
    h.run_steps(2);
    applicant.run_steps(2);
    assert!(
        applicant
            .query_by_label_contains("Look at the lens")
            .is_some()
    );
    assert!(
        h.query_by_label("Écran de l'usager en français  [F10]")
            .is_some(),
        "the clerk's screen stays in French"
    );
    assert!(h.query_by_label_contains("Photo (prise n° 1)").is_some());
}

/// The camera's reading of the pre-request's QR code on the pre-request screen: F4 asks for it,
/// while it reads Escape stops it (and only it: the wizard's own Escape steps aside), the
/// problem is shown in red, and the English setting speaks English.
#[test]
fn the_qr_code_reading_has_its_keys_and_its_words_in_both_languages() {
    for (language, read, stop, reading_title, problem) in [
        (
            Language::French,
            "Lire le QR code  [F4]",
            "Arrêter la lecture  [Échap]",
            "Lecture du QR code de la pré-demande",
            "Aucun QR code lu en 10 secondes",
        ),
        (
            Language::English,
            "Read the QR code  [F4]",
            "Stop reading  [Esc]",
            "Reading the pre-request's QR code",
            "No QR code read in 10 seconds",
        ),
    ] {
        let link = Arc::new(Recorder::default());
        link.set(|v| {
            v.operator = clerk();
            v.enrolment = Some(blank_enrolment());
        });
        let mut h = harness(
            &link,
            AppSettings {
                language,
                ..settings()
            },
        );
        h.run_steps(2);
        h.key_press(egui::Key::F2);
        h.run_steps(3);
        assert!(h.query_by_label(read).is_some(), "{language:?}");
        link.take();
        h.key_press(egui::Key::F4);
        h.run_steps(2);
        assert!(
            link.take().iter().any(|c| matches!(c, Command::ReadQrCode)),
            "{language:?}: F4 asks for the reading"
        );

        link.set(|v| v.enrolment.as_mut().unwrap().qr.reading = true);
        h.run_steps(2);
        assert!(h.query_by_label(stop).is_some(), "{language:?}");
        assert!(h.query_by_label_contains(reading_title).is_some());
        assert!(h.query_by_label(read).is_none());
        h.key_press(egui::Key::Escape);
        h.run_steps(2);
        let sent = link.take();
        assert!(sent.iter().any(|c| matches!(c, Command::StopQrCode)));
        assert!(
            !sent.iter().any(|c| matches!(c, Command::CancelEnrolment)),
            "{sent:?}"
        );

        link.set(|v| {
            let e = v.enrolment.as_mut().unwrap();
            e.qr.reading = false;
            e.qr.problem = Some(format!("{problem} …"));
        });
        h.run_steps(2);
        assert!(h.query_by_label_contains(problem).is_some(), "{language:?}");
        assert!(h.query_by_label(read).is_some());
    }
}
