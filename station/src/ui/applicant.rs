//! The window facing the applicant: large French instructions, the live image, the progress and
//! the result. A second egui viewport; it shows nothing personal beyond the applicant's own images.

use eframe::egui::{self, RichText, ViewportBuilder, ViewportId};

use super::{
    CounterLink, fingers::FINGER_BOX, hand_drawing, pictures::Pictures, signature_pad, texts::Tr,
};
use crate::{
    desk::{CapturePrompt, Command, CounterView, EnrolmentView, HandoverStage, texts::Texts},
    enrolment::{FingerPosition, Step, sequence::FINGERS_WANTED},
    language::Language,
};

/// The applicant's window drawn on its own, into any `Ui`: what a test harness or a screenshot
/// looks at, beside the clerk's [`StationApp`](super::StationApp) on the same core.
pub struct ApplicantScreen {
    link: Box<dyn CounterLink>,
    tr: Tr,
    pictures: Pictures,
    styled: bool,
}

impl std::fmt::Debug for ApplicantScreen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApplicantScreen")
            .field("language", &self.tr.0)
            .finish_non_exhaustive()
    }
}

impl ApplicantScreen {
    /// The applicant's screen on `link`, in `language`.
    pub fn new(link: impl CounterLink + 'static, language: Language) -> Self {
        Self {
            link: Box::new(link),
            tr: Tr(language),
            pictures: Pictures::default(),
            styled: false,
        }
    }

    /// Draws one frame.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        if !self.styled {
            super::theme::apply(ui.ctx());
            self.styled = true;
        }
        let view = self.link.view();
        self.pictures.next_frame();
        let mut asks = Vec::new();
        egui::CentralPanel::default().show(ui, |ui| {
            ui.vertical_centered(|ui| content(ui, &view, self.tr, &mut self.pictures, &mut asks));
        });
        for command in asks {
            if !self.link.send(command) {
                tracing::warn!("the counter core did not take the applicant's ink");
            }
        }
    }
}

/// Size of the instruction text (read from a metre away).
const BIG: f32 = super::theme::APPLICANT;

/// Size the applicant's portrait as kept is drawn at most (35×45 mm, large enough from a metre).
const PORTRAIT_BOX: egui::Vec2 = egui::vec2(350.0, 450.0);

/// Shows (or keeps) the applicant's window for this frame.
pub(crate) fn show(
    ctx: &egui::Context,
    view: &CounterView,
    tr: Tr,
    pictures: &mut Pictures,
    asks: &mut Vec<Command>,
) {
    let id = ViewportId::from_hash_of("applicant-window");
    let builder = ViewportBuilder::default()
        .with_title(tr.t("ui.applicant.window_title"))
        .with_inner_size([800.0, 600.0]);
    ctx.show_viewport_immediate(id, builder, |ui, _class| {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.vertical_centered(|ui| content(ui, view, tr, pictures, asks));
        });
    });
}

fn content(
    ui: &mut egui::Ui,
    view: &CounterView,
    tr: Tr,
    pictures: &mut Pictures,
    asks: &mut Vec<Command>,
) {
    if let Some(handover) = view.handover.as_ref().filter(|_| view.operator.is_some()) {
        // The applicant is told what to do, never the verdict: the clerk says it.
        let said = match (handover.stage, handover.finger) {
            (HandoverStage::Asking, _) => tr.t("ui.applicant.handover_asking"),
            (HandoverStage::PlaceFinger, Some(finger)) => tr.with(
                "ui.applicant.handover_place_named",
                &[("finger", &tr.finger(finger).to_lowercase())],
            ),
            (HandoverStage::PlaceFinger, None) => tr.t("ui.applicant.handover_place"),
            (HandoverStage::Checking, _) => tr.t("ui.applicant.handover_checking"),
            (HandoverStage::Done { .. }, _) => tr.t("ui.applicant.handover_done"),
            // No verdict to wait for, and perhaps no finger laid: nothing to lift.
            (HandoverStage::Failed, _) => tr.t("ui.applicant.handover_clerk_answers"),
        };
        ui.label(RichText::new(said).size(BIG).strong());
        return;
    }
    let Some(enrolment) = view.enrolment.as_ref().filter(|_| view.operator.is_some()) else {
        ui.label(RichText::new(tr.t("ui.applicant.welcome")).size(BIG));
        return;
    };
    // This applicant's language, whatever the clerk's.
    let tr = Tr(enrolment.applicant_language);
    match &enrolment.step {
        Step::PreRequest if enrolment.qr.reading => {
            // The applicant sees what the camera sees, to bring the code into view.
            ui.label(
                RichText::new(tr.t("ui.applicant.show_qr"))
                    .size(BIG)
                    .strong(),
            );
            if let Some(preview) = &enrolment.preview {
                pictures.show(ui, preview, egui::vec2(480.0, 360.0));
            }
        }
        Step::PreRequest => {
            ui.label(RichText::new(tr.t("ui.applicant.welcome")).size(BIG));
        }
        Step::Photo { .. } => {
            if let Some(n) = enrolment.countdown {
                // The shot is under way: the count is the core's, from when it was asked for.
                ui.label(
                    RichText::new(tr.with("ui.photo.countdown", &[("n", &n.to_string())]))
                        .size(BIG * 2.0)
                        .strong()
                        .color(super::theme::PRIMARY),
                );
                return;
            }
            if let Some(kept) = enrolment.photo.as_ref().and_then(|p| p.kept.as_ref()) {
                // The applicant sees their portrait as it will be kept, not the camera's frame.
                ui.label(RichText::new(tr.t("ui.applicant.your_photo")).size(BIG));
                pictures.show_named(ui, kept, PORTRAIT_BOX, Some(&tr.t("ui.photo.kept_name")));
                return;
            }
            ui.label(RichText::new(tr.t("ui.applicant.photo")).size(BIG));
            if let Some(preview) = &enrolment.preview {
                pictures.show(ui, preview, egui::vec2(360.0, 460.0));
            } else if let Some(photo) = &enrolment.photo {
                pictures.show(ui, &photo.picture, egui::vec2(360.0, 460.0));
            }
        }
        Step::Finger { position, .. } => {
            let previous_done = enrolment
                .live
                .as_ref()
                .is_some_and(|l| l.prompt == CapturePrompt::LiftFinger && l.position != *position);
            if previous_done {
                // The finger before is settled: said before the next one is asked.
                ui.label(
                    RichText::new(tr.t("ui.applicant.finger_good"))
                        .size(BIG)
                        .strong()
                        .color(super::theme::SUCCESS),
                );
            }
            match enrolment.live.as_ref().filter(|l| l.position == *position) {
                Some(live) => {
                    let texts = Texts { language: tr.0 };
                    let instruction = match live.prompt {
                        CapturePrompt::PlaceFinger => texts.place_finger(live.position),
                        CapturePrompt::Reading => texts.reading(),
                        // The same finger is asked again: the applicant is told so.
                        CapturePrompt::LiftFinger => tr.t("ui.applicant.finger_again"),
                    };
                    ui.label(RichText::new(instruction).size(BIG).strong());
                    if live.prompt == CapturePrompt::Reading {
                        ui.add(egui::ProgressBar::new(live.progress).desired_width(500.0));
                        if let Some(arriving) = &live.picture {
                            pictures.show(ui, arriving, FINGER_BOX);
                            return;
                        }
                    }
                }
                None => {
                    ui.label(
                        RichText::new(tr.with(
                            "ui.applicant.wait_finger",
                            &[("finger", &tr.finger(*position).to_lowercase())],
                        ))
                        .size(BIG),
                    );
                }
            }
            // Until the print arrives: which finger, where, and how many are left.
            let waiting = enrolment
                .live
                .as_ref()
                .filter(|l| l.position == *position)
                .is_none_or(|l| l.prompt == CapturePrompt::PlaceFinger);
            if waiting {
                finger_to_lay(ui, enrolment, *position, tr);
                return;
            }
            let result = enrolment
                .fingers
                .iter()
                .rev()
                .find(|f| f.position == *position);
            if let Some(best) = result.and_then(|r| r.best.as_ref()) {
                pictures.show(ui, best, FINGER_BOX);
            }
        }
        Step::Review => {
            let signature = &enrolment.signature;
            ui.label(RichText::new(tr.t("ui.applicant.review")).size(BIG));
            if let Some(said) = super::storage_question::for_applicant(enrolment, tr) {
                ui.add_space(16.0);
                ui.label(RichText::new(said).size(BIG).strong());
            }
            if !signature.asked || signature.cannot_sign.is_some() {
                return;
            }
            let said = if signature.validated {
                tr.t("ui.applicant.signature_kept")
            } else {
                tr.t("ui.applicant.sign_here")
            };
            ui.label(RichText::new(said).size(BIG).strong());
            let label = tr.t("ui.applicant.signature_box");
            // The window is 800 × 600: under the storage question the pad takes the height that
            // is left, less a line for "sign again" (kept free so the pad does not move when the
            // line appears), rather than running past the window's bottom.
            let line = ui
                .ctx()
                .fonts_mut(|f| f.row_height(&egui::FontId::proportional(BIG)));
            let spacing = ui.spacing().item_spacing.y;
            let max_height = ui.available_height() - line - 3.0 * spacing;
            signature_pad::applicant(
                ui,
                signature,
                &label,
                !signature.validated,
                max_height,
                asks,
            );
            if signature.refusal.is_some() && !signature.validated {
                // The clerk reads out why; the applicant is told to sign again.
                ui.label(
                    RichText::new(tr.t("ui.applicant.sign_again"))
                        .size(BIG)
                        .color(super::theme::PRIMARY),
                );
            }
        }
        Step::Sealed => {
            ui.label(RichText::new(tr.t("ui.applicant.done")).size(BIG).strong());
        }
    }
}

/// The hand drawing with the finger to lay, its name, and its rank among the fingers asked
/// ("1 sur 2"): an applicant whose index cannot be taken is asked their middle finger as the same
/// first of two, so the rank counts the fingers captured, not those tried.
fn finger_to_lay(ui: &mut egui::Ui, enrolment: &EnrolmentView, position: FingerPosition, tr: Tr) {
    let name = tr.finger(position);
    let said = tr.with(
        "ui.applicant.hand_drawing",
        &[("finger", &name.to_lowercase())],
    );
    ui.add_space(8.0);
    hand_drawing::show(ui, position, &said);
    let captured = enrolment
        .fingers
        .iter()
        .filter(|f| f.settled && f.exception.is_none() && f.position != position)
        .count();
    let rank = (captured + 1).min(FINGERS_WANTED);
    ui.label(RichText::new(name).size(BIG).strong());
    ui.label(
        RichText::new(tr.with(
            "ui.applicant.finger_rank",
            &[
                ("rank", &rank.to_string()),
                ("total", &FINGERS_WANTED.to_string()),
            ],
        ))
        .size(BIG),
    );
}
