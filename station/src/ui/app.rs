//! The app: picks the screen from the view, collects the commands the screens emit and sends them
//! in one place after the frame, runs the idle timer and the applicant's window.

use std::time::{Duration, Instant};

use eframe::egui::{self, Key, RichText};

use super::{
    CounterLink, applicant, cx::Cx, fingers::FingersScreen, home, idle::IdleTimer, keys,
    photo::PhotoScreen, pictures::Pictures, pre_request::PreRequestScreen, queue::QueueScreen,
    receipt, review, settings::AppSettings, setup::SetupScreen, sign_in::SignInScreen, texts::Tr,
    widgets,
};
use crate::{
    desk::{CapturePrompt, Command, CounterView, EnrolmentView, Notice},
    enrolment::Step,
    language::Language,
};

/// The clerk's window title.
pub const APP_TITLE: &str = "Dispositif de recueil";

/// Where the clerk is when no enrolment is under way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Page {
    Home,
    Enrol,
    Queue,
    /// The technician area (technician and supervisor accounts).
    Technician,
    /// The handover (remise) fingerprint check.
    Handover,
}

/// The station's app, for eframe (one window for the clerk, one for the applicant) and for
/// egui_kittest (call [`StationApp::show`] with the harness's `Ui`).
pub struct StationApp {
    link: Box<dyn CounterLink>,
    settings: AppSettings,
    tr: Tr,
    page: Page,
    setup: SetupScreen,
    sign_in: SignInScreen,
    pre_request: PreRequestScreen,
    photo: PhotoScreen,
    fingers: FingersScreen,
    queue: QueueScreen,
    tour: super::tour::TourPanel,
    technician: super::technician::TechnicianScreen,
    handover: super::handover::HandoverScreen,
    pictures: Pictures,
    idle: IdleTimer,
    confirm_cancel: bool,
    /// The abandon question was just asked: scroll it into view on its first frame (a long step
    /// on a small screen puts it below the fold, where a second Escape would answer it unseen).
    show_cancel_question: bool,
    /// The enrolment the screens' own state belongs to (a typed number, the photo attempt whose
    /// preview was asked): when the core opens another, that state is dropped.
    applicant: Option<u64>,
    /// The notice on screen and the page it was raised on (`None` once the clerk left that page):
    /// a notice is not carried to other pages, nor shown again on coming back.
    notice_raised_on: Option<(u64, Option<Page>)>,
    send_failed: bool,
    launched: Instant,
    first_screen: Option<Duration>,
    frames: FrameClock,
    styled: bool,
}

impl std::fmt::Debug for StationApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StationApp")
            .field("page", &self.page)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl StationApp {
    /// An app on `link`. `launched` is when the process started (for the launch-time log line).
    pub fn new(link: impl CounterLink + 'static, settings: AppSettings, launched: Instant) -> Self {
        Self {
            link: Box::new(link),
            tr: Tr(settings.language),
            settings,
            page: Page::Home,
            setup: SetupScreen::default(),
            sign_in: SignInScreen::default(),
            pre_request: PreRequestScreen::default(),
            photo: PhotoScreen::default(),
            fingers: FingersScreen::default(),
            queue: QueueScreen::default(),
            tour: super::tour::TourPanel::default(),
            technician: super::technician::TechnicianScreen::default(),
            handover: super::handover::HandoverScreen::default(),
            pictures: Pictures::default(),
            idle: IdleTimer::default(),
            confirm_cancel: false,
            show_cancel_question: false,
            applicant: None,
            notice_raised_on: None,
            send_failed: false,
            launched,
            first_screen: None,
            frames: FrameClock::default(),
            styled: false,
        }
    }

    /// Time from launch to the first frame that showed the sign-in (or setup) screen.
    pub fn launch_to_sign_in(&self) -> Option<Duration> {
        self.first_screen
    }

    /// Draws one frame of the whole app into `ui` and sends what the screens asked.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let started = Instant::now();
        if !self.styled {
            // The counter's fonts, type scale and colours (ui/theme.rs).
            super::theme::apply(ui.ctx());
            self.styled = true;
        }
        let view = self.link.view();
        let mut asks = Vec::new();
        self.pictures.next_frame();

        if self.idle.expired(
            ui.ctx(),
            view.operator.is_some(),
            self.settings.idle_sign_out,
        ) {
            tracing::info!(
                minutes = self.settings.idle_sign_out.as_secs() / 60,
                "clerk signed out for inactivity"
            );
            asks.push(Command::SignOut { idle: true });
        }

        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                self.screen(ui, &view, &mut asks);
            });
        });

        if self.settings.applicant_window {
            applicant::show(ui.ctx(), &view, self.tr, &mut self.pictures, &mut asks);
        }

        if self.first_screen.is_none() && (view.operator.is_none()) {
            let elapsed = self.launched.elapsed();
            self.first_screen = Some(elapsed);
            tracing::info!(
                launch_to_sign_in_ms = elapsed.as_millis() as u64,
                "first screen shown"
            );
        }

        for command in asks {
            tracing::debug!(command = command.name(), "command from the screens");
            if !self.link.send(command) {
                self.send_failed = true;
                tracing::warn!("the counter core did not take a command");
            }
        }
        self.frames.record(started.elapsed());
    }

    fn screen(&mut self, ui: &mut egui::Ui, view: &CounterView, asks: &mut Vec<Command>) {
        // The textures and the settings are lent to the screens for the frame.
        let mut pictures = std::mem::take(&mut self.pictures);
        let settings = self.settings.clone();
        let mut cx = Cx {
            view,
            tr: self.tr,
            settings: &settings,
            pictures: &mut pictures,
            asks,
        };
        self.screen_in(ui, view, &mut cx);
        self.pictures = pictures;
    }

    fn screen_in(&mut self, ui: &mut egui::Ui, view: &CounterView, cx: &mut Cx<'_>) {
        self.forget_previous_applicant(view);
        if self.send_failed {
            ui.label(RichText::new(cx.tr.t("ui.app.core_gone")).color(widgets::RED));
        }
        if view.needs_first_supervisor {
            self.setup.show(ui, cx);
            return;
        }
        let Some(operator) = view.operator.clone() else {
            self.page = Page::Home;
            self.confirm_cancel = false;
            self.sign_in.show(ui, cx);
            return;
        };

        // The bar on top of every signed-in screen.
        let in_progress = view.enrolment.as_ref().is_some_and(started);
        ui.horizontal(|ui| {
            ui.label(RichText::new(APP_TITLE).strong().size(super::theme::BODY));
            ui.separator();
            ui.label(cx.tr.with(
                "ui.app.signed_in_as",
                &[
                    ("name", &operator.name),
                    ("role", &cx.tr.t(role_key(operator.role))),
                ],
            ));
            ui.separator();
            if !in_progress {
                if page_asked(ui, cx, "ui.app.home", Key::F1, self.page != Page::Home) {
                    self.page = Page::Home;
                }
                if page_asked(ui, cx, "ui.app.queue", Key::F3, self.page != Page::Queue) {
                    self.page = Page::Queue;
                    self.queue.focus = true;
                }
                let elsewhere = self.page != Page::Handover;
                if operator.role.may_enrol()
                    && page_asked(ui, cx, "handover.ui.open", Key::F7, elsewhere)
                    && elsewhere
                {
                    self.page = Page::Handover;
                    self.handover.focus = true;
                }
                let elsewhere = self.page != Page::Technician;
                if operator.role.may_calibrate()
                    && page_asked(ui, cx, "technician.open", Key::F6, elsewhere)
                {
                    self.page = Page::Technician;
                }
            }
            if widgets::button(ui, cx.tr, &cx.tr.t("ui.app.sign_out"), "F12", true)
                || keys::pressed(ui, Key::F12)
            {
                cx.asks.push(Command::SignOut { idle: false });
            }
        });
        ui.separator();
        if let Some(notice) = self.notice_here(view, in_progress) {
            widgets::notice(ui, notice);
        }
        if let Some(busy) = &view.busy {
            widgets::busy(ui, busy);
        }

        if self.page != Page::Handover && view.handover.is_some() {
            // Left by another button: a wait for the applicant's finger is not left running.
            cx.asks.push(Command::CloseHandover);
        }
        match view.enrolment.as_ref() {
            Some(enrolment) if in_progress => {
                self.wizard(ui, enrolment, cx);
            }
            _ => {
                self.confirm_cancel = false;
                match self.page {
                    Page::Home => {
                        if home::show(ui, cx) {
                            self.page = Page::Enrol;
                            self.pre_request.focus = true;
                        }
                        self.tour.show(ui, cx);
                    }
                    Page::Queue => self.queue.show(ui, cx),
                    Page::Technician => self.technician.show(ui, cx),
                    Page::Handover => {
                        if self.handover.show(ui, cx) {
                            self.page = Page::Home;
                        }
                    }
                    Page::Enrol => match view.enrolment.as_ref() {
                        Some(enrolment) => self.wizard(ui, enrolment, cx),
                        None => {
                            ui.label(cx.tr.t("ui.app.may_not_enrol"));
                        }
                    },
                }
            }
        }
    }

    /// Drops what the screens held for an applicant once the core has opened another enrolment
    /// (next applicant, abandon, sign-out): the next applicant never sees the previous one's data.
    fn forget_previous_applicant(&mut self, view: &CounterView) {
        let current = view.enrolment.as_ref().map(|e| e.id);
        if current == self.applicant {
            return;
        }
        self.applicant = current;
        self.pre_request.forget_applicant();
        self.photo = PhotoScreen::default();
        self.fingers = FingersScreen::default();
        self.confirm_cancel = false;
    }

    /// The core's notice, while the clerk has not left the page where it was raised.
    fn notice_here<'v>(&mut self, view: &'v CounterView, in_progress: bool) -> Option<&'v Notice> {
        let notice = view.notice.as_ref()?;
        // The wizard stays on screen over every page while an enrolment is under way.
        let page = if in_progress { Page::Enrol } else { self.page };
        let raised_on = match self.notice_raised_on {
            Some((serial, raised_on)) if serial == notice.serial => raised_on,
            _ => Some(page),
        };
        let here = raised_on == Some(page);
        self.notice_raised_on = Some((notice.serial, raised_on.filter(|_| here)));
        here.then_some(notice)
    }

    fn wizard(&mut self, ui: &mut egui::Ui, enrolment: &EnrolmentView, cx: &mut Cx<'_>) {
        steps_bar(ui, enrolment, cx.tr);
        applicant_language(ui, enrolment, cx);
        ui.add_space(6.0);
        if let Some(alert) = &enrolment.same_finger_alert {
            ui.label(
                RichText::new(alert)
                    .color(widgets::RED)
                    .size(super::theme::BODY)
                    .strong(),
            );
        }
        match &enrolment.step {
            Step::PreRequest => self.pre_request.show(ui, enrolment, cx),
            Step::Photo { attempt } => self.photo.show(ui, enrolment, *attempt, cx),
            Step::Finger {
                position,
                attempt,
                max_attempts,
                best_quality,
            } => self.fingers.show(
                ui,
                enrolment,
                super::fingers::Current {
                    position: *position,
                    attempt: *attempt,
                    max_attempts: *max_attempts,
                    best_quality: *best_quality,
                },
                cx,
            ),
            Step::Review => review::show(ui, enrolment, cx),
            Step::Sealed => {
                if receipt::show(ui, enrolment, cx) {
                    self.page = Page::Enrol;
                    self.pre_request.focus = true;
                    self.pre_request.number.clear();
                }
            }
        }
        // Below the step, so that the step's own Escape (stop a capture, close the reason
        // chooser) is handled first.
        if enrolment.step != Step::Sealed {
            ui.add_space(16.0);
            ui.separator();
            self.cancel_row(ui, enrolment, cx);
        }
    }

    /// "Abandon": asked twice, Escape twice works too.
    fn cancel_row(&mut self, ui: &mut egui::Ui, enrolment: &EnrolmentView, cx: &mut Cx<'_>) {
        let capturing = enrolment
            .live
            .as_ref()
            .is_some_and(|l| l.prompt != CapturePrompt::LiftFinger);
        if capturing || enrolment.qr.reading {
            // Escape stops the capture, or the camera's reading of the QR code, first (the
            // step's own button says so).
            return;
        }
        if !started(enrolment) {
            if widgets::button(
                ui,
                cx.tr,
                &cx.tr.t("ui.wizard.back_home"),
                widgets::ESCAPE,
                true,
            ) || keys::pressed(ui, Key::Escape)
            {
                self.page = Page::Home;
            }
            return;
        }
        ui.horizontal(|ui| {
            if !self.confirm_cancel {
                if widgets::button(
                    ui,
                    cx.tr,
                    &cx.tr.t("ui.wizard.cancel"),
                    widgets::ESCAPE,
                    true,
                ) || keys::pressed(ui, Key::Escape)
                {
                    self.confirm_cancel = true;
                    self.show_cancel_question = true;
                }
            } else {
                let question = ui.label(
                    RichText::new(cx.tr.t("ui.wizard.cancel_question"))
                        .color(widgets::RED)
                        .strong(),
                );
                if std::mem::take(&mut self.show_cancel_question) {
                    question.scroll_to_me(Some(egui::Align::Center));
                }
                if widgets::button(
                    ui,
                    cx.tr,
                    &cx.tr.t("ui.wizard.cancel_confirm"),
                    widgets::ESCAPE,
                    true,
                ) || keys::pressed(ui, Key::Escape)
                {
                    cx.asks.push(Command::CancelEnrolment);
                    self.confirm_cancel = false;
                    self.page = Page::Home;
                }
                if widgets::button(ui, cx.tr, &cx.tr.t("ui.wizard.cancel_keep"), "", true) {
                    self.confirm_cancel = false;
                }
            }
        });
    }
}

impl eframe::App for StationApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }
}

/// Something was done in this enrolment (beyond an empty number field): the wizard stays on screen
/// whatever page the clerk was on.
/// A page's button in the top bar, or its function key: true when the clerk asked for the page.
/// The button is greyed on its own page; the key still works there (it only refocuses).
fn page_asked(ui: &mut egui::Ui, cx: &Cx<'_>, text: &str, key: Key, elsewhere: bool) -> bool {
    let clicked = widgets::button(ui, cx.tr, &cx.tr.t(text), key.name(), elsewhere);
    clicked || keys::pressed(ui, key)
}

fn started(enrolment: &EnrolmentView) -> bool {
    enrolment.step != Step::PreRequest
        || enrolment.pre_request.is_some()
        || enrolment.pre_request_refusal.is_some()
        || enrolment.paper_form.is_some()
}

/// The wizard's steps, each saying whether it is done, current or skipped (the current one in
/// bold); a child under 12 skips the fingers.
fn steps_bar(ui: &mut egui::Ui, enrolment: &EnrolmentView, tr: Tr) {
    let current = match enrolment.step {
        Step::PreRequest => 0,
        Step::Photo { .. } => 1,
        Step::Finger { .. } => 2,
        Step::Review => 3,
        Step::Sealed => 4,
    };
    let names = [
        "ui.wizard.step_pre_request",
        "ui.wizard.step_photo",
        "ui.wizard.step_fingers",
        "ui.wizard.step_review",
        "ui.wizard.step_receipt",
    ];
    ui.horizontal(|ui| {
        for (i, key) in names.iter().enumerate() {
            if i > 0 {
                ui.label("›");
            }
            let name = format!("{}. {}", i + 1, tr.t(key));
            let skipped = *key == "ui.wizard.step_fingers" && enrolment.exempt;
            let text = if skipped {
                RichText::new(format!("{name} : {}", tr.t("ui.wizard.step_exempt"))).weak()
            } else if i == current {
                RichText::new(name)
                    .strong()
                    .size(super::theme::BODY)
                    .underline()
            } else if i < current {
                RichText::new(format!("{name} : {}", tr.t("ui.wizard.step_done")))
                    .color(widgets::GREEN)
            } else {
                RichText::new(name).weak()
            };
            ui.label(text);
        }
    });
}

/// The applicant's window in the other language, for this applicant only (F10).
fn applicant_language(ui: &mut egui::Ui, enrolment: &EnrolmentView, cx: &mut Cx<'_>) {
    let (key, other) = match enrolment.applicant_language {
        Language::French => ("ui.wizard.applicant_in_english", Language::English),
        Language::English => ("ui.wizard.applicant_in_french", Language::French),
    };
    if widgets::button(ui, cx.tr, &cx.tr.t(key), "F10", true) || keys::pressed(ui, Key::F10) {
        cx.asks.push(Command::ApplicantLanguage(other));
    }
}

fn role_key(role: crate::operators::Role) -> &'static str {
    match role {
        crate::operators::Role::Clerk => "ui.role.clerk",
        crate::operators::Role::Technician => "ui.role.technician",
        crate::operators::Role::Supervisor => "ui.role.supervisor",
    }
}

/// Frame build times of the clerk's window, logged as p50/p99 every few hundred frames.
#[derive(Debug, Default)]
struct FrameClock {
    samples: Vec<Duration>,
}

/// Frames per log line.
const FRAMES_PER_REPORT: usize = 600;

impl FrameClock {
    fn record(&mut self, took: Duration) {
        self.samples.push(took);
        if self.samples.len() >= FRAMES_PER_REPORT {
            self.samples.sort();
            let at = |q: f64| {
                let i = ((self.samples.len() - 1) as f64 * q).round() as usize;
                self.samples[i.min(self.samples.len() - 1)].as_micros() as u64
            };
            tracing::info!(
                frames = self.samples.len(),
                p50_us = at(0.50),
                p99_us = at(0.99),
                "frame build time"
            );
            self.samples.clear();
        }
    }
}
